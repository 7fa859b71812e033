// Reading a training run for what went wrong (chapter "When training goes wrong"): diagnose() looks
// at a History (every step's loss and each epoch's figures), the TrainingError that stopped it, and
// optionally the model, and names each symptom in plain words, with the numbers and what to try.
import { TrainingError } from './errors.ts';
import { formatNumber } from './format.ts';
import type { Matrix } from './matrix.ts';
import type { Sequential } from './model.ts';
import { deadReLUs } from './inspection.ts';
import { describeLossCurve, type LossCurve } from './curve.ts';
import { DIVERGENCE, divergenceAdvice, findDivergedParameter, lossHasRisen, type History } from './training.ts';

/** A kind of trouble diagnose() can name. */
export type SymptomKind = 'non-finite' | 'diverged' | 'rising' | 'oscillating' | 'flat' | 'dead-relu' | 'overfitting';

/** One symptom: what happened, with the numbers, and what to try. */
export interface Finding {
  kind: SymptomKind;
  /** What happened, in plain words, with the numbers. */
  message: string;
  /** What to try. */
  advice: string;
  /** The 1-based epoch where it showed, when known. */
  epoch?: number;
  /** The 1-based optimizer step where it showed, counted from the start of training (history.batchLoss[step − 1]). */
  step?: number;
}

/** What diagnose() found. */
export interface Diagnosis {
  /** True when there are no findings. */
  healthy: boolean;
  findings: Finding[];
  /** One line per finding, or a sentence saying nothing looks wrong. */
  toString(): string;
}

/** What else diagnose() may look at besides the history. */
export interface DiagnoseOptions {
  /** The trained model: with `inputs`, its dead ReLUs are counted. */
  model?: Sequential;
  /** Rows to count dead ReLUs on (a few hundred training samples are enough). */
  inputs?: Matrix;
  /** The error training threw, if any: a TrainingError says where and how it diverged. */
  error?: unknown;
  /** The learning rate of the run, for the advice; defaults to the error's or the model optimizer's. */
  learningRate?: number;
}

/** The thresholds diagnose() judges a run by; each says why it sits where it does. */
export const SYMPTOMS = {
  /** Curve shapes (rising, oscillating, flat) are judged only on runs of at least this many steps: a few steps show no trend. */
  minimumSteps: 20,
  /** Flat: no tenth of the run has a mean loss more than this fraction below the first tenth's. Healthy runs fall by far more. */
  flatDrop: 0.05,
  /** Rising: the last tenth's mean loss is this many times the lowest tenth's (tenths smooth away batch noise, so 15% is a real rise) … */
  riseFactor: 1.15,
  /** … and above it by more than this fraction of the starting loss, so a wobble near a loss of 0 is not a rise. */
  riseMinimum: 0.1,
  /** Oscillating: over the run's second half, the loss changes from step to step by more than this fraction of its level on average … */
  oscillation: 0.25,
  /** … and by more than this fraction of the starting loss (mini-batch noise near a small loss is large relative to the loss, not to the start) … */
  oscillationScale: 0.15,
  /** … while the second half's loss fell by less than half of that typical step-to-step change. */
  oscillationTrend: 0.5,
  /** Dead ReLUs: a ReLU layer with more than this share of neurons that output 0 for every input. He-started layers lose a few, not half. */
  deadShare: 0.5,
  /** Overfitting: training accuracy this far above validation accuracy at the last epoch … */
  accuracyGap: 0.1,
  /** … or a validation loss this fraction above its lowest while the training loss kept falling. */
  validationRise: 0.25,
} as const;

/** A fraction as a percentage a reader takes in at a glance: `94%`, `4.6%`, `0.3%`, or `under 0.1%`. */
export function percent(fraction: number): string {
  return fraction < 0.001 ? 'under 0.1%' : `${formatNumber(fraction * 100, { digits: fraction >= 0.01 ? 2 : 1 })}%`;
}

const loss = (value: number): string => formatNumber(value, { digits: 4 });

/** The run's loss curve as diagnose() reads it: every step's losses (every epoch's when there are none), and where each falls. */
interface Curve extends LossCurve {
  all: readonly number[];
  unit: 'step' | 'epoch';
  /** The epoch and step of the 1-based `index` into `all`, as far as they are known. */
  place(index: number): { epoch?: number; step?: number };
}

/** The history's curve; epochs are given to steps only when `exact` (no error cut an epoch short). */
function curveOf(history: History, exact: boolean): Curve {
  const steps = history.batchLoss?.length ?? 0;
  const all = steps > 0 ? history.batchLoss : history.loss;
  const unit = steps > 0 ? 'step' : 'epoch';
  const perEpoch = exact && steps > 0 && history.loss.length > 0 && steps % history.loss.length === 0 ? steps / history.loss.length : undefined;
  const place = (index: number) => (unit === 'epoch' ? { epoch: index } : { step: index, epoch: perEpoch && Math.ceil(index / perEpoch) });
  return { ...describeLossCurve(all), all, unit, place };
}

