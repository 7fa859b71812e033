// The losses: categorical cross-entropy (book chapter 6) with sparse and one-hot targets,
// clipping, its gradient and the combined softmax + cross-entropy (chapter 9) with the same
// forward/calculate contract, binary cross-entropy, MSE and MAE worked by hand, and target errors.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../lib/matrix.ts';
import { Softmax } from '../../lib/activations.ts';
import { ShapeError } from '../../lib/errors.ts';
import {
  BinaryCrossEntropy,
  CategoricalCrossEntropy,
  MeanAbsoluteError,
  MeanSquaredError,
  SoftmaxCrossEntropy,
} from '../../lib/losses.ts';
import { expectArrayClose, expectMatrixClose } from '../support/expect.ts';

// The book's chapter 6 softmax outputs and their classes.
const softmaxOutputs = () =>
  Matrix.fromRows([
    [0.7, 0.1, 0.2],
    [0.1, 0.5, 0.4],
    [0.02, 0.9, 0.08],
  ]);
const classTargets = [0, 1, 1];
const oneHotTargets = () =>
  Matrix.fromRows([
    [1, 0, 0],
    [0, 1, 0],
    [0, 1, 0],
  ]);

describe('CategoricalCrossEntropy', () => {
  it("gives the book's per-sample losses −log(0.7), −log(0.5), −log(0.9) for class targets [0, 1, 1]", () => {
    expectArrayClose(new CategoricalCrossEntropy().forward(softmaxOutputs(), classTargets), [0.35667494, 0.69314718, 0.10536052]);
  });

  it("gives the book's mean loss 0.38506088", () => {
    // (0.35667494 + 0.69314718 + 0.10536052) / 3 = 0.38506088
    expect(new CategoricalCrossEntropy().calculate(softmaxOutputs(), classTargets)).toBeCloseTo(0.38506088, 6);
  });

  it('gives the same losses for one-hot targets', () => {
    const loss = new CategoricalCrossEntropy();
    expectArrayClose(loss.forward(softmaxOutputs(), oneHotTargets()), [0.35667494, 0.69314718, 0.10536052]);
    expect(loss.calculate(softmaxOutputs(), oneHotTargets())).toBeCloseTo(0.38506088, 6);
  });

  it('accepts class targets as an integer typed array or a one-column Matrix', () => {
    const loss = new CategoricalCrossEntropy();
    expectArrayClose(loss.forward(softmaxOutputs(), Int32Array.from(classTargets)), [0.35667494, 0.69314718, 0.10536052]);
    expectArrayClose(loss.forward(softmaxOutputs(), Matrix.columnVector(classTargets)), [0.35667494, 0.69314718, 0.10536052]);
  });

  it('clips a predicted 0 to 1e-7, giving −log(1e-7) ≈ 16.118096 instead of Infinity', () => {
    const predictions = Matrix.fromRows([
      [0, 1, 0],
      [0, 1, 0],
    ]);
    const sparse = new CategoricalCrossEntropy().forward(predictions, [0, 2]);
    const dense = new CategoricalCrossEntropy().forward(predictions, Matrix.fromRows([
      [1, 0, 0],
      [0, 0, 1],
    ]));
    expectArrayClose(sparse, [16.118096, 16.118096]);
    expectArrayClose(dense, [16.118096, 16.118096]);
  });

  it('clips a predicted 1 to 1 − 1e-7, so a perfect prediction costs about 1e-7, not 0', () => {
    const losses = new CategoricalCrossEntropy().forward(Matrix.fromRows([[0, 1]], { dtype: 'float64' }), [1]);
    // −log(1 − 1e-7) = 1.00000005e-7
    expect(losses[0]).toBeCloseTo(1.00000005e-7, 13);
  });

  it('gives the gradient −y / p / n, only at the correct class', () => {
    const dinputs = new CategoricalCrossEntropy().backward(softmaxOutputs(), classTargets);
    // −1/0.7/3 = −0.47619048, −1/0.5/3 = −0.66666667, −1/0.9/3 = −0.37037037
    expectMatrixClose(dinputs, [
      [-0.47619048, 0, 0],
      [0, -0.66666667, 0],
      [0, -0.37037037, 0],
    ]);
  });

  it('gives the same gradient for one-hot targets', () => {
    const loss = new CategoricalCrossEntropy();
    const dinputs = loss.backward(softmaxOutputs(), oneHotTargets());
    expectMatrixClose(dinputs, [
      [-0.47619048, 0, 0],
      [0, -0.66666667, 0],
      [0, -0.37037037, 0],
    ]);
    expect(loss.dinputs).toBe(dinputs);
  });

  // Soft labels (label smoothing, a teacher's probabilities) once got −log(Σ y·p), which is not
  // cross-entropy and not what backward differentiates; one-hot rows give the same either way.
  it('gives −Σ y·log p for soft labels, the loss whose gradient backward returns', () => {
    const p = Matrix.fromRows([[0.7, 0.2, 0.1]], { dtype: 'float64' });
    const soft = Matrix.fromRows([[0.8, 0.1, 0.1]], { dtype: 'float64' });
    const loss = new CategoricalCrossEntropy();
    expect(loss.calculate(p, soft)).toBeCloseTo(-(0.8 * Math.log(0.7) + 0.1 * Math.log(0.2) + 0.1 * Math.log(0.1)), 12);
    // Central differences of forward agree with backward's −y / p.
    const gradient = loss.backward(p, soft);
    for (let c = 0; c < 3; c++) {
      const at = (shift: number): number => loss.calculate(Matrix.fromRows([[0.7, 0.2, 0.1].map((v, i) => (i === c ? v + shift : v))], { dtype: 'float64' }), soft);
      expect(gradient.data[c]).toBeCloseTo((at(1e-6) - at(-1e-6)) / 2e-6, 5);
    }
  });

  it('takes soft labels that add up to 1 within 0.01, and refuses rows that do not, naming them', () => {
    const loss = new CategoricalCrossEntropy();
    const p = Matrix.fromRows([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]]);
    expect(Number.isFinite(loss.calculate(p, Matrix.fromRows([[0.33, 0.33, 0.33], [0.05, 0.05, 0.9]])))).toBe(true);
    expect(() => loss.forward(p, Matrix.fromRows([[1, 0, 0], [0.5, 0.2, 0.2]]))).toThrow('CategoricalCrossEntropy: one-hot row 1 adds up to 0.9 ([0.5, 0.2, 0.2]), not 1');
    expect(() => loss.backward(p, Matrix.fromRows([[0, 0, 0], [0, 0, 1]]))).toThrow('CategoricalCrossEntropy.backward: one-hot row 0 is all zeros, so it names no class');
  });

  it('names the op, the position and the range for a label outside the classes', () => {
    const act = () => new CategoricalCrossEntropy().forward(softmaxOutputs(), [0, 3, 1]);
    expect(act).toThrow(ShapeError);
    expect(act).toThrow(/^CategoricalCrossEntropy: label 3 at position 1 is outside 0…2/);
    expect(() => new CategoricalCrossEntropy().forward(softmaxOutputs(), [0, -1, 1])).toThrow(/label -1 at position 1 is outside 0…2/);
  });

  it('names the op and the value for a label that is not a whole number', () => {
    expect(() => new CategoricalCrossEntropy().forward(softmaxOutputs(), [0, 1.5, 1])).toThrow(
      /^CategoricalCrossEntropy: label 1\.5 at position 1 is not a whole number/,
    );
  });

  it('names the op and both counts when there are more or fewer labels than samples', () => {
    expect(() => new CategoricalCrossEntropy().forward(softmaxOutputs(), [0, 1])).toThrow(
      /^CategoricalCrossEntropy: 2 labels for a batch of 3 samples/,
    );
    expect(() => new CategoricalCrossEntropy().backward(softmaxOutputs(), [0, 1, 1, 2])).toThrow(
      /^CategoricalCrossEntropy\.backward: 4 labels for a batch of 3 samples/,
    );
  });

  it('names the op and both shapes when one-hot targets do not match the predictions', () => {
    const targets = Matrix.fromRows([
      [1, 0],
      [0, 1],
      [0, 1],
    ]);
    expect(() => new CategoricalCrossEntropy().forward(softmaxOutputs(), targets)).toThrow(
      /^CategoricalCrossEntropy: one-hot targets \(3×2\) do not match predictions \(3×3\)/,
    );
    expect(() => new CategoricalCrossEntropy().backward(softmaxOutputs(), targets)).toThrow(/^CategoricalCrossEntropy\.backward: one-hot targets \(3×2\)/);
  });

  it('refuses an empty batch', () => {
    expect(() => new CategoricalCrossEntropy().calculate(Matrix.zeros(0, 3), [])).toThrow(/^CategoricalCrossEntropy: empty batch \(0×3\)/);
    expect(() => new CategoricalCrossEntropy().backward(Matrix.zeros(0, 3), [])).toThrow(/empty batch/);
  });
});

