// The errors scratchnet throws. Every message names the operation and the shapes or
// values at fault, so a reader can fix a cell without reading the library's source.
import type { Finding } from './diagnosis.ts';
import type { History } from './training.ts';

/** An error raised by scratchnet; `op` names the operation that refused its input. */
export class ScratchnetError extends Error {
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = 'ScratchnetError';
    this.op = op;
  }
}

/** Shapes that do not fit the operation, e.g. `matmul: (3×4) · (3×3): inner dimensions 4 and 3 differ`. */
export class ShapeError extends ScratchnetError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = 'ShapeError';
  }
}

/**
 * What a TrainingError saw: a loss that is NaN or ±Infinity, weights or biases that are, weights or
 * biases past DIVERGENCE.parameterLimit, or an epoch's loss far above the first batch's (lib/training.ts).
 */
export type DivergenceSign = 'non-finite-loss' | 'non-finite-parameters' | 'exploding-parameters' | 'rising-loss';

/** What a TrainingError can say besides its message: the learning rate in use and the evidence, as a phrase. */
export interface TrainingErrorDetails {
  learningRate?: number;
  /** What showed the divergence, e.g. `the loss became NaN` (the message holds it too, with the place and the advice). */
  evidence?: string;
}

/** Training stopped because it diverged; `epoch` and `step` (1-based, 0 when unknown) say where, `sign` what showed it. */
export class TrainingError extends ScratchnetError {
  readonly epoch: number;
  readonly step: number;
  readonly sign: DivergenceSign;
  readonly learningRate?: number;
  readonly evidence?: string;
  /** What train() recorded before it stopped: every finished epoch, and the loss of every step before the one that failed (set by train()). */
  history?: History;
  /** What diagnose() made of the run so far, including this error (set by train(); its message adds the findings beyond the error itself). */
  findings?: Finding[];
  constructor(message: string, epoch: number, step: number, sign: DivergenceSign = 'non-finite-loss', details: TrainingErrorDetails = {}) {
    super('Sequential.train', message);
    this.name = 'TrainingError';
    this.epoch = epoch;
    this.step = step;
    this.sign = sign;
    this.learningRate = details.learningRate;
    this.evidence = details.evidence;
  }
}

/** A size too big to allocate, refused before any memory is asked for: names the layer or matrix and the bytes it would take. */
export class SizeError extends ScratchnetError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = 'SizeError';
  }
}

/** A weights file that is damaged or does not fit the model. */
export class FormatError extends ScratchnetError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = 'FormatError';
  }
}
