// The metrics: categorical accuracy on the book's chapter 6 example (class and one-hot
// targets), binary accuracy, the book's regression "accuracy" within a precision, the
// confusion matrix's orientation (rows actual, columns predicted) and the standard deviation.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../lib/matrix.ts';
import { ShapeError } from '../../lib/errors.ts';
import { accuracy, binaryAccuracy, confusionMatrix, countCorrect, regressionAccuracy, standardDeviation } from '../../lib/metrics.ts';

// The book's chapter 6 accuracy example: the second sample's highest score (0.5) is class 0, not 1.
const softmaxOutputs = () =>
  Matrix.fromRows([
    [0.7, 0.2, 0.1],
    [0.5, 0.1, 0.4],
    [0.02, 0.9, 0.08],
  ]);

describe('accuracy', () => {
  it("gives the book's 0.6666667 for class targets [0, 1, 1]", () => {
    // argmax per row = [0, 0, 1]; matches [0, 1, 1] at 2 of 3 samples
    expect(accuracy(softmaxOutputs(), [0, 1, 1])).toBeCloseTo(0.6666667, 7);
    expect(countCorrect(softmaxOutputs(), [0, 1, 1])).toBe(2);
  });

  it('gives the same for one-hot targets', () => {
    const targets = Matrix.fromRows([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    expect(accuracy(softmaxOutputs(), targets)).toBeCloseTo(0.6666667, 7);
  });

  it('gives 1 when every prediction is right and 0 when none is', () => {
    expect(accuracy(softmaxOutputs(), [0, 0, 1])).toBe(1);
    expect(accuracy(softmaxOutputs(), [1, 2, 0])).toBe(0);
  });

  it('names the problem with the labels, and refuses an empty batch', () => {
    expect(() => accuracy(softmaxOutputs(), [0, 1])).toThrow(/^accuracy: 2 labels for a batch of 3 samples/);
    expect(() => accuracy(softmaxOutputs(), [0, 3, 1])).toThrow(/^accuracy: label 3 at position 1 is outside 0…2/);
    const act = () => accuracy(Matrix.zeros(0, 3), []);
    expect(act).toThrow(ShapeError);
    expect(act).toThrow(/^accuracy: empty batch/);
  });
});

describe('binaryAccuracy', () => {
  it('counts outputs above 0.5 as 1 and the rest (0.5 included) as 0', () => {
    // predicted [1, 0, 0, 1] against [1, 0, 1, 1]: 3 of 4 right
    expect(binaryAccuracy(Matrix.fromRows([[0.9], [0.4], [0.5], [0.51]]), [1, 0, 1, 1])).toBe(0.75);
  });

  it('scores every output of a multi-output batch separately', () => {
    const predictions = Matrix.fromRows([
      [0.9, 0.2],
      [0.3, 0.6],
    ]);
    const targets = Matrix.fromRows([
      [1, 1],
      [0, 1],
    ]);
    // right: 0.9→1, 0.3→0, 0.6→1; wrong: 0.2→0 against 1. 3 of 4 outputs.
    expect(binaryAccuracy(predictions, targets)).toBe(0.75);
  });

  it('names both shapes when the targets do not fit, and refuses an empty batch', () => {
    expect(() => binaryAccuracy(Matrix.zeros(2, 2), [1, 0])).toThrow(/^binaryAccuracy: targets \(2×1\) do not match predictions \(2×2\)/);
    expect(() => binaryAccuracy(Matrix.zeros(0, 1), [])).toThrow(/^binaryAccuracy: empty batch/);
  });
});

describe('regressionAccuracy', () => {
  it('counts outputs strictly within the given precision of their target', () => {
    // |1.5 − 1| = 0.5 is not < 0.5; |2.2 − 2| = 0.2 and |−3.4 + 3| = 0.4 are
    expect(regressionAccuracy(Matrix.fromRows([[1.5], [2.2], [-3.4]]), [1, 2, -3], 0.5)).toBeCloseTo(2 / 3, 7);
  });

  it("defaults to the book's precision, std(targets) / 250", () => {
    // std([0, 250, 500]) = 250·sqrt(2/3) = 204.124145, so the precision is 0.81649658:
    // |0.8 − 0| is inside it, |250.9 − 250| = 0.9 is not, |500 − 500| = 0 is.
    expect(regressionAccuracy(Matrix.fromRows([[0.8], [250.9], [500]]), [0, 250, 500])).toBeCloseTo(2 / 3, 7);
    // A prediction 0.83 away falls outside it.
    expect(regressionAccuracy(Matrix.fromRows([[0.83], [250], [500]]), [0, 250, 500])).toBeCloseTo(2 / 3, 7);
  });

  it('refuses an empty batch', () => {
    expect(() => regressionAccuracy(Matrix.zeros(0, 1), [])).toThrow(/^regressionAccuracy: empty batch/);
  });
});

describe('confusionMatrix', () => {
  it('counts each (actual, predicted) pair with actual classes as rows and predicted as columns', () => {
    // pairs (actual, predicted): (0,0), (1,1), (1,2), (2,2), (0,1)
    expect(confusionMatrix([0, 1, 2, 2, 1], [0, 1, 1, 2, 0], 3)).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });

  it('takes the Int32Array that argmax returns', () => {
    expect(confusionMatrix(Int32Array.from([1, 1]), [0, 1], 2)).toEqual([
      [0, 1],
      [0, 1],
    ]);
  });

  it('names the problem when the labels do not fit the classes or each other', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/^confusionMatrix: label 3 at position 1 is outside 0…2/);
    expect(() => confusionMatrix([0, 1], [0, 1, 2], 3)).toThrow(/^confusionMatrix: 3 labels for a batch of 2 samples/);
    expect(() => confusionMatrix([0, 1], [0, 1], 2.5)).toThrow(new ShapeError('confusionMatrix', 'classes must be a positive whole number, not 2.5'));
  });
});

describe('standardDeviation', () => {
  it('gives the population standard deviation, as np.std does', () => {
    // mean 5; squared deviations 9, 1, 1, 1, 0, 0, 4, 16 sum to 32; sqrt(32 / 8) = 2
    expect(standardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    expect(standardDeviation(Float32Array.from([3, 3, 3]))).toBe(0);
  });
});
