// What training takes and reports (chapter 9 onwards): the options and callbacks of
// Sequential.train() and how they are checked, what one trainBatch() step returns, the figures
// after every batch and epoch, the per-epoch history, and how training tells that it diverged.
import { ScratchnetError, TrainingError, type DivergenceSign } from './errors.ts';
import { formatNumber } from './format.ts';
import { isTrainable, type Layer } from './layers.ts';
import type { EarlyStoppingOptions } from './stopping.ts';
import { Matrix } from './matrix.ts';
import { shapeOf } from './ops.ts';
import type { Optimizer } from './optimizers.ts';
import type { Random } from './random.ts';
import type { Scorer } from './scoring.ts';
import type { Targets } from './targets.ts';

/** What trainBatch() reports about the batch it trained on. */
export interface BatchResult {
  /** Data loss plus regularization loss of this batch. */
  loss: number;
  dataLoss: number;
  regularizationLoss: number;
  /** The fraction of the batch's outputs that were right (before this step's update). */
  accuracy: number;
  /** How many outputs were right (samples, for categorical accuracy). */
  correct: number;
  /** The learning rate this step used. */
  learningRate: number;
}

/** Where a batch falls in training and how to score it, as train() tells trainBatch(). */
export interface TrainBatchOptions {
  /** 1-based epoch, step within it and steps per epoch: a diverging loss's TrainingError names them. */
  epoch?: number;
  step?: number;
  steps?: number;
  /** How to score the outputs; defaults to scoring this batch on its own (train() passes the whole dataset's). */
  scorer?: Scorer;
  /** Check the weights for divergence (see DIVERGENCE); default true. A loss that is NaN or ±Infinity always stops training. */
  checkDivergence?: boolean;
}

/** What onBatch receives after every optimizer step: the batch's results and where it falls. */
export interface BatchInfo extends BatchResult {
  /** 1-based epoch number. */
  epoch: number;
  /** 1-based step within the epoch. */
  step: number;
  /** Steps per epoch. */
  steps: number;
}

/** What onEpoch receives after every epoch. */
export interface EpochInfo {
  epoch: number;
  epochs: number;
  /** Mean training loss over the epoch's batches (data loss plus regularization). */
  loss: number;
  accuracy: number;
  validationLoss?: number;
  validationAccuracy?: number;
  learningRate: number;
  /** Wall-clock seconds the epoch took. */
  seconds: number;
}

/** Options for train(). */
export interface TrainOptions {
  /** Passes over the data; defaults to 1. */
  epochs?: number;
  /** Samples per step; defaults to 32. Use the dataset size for full-batch training, as the book's early chapters do. */
  batchSize?: number;
  /** Shuffle the samples every epoch (default true). */
  shuffle?: boolean;
  /** The generator for shuffling; defaults to the shared one reset by `seed()`. */
  rng?: Random;
  /** Data to score after every epoch, never trained on. */
  validation?: { x: Matrix; y: Targets };
  /** Called after every step; return false to stop training. */
  onBatch?: (info: BatchInfo) => void | boolean;
  /** Called after every epoch; return false to stop training. */
  onEpoch?: (info: EpochInfo) => void | boolean;
  /** Stop with a TrainingError when the weights explode or the loss rises far above where it started (see DIVERGENCE); default true. */
  checkDivergence?: boolean;
  /** Makes new inputs from each training batch's (e.g. imageAugmenter's random shifts), with train()'s generator; the targets stay. */
  augment?: (inputs: Matrix, rng: Random) => Matrix;
  /** Stop when the validation figure has not improved for `patience` epochs, and keep the best epoch's weights (needs `validation`). */
  earlyStopping?: EarlyStoppingOptions;
}

/** The record that train() returns: figures per epoch, and the loss of every optimizer step. */
export interface History {
  loss: number[];
  accuracy: number[];
  validationLoss: number[];
  validationAccuracy: number[];
  /** The loss of every optimizer step, in order: where a diagnosis sees oscillation within an epoch and the step where things broke. */
  batchLoss: number[];
  /** With earlyStopping: the 1-based epoch whose validation figure was best (and whose weights the model keeps, unless restoreBest is false). */
  bestEpoch?: number;
  /** With earlyStopping: the epoch after which training stopped early; undefined when every epoch ran. */
  stoppedEpoch?: number;
}

