// What a loss or a metric compares predictions with: class labels (sparse, one integer per
// sample) or one-hot rows (a Matrix). Chapter 6 (loss and accuracy) teaches both forms; smoothed
// labels (soft rows) are what the "Training on real data" chapter's clothes are trained on.
// Every check names the operation, the sample and the value at fault.
import { ScratchnetError, ShapeError } from './errors.ts';
import { formatNumber } from './format.ts';
import { Matrix } from './matrix.ts';

/** Class labels, one integer per sample: a plain array or any integer typed array. */
export type Labels = ArrayLike<number>;

/** Targets: sparse class labels, or a Matrix of one-hot rows (or regression values). */
export type Targets = Labels | Matrix;

/** Checks that `labels` holds `samples` whole numbers in [0, classes) and returns them as an Int32Array. */
export function checkLabels(op: string, labels: Labels, samples: number, classes: number): Int32Array {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new ShapeError(op, `labels must be an array of class indices, not ${String(labels)}`);
  }
  if (labels.length !== samples) {
    throw new ShapeError(op, `${labels.length} labels for a batch of ${samples} samples: inputs and labels must have the same number of rows`);
  }
  const out = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    const label = labels[i];
    if (typeof label !== 'number' || !Number.isInteger(label)) {
      // An array here is a one-hot row passed as nested arrays rather than as a Matrix.
      const hint = Array.isArray(label) ? '; to pass one-hot rows, make them a Matrix: Matrix.fromRows(rows)' : '';
      throw new ShapeError(op, `label ${typeof label === 'number' ? String(label) : JSON.stringify(label)} at position ${i} is not a whole number; labels are class indices like 0, 1, 2${hint}`);
    }
    if (label < 0 || label >= classes) {
      throw new ShapeError(op, `label ${label} at position ${i} is outside 0…${classes - 1} (the predictions have ${classes} classes)`);
    }
    out[i] = label;
  }
  return out;
}

/**
 * True when `targets` are one-hot rows for `classes` classes rather than labels: any Matrix,
 * except a single column for several classes, which holds one label per row.
 */
export function isOneHot(targets: Targets, classes: number): targets is Matrix {
  return targets instanceof Matrix && !(targets.cols === 1 && classes > 1);
}

/** The sparse labels behind `targets`: checked labels as given, or the hot column of each one-hot row. */
export function toLabels(op: string, targets: Targets, samples: number, classes: number): Int32Array {
  if (!isOneHot(targets, classes)) return checkLabels(op, targets instanceof Matrix ? targets.data : targets, samples, classes);
  checkOneHotShape(op, targets, samples, classes);
  const out = new Int32Array(samples);
  for (let r = 0; r < samples; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (targets.data[r * classes + c] > targets.data[r * classes + best]) best = c;
    if (!(targets.data[r * classes + best] > 0)) throw new ShapeError(op, `one-hot row ${r} has no positive entry, so it names no class`);
    out[r] = best;
  }
  return out;
}

/** Checks that a one-hot target matrix has one row per sample and one column per class. */
export function checkOneHotShape(op: string, targets: Matrix, samples: number, classes: number): void {
  if (targets.rows !== samples || targets.cols !== classes) {
    throw new ShapeError(op, `one-hot targets (${targets.rows}×${targets.cols}) do not match predictions (${samples}×${classes}): need one row per sample and one column per class`);
  }
}

/** How far a row of one-hot targets may add up from 1, so rounded soft labels such as [0.33, 0.33, 0.33] pass. */
export const ROW_SUM_TOLERANCE = 0.01;

/**
 * Checks the values of one-hot targets row by row, naming the first row at fault. A row gives the
 * probability of each class: every value a finite number of at least 0, adding up to 1 (within
 * ROW_SUM_TOLERANCE). That is a single 1 (one-hot), or soft labels such as label smoothing's
 * [0.9, 0.05, 0.05], which cross-entropy handles too; a row with two 1s is not (several labels per
 * sample call for a Sigmoid output and BinaryCrossEntropy).
 */
export function checkClassRows(op: string, targets: Matrix): void {
  const { rows, cols, data } = targets;
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let c = 0; c < cols; c++) {
      const value = data[r * cols + c];
      if (!Number.isFinite(value)) throw new ShapeError(op, `y holds ${value} at row ${r}, column ${c}; targets must be finite numbers`);
      if (value < 0) throw new ShapeError(op, `one-hot row ${r} holds ${value} at column ${c}; targets are class probabilities, which cannot be negative`);
      total += value;
    }
    if (total === 0) throw new ShapeError(op, `one-hot row ${r} is all zeros, so it names no class; give the sample's class a 1 (oneHot(labels, ${cols}) builds such rows)`);
    if (!(Math.abs(total - 1) <= ROW_SUM_TOLERANCE)) {
      const row = Array.from(data.subarray(r * cols, (r + 1) * cols), (value) => formatNumber(value, { dtype: targets.dtype }));
      const values = cols <= 10 ? ` ([${row.join(', ')}])` : '';
      throw new ShapeError(op, `one-hot row ${r} adds up to ${formatNumber(total, { digits: 7 })}${values}, not 1; give each sample's class a 1, or soft labels that add up to 1 (for several labels per sample, use a Sigmoid output with BinaryCrossEntropy)`);
    }
  }
}

/** Turns class labels into one-hot rows: label 2 of 3 classes becomes [0, 0, 1]. */
export function oneHot(labels: Labels, classes: number): Matrix {
  if (!Number.isInteger(classes) || classes < 1) throw new ShapeError('oneHot', `classes must be a positive whole number, not ${String(classes)}`);
  const checked = checkLabels('oneHot', labels, labels.length, classes);
  const out = Matrix.zeros(checked.length, classes);
  for (let i = 0; i < checked.length; i++) out.data[i * classes + checked[i]] = 1;
  return out;
}

/**
 * Label smoothing: class labels as soft rows that give the true class 1 − amount + amount/classes
 * and every class amount/classes, e.g. label 2 of 3 with amount 0.3 becomes [0.1, 0.1, 0.8].
 * Trained on them, a classifier is never pushed towards probabilities of exactly 0 and 1.
 */
export function smoothLabels(labels: Labels, classes: number, amount: number): Matrix {
  if (!(amount >= 0 && amount < 1)) throw new ScratchnetError('smoothLabels', `amount is the share of each label spread over all the classes and must be in [0, 1), not ${String(amount)}`);
  const out = oneHot(labels, classes);
  for (let i = 0; i < out.size; i++) out.data[i] = out.data[i] * (1 - amount) + amount / classes;
  return out;
}

/** Regression or binary targets as a Matrix shaped like the predictions (a plain array fills one column). */
export function toTargetMatrix(op: string, targets: Targets, predictions: { rows: number; cols: number }): Matrix {
  if (!(targets instanceof Matrix) && (targets === null || typeof targets !== 'object' || typeof targets.length !== 'number')) {
    throw new ShapeError(op, `targets must be a Matrix with one row per sample, or an array of numbers for a single output, not ${String(targets)}`);
  }
  const matrix = targets instanceof Matrix ? targets : new Matrix(targets.length, 1, Array.from(targets));
  if (matrix.rows !== predictions.rows || matrix.cols !== predictions.cols) {
    throw new ShapeError(op, `targets (${matrix.rows}×${matrix.cols}) do not match predictions (${predictions.rows}×${predictions.cols})`);
  }
  return matrix;
}
