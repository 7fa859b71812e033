// Metrics: how often the predictions are right. Accuracy is taught in chapter 6 next to
// the loss, because a model can be confidently wrong while its accuracy looks fine.
// The confusion matrix shows which classes are mistaken for which (the chapter "Training on real data").
import { ShapeError } from './errors.ts';
import { Matrix } from './matrix.ts';
import { argmax } from './ops.ts';
import { checkLabels, toLabels, toTargetMatrix, type Labels, type Targets } from './targets.ts';

/** The fraction of samples whose highest-scoring class is the target class. */
export function accuracy(predictions: Matrix, targets: Targets): number {
  if (!(predictions instanceof Matrix)) throw new ShapeError('accuracy', 'predictions must be a Matrix of class scores');
  if (predictions.rows === 0) throw new ShapeError('accuracy', 'empty batch: accuracy needs at least one sample');
  return countCorrect(predictions, targets) / predictions.rows;
}

/** How many samples' highest-scoring class is the target class. */
export function countCorrect(predictions: Matrix, targets: Targets): number {
  const labels = toLabels('accuracy', targets, predictions.rows, predictions.cols);
  const predicted = argmax(predictions);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct += 1;
  return correct;
}

/** The fraction of outputs on the right side of 0.5, for sigmoid outputs and 0/1 targets. */
export function binaryAccuracy(predictions: Matrix, targets: Targets): number {
  if (predictions.size === 0) throw new ShapeError('binaryAccuracy', 'empty batch: accuracy needs at least one sample');
  return countBinaryCorrect(predictions, targets) / predictions.size;
}

/** How many outputs are on the right side of 0.5. */
export function countBinaryCorrect(predictions: Matrix, targets: Targets): number {
  const y = toTargetMatrix('binaryAccuracy', targets, predictions);
  let correct = 0;
  for (let i = 0; i < predictions.size; i++) if ((predictions.data[i] > 0.5 ? 1 : 0) === y.data[i]) correct += 1;
  return correct;
}

/** The book's regression "accuracy": the fraction of outputs within `precision` of the target (default std(targets) / 250). */
export function regressionAccuracy(predictions: Matrix, targets: Targets, precision?: number): number {
  if (predictions.size === 0) throw new ShapeError('regressionAccuracy', 'empty batch: accuracy needs at least one sample');
  return countWithin(predictions, targets, precision) / predictions.size;
}

/** How many outputs lie within `precision` of their target (default std(targets) / 250). */
export function countWithin(predictions: Matrix, targets: Targets, precision?: number): number {
  const y = toTargetMatrix('regressionAccuracy', targets, predictions);
  const tolerance = precision ?? standardDeviation(y.data) / 250;
  let close = 0;
  for (let i = 0; i < predictions.size; i++) if (Math.abs(predictions.data[i] - y.data[i]) < tolerance) close += 1;
  return close;
}

/** The population standard deviation of some numbers. */
export function standardDeviation(values: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return Math.sqrt(squares / values.length);
}

/** Counts of (actual, predicted) pairs: row = actual class, column = predicted class. */
export function confusionMatrix(predicted: Labels, actual: Labels, classes: number): number[][] {
  if (!Number.isInteger(classes) || classes < 1) throw new ShapeError('confusionMatrix', `classes must be a positive whole number, not ${String(classes)}`);
  const p = checkLabels('confusionMatrix', predicted, predicted.length, classes);
  const a = checkLabels('confusionMatrix', actual, predicted.length, classes);
  const out = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < p.length; i++) out[a[i]][p[i]] += 1;
  return out;
}
