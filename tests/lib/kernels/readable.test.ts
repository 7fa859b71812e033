// The readable kernels: the matrix product in all four transpose cases is the textbook sum done in
// float64 and rounded once, ReLU keeps NaN and turns −0 into +0, and each optimizer update is its
// formula, element by element, in the order the chapters write it (state stored, then read back).
import { describe, expect, it } from 'vitest';
import { Random } from '../../../lib/random.ts';
import { adagrad, adam, matmul, relu, reluBackward, rmsprop, sgd, sgdMomentum } from '../../../lib/kernels/readable.ts';

/** C = op(A) · op(B) by the definition: each element the sum over p, in float64, in order. */
function byDefinition(A: Float32Array, B: Float32Array, n: number, k: number, m: number, transposeA: boolean, transposeB: boolean): Float32Array {
  const C = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let total = 0;
      for (let p = 0; p < k; p++) total += (transposeA ? A[p * n + i] : A[i * k + p]) * (transposeB ? B[j * k + p] : B[p * m + j]);
      C[i * m + j] = total;
    }
  }
  return C;
}

/** A float32 array of standard normal draws, with about `zeros` of them set to 0. */
function draws(rng: Random, length: number, zeros = 0): Float32Array {
  const values = rng.randn(1, length).data as Float32Array;
  for (let i = 0; i < length; i++) if (rng.next() < zeros) values[i] = 0;
  return values;
}

describe('the readable matrix product', () => {
  it.each([
    [1, 1, 1],
    [2, 3, 2],
    [5, 7, 9],
    [17, 33, 8],
  ])('gives the float64 sum rounded once, bit for bit, on (%i×%i) · (%i×…) in every transpose combination, zeros included', (n, k, m) => {
    const rng = new Random(n * 100 + k * 10 + m);
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const A = draws(rng, n * k, 0.4); // the zeros the loops skip must not change a bit
        const B = draws(rng, k * m);
        const C = new Float32Array(n * m).fill(Number.NaN); // every element must be written
        matmul(A, B, C, n, k, m, transposeA, transposeB);
        expect(Array.from(C), `transposeA ${transposeA}, transposeB ${transposeB}`).toEqual(Array.from(byDefinition(A, B, n, k, m, transposeA, transposeB)));
      }
    }
  });

  it('works on float64 arrays too, for gradient checks', () => {
    const A = Float64Array.from([0.1, 0.2, 0.3, 0.4]);
    const B = Float64Array.from([1, 2, 3, 4]);
    const C = new Float64Array(4);
    matmul(A, B, C, 2, 2, 2, false, false);
    expect(Array.from(C)).toEqual([0.1 + 0.2 * 3, 0.1 * 2 + 0.2 * 4, 0.3 + 0.4 * 3, 0.3 * 2 + 0.4 * 4]);
  });
});

describe('the readable ReLU', () => {
  it('keeps positive values, zeroes the rest, turns −0 into +0 and lets NaN through', () => {
    const output = new Float32Array(5);
    relu(Float32Array.from([2, -3, -0, Number.NaN, Infinity]), output);
    expect(Array.from(output)).toEqual([2, 0, 0, Number.NaN, Infinity]);
    expect(Object.is(output[2], 0)).toBe(true);
  });

  it('passes the gradient back only where the input was positive', () => {
    const dinputs = new Float32Array(4);
    reluBackward(Float32Array.from([1, 0, -1, Number.NaN]), Float32Array.from([5, 6, 7, 8]), dinputs);
    expect(Array.from(dinputs)).toEqual([5, 0, 0, 0]);
  });
});

describe('the readable optimizer updates', () => {
  const rng = new Random(4);
  const start = draws(rng, 9);
  const grad = draws(rng, 9);
  const state = draws(rng, 9).map(Math.abs);
  const f = Math.fround;

  it('SGD steps by −learningRate · gradient', () => {
    const param = start.slice();
    sgd(param, grad, 0.1);
    expect(Array.from(param)).toEqual(Array.from(start, (w, i) => f(w - 0.1 * grad[i])));
  });

  it('SGD with momentum keeps the velocity and adds it, unrounded, to the parameter', () => {
    const param = start.slice();
    const momentums = state.slice();
    sgdMomentum(param, grad, momentums, 0.1, 0.9);
    const update = Array.from(state, (v, i) => 0.9 * v - 0.1 * grad[i]);
    expect(Array.from(momentums)).toEqual(update.map(f));
    expect(Array.from(param)).toEqual(Array.from(start, (w, i) => f(w + update[i])));
  });

  it('AdaGrad adds the squared gradient to the cache, then divides by its stored root', () => {
    const param = start.slice();
    const cache = state.slice();
    adagrad(param, grad, cache, 0.5, 1e-7);
    const stored = Array.from(state, (c, i) => f(c + grad[i] * grad[i]));
    expect(Array.from(cache)).toEqual(stored);
    expect(Array.from(param)).toEqual(Array.from(start, (w, i) => f(w + (-0.5 * grad[i]) / (Math.sqrt(stored[i]) + 1e-7))));
  });

  it('RMSProp keeps a moving average of squared gradients, then divides by its stored root', () => {
    const param = start.slice();
    const cache = state.slice();
    rmsprop(param, grad, cache, 0.01, 1e-7, 0.9);
    const stored = Array.from(state, (c, i) => f(0.9 * c + (1 - 0.9) * grad[i] * grad[i]));
    expect(Array.from(cache)).toEqual(stored);
    expect(Array.from(param)).toEqual(Array.from(start, (w, i) => f(w + (-0.01 * grad[i]) / (Math.sqrt(stored[i]) + 1e-7))));
  });

  it('Adam updates both moments, then steps by the bias-corrected ratio', () => {
    const param = start.slice();
    const m = state.slice();
    const v = state.map((x) => x * x);
    const v0 = v.slice();
    const step = { learningRate: 0.001, epsilon: 1e-7, beta1: 0.9, beta2: 0.999, correction1: 1 - 0.9 ** 2, correction2: 1 - 0.999 ** 2 };
    adam(param, grad, m, v, step);
    const mStored = Array.from(state, (x, i) => f(0.9 * x + (1 - 0.9) * grad[i]));
    const vStored = Array.from(v0, (x, i) => f(0.999 * x + (1 - 0.999) * grad[i] * grad[i]));
    expect(Array.from(m)).toEqual(mStored);
    expect(Array.from(v)).toEqual(vStored);
    const expected = Array.from(start, (w, i) => f(w + (-0.001 * (mStored[i] / step.correction1)) / (Math.sqrt(vStored[i] / step.correction2) + 1e-7)));
    expect(Array.from(param)).toEqual(expected);
  });
});
