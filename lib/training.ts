// What training takes and reports (chapter 9 onwards): the options and callbacks of
// Sequential.train() and how they are checked, what one trainBatch() step returns, the figures
// after every batch and epoch, the per-epoch history, and the error when the loss diverges.
import { ScratchnetError, TrainingError } from './errors.ts';
import { formatNumber } from './format.ts';
import type { Matrix } from './matrix.ts';
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
}

/** The per-epoch record that train() returns. */
export interface History {
  loss: number[];
  accuracy: number[];
  validationLoss: number[];
  validationAccuracy: number[];
}

/** Checks train()'s epochs and batchSize, and fills in their defaults. */
export function checkTrainOptions(options: TrainOptions): { epochs: number; batchSize: number } {
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1) throw new ScratchnetError('Sequential.train', `epochs must be a positive whole number, not ${String(epochs)}`);
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ScratchnetError('Sequential.train', `batchSize must be a positive whole number, not ${String(batchSize)}`);
  return { epochs, batchSize };
}

/** The error for a loss that is no longer a finite number, naming the batch's place in training when known. */
export function divergedError(loss: number, learningRate: number, { epoch, step, steps }: TrainBatchOptions): TrainingError {
  const where = epoch === undefined || step === undefined ? '' : ` at epoch ${epoch}, step ${step}${steps === undefined ? '' : ` of ${steps}`}`;
  return new TrainingError(
    `the loss became ${loss}${where}. ` +
      `The weights have diverged: the learning rate (${formatNumber(learningRate)}) may be too high (try ${formatNumber(learningRate / 10)}), or the inputs or targets too large (scale them to about −1…1).`,
    epoch ?? 0,
    step ?? 0,
  );
}
