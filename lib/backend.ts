// Which kernels do the heavy arithmetic: the readable TypeScript loops the chapters teach, or
// a WebAssembly SIMD matrix product for large float32 products (the speed work). `auto` picks
// WebAssembly where the platform has it; setBackend('js') forces the readable loops everywhere.
import { GEMM_WASM } from './wasm/gemm.ts';

/** The kernels matmul may use. */
export type Backend = 'js' | 'wasm';

/** Products with fewer multiply-adds than this stay in JavaScript, where copying would cost more than it saves. */
export const WASM_MIN_WORK = 1 << 16;

let choice: Backend | 'auto' = 'auto';
let kernel: { memory: WebAssembly.Memory; gemm: (a: number, b: number, c: number, n: number, k: number, m: number) => void } | null | undefined;

/** Chooses the kernels: 'js' (readable, everywhere), 'wasm' (fast, where available) or 'auto'. */
export function setBackend(backend: Backend | 'auto'): void {
  if (backend !== 'js' && backend !== 'wasm' && backend !== 'auto') throw new Error(`setBackend: use 'js', 'wasm' or 'auto', not ${JSON.stringify(backend)}`);
  choice = backend;
}

/** The kernels in use: 'wasm' when chosen (or auto) and WebAssembly SIMD works here, else 'js'. */
export function getBackend(): Backend {
  return choice !== 'js' && loadKernel() ? 'wasm' : 'js';
}

function loadKernel(): typeof kernel {
  if (kernel !== undefined) return kernel;
  try {
    const bytes = Uint8Array.from(atob(GEMM_WASM), (c) => c.charCodeAt(0));
    // Synchronous compilation is allowed for small modules everywhere, even on a page's main thread.
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    kernel = instance.exports as unknown as NonNullable<typeof kernel>;
  } catch {
    kernel = null; // no WebAssembly, or no SIMD: the readable loops do the work
  }
  return kernel;
}

/**
 * C = op(A) · op(B) for float32 data with the WebAssembly kernel, where op transposes when asked.
 * The operands are copied into the module's memory (transposed and padded to whole 4×8 tiles on
 * the way), so a transposed operand costs no more than a plain one.
 */
export function wasmMatmul(A: Float32Array, B: Float32Array, C: Float32Array, n: number, k: number, m: number, transposeA: boolean, transposeB: boolean): void {
  const { memory, gemm } = loadKernel()!;
  const n4 = Math.ceil(n / 4) * 4;
  const m8 = Math.ceil(m / 8) * 8;
  const aBytes = n4 * k * 4;
  const bBytes = k * m8 * 4;
  const needed = aBytes + bBytes + n4 * m8 * 4;
  if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
  const heap = new Float32Array(memory.buffer);
  const a = heap.subarray(0, n4 * k);
  const b = heap.subarray(n4 * k, n4 * k + k * m8);
  // A as (n4 × k): rows past n are zero.
  if (transposeA) {
    for (let p = 0; p < k; p++) for (let i = 0; i < n; i++) a[i * k + p] = A[p * n + i];
  } else {
    a.set(A.subarray(0, n * k));
  }
  a.fill(0, n * k);
  // B as (k × m8): columns past m are zero.
  for (let p = 0; p < k; p++) {
    const row = p * m8;
    if (transposeB) for (let j = 0; j < m; j++) b[row + j] = B[j * k + p];
    else b.set(B.subarray(p * m, p * m + m), row);
    b.fill(0, row + m, row + m8);
  }
  gemm(0, aBytes, aBytes + bBytes, n4, k, m8);
  const c = new Float32Array(memory.buffer, aBytes + bBytes, n4 * m8);
  for (let i = 0; i < n; i++) C.set(c.subarray(i * m8, i * m8 + m), i * m);
}
