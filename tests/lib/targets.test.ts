// Checks how targets are read: one-hot rows are told from labels, class labels are checked (count,
// whole numbers, range), one-hot rows and label columns turn into labels, labels turn into one-hot rows, and
// regression targets become a matrix shaped like the predictions, and one-hot rows are checked to be
// class probabilities (one 1, or soft labels adding up to 1); each error names its culprit.
import { describe, expect, it } from 'vitest';
import { shapeErrorMessage } from '../support/expect.ts';
import { Matrix } from '../../lib/matrix.ts';
import { ROW_SUM_TOLERANCE, checkClassRows, checkLabels, checkOneHotShape, isOneHot, oneHot, smoothLabels, toLabels, toTargetMatrix } from '../../lib/targets.ts';

describe('isOneHot', () => {
  it('calls a Matrix with one column per class one-hot', () => {
    expect(isOneHot(oneHot([0, 2], 3), 3)).toBe(true);
  });

  it('calls a single column of labels for several classes labels, not one-hot', () => {
    expect(isOneHot(Matrix.fromRows([[0], [2]]), 3)).toBe(false);
  });

  it('calls a single column one-hot when there is a single class, as for a lone sigmoid output', () => {
    expect(isOneHot(Matrix.fromRows([[1], [0]]), 1)).toBe(true);
  });

  it('calls arrays and typed arrays labels', () => {
    expect(isOneHot([0, 2], 3)).toBe(false);
    expect(isOneHot(new Int32Array([0, 2]), 3)).toBe(false);
  });

  it('leaves the shape check to checkOneHotShape: a Matrix of the wrong width is still one-hot', () => {
    expect(isOneHot(Matrix.zeros(2, 4), 3)).toBe(true);
  });
});

describe('checkLabels', () => {
  it('returns valid labels as an Int32Array', () => {
    const labels = checkLabels('loss', [0, 2, 1], 3, 3);
    expect(labels).toBeInstanceOf(Int32Array);
    expect(Array.from(labels)).toEqual([0, 2, 1]);
  });

  it('accepts integer typed arrays and whole-valued float arrays', () => {
    expect(Array.from(checkLabels('loss', new Uint8Array([1, 0]), 2, 2))).toEqual([1, 0]);
    expect(Array.from(checkLabels('loss', new Float32Array([2, 0]), 2, 3))).toEqual([2, 0]);
  });

  it('returns a copy, not the array it was given', () => {
    const given = new Int32Array([0, 1]);
    const labels = checkLabels('loss', given, 2, 2);
    labels[0] = 1;
    expect(given[0]).toBe(0);
  });

  it('refuses the wrong number of labels, naming both counts', () => {
    expect(shapeErrorMessage(() => checkLabels('loss', [0, 1], 3, 2))).toBe(
      'loss: 2 labels for a batch of 3 samples: inputs and labels must have the same number of rows',
    );
  });

  it('refuses a label that is not a whole number, naming it and its position', () => {
    expect(shapeErrorMessage(() => checkLabels('accuracy', [0, 1.5], 2, 3))).toBe(
      'accuracy: label 1.5 at position 1 is not a whole number; labels are class indices like 0, 1, 2',
    );
    expect(shapeErrorMessage(() => checkLabels('loss', ['1'] as unknown as number[], 1, 3))).toBe(
      'loss: label "1" at position 0 is not a whole number; labels are class indices like 0, 1, 2',
    );
  });

  it('refuses a label outside 0 … classes−1, naming the label, its position and the class count', () => {
    expect(shapeErrorMessage(() => checkLabels('loss', [0, 1, 3], 3, 3))).toBe(
      'loss: label 3 at position 2 is outside 0…2 (the predictions have 3 classes)',
    );
    expect(shapeErrorMessage(() => checkLabels('loss', [-1], 1, 2))).toBe(
      'loss: label -1 at position 0 is outside 0…1 (the predictions have 2 classes)',
    );
  });

  it('refuses something that is not an array of labels', () => {
    expect(shapeErrorMessage(() => checkLabels('loss', 5 as unknown as number[], 1, 2))).toBe(
      'loss: labels must be an array of class indices, not 5',
    );
    expect(shapeErrorMessage(() => checkLabels('loss', null as unknown as number[], 1, 2))).toBe(
      'loss: labels must be an array of class indices, not null',
    );
  });

  // Bug: the label is printed with JSON.stringify, which writes NaN as "null", so a NaN label
  // (e.g. from a Float32Array of labels read wrongly) is reported as "label null".
  it('names a NaN label as NaN, not null', () => {
    expect(shapeErrorMessage(() => checkLabels('loss', [0, Number.NaN], 2, 3))).toContain('label NaN at position 1');
  });
});

