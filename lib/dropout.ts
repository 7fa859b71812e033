// Dropout, from the book's chapter 15: while training, a layer that zeroes a random fraction of
// its inputs, so the network cannot lean on any one neuron; at inference it passes inputs through.
// Its masks come from a seeded generator, so a training run can be repeated exactly.
import { ScratchnetError, ShapeError } from './errors.ts';
import { Matrix } from './matrix.ts';
import { shapeOf } from './ops.ts';
import { Random, defaultRandom } from './random.ts';
import type { ForwardOptions, Layer } from './layers.ts';

/** Optional settings for Dropout. */
export interface DropoutOptions {
  /** The generator for the masks; defaults to the shared one reset by `seed()`. */
  rng?: Random;
}

/** Dropout: while training, zeroes each value with probability `rate` and scales the rest by 1/(1−rate). */
export class Dropout implements Layer {
  readonly name = 'Dropout';
  readonly rate: number;
  output?: Matrix;
  dinputs?: Matrix;
  /** The mask of the last training pass: 0 for dropped units, 1/(1−rate) for kept ones. */
  mask?: Matrix;
  /** The generator for the masks, when one was given; otherwise the shared default is used. */
  readonly rng?: Random;

  /** Creates a dropout layer that drops a fraction `rate` (0 ≤ rate < 1) of its inputs. */
  constructor(rate: number, options: DropoutOptions = {}) {
    if (!(rate >= 0 && rate < 1)) throw new ScratchnetError('Dropout', `rate is the fraction of units to drop and must be in [0, 1), not ${String(rate)}`);
    this.rate = rate;
    this.rng = options.rng;
  }

  /** Applies a fresh random mask when training; passes inputs through unchanged otherwise. */
  forward(inputs: Matrix, options: ForwardOptions = {}): Matrix {
    if (!(inputs instanceof Matrix)) throw new ShapeError('Dropout.forward', 'inputs must be a Matrix');
    if (options.training === false) {
      this.mask = undefined;
      this.output = inputs;
      return inputs;
    }
    const rng = this.rng ?? defaultRandom;
    const keep = 1 - this.rate;
    // Scaling the kept units by 1/keep keeps the expected sum the same, so inference needs no change.
    const mask = Matrix.zeros(inputs.rows, inputs.cols, { dtype: inputs.dtype });
    const output = Matrix.zeros(inputs.rows, inputs.cols, { dtype: inputs.dtype });
    // One plain loop draws the mask and applies it: the same values as multiply(inputs, mask), without its broadcasting checks.
    for (let i = 0; i < mask.size; i++) {
      mask.data[i] = rng.next() < keep ? 1 / keep : 0;
      output.data[i] = inputs.data[i] * mask.data[i];
    }
    this.mask = mask;
    this.output = output;
    return output;
  }

  /** Passes gradients through the kept units only. */
  backward(dvalues: Matrix): Matrix {
    const output = this.output;
    if (!output) throw new ScratchnetError('Dropout.backward', 'call forward(inputs) before backward(dvalues)');
    if (!(dvalues instanceof Matrix) || dvalues.rows !== output.rows || dvalues.cols !== output.cols) {
      const shape = dvalues instanceof Matrix ? shapeOf(dvalues) : String(dvalues);
      throw new ShapeError('Dropout.backward', `dvalues ${shape} must match the output ${shapeOf(output)}`);
    }
    const mask = this.mask;
    if (!mask) return (this.dinputs = dvalues);
    // The same mask as forward: a dropped unit passes no gradient back, a kept one passes it scaled by 1/(1−rate).
    const dinputs = Matrix.zeros(dvalues.rows, dvalues.cols, { dtype: dvalues.dtype });
    for (let i = 0; i < dinputs.size; i++) dinputs.data[i] = dvalues.data[i] * mask.data[i];
    this.dinputs = dinputs;
    return dinputs;
  }
}
