// How Sequential checks its data and scores its outputs (chapter 9 onwards): every sample and
// target is checked once, before training changes a weight, and accuracy is counted the way the
// loss implies: the right class (categorical), the right side of 0.5 (binary) or close enough (regression).
import { ScratchnetError, ShapeError } from './errors.ts';
import { Matrix } from './matrix.ts';
import { findNonFinite, gatherRows } from './ops.ts';
import { Sigmoid, Softmax } from './activations.ts';
import { layerSizes, type Layer } from './layers.ts';
import { BinaryCrossEntropy, CategoricalCrossEntropy, type Loss } from './losses.ts';
import { countBinaryCorrect, countCorrect, countWithin, standardDeviation } from './metrics.ts';
import { checkClassRows, checkOneHotShape, isOneHot, toLabels, toTargetMatrix, type Targets } from './targets.ts';

/** How the model scores its predictions. */
export type AccuracyKind = 'categorical' | 'binary' | 'regression';

/** Counts a batch's correct outputs. */
export interface Scorer {
  /** The number of correct outputs (samples, for categorical accuracy). */
  correct(output: Matrix, targets: Targets): number;
  /** 1 for categorical accuracy; the number of outputs for binary and regression accuracy. */
  outputsPerSample: number;
}

/** A whole dataset's targets, checked: gathers any batch of them, and scores it as part of the dataset. */
export interface PreparedTargets extends Scorer {
  /** The targets of the samples at `indices`. */
  gather(indices: Int32Array): Targets;
}

/** The accuracy a loss and last layer imply: categorical for cross-entropy or softmax, binary for binary cross-entropy or sigmoid, else regression. */
export function inferAccuracy(loss: Loss | undefined, last: Layer | undefined): AccuracyKind {
  if (loss instanceof CategoricalCrossEntropy || last instanceof Softmax) return 'categorical';
  if (loss instanceof BinaryCrossEntropy || last instanceof Sigmoid) return 'binary';
  return 'regression';
}

/** Throws, naming the row and column, if `m` holds NaN or ±Infinity. */
export function checkFinite(op: string, name: string, m: Matrix, what: string): void {
  const bad = findNonFinite(m);
  if (bad) throw new ScratchnetError(op, `${name} holds ${bad.value} at row ${bad.row}, column ${bad.col}; ${what} must be finite numbers`);
}

/**
 * Checks that x is a non-empty Matrix of finite numbers with as many columns as the first sized
 * layer takes. `finite: false` skips the scan for NaN and ±Infinity (one pass over every input),
 * which trainBatch() makes only when a batch's loss comes out non-finite.
 */
export function checkInputs(op: string, layers: ReadonlyArray<Layer>, x: Matrix, options: { finite?: boolean } = {}): void {
  if (layers.length === 0) throw new ScratchnetError(op, 'the model has no layers; add some with model.add(layer)');
  if (!(x instanceof Matrix)) throw new ShapeError(op, 'x must be a Matrix with one row per sample');
  if (x.rows === 0) throw new ShapeError(op, `x is empty (${x.rows}×${x.cols}): there are no samples`);
  const { nInputs } = layerSizes(layers.find((layer) => layerSizes(layer).nInputs !== undefined) ?? layers[0]);
  if (nInputs !== undefined && x.cols !== nInputs) {
    throw new ShapeError(op, `x has ${x.cols} values per sample (${x.rows}×${x.cols}) but the first layer takes ${nInputs}`);
  }
  if (options.finite ?? true) checkFinite(op, 'x', x, 'inputs');
}

/** Scores outputs of `outputs` columns on their own; regression's tolerance is then std/250 of the batch's own targets. */
export function scorerFor(kind: AccuracyKind, outputs: number, precision?: number): Scorer {
  if (kind === 'categorical') return { correct: countCorrect, outputsPerSample: 1 };
  if (kind === 'binary') return { correct: countBinaryCorrect, outputsPerSample: outputs };
  return { correct: (output, targets) => countWithin(output, targets, precision), outputsPerSample: outputs };
}

/**
 * Checks every one of `samples` targets for a model of `outputs` outputs per sample (so a bad
 * target cannot stop training halfway), naming the first at fault, and returns how to gather and
 * score batches of them. Labels: whole numbers in [0, outputs). One-hot rows: checkClassRows (a 1,
 * or soft labels adding up to 1). Binary targets: finite, in [0, 1]. Regression targets: finite.
 */
export function prepareTargets(op: string, kind: AccuracyKind, y: Targets, samples: number, outputs: number): PreparedTargets {
  if (kind === 'categorical') {
    if (isOneHot(y, outputs)) {
      checkOneHotShape(op, y, samples, outputs);
      checkClassRows(op, y);
      return { ...scorerFor(kind, outputs), gather: (indices) => gatherRows(y, indices) };
    }
    const labels = toLabels(op, y, samples, outputs);
    return { ...scorerFor(kind, outputs), gather: (indices) => gatherLabels(labels, indices) };
  }
  const targets = toTargetMatrix(op, y, { rows: samples, cols: outputs });
  checkFinite(op, 'y', targets, 'targets');
  if (kind === 'binary') {
    const outside = targets.data.findIndex((t) => !(t >= 0 && t <= 1));
    if (outside >= 0) {
      const [row, col] = [Math.floor(outside / targets.cols), outside % targets.cols];
      throw new ScratchnetError(op, `y holds ${targets.data[outside]} at row ${row}, column ${col}; binary targets must lie in [0, 1]`);
    }
  }
  // Regression accuracy uses the whole dataset's spread, the same for every batch.
  const precision = kind === 'regression' ? standardDeviation(targets.data) / 250 : undefined;
  return { ...scorerFor(kind, outputs, precision), gather: (indices) => gatherRows(targets, indices) };
}

function gatherLabels(labels: Int32Array, indices: Int32Array): Int32Array {
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = labels[indices[i]];
  return out;
}