describe('toLabels', () => {
  it('checks plain labels and returns them', () => {
    expect(Array.from(toLabels('loss', [2, 0, 1], 3, 3))).toEqual([2, 0, 1]);
  });

  it('reads the hot column of each one-hot row', () => {
    const targets = Matrix.fromRows([
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(Array.from(toLabels('loss', targets, 3, 3))).toEqual([1, 0, 2]);
  });

  it('reads the largest column of soft target rows', () => {
    expect(Array.from(toLabels('loss', Matrix.fromRows([[0.1, 0.7, 0.2]]), 1, 3))).toEqual([1]);
  });

  it('refuses a one-hot row with no positive entry, since it names no class', () => {
    const targets = Matrix.fromRows([
      [0, 1, 0],
      [0, 0, 0],
    ]);
    expect(shapeErrorMessage(() => toLabels('accuracy', targets, 2, 3))).toBe('accuracy: one-hot row 1 has no positive entry, so it names no class');
  });

  it('reads an (n×1) column of labels as labels', () => {
    expect(Array.from(toLabels('loss', Matrix.columnVector([2, 0, 1]), 3, 3))).toEqual([2, 0, 1]);
  });

  it('checks an (n×1) column of labels like plain labels', () => {
    expect(shapeErrorMessage(() => toLabels('loss', Matrix.columnVector([2, 5]), 2, 3))).toBe(
      'loss: label 5 at position 1 is outside 0…2 (the predictions have 3 classes)',
    );
    expect(shapeErrorMessage(() => toLabels('loss', Matrix.columnVector([2, 0]), 3, 3))).toContain('2 labels for a batch of 3 samples');
  });

  it('refuses one-hot rows of the wrong shape, naming both shapes', () => {
    expect(shapeErrorMessage(() => toLabels('loss', Matrix.zeros(2, 3), 3, 3))).toBe(
      'loss: one-hot targets (2×3) do not match predictions (3×3): need one row per sample and one column per class',
    );
    expect(shapeErrorMessage(() => toLabels('loss', Matrix.zeros(3, 2), 3, 3))).toContain('(3×2)');
  });
});

describe('checkOneHotShape', () => {
  it('accepts one row per sample and one column per class', () => {
    expect(() => checkOneHotShape('loss', Matrix.zeros(4, 3), 4, 3)).not.toThrow();
  });

  it('refuses anything else, naming both shapes', () => {
    expect(shapeErrorMessage(() => checkOneHotShape('accuracy', Matrix.zeros(4, 2), 4, 3))).toBe(
      'accuracy: one-hot targets (4×2) do not match predictions (4×3): need one row per sample and one column per class',
    );
  });
});

describe('smoothLabels', () => {
  it('gives label 2 of 3 with amount 0.3 the row [0.1, 0.1, 0.8]: 1 − 0.3 + 0.3/3 for the true class, 0.3/3 for the others', () => {
    const m = smoothLabels([2, 0], 3, 0.3);
    expect(m.toRows().map((row) => row.map((v) => Number(v.toFixed(6))))).toEqual([
      [0.1, 0.1, 0.8],
      [0.8, 0.1, 0.1],
    ]);
  });

  it('gives rows that still add up to 1 and name their class, so training and accuracy take them as targets', () => {
    const m = smoothLabels(new Int32Array([1, 9, 4]), 10, 0.1);
    expect(() => checkClassRows('op', m)).not.toThrow();
    expect(Array.from(toLabels('op', m, 3, 10))).toEqual([1, 9, 4]);
  });

  it('is oneHot when the amount is 0, and refuses an amount outside [0, 1)', () => {
    expect(smoothLabels([1, 0], 2, 0).toRows()).toEqual(oneHot([1, 0], 2).toRows());
    expect(() => smoothLabels([0], 2, 1)).toThrow('smoothLabels: amount is the share of each label spread over all the classes and must be in [0, 1), not 1');
    expect(() => smoothLabels([0], 2, -0.1)).toThrow('not -0.1');
  });
});

describe('oneHot', () => {
  it('turns labels [2, 0, 1] of 3 classes into one-hot rows', () => {
    const m = oneHot([2, 0, 1], 3);
    expect(m.shape).toEqual([3, 3]);
    expect(m.dtype).toBe('float32');
    expect(m.toRows()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });

  it('takes an Int32Array of labels', () => {
    expect(oneHot(new Int32Array([1, 1]), 2).toRows()).toEqual([
      [0, 1],
      [0, 1],
    ]);
  });

  it('gives a (0×classes) matrix for no labels', () => {
    expect(oneHot([], 4).shape).toEqual([0, 4]);
  });

  it('refuses a class count that is not a positive whole number', () => {
    expect(shapeErrorMessage(() => oneHot([0], 0))).toBe('oneHot: classes must be a positive whole number, not 0');
    expect(shapeErrorMessage(() => oneHot([0], 2.5))).toBe('oneHot: classes must be a positive whole number, not 2.5');
  });

  it('refuses a label outside the classes, naming oneHot', () => {
    expect(shapeErrorMessage(() => oneHot([0, 3], 3))).toBe('oneHot: label 3 at position 1 is outside 0…2 (the predictions have 3 classes)');
  });
});

describe('toTargetMatrix', () => {
  const predictions = Matrix.zeros(3, 1);

  it('turns a plain array into an (n×1) column', () => {
    const m = toTargetMatrix('mse', [0.5, -1, 2], predictions);
    expect(m.shape).toEqual([3, 1]);
    expect(m.toArray()).toEqual([0.5, -1, 2]);
  });

  it('returns a Matrix of the predictions\' shape as it is', () => {
    const targets = Matrix.zeros(3, 1);
    expect(toTargetMatrix('mse', targets, predictions)).toBe(targets);
  });

  it('refuses targets of another shape, naming both shapes', () => {
    expect(shapeErrorMessage(() => toTargetMatrix('mse', Matrix.zeros(3, 1), Matrix.zeros(3, 2)))).toBe(
      'mse: targets (3×1) do not match predictions (3×2)',
    );
    expect(shapeErrorMessage(() => toTargetMatrix('mae', [1, 2], predictions))).toBe('mae: targets (2×1) do not match predictions (3×1)');
  });
});

describe('checkClassRows', () => {
  it('takes one-hot rows, soft labels and rounded thirds', () => {
    expect(() => checkClassRows('op', oneHot([2, 0, 1], 3))).not.toThrow();
    expect(() => checkClassRows('op', Matrix.fromRows([[0.9, 0.05, 0.05], [0.33, 0.33, 0.33], [0.1, 0.3, 0.6]]))).not.toThrow();
    expect(() => checkClassRows('op', Matrix.fromRows([[1 - ROW_SUM_TOLERANCE, 0, 0]]))).not.toThrow();
  });

  it('names the row (and column) of the first value or sum that is not a probability, saying what to give instead', () => {
    expect(() => checkClassRows('op', Matrix.fromRows([[1, 0], [0, 0]]))).toThrow("op: one-hot row 1 is all zeros, so it names no class; give the sample's class a 1 (oneHot(labels, 2) builds such rows)");
    expect(() => checkClassRows('op', Matrix.fromRows([[1, 0], [2, -1]]))).toThrow('op: one-hot row 1 holds -1 at column 1; targets are class probabilities, which cannot be negative');
    expect(() => checkClassRows('op', Matrix.fromRows([[1, 0], [1, 1]]))).toThrow(
      "op: one-hot row 1 adds up to 2 ([1, 1]), not 1; give each sample's class a 1, or soft labels that add up to 1 (for several labels per sample, use a Sigmoid output with BinaryCrossEntropy)",
    );
    expect(() => checkClassRows('op', Matrix.fromRows([[Number.NaN, 1]]))).toThrow('op: y holds NaN at row 0, column 0; targets must be finite numbers');
    expect(() => checkClassRows('op', Matrix.fromRows([[0.5, 0.48]]))).toThrow(/adds up to 0\.98/);
  });

  it('leaves a long row out of the message, giving only its sum', () => {
    const y = Matrix.zeros(1, 12);
    y.data.fill(0.5);
    expect(() => checkClassRows('op', y)).toThrow(/^op: one-hot row 0 adds up to 6, not 1;/);
  });
});

describe('toTargetMatrix and checkLabels on targets that are not arrays', () => {
  it('says what targets must be, rather than failing inside the engine', () => {
    expect(() => toTargetMatrix('op', undefined as never, { rows: 2, cols: 1 })).toThrow('op: targets must be a Matrix with one row per sample, or an array of numbers for a single output, not undefined');
    expect(() => toTargetMatrix('op', 3 as never, { rows: 2, cols: 1 })).toThrow(/not 3$/);
  });

  it('points one-hot rows passed as nested arrays to Matrix.fromRows', () => {
    expect(() => checkLabels('op', [[1, 0], [0, 1]] as never, 2, 2)).toThrow('op: label [1,0] at position 0 is not a whole number; labels are class indices like 0, 1, 2; to pass one-hot rows, make them a Matrix: Matrix.fromRows(rows)');
  });
});
