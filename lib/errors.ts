// The errors scratchnet throws. Every message names the operation and the shapes or
// values at fault, so a reader can fix a cell without reading the library's source.
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

/** Training stopped because it diverged; `epoch` and `step` (1-based, 0 when unknown) say where, `sign` what showed it. */
export class TrainingError extends ScratchnetError {
  readonly epoch: number;
  readonly step: number;
  readonly sign: DivergenceSign;
  /** The figures of every epoch train() finished before it stopped (set by train()). */
  history?: History;
  constructor(message: string, epoch: number, step: number, sign: DivergenceSign = 'non-finite-loss') {
    super('Sequential.train', message);
    this.name = 'TrainingError';
    this.epoch = epoch;
    this.step = step;
    this.sign = sign;
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
