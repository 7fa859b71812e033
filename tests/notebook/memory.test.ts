// Checks the memory limit on cells (site/notebook/guard.ts puts a check into every loop,
// memory.ts estimates what the variables in reach hold): a cell that grows without end, at the
// top level, inside a function or in a Map, stops with a MemoryError naming the limit, even when
// it catches that error; ordinary loops run as before; and the estimate is close and cheap.
import { describe, expect, it } from 'vitest';
import { guardLoops } from '../../site/notebook/guard.ts';
import { MAX_CELL_MEGABYTES, MemoryLimitError, estimateBytes, memoryGuard } from '../../site/notebook/memory.ts';
import { outputText } from '../../site/notebook/outputs.ts';
import { NotebookSession } from '../../site/notebook/runtime.ts';

const MB = 1024 * 1024;
const run = (source: string, session = new NotebookSession()) => session.run(source, 0);
const lastText = (result: Awaited<ReturnType<typeof run>>): string => outputText(result.outputs[result.outputs.length - 1]);

describe('a cell whose variables grow without end', () => {
  it('is stopped with a MemoryError naming the limit, and marked stopped so the Worker ends', async () => {
    const result = await run('const a = [];\nwhile (true) a.push(new Float64Array(1e6));');
    expect(result.failed).toBe(true);
    expect(lastText(result)).toMatch(/^MemoryError: stopped: the cell used more than 1,024 MB of memory \(about [\d,]+ MB, as the notebook estimates it\); past that the browser could run out and close the page \(line 2\)$/);
    expect(result.stopped).toMatch(/^stopped: the cell used more than 1,024 MB of memory/);
  }, 60_000);

  it('is stopped when the data grows inside a function the cell calls', async () => {
    const result = await run('function grow() {\n  const local: Float64Array[] = [];\n  for (;;) local.push(new Float64Array(1e6));\n}\ngrow();');
    expect(lastText(result)).toMatch(/^MemoryError: stopped: the cell used more than 1,024 MB .*\(line 3\)$/);
  }, 60_000);

  it('is stopped when a method grows its object, which nothing else holds', async () => {
    const result = await run('class Box {\n  items: Float64Array[] = [];\n  grow() { while (true) this.items.push(new Float64Array(1e6)); }\n}\nnew Box().grow();');
    expect(lastText(result)).toMatch(/^MemoryError: stopped: the cell used more than 1,024 MB .*\(line 3\)$/);
  }, 60_000);

  it('is stopped when the data grows in a Map of objects, or in a string', async () => {
    const map = await run('const byStep = new Map();\nlet step = 0;\nwhile (true) byStep.set(step++, { values: new Float32Array(250_000) });');
    expect(map.stopped).toBeDefined();
    const text = await run("const parts: string[] = [];\nwhile (true) parts.push('x'.repeat(1e6) + parts.length);");
    expect(text.stopped).toBeDefined();
  }, 60_000);

  it('keeps stopping a cell that catches the MemoryError: every loop after it throws again', async () => {
    const result = await run("const a = [];\ntry { while (true) a.push(new Float64Array(1e6)); } catch (error) { print('caught', error.name); }\nlet turns = 0;\nwhile (true) turns++;");
    expect(result.outputs.map(outputText)[0]).toBe('caught MemoryError');
    // The same error again, naming the loop that grew.
    expect(lastText(result)).toMatch(/^MemoryError: .*\(line 2\)$/);
    expect(result.outputs).toHaveLength(2);
    expect(result.stopped).toBeDefined();
  }, 60_000);

  it('counts what earlier cells left in the scope', async () => {
    const session = new NotebookSession();
    expect((await run('const kept = Array.from({ length: 600 }, () => new Float64Array(1e6));', session)).failed).toBe(false);
    const result = await run('const more = [];\nfor (let i = 0; i < 1000; i++) more.push(new Float64Array(1e6));', session);
    expect(result.stopped).toBeDefined();
    // It stopped near the limit: 600 arrays were there, and fewer than 500 more of 8 MB each were made.
    expect((session.scope.more as unknown[]).length).toBeLessThan(500);
  }, 60_000);
});

