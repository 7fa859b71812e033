// The readable kernels: the loops the chapters teach, over plain typed arrays. The matrix product
// (chapters 3 and 11), ReLU forward and backward (chapters 4 and 8) and the optimizer updates
// (chapter 9). setBackend('js') runs these everywhere, and the fast kernels are tested against them.
import type { FloatArray } from '../matrix.ts';

/**
 * C = op(A) · op(B), where op transposes when asked; the four cases below, each walking memory
 * front to back where it can. Every case adds up in float64 and rounds once when it stores.
 */
export function matmul(A: FloatArray, B: FloatArray, C: FloatArray, n: number, k: number, m: number, transposeA: boolean, transposeB: boolean): void {
  if (!transposeA && !transposeB) matmulAB(A, B, C, n, k, m);
  else if (transposeA && !transposeB) matmulAtB(A, B, C, n, k, m);
  else if (!transposeA && transposeB) matmulABt(A, B, C, n, k, m);
  else matmulAtBt(A, B, C, n, k, m);
}

/** C = A · B in i-k-j order, which walks B and the row of sums sequentially in memory. */
export function matmulAB(A: FloatArray, B: FloatArray, C: FloatArray, n: number, k: number, m: number): void {
  // A is (n × k), B is (k × m), C is (n × m)
  const row = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) {
      const aip = A[i * k + p];
      if (aip === 0) continue; // ReLU outputs and image pixels are often zero
      const bRow = p * m;
      for (let j = 0; j < m; j++) row[j] += aip * B[bRow + j];
    }
    C.set(row, i * m);
  }
}

/** C = Aᵀ · B: row p of A scales row p of B into every row of C (how dweights = inputsᵀ · dvalues is made). */
export function matmulAtB(A: FloatArray, B: FloatArray, C: FloatArray, n: number, k: number, m: number): void {
  // A is (k × n), B is (k × m), C is (n × m)
  const sums = new Float64Array(n * m);
  for (let p = 0; p < k; p++) {
    const bRow = p * m;
    for (let i = 0; i < n; i++) {
      const api = A[p * n + i];
      if (api === 0) continue;
      const cRow = i * m;
      for (let j = 0; j < m; j++) sums[cRow + j] += api * B[bRow + j];
    }
  }
  C.set(sums);
}

/** C = A · Bᵀ: each element is the dot product of a row of A and a row of B (how dinputs = dvalues · weightsᵀ is made). */
export function matmulABt(A: FloatArray, B: FloatArray, C: FloatArray, n: number, k: number, m: number): void {
  // A is (n × k), B is (m × k), C is (n × m)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let total = 0;
      for (let p = 0; p < k; p++) total += A[i * k + p] * B[j * k + p];
      C[i * m + j] = total;
    }
  }
}

/** C = Aᵀ · Bᵀ, a dot product per element like matmulABt, reading A down its columns. */
export function matmulAtBt(A: FloatArray, B: FloatArray, C: FloatArray, n: number, k: number, m: number): void {
  // A is (k × n), B is (m × k), C is (n × m)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let total = 0;
      for (let p = 0; p < k; p++) total += A[p * n + i] * B[j * k + p];
      C[i * m + j] = total;
    }
  }
}

/** ReLU: output = max(inputs, 0), element by element. */
export function relu(inputs: FloatArray, output: FloatArray): void {
  // inputs and output have the same length
  // Math.max passes NaN through, so a diverged value shows up instead of hiding as 0.
  for (let i = 0; i < output.length; i++) output[i] = Math.max(inputs[i], 0);
}

/** ReLU's backward pass: dinputs = dvalues where the input was positive, else 0. */
export function reluBackward(inputs: FloatArray, dvalues: FloatArray, dinputs: FloatArray): void {
  // inputs, dvalues and dinputs have the same length
  for (let i = 0; i < dinputs.length; i++) dinputs[i] = inputs[i] > 0 ? dvalues[i] : 0;
}

/** Plain SGD: param ← param − learningRate · grad. */
export function sgd(param: FloatArray, grad: FloatArray, learningRate: number): void {
  // param and grad have the same length, as do every optimizer's arrays below
  for (let i = 0; i < param.length; i++) param[i] -= learningRate * grad[i];
}

/** SGD with momentum: v ← momentum · v − learningRate · grad, then param ← param + v. */
export function sgdMomentum(param: FloatArray, grad: FloatArray, momentums: FloatArray, learningRate: number, momentum: number): void {
  for (let i = 0; i < param.length; i++) {
    const update = momentum * momentums[i] - learningRate * grad[i];
    momentums[i] = update;
    param[i] += update;
  }
}

/** AdaGrad: cache ← cache + grad², then param ← param − learningRate · grad / (√cache + ε). */
export function adagrad(param: FloatArray, grad: FloatArray, cache: FloatArray, learningRate: number, epsilon: number): void {
  for (let i = 0; i < param.length; i++) {
    const g = grad[i];
    cache[i] += g * g;
    param[i] += (-learningRate * g) / (Math.sqrt(cache[i]) + epsilon);
  }
}

/** RMSProp: cache ← ρ · cache + (1 − ρ) · grad², then param ← param − learningRate · grad / (√cache + ε). */
export function rmsprop(param: FloatArray, grad: FloatArray, cache: FloatArray, learningRate: number, epsilon: number, rho: number): void {
  for (let i = 0; i < param.length; i++) {
    const g = grad[i];
    cache[i] = rho * cache[i] + (1 - rho) * g * g;
    param[i] += (-learningRate * g) / (Math.sqrt(cache[i]) + epsilon);
  }
}

/** One Adam step's settings: the rates, and the bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ for step t. */
export interface AdamStep {
  learningRate: number;
  epsilon: number;
  beta1: number;
  beta2: number;
  correction1: number;
  correction2: number;
}

/**
 * Adam: m ← β₁m + (1 − β₁)g and v ← β₂v + (1 − β₂)g², then param ← param − lr · m̂ / (√v̂ + ε),
 * with the bias-corrected m̂ = m / (1 − β₁ᵗ) and v̂ = v / (1 − β₂ᵗ).
 */
export function adam(param: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, step: AdamStep): void {
  const { learningRate, epsilon, beta1, beta2, correction1, correction2 } = step;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i];
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    const mHat = m[i] / correction1;
    const vHat = v[i] / correction2;
    param[i] += (-learningRate * mHat) / (Math.sqrt(vHat) + epsilon);
  }
}
