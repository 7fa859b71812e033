// Which kernels do the heavy arithmetic (chapter 11): the readable TypeScript loops the chapters
// teach, or WebAssembly SIMD kernels (dense and sparse matrix products, ReLU, Adam) for large
// float32 work. `auto` picks WebAssembly where the platform has it; setBackend('js') forces the
// readable loops everywhere.
import { GEMM_WASM } from './wasm/gemm.ts';

/** The kernels matmul, ReLU and Adam may use. */
export type Backend = 'js' | 'wasm';

/** Products with fewer multiply-adds than this stay in JavaScript, where copying would cost more than it saves. */
export const WASM_MIN_WORK = 1 << 16;

/** Element-wise work on fewer values than this stays in JavaScript. */
export const WASM_MIN_ELEMENTS = 1024;

let choice: Backend | 'auto' = 'auto';
let kernel:
  | {
      memory: WebAssembly.Memory;
      gemm: (a: number, b: number, c: number, n: number, k: number, m: number, ldc: number) => void;
      spmm: (start: number, offsets: number, values: number, b: number, c: number, n: number, m: number) => void;
      nonzeros: (src: number, length: number) => number;
      csrRows: (src: number, n: number, k: number, rowBytes: number, start: number, offsets: number, values: number) => void;
      csrColumns: (src: number, k: number, n: number, rowBytes: number, start: number, offsets: number, values: number, next: number) => void;
      packA: (src: number, n: number, k: number, transposed: number, dst: number) => void;
      packB: (src: number, k: number, m: number, transposed: number, dst: number) => void;
      relu: (src: number, dst: number, length: number) => void;
      reluBackward: (x: number, d: number, dst: number, length: number) => void;
      adam: (p: number, g: number, m: number, v: number, length: number, rate: number, epsilon: number, beta1: number, beta2: number) => void;
    }
  | null
  | undefined;

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

/** Below this share of nonzero values in op(A), the sparse kernel beats the dense one. */
export const SPARSE_DENSITY = 0.4;

/**
 * C = op(A) · op(B) for float32 data with the WebAssembly kernels, where op transposes when asked.
 * The operands are copied into the module's memory and laid out there the way a kernel reads them
 * (see gemm.wat), so a transposed operand costs no more than a plain one. A mostly-zero op(A),
 * such as a batch of MNIST images, goes to the sparse kernel; the rest to the dense one (tests
 * force one with `kernelChoice`).
 */
export function wasmMatmul(A: Float32Array, B: Float32Array, C: Float32Array, n: number, k: number, m: number, transposeA: boolean, transposeB: boolean, kernelChoice: 'auto' | 'dense' | 'sparse' = 'auto'): void {
  const wasm = loadKernel()!;
  const n4 = (n + 3) & ~3;
  const m8 = (m + 7) & ~7;
  // Layout: A as given | B as given | C (n4 × m8) | what the chosen kernel needs. Offsets are in bytes.
  const aAt = 0;
  const bAt = aAt + n * k * 4;
  const cAt = bAt + k * m * 4;
  const restAt = cAt + n4 * m8 * 4;
  heapOf(wasm, bAt).set(A, aAt >> 2);
  const nonzero = wasm.nonzeros(aAt, n * k);
  if (kernelChoice === 'sparse' || (kernelChoice === 'auto' && nonzero < SPARSE_DENSITY * n * k)) {
    // CSR of op(A) (start, next, offsets, values) and B's rows padded to m8 columns, unless they already are.
    const rowsAt = !transposeB && m === m8 ? bAt : restAt;
    const startAt = rowsAt === bAt ? restAt : restAt + k * m8 * 4;
    const nextAt = startAt + (n + 1) * 4;
    const offsetsAt = nextAt + n * 4;
    const valuesAt = offsetsAt + (nonzero + 1) * 4;
    const heap = heapOf(wasm, valuesAt + (nonzero + 1) * 4);
    if (rowsAt === bAt) heap.set(B, bAt >> 2);
    else copyRows(heap.subarray(rowsAt >> 2, (rowsAt >> 2) + k * m8), B, k, m, m8, transposeB);
    if (transposeA) wasm.csrColumns(aAt, k, n, m8 * 4, startAt, offsetsAt, valuesAt, nextAt);
    else wasm.csrRows(aAt, n, k, m8 * 4, startAt, offsetsAt, valuesAt);
    wasm.spmm(startAt, offsetsAt, valuesAt, rowsAt, cAt, n, m8);
  } else {
    const packedAAt = restAt;
    const packedBAt = packedAAt + n4 * k * 4;
    const heap = heapOf(wasm, packedBAt + k * m8 * 4);
    heap.set(B, bAt >> 2);
    // Padding rows and columns must be zero; the packers fill everything else.
    if (n !== n4) heap.fill(0, (packedAAt >> 2) + (n4 - 4) * k, (packedAAt >> 2) + n4 * k);
    if (m !== m8) heap.fill(0, (packedBAt >> 2) + (m8 - 8) * k, (packedBAt >> 2) + m8 * k);
    wasm.packA(aAt, n, k, transposeA ? 1 : 0, packedAAt);
    wasm.packB(bAt, k, m, transposeB ? 1 : 0, packedBAt);
    wasm.gemm(packedAAt, packedBAt, cAt, n4, k, m8, m8 * 4);
  }
  const heap = heapOf(wasm, 0);
  const c = cAt >> 2;
  if (m === m8) C.set(heap.subarray(c, c + n * m));
  else for (let i = 0; i < n; i++) C.set(heap.subarray(c + i * m8, c + i * m8 + m), i * m);
}

