// What a loss or a metric compares predictions with: class labels (sparse, one integer per
// sample) or one-hot rows (a Matrix). Chapter 6 (loss and accuracy) teaches both forms.
// Every check names the operation, the sample and the value at fault.
import { ShapeError } from './errors.ts';
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
      throw new ShapeError(op, `label ${typeof label === 'number' ? String(label) : JSON.stringify(label)} at position ${i} is not a whole number; labels are class indices like 0, 1, 2`);
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

/** Turns class labels into one-hot rows: label 2 of 3 classes becomes [0, 0, 1]. */
export function oneHot(labels: Labels, classes: number): Matrix {
  if (!Number.isInteger(classes) || classes < 1) throw new ShapeError('oneHot', `classes must be a positive whole number, not ${String(classes)}`);
  const checked = checkLabels('oneHot', labels, labels.length, classes);
  const out = Matrix.zeros(checked.length, classes);
  for (let i = 0; i < checked.length; i++) out.data[i * classes + checked[i]] = 1;
  return out;
}

/** Regression or binary targets as a Matrix shaped like the predictions (a plain array fills one column). */
export function toTargetMatrix(op: string, targets: Targets, predictions: Matrix): Matrix {
  const matrix = targets instanceof Matrix ? targets : new Matrix(targets.length, 1, Array.from(targets));
  if (matrix.rows !== predictions.rows || matrix.cols !== predictions.cols) {
    throw new ShapeError(op, `targets (${matrix.rows}×${matrix.cols}) do not match predictions (${predictions.rows}×${predictions.cols})`);
  }
  return matrix;
}