describe('loops that stay within the limit', () => {
  it('run to the end with the same results', async () => {
    const result = await run('let total = 0;\nfor (let i = 0; i < 1e6; i++) total += i;\nlet n = 0;\ndo n++; while (n < 10);\nconst seen = [];\nfor (const k in { a: 1, b: 2 }) for (const v of [1, 2]) seen.push(k + v);\n[total, n, seen]');
    expect(lastText(result)).toBe('[499999500000, 10, ["a1", "a2", "b1", "b2"]]');
  });

  it('keep their lines: the guarded code has the same line breaks, and errors name the cell line', async () => {
    const source = 'let i = 0\nwhile (i < 3)\n  i++\nfor (;;) { if (i++ > 5) break }\nfunction f() {\n  for (const x of [1]) return x\n}\nthrow new Error(String(f()))';
    expect(guardLoops(source).split('\n')).toHaveLength(source.split('\n').length);
    expect(lastText(await run(source))).toBe('Error: 1 (line 8)');
  });

  it('put a check at the head of every kind of loop, and a roots function in each function that holds one', () => {
    const guarded = guardLoops('while (a) b();\ndo c(); while (d);\nfor (;;) {}\nfor (const k in o) {}\nfor (const v of o) e();\nconst f = (x) => { let y = 1; while (x) x--; };\nfunction g() { return 1; }');
    expect(guarded.match(/\{ let __n = __tick\.entry; /g)).toHaveLength(6);
    expect(guarded.match(/if \(--__n < 0\) __n = __tick\(/g)).toHaveLength(6);
    expect(guarded).toContain('const __roots1 = () => { const r = [...__roots(), this]; try { r.push(x); } catch {} try { r.push(y); } catch {} return r; };');
    expect(guarded).toContain('function g() { return 1; }'); // no loop, nothing added
  });

  it('cost a tight loop little: the guard is asked once per 1,024 turns once the loop runs fast', () => {
    let calls = 0;
    const guard = memoryGuard(() => []);
    let countdown = 0;
    for (let i = 0; i < 1e6; i++) {
      if (--countdown < 0) {
        calls++;
        countdown = guard(() => []);
      }
    }
    expect(calls).toBeLessThan(1e6 / 512);
    expect(calls).toBeGreaterThanOrEqual(1e6 / 1024);
  });
});

describe('estimateBytes', () => {
  it('counts typed arrays by their bytes, once per buffer', () => {
    const data = new Float64Array(1e6);
    expect(estimateBytes([data, data.subarray(10), { same: data }]) / MB).toBeCloseTo(8e6 / MB, 1);
  });

  it('estimates long arrays from a sample, within a fifth of the true size', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => new Float32Array(1000 + (i % 7)));
    const truth = rows.reduce((total, row) => total + row.byteLength, 0);
    expect(Math.abs(estimateBytes([rows]) - truth) / truth).toBeLessThan(0.2);
    const numbers = new Array(1e6).fill(0.5);
    expect(estimateBytes([numbers]) / MB).toBeCloseTo((8 * 1e6) / MB, 0);
  });

  it('counts strings, Maps, Sets and nested objects, and stops at cycles', () => {
    const cycle: Record<string, unknown> = { text: 'x'.repeat(1e6) };
    cycle.self = cycle;
    expect(estimateBytes([cycle])).toBeGreaterThan(1e6);
    expect(estimateBytes([new Map([[1, new Float64Array(1e5)]]), new Set([new Float64Array(1e5)])])).toBeGreaterThan(1.6e6);
  });

  it('stays cheap on a huge graph of small objects', () => {
    const graph = Array.from({ length: 200_000 }, (_, i) => ({ i, next: { value: [i] } }));
    const started = performance.now();
    expect(estimateBytes([graph])).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('survives getters and proxies that throw', () => {
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('no'); } });
    const getter = Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('no'); } });
    expect(estimateBytes([hostile, getter, new Float64Array(10)])).toBeGreaterThanOrEqual(80);
  });
});

describe('memoryGuard', () => {
  it('throws a MemoryLimitError past its limit, calls onLimit once, and throws again at every call', () => {
    const held = [new Float64Array(2 * MB)]; // 16 MB
    const heard: MemoryLimitError[] = [];
    const guard = memoryGuard(() => held, { limit: 10, onLimit: (error) => heard.push(error) });
    const started = performance.now();
    let thrown: unknown;
    while (performance.now() - started < 1000 && !thrown) {
      try {
        guard(() => []);
      } catch (error) {
        thrown = error;
      }
    }
    expect(thrown).toBeInstanceOf(MemoryLimitError);
    expect((thrown as MemoryLimitError).megabytes).toBeCloseTo(16, 0);
    expect(() => guard(() => [])).toThrow(MemoryLimitError);
    expect(heard).toHaveLength(1);
    expect(MAX_CELL_MEGABYTES).toBe(1024);
  });
});