/** A history with nothing recorded yet. */
export function emptyHistory(): History {
  return { loss: [], accuracy: [], validationLoss: [], validationAccuracy: [], batchLoss: [] };
}

/** Appends an epoch's figures to the history. */
export function recordEpoch(history: History, info: EpochInfo): void {
  history.loss.push(info.loss);
  history.accuracy.push(info.accuracy);
  if (info.validationLoss !== undefined) history.validationLoss.push(info.validationLoss);
  if (info.validationAccuracy !== undefined) history.validationAccuracy.push(info.validationAccuracy);
}

/** The batch's inputs, or the new ones train()'s `augment` option makes of them, checked to keep their shape. */
export function augmentBatch(inputs: Matrix, augment: TrainOptions['augment'], rng: Random): Matrix {
  if (!augment) return inputs;
  const out = augment(inputs, rng);
  if (!(out instanceof Matrix) || out.rows !== inputs.rows || out.cols !== inputs.cols) {
    throw new ScratchnetError('Sequential.train', `augment must return a Matrix shaped like the batch it was given, ${shapeOf(inputs)}, not ${out instanceof Matrix ? shapeOf(out) : String(out)}`);
  }
  return out;
}

/** Checks train()'s epochs and batchSize, and fills in their defaults. */
export function checkTrainOptions(options: TrainOptions): { epochs: number; batchSize: number } {
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1) throw new ScratchnetError('Sequential.train', `epochs must be a positive whole number, not ${String(epochs)}`);
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ScratchnetError('Sequential.train', `batchSize must be a positive whole number, not ${String(batchSize)}`);
  return { epochs, batchSize };
}

/**
 * How training tells a diverging run from a healthy one. A clipped loss such as cross-entropy's can
 * stay finite while the weights run off to 1e20, so the weights are watched as well as the loss.
 */
export const DIVERGENCE = {
  /**
   * A weight or bias larger than this (or NaN, or ±Infinity) means training has diverged: healthy
   * networks stay far below it (MNIST's under 1, the spiral's under 20), and float32 values this
   * large are 0.008 apart, so an update of 0.001 no longer moves them.
   */
  parameterLimit: 1e5,
  /**
   * The weights and biases are checked after every this many optimizer steps, and after each
   * epoch's last step. One pass over them costs about a tenth of an MNIST step, so every 50th costs 0.3%.
   */
  checkEvery: 50,
  /** An epoch's mean loss more than this many times the loss of train()'s first batch, and … */
  lossRise: 4,
  /** … more than this much above it (so a loss near 0 that merely wobbles is not taken for divergence), means the run has diverged. */
  lossRiseMinimum: 1,
} as const;

/** Plain-language advice for a run that diverged with `learningRate` (when known): what to try first, then what else to check. */
export function divergenceAdvice(learningRate?: number): string {
  const first = learningRate === undefined ? 'try one ten times smaller' : `try ${formatNumber(learningRate / 10)}, ten times smaller`;
  return (
    `The learning rate${learningRate === undefined ? '' : ` (${formatNumber(learningRate)})`} is probably too high: ${first}. ` +
    "If smaller ones diverge too, check how the first weights are drawn (an initializer that suits the activation, such as 'heNormal' for ReLU) " +
    'and scale the inputs and targets to about −1…1.'
  );
}

/** Where a batch falls in training, as `at epoch 2, step 3 of 10`, or '' when not known. */
function place({ epoch, step, steps }: TrainBatchOptions): string {
  if (epoch === undefined || step === undefined) return '';
  return ` at epoch ${epoch}, step ${step}${steps === undefined ? '' : ` of ${steps}`}`;
}

/** The TrainingError for divergence that `evidence` describes, naming the batch's place in training when known. */
function diverged(sign: DivergenceSign, evidence: string, learningRate: number, where: TrainBatchOptions): TrainingError {
  return new TrainingError(`training diverged${place(where)}: ${evidence}. ${divergenceAdvice(learningRate)}`, where.epoch ?? 0, where.step ?? 0, sign, { learningRate, evidence });
}