describe('SoftmaxCrossEntropy', () => {
  // The book's check in chapter 9: both routes give (softmax − one-hot) / 3.
  const expectedGradient = [
    [-0.1, 0.03333333, 0.06666667], // [0.7 − 1, 0.1, 0.2] / 3
    [0.03333333, -0.16666667, 0.13333333], // [0.1, 0.5 − 1, 0.4] / 3
    [0.00666667, -0.03333333, 0.02666667], // [0.02, 0.9 − 1, 0.08] / 3
  ];

  it("gives the book's combined gradient (ŷ − y) / n for class targets", () => {
    expectMatrixClose(new SoftmaxCrossEntropy().backward(softmaxOutputs(), classTargets), expectedGradient);
  });

  it('gives the same combined gradient for one-hot targets', () => {
    expectMatrixClose(new SoftmaxCrossEntropy().backward(softmaxOutputs(), oneHotTargets()), expectedGradient);
  });

  it("equals Softmax.backward(CategoricalCrossEntropy.backward(...)), the book's separate route", () => {
    const softmax = new Softmax();
    softmax.output = softmaxOutputs();
    const separate = softmax.backward(new CategoricalCrossEntropy().backward(softmaxOutputs(), classTargets));
    expectMatrixClose(separate, expectedGradient);
  });

  it('does not change the softmax outputs it is given', () => {
    const outputs = softmaxOutputs();
    new SoftmaxCrossEntropy().backward(outputs, classTargets);
    expect(outputs.toRows()).toEqual(softmaxOutputs().toRows());
  });

  // softmax([1, 2, 3]) = [0.09003057, 0.24472847, 0.66524096]; softmax([0, 0, 0]) = 1/3 each
  const scores = () =>
    Matrix.fromRows([
      [1, 2, 3],
      [0, 0, 0],
    ]);

  it('applies softmax in forward, keeps the probabilities, and returns each sample\'s loss', () => {
    const combined = new SoftmaxCrossEntropy();
    const losses = combined.forward(scores(), [2, 0]);
    expectMatrixClose(combined.output!, [
      [0.09003057, 0.24472847, 0.66524096],
      [1 / 3, 1 / 3, 1 / 3],
    ]);
    // −log 0.66524096 and −log(1/3)
    expect(losses).toBeInstanceOf(Float64Array);
    expectArrayClose(losses, [0.40760596, 1.09861229]);
  });

  it('gives the mean loss from calculate, exactly as CategoricalCrossEntropy.calculate on its output', () => {
    const combined = new SoftmaxCrossEntropy();
    // (0.40760596 + 1.09861229) / 2 = 0.75310912
    const loss = combined.calculate(scores(), [2, 0]);
    expect(loss).toBeCloseTo(0.75310912, 6);
    expect(loss).toBe(new CategoricalCrossEntropy().calculate(combined.output!, [2, 0]));
    expect(combined.output!.get(0, 2)).toBeCloseTo(0.66524096, 6);
  });

  it('takes the softmax outputs of its own forward pass in backward, giving (ŷ − y) / n', () => {
    const combined = new SoftmaxCrossEntropy();
    combined.forward(scores(), [2, 0]);
    const gradient = combined.backward(combined.output!, [2, 0]);
    expect(gradient).toBe(combined.dinputs);
    expectMatrixClose(gradient, [
      [0.09003057 / 2, 0.24472847 / 2, (0.66524096 - 1) / 2],
      [(1 / 3 - 1) / 2, 1 / 6, 1 / 6],
    ]);
  });

  it('names its op for a bad label and refuses an empty batch', () => {
    expect(() => new SoftmaxCrossEntropy().backward(softmaxOutputs(), [0, 1, 5])).toThrow(
      /^SoftmaxCrossEntropy\.backward: label 5 at position 2 is outside 0…2/,
    );
    expect(() => new SoftmaxCrossEntropy().backward(Matrix.zeros(0, 3), [])).toThrow(/^SoftmaxCrossEntropy\.backward: empty batch/);
    expect(() => new SoftmaxCrossEntropy().forward(Matrix.zeros(0, 3), [])).toThrow(/empty batch/);
    expect(() => new SoftmaxCrossEntropy().calculate(Matrix.zeros(0, 3), [])).toThrow(/empty batch/);
  });
});

