// L1/L2 regularization (the book's chapter 14) worked by hand: the penalty of one parameter
// matrix, its gradient added in place (sign(0) counted as +1), and the total penalty of a
// model's layers, which stays a number (never an error) when a weight has overflowed.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../lib/matrix.ts';
import { ReLU } from '../../lib/activations.ts';
import { Dense } from '../../lib/layers.ts';
import { addRegularizationGradient, regularizationLoss, regularizationPenalty } from '../../lib/regularization.ts';
import { expectMatrixClose } from '../support/expect.ts';

const parameter = () => Matrix.fromRows([[1, -2], [0.5, 0]]);

describe('regularizationPenalty', () => {
  it('gives λ₁·Σ|p| + λ₂·Σp²', () => {
    // 0.1·(1 + 2 + 0.5 + 0) + 0.01·(1 + 4 + 0.25 + 0) = 0.35 + 0.0525
    expect(regularizationPenalty(parameter(), 0.1, 0.01)).toBeCloseTo(0.4025, 6);
    expect(regularizationPenalty(parameter(), 0, 0.01)).toBeCloseTo(0.0525, 6);
  });

  it('is 0 when both λ are 0, and Infinity rather than NaN for an overflowed weight under L2 alone', () => {
    expect(regularizationPenalty(parameter(), 0, 0)).toBe(0);
    expect(regularizationPenalty(Matrix.fromRows([[Infinity, 1]]), 0, 0.01)).toBe(Infinity);
  });
});

describe('addRegularizationGradient', () => {
  it('adds λ₁·sign(p) + 2λ₂·p to the gradient in place, counting sign(0) as +1 like the book', () => {
    const gradient = Matrix.fromRows([[1, 2], [1, 2]]);
    addRegularizationGradient(gradient, parameter(), 0.1, 0.01);
    // 1 + 0.1 + 0.02, 2 − 0.1 − 0.04, 1 + 0.1 + 0.01, 2 + 0.1 + 0
    expectMatrixClose(gradient, [[1.12, 1.86], [1.11, 2.1]]);
  });

  it('leaves the gradient alone when both λ are 0', () => {
    const gradient = Matrix.fromRows([[1, 2], [3, 4]]);
    addRegularizationGradient(gradient, parameter(), 0, 0);
    expect(gradient.toRows()).toEqual([[1, 2], [3, 4]]);
  });
});

describe('regularizationLoss', () => {
  it('adds up the penalties of every trainable layer and skips the rest', () => {
    const first = new Dense(2, 1, { weightRegularizerL2: 0.5 });
    first.weights = [[1], [-2]];
    const second = new Dense(1, 1, { weightRegularizerL1: 0.1, biasRegularizerL1: 0.2 });
    second.weights = [[-3]];
    second.biases = [0.5];
    // first: 0.5·(1 + 4) = 2.5; second: 0.1·3 + 0.2·0.5 = 0.4; total 2.9
    expect(regularizationLoss([first, new ReLU(), second])).toBeCloseTo(2.9, 6);
  });

  it('is 0 for layers without regularizers', () => {
    expect(regularizationLoss([new Dense(2, 2), new ReLU()])).toBe(0);
  });

  it('returns a penalty that is no longer finite instead of throwing, so train() can report the epoch and step', () => {
    const layer = new Dense(1, 1, { weightRegularizerL2: 1 });
    layer.weights = [[Number.POSITIVE_INFINITY]];
    expect(Number.isFinite(regularizationLoss([layer]))).toBe(false);
  });
});