/** The error for a loss that is no longer a finite number, naming the batch's place in training when known. */
export function divergedError(loss: number, learningRate: number, where: TrainBatchOptions): TrainingError {
  return diverged('non-finite-loss', `the loss became ${loss}`, learningRate, where);
}

/** A weight or bias that shows divergence: where it is and its value. */
export interface DivergedParameter {
  /** The layer's index in the model. */
  layer: number;
  name: string;
  parameter: 'weights' | 'biases';
  row: number;
  col: number;
  value: number;
}

/** The first weight or bias of `layers` that is NaN, ±Infinity or larger than DIVERGENCE.parameterLimit, or undefined. */
export function findDivergedParameter(layers: ReadonlyArray<Layer>): DivergedParameter | undefined {
  const limit = DIVERGENCE.parameterLimit;
  for (let index = 0; index < layers.length; index++) {
    const layer = layers[index];
    if (!isTrainable(layer)) continue;
    for (const parameter of ['weights', 'biases'] as const) {
      const { data, cols } = layer[parameter];
      for (let i = 0; i < data.length; i++) {
        const value = data[i];
        // One comparison pair catches NaN too, for which both are false.
        if (!(value <= limit && value >= -limit)) return { layer: index, name: layer.name, parameter, row: Math.floor(i / cols), col: i % cols, value };
      }
    }
  }
  return undefined;
}

/** A size in three digits, as 1.45e9 rather than 1450000000 once it reaches DIVERGENCE.parameterLimit. */
function magnitude(value: number): string {
  return Math.abs(value) < DIVERGENCE.parameterLimit ? formatNumber(value, { digits: 3 }) : Number(value.toPrecision(3)).toExponential().replace('e+', 'e');
}

/** The error for weights that are no longer finite or have grown past DIVERGENCE.parameterLimit, while the loss was `loss`. */
export function parameterError(found: DivergedParameter, loss: number, learningRate: number, where: TrainBatchOptions): TrainingError {
  const at = found.parameter === 'weights' ? `row ${found.row}, column ${found.col}` : `column ${found.col}`;
  const layer = `layer ${found.layer} (${found.name})`;
  if (!Number.isFinite(found.value)) return diverged('non-finite-parameters', `${layer} has ${found.value} among its ${found.parameter} (at ${at})`, learningRate, where);
  const size = `${layer} has a ${found.parameter === 'weights' ? 'weight' : 'bias'} of ${magnitude(found.value)} (at ${at}), past ${magnitude(DIVERGENCE.parameterLimit)}`;
  return diverged('exploding-parameters', `${size}, though the loss (${formatNumber(loss, { digits: 4 })}) is still a finite number`, learningRate, where);
}

/**
 * After an optimizer step with loss `loss`: every DIVERGENCE.checkEvery steps, and after an
 * epoch's last step, one pass over the weights (cheap, yet soon enough) throws a TrainingError if they diverged.
 */
export function checkParameters(layers: ReadonlyArray<Layer>, optimizer: Optimizer, loss: number, where: TrainBatchOptions): void {
  const lastOfEpoch = where.step !== undefined && where.step === where.steps;
  if (where.checkDivergence === false || (optimizer.iterations % DIVERGENCE.checkEvery !== 0 && !lastOfEpoch)) return;
  const found = findDivergedParameter(layers);
  if (found) throw parameterError(found, loss, optimizer.learningRate, where);
}

/** True when an epoch's mean loss is far above the loss training started from (DIVERGENCE.lossRise and lossRiseMinimum). */
export function lossHasRisen(startLoss: number, epochLoss: number): boolean {
  return epochLoss > DIVERGENCE.lossRise * startLoss && epochLoss - startLoss > DIVERGENCE.lossRiseMinimum;
}

/** The error for an epoch whose mean loss rose far above the loss of the first batch. */
export function risingLossError(startLoss: number, epochLoss: number, learningRate: number, where: TrainBatchOptions): TrainingError {
  const evidence = `the mean loss of epoch ${where.epoch} (${formatNumber(epochLoss, { digits: 4 })}) is more than ${DIVERGENCE.lossRise} times the first batch's (${formatNumber(startLoss, { digits: 4 })})`;
  return diverged('rising-loss', evidence, learningRate, where);
}