describe('BinaryCrossEntropy', () => {
  // Two samples with two sigmoid outputs each.
  const predictions = () =>
    Matrix.fromRows([
      [0.8, 0.1],
      [0.3, 0.6],
    ]);
  const targets = () =>
    Matrix.fromRows([
      [1, 0],
      [0, 1],
    ]);

  it('gives −(y·log p + (1 − y)·log(1 − p)) averaged over each sample\'s outputs', () => {
    // sample 1: (−log 0.8 − log 0.9) / 2 = (0.22314355 + 0.10536052) / 2 = 0.16425203
    // sample 2: (−log 0.7 − log 0.6) / 2 = (0.35667494 + 0.51082562) / 2 = 0.43375028
    const loss = new BinaryCrossEntropy();
    expectArrayClose(loss.forward(predictions(), targets()), [0.16425203, 0.43375028]);
    expect(loss.calculate(predictions(), targets())).toBeCloseTo(0.29900116, 6);
  });

  it('gives the gradient −(y/p − (1 − y)/(1 − p)) / outputs / batch', () => {
    // −(1/0.8)/4 = −0.3125; (1/0.9)/4 = 0.27777778; (1/0.7)/4 = 0.35714286; −(1/0.6)/4 = −0.41666667
    expectMatrixClose(new BinaryCrossEntropy().backward(predictions(), targets()), [
      [-0.3125, 0.27777778],
      [0.35714286, -0.41666667],
    ]);
  });

  it('clips predictions of exactly 0 and 1 so the loss and gradient stay finite', () => {
    const loss = new BinaryCrossEntropy();
    const p = Matrix.fromRows([[0], [1]], { dtype: 'float64' });
    // y = 1 at p = 0: −log(1e-7) = 16.118096; y = 0 at p = 1: −log(1 − (1 − 1e-7)) = 16.118096
    expectArrayClose(loss.forward(p, [1, 0]), [16.118096, 16.118096]);
    expect(loss.backward(p, [1, 0]).toArray().every(Number.isFinite)).toBe(true);
  });

  it('takes a plain array of 0/1 targets for a single output and names both shapes when they do not fit', () => {
    const loss = new BinaryCrossEntropy();
    expectArrayClose(loss.forward(Matrix.fromRows([[0.8], [0.3]]), [1, 0]), [0.22314355, 0.35667494]);
    expect(() => loss.forward(predictions(), [1, 0])).toThrow(/^BinaryCrossEntropy: targets \(2×1\) do not match predictions \(2×2\)/);
  });
});

