// Stops a cell whose variables grow past MAX_CELL_MEGABYTES, before the browser runs out of memory
// and takes the whole tab down (Chromium crashes the tab at about 4 GB, some 15 s into
// `while (true) a.push(new Array(1e6).fill(1))`). No browser tells a page or a Worker how much a
// running Worker holds: performance.memory does not exist in Workers, measureUserAgentSpecificMemory
// needs cross-origin isolation (headers a static host does not send), and even then answers after
// seconds; a Worker stuck in a loop cannot answer a heartbeat. So the cell checks itself: guard.ts
// puts __tick into every loop, and __tick, every 100 ms at most, estimates what the variables in
// reach hold (typed arrays by their bytes, arrays and objects by their length and a sample).

/** The most memory a cell's variables may hold, as estimated: well under the 4 GB at which Chromium crashes the tab, and five times what MNIST and a network need. */
export const MAX_CELL_MEGABYTES = 1024;
/** How often a loop may pay for an estimate, in milliseconds: at 1 GB a second of growth, a cell overshoots by a tenth. */
export const CHECK_INTERVAL_MS = 100;
/** At most this many objects are visited per estimate, so one costs a few milliseconds however big the data. */
const VISIT_BUDGET = 20_000;
/** Elements sampled from a long array, a map or a set; the rest are taken to be like them. */
const SAMPLE = 16;

/** The error a cell stops with when its variables hold more than the limit. */
export class MemoryLimitError extends Error {
  readonly megabytes: number;
  constructor(megabytes: number, limit: number) {
    super(`stopped: the cell used more than ${limit.toLocaleString('en-US')} MB of memory (about ${Math.round(megabytes).toLocaleString('en-US')} MB, as the notebook estimates it); past that the browser could run out and close the page`);
    this.name = 'MemoryError';
    this.megabytes = megabytes;
  }
}

/** Roughly how many bytes `roots` and everything they reach hold, visiting at most VISIT_BUDGET objects. */
export function estimateBytes(roots: readonly unknown[]): number {
  const seen = new Set<unknown>();
  let budget = VISIT_BUDGET;
  const size = (value: unknown, depth: number): number => {
    if (typeof value === 'string') return 16 + value.length;
    if (typeof value !== 'object' || value === null || value === globalThis) return 0; // numbers and the like live in their slot; functions are opaque
    if (seen.has(value) || budget <= 0 || depth > 12) return 0;
    seen.add(value);
    budget -= 1;
    if (ArrayBuffer.isView(value)) return seen.has(value.buffer) ? 64 : (seen.add(value.buffer), 64 + value.buffer.byteLength);
    if (value instanceof ArrayBuffer) return value.byteLength;
    if (Array.isArray(value)) return 16 + arraySize(value, (item) => size(item, depth + 1));
    if (value instanceof Map || value instanceof Set) {
      let sampled = 0;
      let count = 0;
      for (const entry of value instanceof Map ? value.entries() : value.values()) {
        if (count++ >= SAMPLE) break;
        sampled += value instanceof Map ? size((entry as [unknown, unknown])[0], depth + 1) + size((entry as [unknown, unknown])[1], depth + 1) : size(entry, depth + 1);
      }
      return 32 * value.size + (count ? (sampled / Math.min(count, SAMPLE)) * value.size : 0);
    }
    const keys = Object.keys(value);
    return 32 + arraySize(keys, (key) => size((value as Record<string, unknown>)[key as string], depth + 1)) + (keys.length > 1000 ? keys.length * 16 : 0);
  };
  let total = 0;
  for (const root of roots) {
    try {
      total += size(root, 0);
    } catch {
      // A getter or a proxy that throws: what it holds is not counted.
    }
  }
  return total;
}

/**
 * An array's slots (4 bytes each, as Chromium packs them; 8 for fractional numbers), plus what its
 * elements hold: all of them when short, else SAMPLE evenly spaced ones scaled up to the length.
 * Holes count as slots up to 32 million (V8 allocates them); past that the array is sparse.
 */
function arraySize(items: ArrayLike<unknown>, size: (item: unknown) => number): number {
  const length = items.length;
  if (length === 0) return 0;
  const step = length <= SAMPLE ? 1 : length / SAMPLE;
  let held = 0;
  let present = 0;
  let doubles = 0;
  let sampled = 0;
  for (let at = 0; at < length && sampled < SAMPLE; at += step, sampled++) {
    const index = Math.floor(at);
    if (!(index in (items as object))) continue;
    const item = items[index];
    present += 1;
    if (typeof item === 'number' && !Number.isInteger(item)) doubles += 1;
    held += size(item);
  }
  const scale = length / sampled;
  const slots = length <= 32_000_000 ? length : (length * present) / sampled;
  return slots * (4 + (4 * doubles) / sampled) + held * scale;
}

/** What a guarded cell's loops call when their countdown runs out (returning the next countdown), and the countdown a loop starts with. */
export type MemoryGuard = ((roots: () => unknown[]) => number) & { entry: number };

/**
 * The __tick a guarded cell's loops call when their countdown runs out; it returns the next
 * countdown. Every CHECK_INTERVAL_MS at most it estimates what the loop's roots and `alsoHeld()`
 * (the session's scope) hold, and past `limit` megabytes it throws a MemoryLimitError, and keeps
 * throwing it at every loop, so a cell that catches it still stops. `onLimit` hears of it at once.
 */
export function memoryGuard(alsoHeld: () => unknown[], options: { limit?: number; onLimit?: (error: MemoryLimitError) => void } = {}): MemoryGuard {
  const limit = options.limit ?? MAX_CELL_MEGABYTES;
  // The clock is read every `stride` turns: every turn of a slow loop (the one that allocates 4 MB
  // a turn), every 1,024th of a tight one (a clock read costs what a hundred tight turns do). A loop
  // that starts checks within its first 64 turns (`entry`), so a short inner loop entered a million
  // times does not read the clock a million times, and 64 turns of even 16 MB stay far from a crash;
  // one slow turn drops the stride back to 1.
  let stride = 1;
  let clock = performance.now();
  let last = clock;
  let tripped: MemoryLimitError | undefined;
  const guard = ((roots: () => unknown[]): number => {
    if (tripped) throw tripped;
    const now = performance.now();
    const elapsed = now - clock;
    clock = now;
    stride = elapsed < 1 ? Math.min(stride * 2, 1024) : elapsed > 5 ? 1 : stride;
    guard.entry = Math.min(stride, 64) - 1;
    if (now - last < CHECK_INTERVAL_MS) return stride - 1;
    // Each root on its own: a list of them would be sampled like any long array.
    let reach: unknown[];
    try {
      reach = [...roots(), ...alsoHeld()];
    } catch {
      reach = alsoHeld();
    }
    const megabytes = estimateBytes(reach) / (1024 * 1024);
    last = clock = performance.now(); // after the estimate, so a slow one is not repeated at once
    if (megabytes <= limit) return stride - 1;
    tripped = new MemoryLimitError(megabytes, limit);
    guard.entry = 0;
    options.onLimit?.(tripped);
    throw tripped;
  }) as MemoryGuard;
  guard.entry = 0;
  return guard;
}
