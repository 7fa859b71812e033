// The fast kernels (the chapter "Making it fast"): the WebAssembly SIMD module of lib/wasm/kernels.wat, loaded once,
// and the JavaScript that copies float32 arrays into its memory and lays them out for it. Whatever
// the module cannot take (float64, work too small to pay for the copying, a platform without
// WebAssembly SIMD) goes to the readable kernels instead.
import { KERNELS_WASM, bindKernels, type KernelsExports } from '../wasm/kernels.ts';
import type { FloatArray } from '../matrix.ts';
import type { Kernels } from './kernels.ts';
import * as readable from './readable.ts';

/** Products with fewer multiply-adds than this stay in JavaScript, where copying would cost more than it saves. */
export const WASM_MIN_WORK = 1 << 16;

/** Element-wise work on fewer values than this stays in JavaScript. */
export const WASM_MIN_ELEMENTS = 1024;

/** Below this share of nonzero values in op(A), the sparse kernel beats the dense one. */
export const SPARSE_DENSITY = 0.4;

function instantiate(): KernelsExports {
  const bytes = Uint8Array.from(atob(KERNELS_WASM), (c) => c.charCodeAt(0));
  // Synchronous compilation is allowed for small modules everywhere, even on a page's main thread.
  return bindKernels(new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports);
}

let load = instantiate;
let loaded: KernelsExports | null | undefined;
let heapView: Float32Array | undefined;
// What the product kernels go by; forceProductKernelForTests changes them.
let minimumWork = WASM_MIN_WORK;
let sparseBelow = SPARSE_DENSITY;

/** The module, loaded on first use; null where WebAssembly or SIMD is missing. */
function wasmModule(): KernelsExports | null {
  if (loaded !== undefined) return loaded;
  try {
    loaded = load();
  } catch {
    loaded = null; // no WebAssembly, or no SIMD: the readable loops do the work
  }
  return loaded;
}

/** True when the WebAssembly SIMD module works here. */
export function wasmAvailable(): boolean {
  return wasmModule() !== null;
}

/** For tests only: loads the module with `loader` from now on (one that throws plays a platform without SIMD); no argument restores the real one. */
export function setModuleLoaderForTests(loader?: () => KernelsExports): void {
  load = loader ?? instantiate;
  loaded = undefined;
  heapView = undefined;
}

/** For tests only: sends every float32 product, whatever its size and density, to one product kernel; no argument restores the choice by size and density. */
export function forceProductKernelForTests(kernel?: 'dense' | 'sparse'): void {
  minimumWork = kernel ? 1 : WASM_MIN_WORK;
  sparseBelow = kernel === 'sparse' ? Infinity : kernel === 'dense' ? -Infinity : SPARSE_DENSITY;
}

function isFloat32(array: FloatArray): array is Float32Array {
  return array instanceof Float32Array;
}

/**
 * Makes the module's memory at least `bytes` long and returns a float view of all of it. The view
 * is made again only when the memory grows (growing replaces the buffer), not on every call:
 * creating typed-array views is one of the dearer things a browser does.
 */
function heapOf(wasm: KernelsExports, bytes: number): Float32Array {
  const have = wasm.memory.buffer.byteLength;
  if (have < bytes) wasm.memory.grow(Math.ceil((bytes - have) / 65536));
  if (heapView?.buffer !== wasm.memory.buffer) heapView = new Float32Array(wasm.memory.buffer);
  return heapView;
}

/**
 * C = op(A) · op(B) in the module. The operands are copied into its memory and laid out there the
 * way a kernel reads them (see kernels.wat), so a transposed operand costs no more than a plain one.
 * A mostly-zero op(A), such as a batch of MNIST images, goes to the sparse kernel; the rest to the dense one.
 */