/** The regression example both MSE and MAE are worked on: errors (y − ŷ) of [[0.5, 0], [−1, −2]]. */
const regression = {
  predictions: () =>
    Matrix.fromRows([
      [1, 2],
      [3, 5],
    ]),
  targets: () =>
    Matrix.fromRows([
      [1.5, 2],
      [2, 3],
    ]),
};

describe('MeanSquaredError', () => {
  const { predictions, targets } = regression;

  it('gives the mean of (y − ŷ)² over each sample\'s outputs', () => {
    // sample 1: (0.5² + 0²) / 2 = 0.125; sample 2: ((−1)² + (−2)²) / 2 = 2.5; mean 1.3125
    const loss = new MeanSquaredError();
    expectArrayClose(loss.forward(predictions(), targets()), [0.125, 2.5]);
    expect(loss.calculate(predictions(), targets())).toBeCloseTo(1.3125, 7);
  });

  it('gives the gradient −2(y − ŷ) / outputs / batch', () => {
    // −2·[[0.5, 0], [−1, −2]] / 2 / 2
    expectMatrixClose(new MeanSquaredError().backward(predictions(), targets()), [
      [-0.25, 0],
      [0.5, 1],
    ]);
  });

  it('names both shapes when the targets do not match', () => {
    expect(() => new MeanSquaredError().backward(predictions(), Matrix.zeros(2, 3))).toThrow(
      /^MeanSquaredError\.backward: targets \(2×3\) do not match predictions \(2×2\)/,
    );
  });
});

describe('MeanAbsoluteError', () => {
  const { predictions, targets } = regression;

  it('gives the mean of |y − ŷ| over each sample\'s outputs', () => {
    // sample 1: (0.5 + 0) / 2 = 0.25; sample 2: (1 + 2) / 2 = 1.5; mean 0.875
    const loss = new MeanAbsoluteError();
    expectArrayClose(loss.forward(predictions(), targets()), [0.25, 1.5]);
    expect(loss.calculate(predictions(), targets())).toBeCloseTo(0.875, 7);
  });

  it('gives the gradient −sign(y − ŷ) / outputs / batch, 0 where the prediction is exact', () => {
    expectMatrixClose(new MeanAbsoluteError().backward(predictions(), targets()), [
      [-0.25, 0],
      [0.25, 0.25],
    ]);
  });

  it('refuses an empty batch', () => {
    expect(() => new MeanAbsoluteError().forward(Matrix.zeros(0, 1), [])).toThrow(/^MeanAbsoluteError: empty batch/);
  });
});
