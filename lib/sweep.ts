// The learning-rate sweep (chapter "When training goes wrong"): train the same network from the same
// start for a few steps at each of a range of log-spaced rates, and see which rates learn fastest
// and where training breaks down. Every step is Sequential.trainBatch, the one training step.
import { ScratchnetError, TrainingError } from './errors.ts';
import { formatNumber } from './format.ts';
import { Matrix } from './matrix.ts';
import { gatherRows } from './ops.ts';
import { Random, defaultRandom, seed as seedDefault } from './random.ts';
import { checkInputs } from './scoring.ts';
import type { Sequential } from './model.ts';
import type { Targets } from './targets.ts';
import { lossHasRisen } from './training.ts';

/** Optional settings for lrSweep(). */
export interface LearningRateSweepOptions {
  /** The smallest rate tried; defaults to 1e-5. */
  from?: number;
  /** The largest rate tried; defaults to 10. */
  to?: number;
  /** How many rates, spaced evenly on a log scale from `from` to `to`; defaults to 13 (two per factor of 10 over six). */
  count?: number;
  /** Optimizer steps at each rate; defaults to 50. */
  steps?: number;
  /** Samples per step; defaults to 32. */
  batchSize?: number;
  /** Seeds the shared generator before every build (so every rate starts from the same weights) and picks the batches; defaults to 0. */
  seed?: number;
  /** Called after each rate, with its loss (Infinity when it diverged): to show progress. */
  onRate?: (result: { index: number; rate: number; loss: number; startLoss: number }) => void;
}

/** The sweep's settings once checked, with their defaults. */
type SweepSettings = Required<Omit<LearningRateSweepOptions, 'onRate'>>;

/** What lrSweep() measured. */
export interface LearningRateSweep {
  rates: number[];
  /** For each rate, the mean loss of its last few steps (see SWEEP); Infinity when training diverged. */
  losses: number[];
  /** The loss before any update (the same start for every rate), on the same last few batches as `losses`. */
  startLoss: number;
  /** The rate with the lowest loss. */
  best: number;
  /** A safe rate to train with: the largest rate tried that is at most a third of `best` (see SWEEP). */
  suggested: number;
  /** For each rate, the loss of every step it took (fewer than `steps` when it diverged). */
  curves: number[][];
}

/** How lrSweep() reads its measurements; each says why. */
export const SWEEP = {
  /** A rate's loss is the mean over this share of its last steps (at least one): one batch's loss is too noisy to rank rates by. */
  lastShare: 0.2,
  /**
   * The suggestion is the largest rate tried at most best/3 (or best/3 itself when none was). At
   * the lowest point the curve is about to turn up into divergence, and a longer run, other batches
   * or another start can tip it over; a third of it still learns nearly as fast, well clear of that edge.
   */
  suggestionFactor: 3,
} as const;

function checkPositive(name: string, value: number, whole: boolean): number {
  if (!(Number.isFinite(value) && value > 0 && (!whole || Number.isInteger(value)))) {
    throw new ScratchnetError('lrSweep', `${name} must be a ${whole ? 'positive whole number' : 'number above 0'}, not ${String(value)}`);
  }
  return value;
}

