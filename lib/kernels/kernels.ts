// The kernel seam (the chapter "Making it fast"): the few loops that do a network's heavy arithmetic, behind one small
// interface with two implementations, the readable loops (readable.ts) and WebAssembly SIMD
// (wasm.ts). ops.ts, activations.ts and optimizers.ts call kernels(); setBackend chooses which.
import { getBackend } from '../backend.ts';
import type { FloatArray } from '../matrix.ts';
import * as readable from './readable.ts';
import type { AdamStep } from './readable.ts';
import { fastKernels } from './wasm.ts';

/** The heavy arithmetic, over plain typed arrays; results go into the last array(s) given, or update them in place. */
export interface Kernels {
  /** C (n × m) = op(A) · op(B), where op(A) is (n × k), op(B) is (k × m), and op transposes when asked. */
  matmul(A: FloatArray, B: FloatArray, C: FloatArray, n: number, k: number, m: number, transposeA: boolean, transposeB: boolean): void;
  /** output = max(inputs, 0), element by element. */
  relu(inputs: FloatArray, output: FloatArray): void;
  /** dinputs = dvalues where the input was positive, else 0. */
  reluBackward(inputs: FloatArray, dvalues: FloatArray, dinputs: FloatArray): void;
  /** param ← param − learningRate · grad. */
  sgd(param: FloatArray, grad: FloatArray, learningRate: number): void;
  /** SGD with momentum, updating param and momentums. */
  sgdMomentum(param: FloatArray, grad: FloatArray, momentums: FloatArray, learningRate: number, momentum: number): void;
  /** AdaGrad, updating param and cache. */
  adagrad(param: FloatArray, grad: FloatArray, cache: FloatArray, learningRate: number, epsilon: number): void;
  /** RMSProp, updating param and cache. */
  rmsprop(param: FloatArray, grad: FloatArray, cache: FloatArray, learningRate: number, epsilon: number, rho: number): void;
  /** One Adam step, updating param and both moments m and v. */
  adam(param: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, step: AdamStep): void;
}

/** The loops the chapters teach, as a Kernels. */
export const readableKernels: Kernels = readable;

/** The kernels in use: the fast ones when getBackend() is 'wasm', else the readable ones. */
export function kernels(): Kernels {
  return getBackend() === 'wasm' ? fastKernels : readableKernels;
}
