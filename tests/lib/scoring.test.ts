// How Sequential checks data and scores outputs: the accuracy kind a loss and last layer imply,
// the input checks, scorers that count right classes, right sides of 0.5 or close-enough values,
// and targets checked once for a whole dataset, then gathered batch by batch.
import { describe, expect, it } from 'vitest';
import { Linear, ReLU, Sigmoid, Softmax } from '../../lib/activations.ts';
import { ScratchnetError, ShapeError } from '../../lib/errors.ts';
import { Dense } from '../../lib/layers.ts';
import { BinaryCrossEntropy, CategoricalCrossEntropy, MeanSquaredError } from '../../lib/losses.ts';
import { Matrix } from '../../lib/matrix.ts';
import { checkFinite, checkInputs, inferAccuracy, prepareTargets, scorerFor } from '../../lib/scoring.ts';
import { oneHot } from '../../lib/targets.ts';

describe('inferAccuracy', () => {
  it('reads categorical from cross-entropy or softmax, binary from binary cross-entropy or sigmoid, else regression', () => {
    expect(inferAccuracy(new CategoricalCrossEntropy(), new Linear())).toBe('categorical');
    expect(inferAccuracy(undefined, new Softmax())).toBe('categorical');
    expect(inferAccuracy(new BinaryCrossEntropy(), new Linear())).toBe('binary');
    expect(inferAccuracy(undefined, new Sigmoid())).toBe('binary');
    expect(inferAccuracy(new MeanSquaredError(), new Linear())).toBe('regression');
    expect(inferAccuracy(undefined, undefined)).toBe('regression');
  });
});

describe('checkFinite and checkInputs', () => {
  it('names the row, column and value of the first number that is not finite', () => {
    const m = Matrix.fromRows([[1, 2], [3, Number.NaN]]);
    expect(() => checkFinite('op', 'y', m, 'targets')).toThrow('op: y holds NaN at row 1, column 1; targets must be finite numbers');
    expect(() => checkFinite('op', 'y', Matrix.fromRows([[1, 2]]), 'targets')).not.toThrow();
  });

  it('refuses inputs a model cannot take, saying why', () => {
    const layers = [new ReLU(), new Dense(3, 2)];
    expect(() => checkInputs('op', [], Matrix.zeros(1, 3))).toThrow('op: the model has no layers');
    expect(() => checkInputs('op', layers, [[1, 2, 3]] as unknown as Matrix)).toThrow(ShapeError);
    expect(() => checkInputs('op', layers, Matrix.zeros(0, 3))).toThrow('op: x is empty (0×3): there are no samples');
    // The first layer with a size decides, even after a layer of any width.
    expect(() => checkInputs('op', layers, Matrix.zeros(2, 4))).toThrow('op: x has 4 values per sample (2×4) but the first layer takes 3');
    expect(() => checkInputs('op', layers, Matrix.fromRows([[1, Infinity, 3]]))).toThrow('op: x holds Infinity at row 0, column 1; inputs must be finite numbers');
    expect(() => checkInputs('op', layers, Matrix.zeros(2, 3))).not.toThrow();
  });

  it('skips only the scan for NaN and ±Infinity when told finite: false', () => {
    const layers = [new Dense(3, 2)];
    expect(() => checkInputs('op', layers, Matrix.fromRows([[1, Number.NaN, 3]]), { finite: false })).not.toThrow();
    expect(() => checkInputs('op', layers, Matrix.zeros(2, 4), { finite: false })).toThrow('op: x has 4 values per sample');
  });
});

describe('scorerFor', () => {
  const outputs = () => Matrix.fromRows([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]);

  it('counts samples whose highest output is the class, for categorical accuracy', () => {
    const scorer = scorerFor('categorical', 2);
    expect(scorer.correct(outputs(), [0, 1, 1])).toBe(2);
    expect(scorer.outputsPerSample).toBe(1);
  });

  it('counts outputs on the right side of 0.5, for binary accuracy', () => {
    const scorer = scorerFor('binary', 2);
    expect(scorer.correct(outputs(), Matrix.fromRows([[1, 0], [0, 0], [1, 1]]))).toBe(4);
    expect(scorer.outputsPerSample).toBe(2);
  });

  it('counts outputs within the precision given, or within std/250 of the targets scored', () => {
    const predictions = Matrix.fromRows([[1], [2.01], [3.5]]);
    const targets = Matrix.fromRows([[1], [2], [3]]);
    expect(scorerFor('regression', 1, 0.02).correct(predictions, targets)).toBe(2);
    // std of [1, 2, 3] is 0.8165, so the tolerance is 0.0033: only the exact output counts.
    expect(scorerFor('regression', 1).correct(predictions, targets)).toBe(1);
  });
});

describe('prepareTargets', () => {
  it('checks every label up front, naming the operation, and gathers batches of them', () => {
    expect(() => prepareTargets('Sequential.train', 'categorical', [0, 1, 3], 3, 3)).toThrow('Sequential.train: label 3 at position 2 is outside 0…2');
    const prepared = prepareTargets('op', 'categorical', [2, 0, 1], 3, 3);
    expect(Array.from(prepared.gather(new Int32Array([2, 0])) as Int32Array)).toEqual([1, 2]);
    expect(prepared.outputsPerSample).toBe(1);
  });

  it('checks one-hot rows for shape and finite values, and gathers rows of them', () => {
    const y = oneHot([2, 0, 1], 3);
    expect(prepareTargets('op', 'categorical', y, 3, 3).gather(new Int32Array([1])).toString()).toBe(Matrix.fromRows([[1, 0, 0]]).toString());
    expect(() => prepareTargets('op', 'categorical', y, 4, 3)).toThrow(/^op: one-hot targets \(3×3\) do not match predictions \(4×3\)/);
    y.set(1, 1, Number.NaN);
    expect(() => prepareTargets('op', 'categorical', y, 3, 3)).toThrow('op: y holds NaN at row 1, column 1; targets must be finite numbers');
  });

  it('checks one-hot rows to be class probabilities: soft labels pass, a row of zeros does not', () => {
    expect(() => prepareTargets('op', 'categorical', Matrix.fromRows([[0.9, 0.05, 0.05], [0, 1, 0]]), 2, 3)).not.toThrow();
    expect(() => prepareTargets('op', 'categorical', Matrix.fromRows([[0, 1, 0], [0, 0, 0]]), 2, 3)).toThrow('op: one-hot row 1 is all zeros, so it names no class');
  });

  it('refuses binary targets outside [0, 1]', () => {
    expect(() => prepareTargets('op', 'binary', [0, 1, 2], 3, 1)).toThrow(ScratchnetError);
    expect(() => prepareTargets('op', 'binary', [0, 1, 2], 3, 1)).toThrow('op: y holds 2 at row 2, column 0; binary targets must lie in [0, 1]');
  });

  it("scores every regression batch with the whole dataset's tolerance, not the batch's own", () => {
    // The dataset [0, 0, 10, 10] has std 5, so the tolerance is 0.02; the batch [0, 0] alone has std 0.
    const prepared = prepareTargets('op', 'regression', [0, 0, 10, 10], 4, 1);
    const batch = prepared.gather(new Int32Array([0, 1]));
    const predictions = Matrix.fromRows([[0.01], [0.5]]);
    expect(prepared.correct(predictions, batch)).toBe(1);
    expect(scorerFor('regression', 1).correct(predictions, batch)).toBe(0);
  });
});