/** Checks lrSweep()'s options and fills in their defaults. */
function sweepSettings(options: LearningRateSweepOptions): SweepSettings {
  const from = checkPositive('from', options.from ?? 1e-5, false);
  const to = checkPositive('to', options.to ?? 10, false);
  if (!(from < to)) throw new ScratchnetError('lrSweep', `from (${formatNumber(from)}) must be smaller than to (${formatNumber(to)})`);
  const count = checkPositive('count', options.count ?? 13, true);
  if (count < 2) throw new ScratchnetError('lrSweep', `count must be at least 2 (a sweep compares rates), not ${count}`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new ScratchnetError('lrSweep', `seed must be a whole number from 0 to 2³² − 1, not ${String(seed)}`);
  return { from, to, count, seed, steps: checkPositive('steps', options.steps ?? 50, true), batchSize: checkPositive('batchSize', options.batchSize ?? 32, true) };
}

/** `count` rates from `from` to `to`, evenly spaced on a log scale (rounded to 12 digits, so 1e-5·10^0.5·… prints cleanly). */
function logSpaced(from: number, to: number, count: number): number[] {
  const [low, high] = [Math.log10(from), Math.log10(to)];
  return Array.from({ length: count }, (_, i) => Number((10 ** (low + ((high - low) * i) / (count - 1))).toPrecision(12)));
}

/** The sample indices of `steps` batches: shuffled passes over the rows, the same for every rate. */
function batchOrder(rows: number, steps: number, batchSize: number, seed: number): Int32Array[] {
  const rng = new Random(seed);
  const order = rng.permutation(rows);
  const batches: Int32Array[] = [];
  for (let start = 0; batches.length < steps; start += batchSize) {
    if (start >= rows) {
      rng.shuffle(order);
      start = 0;
    }
    batches.push(order.slice(start, Math.min(start + batchSize, rows)));
  }
  return batches;
}

/** Builds the model for `rate`, checking that it is a Sequential whose optimizer uses that rate. */
function buildFor(build: (learningRate: number) => Sequential, rate: number): Sequential {
  const model = build(rate);
  if (!model || typeof (model as Partial<Sequential>).trainBatch !== 'function') {
    throw new ScratchnetError('lrSweep', `build(${formatNumber(rate)}) must return a Sequential with a loss and an optimizer, not ${String(model)}`);
  }
  const used = model.optimizer?.learningRate;
  if (used !== undefined && used !== rate) {
    throw new ScratchnetError('lrSweep', `build(${formatNumber(rate)}) returned a model whose optimizer's learningRate is ${formatNumber(used)}: pass the rate on, e.g. (rate) => mlp(sizes, { optimizer: new Adam({ learningRate: rate }) })`);
  }
  return model;
}

/** Checks that x has samples and y has one target per sample. */
function checkData(x: Matrix, y: Targets): void {
  if (!(x instanceof Matrix) || x.rows === 0) throw new ScratchnetError('lrSweep', 'x must be a Matrix with one row per sample, and at least one row');
  const targets = y instanceof Matrix ? y.rows : (y as ArrayLike<number> | undefined)?.length;
  if (targets !== x.rows) throw new ScratchnetError('lrSweep', `y must hold one target per sample: x has ${x.rows} rows but y has ${String(targets)}`);
}

/** The targets of the samples at `indices`: rows of a matrix, or entries of labels. */
function gatherTargets(y: Targets, indices: Int32Array): Targets {
  return y instanceof Matrix ? gatherRows(y, indices) : Array.from(indices, (i) => y[i]);
}

/** The mean loss of `model` on `batches`, in inference mode; it checks x and y against the model as train() does. */
function lossOn(model: Sequential, x: Matrix, y: Targets, batches: Int32Array[]): number {
  checkInputs('lrSweep', model.layers, x, { finite: false });
  const losses = batches.map((indices) => model.evaluate(gatherRows(x, indices), gatherTargets(y, indices)).loss);
  return losses.reduce((total, value) => total + value, 0) / losses.length;
}

/** Trains `model` on the batches; returns every step's loss, stopping at the first TrainingError (divergence). */
function trainSteps(model: Sequential, x: Matrix, y: Targets, batches: Int32Array[]): { curve: number[]; diverged: boolean } {
  const curve: number[] = [];
  try {
    // As one epoch of `batches.length` steps, so the weights are checked for divergence after the last.
    batches.forEach((indices, i) => curve.push(model.trainBatch(gatherRows(x, indices), gatherTargets(y, indices), { epoch: 1, step: i + 1, steps: batches.length }).loss));
  } catch (error) {
    if (!(error instanceof TrainingError)) throw error;
    return { curve, diverged: true };
  }
  return { curve, diverged: false };
}

/**
 * Trains a fresh `build(rate)` for `steps` mini-batch steps at each of `count` log-spaced rates, all
 * from the same start and on the same batches, and reports each rate's loss, the best and a safe
 * suggestion. A rate whose training diverges (a TrainingError, or a loss far above the start) gets Infinity.
 */
export function lrSweep(build: (learningRate: number) => Sequential, x: Matrix, y: Targets, options: LearningRateSweepOptions = {}): LearningRateSweep {
  const settings = sweepSettings(options);
  checkData(x, y);
  const rates = logSpaced(settings.from, settings.to, settings.count);
  const batches = batchOrder(x.rows, settings.steps, settings.batchSize, settings.seed);
  const saved = defaultRandom.getState(); // the sweep leaves the shared generator as it found it
  const curves: number[][] = [];
  const losses: number[] = [];
  const lastSteps = Math.max(1, Math.round(SWEEP.lastShare * settings.steps));
  let startLoss = Number.NaN;
  try {
    rates.forEach((rate, index) => {
      seedDefault(settings.seed);
      const model = buildFor(build, rate);
      if (index === 0) startLoss = lossOn(model, x, y, batches.slice(-lastSteps));
      const { curve, diverged } = trainSteps(model, x, y, batches);
      const last = curve.slice(-lastSteps);
      const loss = last.reduce((total, value) => total + value, 0) / last.length;
      // A loss far above the start has diverged, as train() would say (DIVERGENCE), though no weight exploded yet.
      losses.push(diverged || !Number.isFinite(loss) || lossHasRisen(startLoss, loss) ? Infinity : loss);
      curves.push(curve);
      options.onRate?.({ index, rate, loss: losses[index], startLoss });
    });
  } finally {
    seedDefault(0).setState(saved);
  }
  return { rates, losses, startLoss, curves, ...pick(rates, losses, settings) };
}

/** The best rate and the suggestion (SWEEP.suggestionFactor), refusing a sweep in which every rate diverged. */
function pick(rates: number[], losses: number[], settings: SweepSettings): { best: number; suggested: number } {
  const lowest = Math.min(...losses);
  if (lowest === Infinity) {
    throw new ScratchnetError('lrSweep', `training diverged at every rate from ${formatNumber(settings.from)} to ${formatNumber(settings.to)}: try smaller rates (a smaller from), scale the inputs to about −1…1, or check how the first weights are drawn`);
  }
  const best = rates[losses.indexOf(lowest)];
  const limit = best / SWEEP.suggestionFactor;
  const below = rates.filter((rate) => rate <= limit * (1 + 1e-9));
  return { best, suggested: below.length > 0 ? below[below.length - 1] : Number(limit.toPrecision(12)) };
}