/** The learning rate the run used: the one given, or the error's, or the model optimizer's. */
function rateOf(options: DiagnoseOptions): number | undefined {
  if (options.learningRate !== undefined) return options.learningRate;
  if (options.error instanceof TrainingError && options.error.learningRate !== undefined) return options.error.learningRate;
  return options.model?.optimizer?.learningRate;
}

/** The finding for the TrainingError that stopped the run, if it was one. */
function errorFinding(error: unknown, history: History, rate: number | undefined): Finding | undefined {
  if (!(error instanceof TrainingError)) return undefined;
  const nonFinite = error.sign === 'non-finite-loss' || error.sign === 'non-finite-parameters';
  // A rising loss is found once its epoch is recorded; any other sign stops the step before it is.
  const step = (history.batchLoss?.length ?? 0) + (error.sign === 'rising-loss' ? 0 : 1);
  const where = error.epoch > 0 ? ` at epoch ${error.epoch}, step ${error.step}${error.epoch > 1 ? ` (step ${step} from the start)` : ''}` : '';
  const evidence = error.evidence ?? error.message.replace(/^Sequential\.train: /, '');
  return {
    kind: nonFinite ? 'non-finite' : 'diverged',
    message: `Training stopped${where}: ${evidence}.`,
    advice: divergenceAdvice(rate),
    epoch: error.epoch || undefined,
    step: error.epoch > 0 ? step : undefined,
  };
}

/** The finding for a loss that became NaN or ±Infinity in the history itself (a loop of one's own records it). */
function nonFiniteFinding(curve: Curve, rate: number | undefined): Finding | undefined {
  if (curve.firstNonFinite === undefined) return undefined;
  const index = curve.firstNonFinite;
  const value = curve.all[index];
  return {
    kind: 'non-finite',
    message: `The loss became ${value} at ${curve.unit} ${index + 1}${index > 0 ? `, after ${loss(curve.all[index - 1])} at the ${curve.unit} before` : ''}.`,
    advice: divergenceAdvice(rate),
    ...curve.place(index + 1),
  };
}

/** Findings from the shape of the loss curve: diverged, rising, oscillating or flat (at most one). */
function curveFinding(curve: Curve, rate: number | undefined, stopped: boolean): Finding | undefined {
  const values = curve.values;
  if (values.length < SYMPTOMS.minimumSteps) return undefined;
  const { start, end, lowest, lowestAt, unit } = curve;
  const over = `over ${values.length} ${unit}s`;
  if (!stopped && lossHasRisen(values[0], Math.max(end, ...curve.windows))) {
    const peak = Math.max(end, ...curve.windows);
    return { kind: 'diverged', message: `The loss rose from ${loss(values[0])} to ${loss(peak)} ${over}: more than ${DIVERGENCE.lossRise} times where it started.`, advice: divergenceAdvice(rate) };
  }
  // A run that diverged rose on its way there: the error says so, and says what to try.
  if (!stopped && end > SYMPTOMS.riseFactor * lowest && end - lowest > SYMPTOMS.riseMinimum * start) {
    const smaller = rate === undefined ? 'a learning rate three times smaller' : `a learning rate three times smaller (${formatNumber(rate / 3, { digits: 3 })})`;
    return {
      kind: 'rising',
      message:
        lowest < values[0]
          ? `The loss fell to ${loss(lowest)} by ${unit} ${lowestAt}, then rose to ${loss(end)} by the end (${unit} ${values.length}).`
          : `The loss never got below its first ${unit}'s (${loss(values[0])}): it rose above it and ended at ${loss(end)} (${unit} ${values.length}).`,
      advice: `The steps are too big for where training has got to: try ${smaller}, or let it shrink as training goes on (the decay option).`,
      ...curve.place(lowestAt),
    };
  }
  const swing = curve.secondHalfSwing;
  if (swing > SYMPTOMS.oscillation * curve.secondHalfLevel && swing > SYMPTOMS.oscillationScale * start && curve.secondHalfDrop < SYMPTOMS.oscillationTrend * swing) {
    const smaller = rate === undefined ? 'a learning rate three to ten times smaller' : `a learning rate three to ten times smaller (${formatNumber(rate / 3, { digits: 3 })} to ${formatNumber(rate / 10, { digits: 3 })})`;
    return {
      kind: 'oscillating',
      message: `The loss jumps up and down without settling: in the second half it changes by ${loss(swing)} from one ${unit} to the next on average, ${percent(swing / curve.secondHalfLevel)} of its level (${loss(curve.secondHalfLevel)}), and no longer falls.`,
      advice: `The steps overshoot the valley they should settle in: try ${smaller}, or bigger batches, whose gradients are less noisy.`,
    };
  }
  if (!stopped && start - lowest < SYMPTOMS.flatDrop * start) {
    const larger = rate === undefined ? 'ten times larger' : `ten times larger (${formatNumber(rate * 10, { digits: 3 })})`;
    return {
      kind: 'flat',
      message: `The loss barely moved: from ${loss(start)} to ${loss(end)} ${over}, at best ${percent(Math.max(0, start - lowest) / start)} below where it started.`,
      advice: `Either the learning rate is too low (try one ${larger}, or sweep rates with lrSweep), or the first weights are too small for the signal to get through (as 0.01 · randn is in a deep network): start ReLU layers with 'heNormal'.`,
    };
  }
  return undefined;
}

