// Early stopping (chapter "Generalisation and regularisation"): after every epoch, train() asks
// whether the validation figure improved; it keeps a copy of the weights of the best epoch so far,
// stops once `patience` epochs have gone by without a better one, and puts the best weights back.
import { ScratchnetError } from './errors.ts';
import { isTrainable, type Layer } from './layers.ts';
import type { History } from './training.ts';

/** train()'s `earlyStopping` option: how long to wait for a better validation figure, and which one. */
export interface EarlyStoppingOptions {
  /** Stop after this many epochs in a row without a better figure. */
  patience: number;
  /** The figure to watch: the validation loss (lower is better, the default) or accuracy (higher is better). */
  monitor?: 'validationLoss' | 'validationAccuracy';
  /** End with the weights of the best epoch rather than the last; defaults to true. */
  restoreBest?: boolean;
}

/** Watches one validation figure epoch by epoch, keeping the best epoch's weights and biases. */
export class EarlyStopping {
  readonly patience: number;
  readonly monitor: 'validationLoss' | 'validationAccuracy';
  readonly restoreBest: boolean;
  /** The 1-based epoch with the best figure so far (0 before the first). */
  bestEpoch = 0;
  best = Number.NaN;
  /** Copies of each trainable layer's weights, biases and statistics (BatchNormalization's) at the best epoch. */
  private saved: Array<{ weights: Float32Array | Float64Array; biases: Float32Array | Float64Array; statistics: Array<Float32Array | Float64Array> }> = [];

  /** Checks the options; early stopping needs validation data to watch. */
  constructor(options: EarlyStoppingOptions, hasValidation: boolean) {
    const op = 'Sequential.train';
    if (!hasValidation) throw new ScratchnetError(op, 'earlyStopping watches the validation data, so it needs the validation option too: train(x, y, { validation: { x, y }, earlyStopping })');
    if (!Number.isInteger(options.patience) || options.patience < 1) {
      throw new ScratchnetError(op, `earlyStopping.patience must be a positive whole number of epochs, not ${String(options.patience)}`);
    }
    const monitor = options.monitor ?? 'validationLoss';
    if (monitor !== 'validationLoss' && monitor !== 'validationAccuracy') {
      throw new ScratchnetError(op, `earlyStopping.monitor must be 'validationLoss' or 'validationAccuracy', not ${JSON.stringify(monitor)}`);
    }
    this.patience = options.patience;
    this.monitor = monitor;
    this.restoreBest = options.restoreBest ?? true;
  }

  /** Records an epoch's figure (saving the weights when it is the best yet); true means stop now. */
  update(epoch: number, figure: number, layers: ReadonlyArray<Layer>): boolean {
    const better = this.monitor === 'validationLoss' ? figure < this.best : figure > this.best;
    if (this.bestEpoch === 0 || better) {
      this.bestEpoch = epoch;
      this.best = figure;
      if (this.restoreBest) this.saved = layers.filter(isTrainable).map((layer) => ({ weights: layer.weights.data.slice(), biases: layer.biases.data.slice(), statistics: (layer.statistics?.() ?? []).map((m) => m.data.slice()) }));
    }
    return epoch - this.bestEpoch >= this.patience;
  }

  /** Puts the best epoch's weights and biases back into the layers (when restoreBest is on). */
  restore(layers: ReadonlyArray<Layer>): void {
    if (!this.restoreBest || this.saved.length === 0) return;
    layers.filter(isTrainable).forEach((layer, i) => {
      layer.weights.data.set(this.saved[i].weights);
      layer.biases.data.set(this.saved[i].biases);
      // BatchNormalization's running mean and variance belong to the same epoch as its γ and β.
      (layer.statistics?.() ?? []).forEach((m, s) => m.data.set(this.saved[i].statistics[s]));
    });
  }

  /** Ends the run: puts the best epoch's weights back and records `bestEpoch` (and `stoppedEpoch` when it stopped early). */
  finish(history: History, layers: ReadonlyArray<Layer>, stoppedEpoch?: number): History {
    this.restore(layers);
    history.bestEpoch = this.bestEpoch;
    if (stoppedEpoch !== undefined) history.stoppedEpoch = stoppedEpoch;
    return history;
  }
}
