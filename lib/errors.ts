// The errors scratchnet throws. Every message names the operation and the shapes or
// values at fault, so a reader can fix a cell without reading the library's source.

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

/** Training stopped because the loss stopped being a finite number. */
export class TrainingError extends ScratchnetError {
  readonly epoch: number;
  readonly step: number;
  constructor(message: string, epoch: number, step: number) {
    super('Sequential.train', message);
    this.name = 'TrainingError';
    this.epoch = epoch;
    this.step = step;
  }
}

/** A weights file that is damaged or does not fit the model. */
export class FormatError extends ScratchnetError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = 'FormatError';
  }
}