/** The finding for ReLU layers that are mostly dead on `inputs`. */
function deadFinding(model: Sequential | undefined, inputs: Matrix | undefined): Finding | undefined {
  // A diverged network's outputs are NaN or huge: that, not dead neurons, is its trouble.
  if (!model || !inputs || findDivergedParameter(model.layers)) return undefined;
  const counts = deadReLUs(model, inputs).filter(({ dead, total }) => dead > SYMPTOMS.deadShare * total);
  if (counts.length === 0) return undefined;
  const layers = counts.map(({ layer, dead, total }) => `${dead} of the ${total} neurons of layer ${layer} (ReLU), ${percent(dead / total)},`).join(' and ');
  return {
    kind: 'dead-relu',
    message: `${layers[0].toUpperCase()}${layers.slice(1)} are dead: they output 0 for all ${inputs.rows} inputs, so no gradient flows through them and they cannot recover.`,
    advice: "A learning rate too high kills them (one big step pushes their weights and biases where no input reaches), as does a start with negative biases: lower the learning rate, start with 'heNormal' weights, or give the biases a small positive start such as 0.01.",
  };
}

/** The finding for training figures far ahead of validation ones. */
function overfittingFinding(history: History): Finding | undefined {
  const { accuracy, validationAccuracy, loss: trainLoss, validationLoss } = history;
  const last = validationAccuracy.length;
  const gap = last > 0 && accuracy.length === last ? accuracy[last - 1] - validationAccuracy[last - 1] : 0;
  const lowest = validationLoss.length ? validationLoss.indexOf(Math.min(...validationLoss)) : -1;
  const rose = lowest >= 0 && validationLoss.at(-1)! > (1 + SYMPTOMS.validationRise) * validationLoss[lowest] && trainLoss.length === validationLoss.length && trainLoss.at(-1)! < trainLoss[lowest];
  if (!(gap > SYMPTOMS.accuracyGap) && !rose) return undefined;
  const accuracyText = gap > SYMPTOMS.accuracyGap ? `Training accuracy (${percent(accuracy[last - 1])}) is far ahead of validation accuracy (${percent(validationAccuracy[last - 1])}) at the last epoch. ` : '';
  const lossText = rose ? `The validation loss was lowest at epoch ${lowest + 1} (${loss(validationLoss[lowest])}) and has risen to ${loss(validationLoss.at(-1)!)}, while the training loss kept falling. ` : '';
  return {
    kind: 'overfitting',
    message: `${accuracyText}${lossText}The network is learning its training samples rather than the pattern behind them.`,
    advice: `The chapter on generalisation and regularisation is about this: more data, a penalty on large weights (weightRegularizerL2), Dropout, a smaller network${rose ? `, or stopping at epoch ${lowest + 1} (train's earlyStopping option)` : ''}.`,
    epoch: rose ? lowest + 1 : last,
  };
}

/**
 * Reads a training run and names what went wrong: a loss that became NaN, divergence, a rising,
 * oscillating or flat loss, dead ReLUs (with model and inputs) and overfitting (with validation
 * data). A healthy run gets no findings.
 */
export function diagnose(history: History, options: DiagnoseOptions = {}): Diagnosis {
  const rate = rateOf(options);
  const curve = curveOf(history, options.error === undefined);
  const stopped = errorFinding(options.error, history, rate) ?? nonFiniteFinding(curve, rate);
  const findings = [stopped, curveFinding(curve, rate, stopped !== undefined), deadFinding(options.model, options.inputs), overfittingFinding(history)].filter((finding) => finding !== undefined);
  const [first, last] = [curve.values[0], curve.values.at(-1)!];
  const summary = curve.values.length > 1 ? `: the loss ${last < first ? 'fell' : 'went'} from ${loss(first)} to ${loss(last)} over ${curve.values.length} ${curve.unit}s` : '';
  return {
    healthy: findings.length === 0,
    findings,
    toString: () => (findings.length === 0 ? `Nothing looks wrong${summary}.` : findings.map((finding) => `${finding.kind}: ${finding.message} ${finding.advice}`).join('\n')),
  };
}

/**
 * Gives a TrainingError that train() caught the run so far: sets its `history` and `findings`, and
 * adds to its message whatever else diagnose() sees (dead ReLUs, say), which the message does not already say.
 */
export function explainTrainingError(error: TrainingError, history: History, model: Sequential, inputs: Matrix): void {
  error.history = history;
  const findings = diagnose(history, { error, model, inputs }).findings;
  error.findings = findings;
  // The finding for the error itself repeats the message (where, the evidence and what to try).
  const others = findings.filter((finding) => finding.kind !== 'non-finite' && finding.kind !== 'diverged');
  if (others.length) error.message += `\nThe run so far also shows:\n${others.map((finding) => `- ${finding.kind}: ${finding.message} ${finding.advice}`).join('\n')}`;
}
