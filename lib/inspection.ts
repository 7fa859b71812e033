// Looking inside a network without training it (chapter "When training goes wrong"): the spread of
// every layer's outputs and gradients on one batch, which shows a start too small or too large
// vanishing or exploding layer by layer, and the ReLU neurons that are dead (0 for every input).
import { ScratchnetError } from './errors.ts';
import type { Matrix } from './matrix.ts';
import { gatherRows, sliceRows } from './ops.ts';
import { ReLU } from './activations.ts';
import { isTrainable, type Layer } from './layers.ts';
import { standardDeviation } from './metrics.ts';
import type { Sequential } from './model.ts';
import { checkInputs, inferAccuracy, prepareTargets } from './scoring.ts';
import type { Targets } from './targets.ts';

/** How one layer's numbers are spread on a batch, as layerStatistics() measures them. */
export interface LayerStatistics {
  /** The layer's index in the model. */
  layer: number;
  name: string;
  /** The standard deviation of this layer's outputs over the batch (every row and column). */
  outputStd: number;
  outputMean: number;
  /** The standard deviation of the gradient of the loss with respect to this layer's outputs (the dvalues arriving at it), when y is given. */
  gradientStd?: number;
  /** Dense layers: the standard deviation of dweights (when y is given), and of the weights. */
  dweightsStd?: number;
  weightsStd?: number;
  /** ReLU layers: the share of neurons dead on the batch (0 for every row). */
  deadFraction?: number;
}

/** How many of one ReLU layer's neurons are dead: their output is 0 for every input row. */
export interface DeadReLUCount {
  /** The ReLU layer's index in the model. */
  layer: number;
  dead: number;
  total: number;
}

/** Population mean of a layer's values. */
function meanOf(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total / values.length;
}

/** Every layer's output for `x`, in inference mode (no dropout), in order. */
function forwardAll(layers: ReadonlyArray<Layer>, x: Matrix): Matrix[] {
  let output = x;
  return layers.map((layer) => (output = layer.forward(output, { training: false })));
}

/** Per column of `output`: true when some row is not exactly 0 (NaN counts as alive, so a diverged network is not called dead). */
function aliveColumns(output: Matrix, alive: Uint8Array): void {
  const { rows, cols, data } = output;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) if (data[r * cols + c] !== 0) alive[c] = 1;
  }
}

/**
 * Runs `model` on `x` in inference mode (no dropout) and, when `y` is given, backpropagates once,
 * measuring every layer's outputs, incoming gradients and weights. No weight changes, and each
 * layer's dweights and dbiases are put back as they were, so an optimizer step in progress is unaffected.
 */
export function layerStatistics(model: Sequential, x: Matrix, y?: Targets): LayerStatistics[] {
  const op = 'layerStatistics';
  checkInputs(op, model.layers, x);
  const outputs = forwardAll(model.layers, x);
  const output = outputs[outputs.length - 1];
  const stats: LayerStatistics[] = model.layers.map((layer, index) => {
    const values = outputs[index].data;
    const entry: LayerStatistics = { layer: index, name: layer.name, outputStd: standardDeviation(values), outputMean: meanOf(values) };
    if (isTrainable(layer)) entry.weightsStd = standardDeviation(layer.weights.data);
    if (layer instanceof ReLU) entry.deadFraction = deadShare(outputs[index]);
    return entry;
  });
  if (y === undefined) return stats;
  const loss = model.loss;
  if (!loss) throw new ScratchnetError(op, 'measuring gradients needs the model to have a loss; pass one: new Sequential(layers, { loss }), or leave out y');
  prepareTargets(op, model.accuracyKind ?? inferAccuracy(loss, model.layers.at(-1)), y, x.rows, output.cols);
  const saved = model.layers.map((layer) => (isTrainable(layer) ? { dweights: layer.dweights, dbiases: layer.dbiases } : undefined));
  // The gradient arriving at the last layer is the loss's own; at every other layer, the next one's dinputs.
  const last = loss.backward(output, y);
  model.backward(output, y, { inputGradient: false });
  model.layers.forEach((layer, index) => {
    const arriving = index === model.layers.length - 1 ? last : model.layers[index + 1].dinputs;
    if (arriving) stats[index].gradientStd = standardDeviation(arriving.data);
    if (isTrainable(layer) && layer.dweights) stats[index].dweightsStd = standardDeviation(layer.dweights.data);
    restore(layer, saved[index]);
  });
  return stats;
}

/** Puts back a trainable layer's gradients from before layerStatistics() ran. */
function restore(layer: Layer, saved: { dweights?: Matrix; dbiases?: Matrix } | undefined): void {
  if (!saved || !isTrainable(layer)) return;
  layer.dweights = saved.dweights;
  layer.dbiases = saved.dbiases;
}

/** The share of a ReLU output's columns that are 0 in every row. */
function deadShare(output: Matrix): number {
  const alive = new Uint8Array(output.cols);
  aliveColumns(output, alive);
  return (output.cols - alive.reduce((total, flag) => total + flag, 0)) / output.cols;
}

/**
 * Counts, for every ReLU layer of `model`, the neurons whose output is 0 for every row of `x`
 * (inference mode, batch by batch): they pass no gradient back, so training cannot revive them.
 */
export function deadReLUs(model: Sequential, x: Matrix, options: { batchSize?: number } = {}): DeadReLUCount[] {
  checkInputs('deadReLUs', model.layers, x);
  const relus = model.layers.flatMap((layer, index) => (layer instanceof ReLU ? [index] : []));
  const alive = new Map<number, Uint8Array>();
  const batchSize = options.batchSize ?? 1024;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ScratchnetError('deadReLUs', `batchSize must be a positive whole number, not ${String(batchSize)}`);
  for (let start = 0; start < x.rows; start += batchSize) {
    const outputs = forwardAll(model.layers, sliceRows(x, start, Math.min(start + batchSize, x.rows)));
    for (const index of relus) {
      const output = outputs[index];
      if (!alive.has(index)) alive.set(index, new Uint8Array(output.cols));
      aliveColumns(output, alive.get(index)!);
    }
  }
  return relus.map((index) => {
    const flags = alive.get(index)!;
    const living = flags.reduce((total, flag) => total + flag, 0);
    return { layer: index, dead: flags.length - living, total: flags.length };
  });
}

/** Up to `count` rows spread evenly through x: a fair sample to count dead ReLUs on, even when the rows are sorted by class. */
export function sampleRows(x: Matrix, count: number): Matrix {
  const n = Math.min(count, x.rows);
  return gatherRows(x, Array.from({ length: n }, (_, i) => Math.floor((i * x.rows) / n)));
}