type Kernel = NonNullable<typeof kernel>;

let heapView: Float32Array | undefined;

/**
 * Makes the module's memory at least `bytes` long and returns a float view of all of it. The view
 * is made again only when the memory grows (growing replaces the buffer), not on every call:
 * creating typed-array views is one of the dearer things a browser does.
 */
function heapOf(wasm: Kernel, bytes: number): Float32Array {
  const have = wasm.memory.buffer.byteLength;
  if (have < bytes) wasm.memory.grow(Math.ceil((bytes - have) / 65536));
  if (heapView?.buffer !== wasm.memory.buffer) heapView = new Float32Array(wasm.memory.buffer);
  return heapView;
}

/** Writes op(B) as (k × m8) rows, columns past m zero. */
function copyRows(b: Float32Array, B: Float32Array, k: number, m: number, m8: number, transposeB: boolean): void {
  if (m !== m8) b.fill(0);
  if (transposeB) {
    for (let j = 0; j < m; j++) {
      const row = j * k;
      for (let p = 0; p < k; p++) b[p * m8 + j] = B[row + p];
    }
  } else {
    for (let p = 0; p < k; p++) b.set(B.subarray(p * m, p * m + m), p * m8);
  }
}

/**
 * One Adam step for float32 parameters with the WebAssembly kernel: 4 values at a time, with the
 * bias corrections folded into the step size (lr·√(1−β₂ᵗ)/(1−β₁ᵗ)) and epsilon (ε·√(1−β₂ᵗ)).
 * The same update as the readable loop up to float32 rounding. Updates param, m and v in place.
 */
export function wasmAdam(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, options: { rate: number; epsilon: number; beta1: number; beta2: number }): void {
  const wasm = loadKernel()!;
  // Zero padding stays zero: 0 / (0 + ε̂) = 0.
  const [p, g, mAt, vAt, length] = stage(wasm, [param, grad, m, v], 0);
  wasm.adam(p, g, mAt, vAt, length, options.rate, options.epsilon, options.beta1, options.beta2);
  const heap = heapOf(wasm, 0);
  param.set(heap.subarray(p >> 2, (p >> 2) + param.length));
  m.set(heap.subarray(mAt >> 2, (mAt >> 2) + m.length));
  v.set(heap.subarray(vAt >> 2, (vAt >> 2) + v.length));
}

/**
 * Copies each array into the module's memory one after another, each padded with zeros to a whole
 * number of groups of 4, with room for `extra` more; returns their byte offsets, then the padded length.
 */
function stage(wasm: Kernel, arrays: Float32Array[], extra: number): number[] {
  const length = (arrays[0].length + 3) & ~3;
  const heap = heapOf(wasm, (arrays.length + extra) * length * 4);
  const offsets = [];
  for (let index = 0; index < arrays.length + extra; index++) {
    const at = index * length;
    if (index < arrays.length) {
      heap.set(arrays[index], at);
      if (length !== arrays[index].length) heap.fill(0, at + arrays[index].length, at + length);
    }
    offsets.push(at * 4);
  }
  return [...offsets, length];
}

/** ReLU with the WebAssembly kernel: y = max(x, 0), 4 values at a time. */
export function wasmRelu(x: Float32Array, y: Float32Array): void {
  const wasm = loadKernel()!;
  const [xAt, yAt, length] = stage(wasm, [x], 1);
  wasm.relu(xAt, yAt, length);
  y.set(heapOf(wasm, 0).subarray(yAt >> 2, (yAt >> 2) + y.length));
}

/** ReLU's backward pass with the WebAssembly kernel: dx = d where x > 0, else 0. */
export function wasmReluBackward(x: Float32Array, d: Float32Array, dx: Float32Array): void {
  const wasm = loadKernel()!;
  const [xAt, dAt, dxAt, length] = stage(wasm, [x, d], 1);
  wasm.reluBackward(xAt, dAt, dxAt, length);
  dx.set(heapOf(wasm, 0).subarray(dxAt >> 2, (dxAt >> 2) + dx.length));
}