function product(wasm: KernelsExports, A: Float32Array, B: Float32Array, C: Float32Array, n: number, k: number, m: number, transposeA: boolean, transposeB: boolean): void {
  const n4 = (n + 3) & ~3;
  const m8 = (m + 7) & ~7;
  // Layout: A as given | B as given | C (n4 × m8) | what the chosen kernel needs. Offsets are in bytes.
  const aAt = 0;
  const bAt = aAt + n * k * 4;
  const cAt = bAt + k * m * 4;
  const restAt = cAt + n4 * m8 * 4;
  heapOf(wasm, bAt).set(A, aAt >> 2);
  const nonzero = wasm.nonzeros(aAt, n * k);
  // Fewer than SPARSE_DENSITY · n · k nonzeros: the sparse kernel; else the dense one.
  if (nonzero < sparseBelow * n * k) {
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
 * Copies each array into the module's memory one after another, each padded with zeros to a whole
 * number of groups of 4, with room for `extra` more; returns their byte offsets, then the padded length.
 */
function stage(wasm: KernelsExports, arrays: Float32Array[], extra: number): number[] {
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

/** Fills `target` from the module's memory, starting at byte offset `at`. */
function unstage(wasm: KernelsExports, at: number, target: Float32Array): void {
  target.set(heapOf(wasm, 0).subarray(at >> 2, (at >> 2) + target.length));
}

/** The kernels for large float32 work, in WebAssembly SIMD; everything else falls to the readable ones. */
export const fastKernels: Kernels = {
  // Plain SGD, momentum, AdaGrad and RMSProp have no WebAssembly version.
  sgd: readable.sgd,
  sgdMomentum: readable.sgdMomentum,
  adagrad: readable.adagrad,
  rmsprop: readable.rmsprop,

  // Float32 products of at least WASM_MIN_WORK multiply-adds (any size while a test forces a kernel).
  matmul(A, B, C, n, k, m, transposeA, transposeB) {
    const wasm = n * k * m >= minimumWork ? wasmModule() : null;
    if (!wasm || !isFloat32(A) || !isFloat32(B) || !isFloat32(C)) return readable.matmul(A, B, C, n, k, m, transposeA, transposeB);
    product(wasm, A, B, C, n, k, m, transposeA, transposeB);
  },

  // The same values as the readable loops, 4 at a time.
  relu(inputs, output) {
    const wasm = output.length >= WASM_MIN_ELEMENTS ? wasmModule() : null;
    if (!wasm || !isFloat32(inputs) || !isFloat32(output)) return readable.relu(inputs, output);
    const [xAt, yAt, length] = stage(wasm, [inputs], 1);
    wasm.relu(xAt, yAt, length);
    unstage(wasm, yAt, output);
  },

  // The same values as the readable loops, 4 at a time.
  reluBackward(inputs, dvalues, dinputs) {
    const wasm = dinputs.length >= WASM_MIN_ELEMENTS ? wasmModule() : null;
    if (!wasm || !isFloat32(inputs) || !isFloat32(dvalues) || !isFloat32(dinputs)) return readable.reluBackward(inputs, dvalues, dinputs);
    const [xAt, dAt, dxAt, length] = stage(wasm, [inputs, dvalues], 1);
    wasm.reluBackward(xAt, dAt, dxAt, length);
    unstage(wasm, dxAt, dinputs);
  },

  // The same update up to float32 rounding, 4 values at a time, with the bias corrections folded
  // into the step size (lr·√(1−β₂ᵗ)/(1−β₁ᵗ)) and epsilon (ε·√(1−β₂ᵗ)).
  adam(param, grad, m, v, step) {
    const wasm = param.length >= WASM_MIN_ELEMENTS ? wasmModule() : null;
    if (!wasm || !isFloat32(param) || !isFloat32(grad) || !isFloat32(m) || !isFloat32(v)) return readable.adam(param, grad, m, v, step);
    const scale = Math.sqrt(step.correction2);
    // Zero padding stays zero: 0 / (0 + ε̂) = 0.
    const [p, g, mAt, vAt, length] = stage(wasm, [param, grad, m, v], 0);
    wasm.adam(p, g, mAt, vAt, length, (step.learningRate * scale) / step.correction1, step.epsilon * scale, step.beta1, step.beta2);
    unstage(wasm, p, param);
    unstage(wasm, mAt, m);
    unstage(wasm, vAt, v);
  },
};
