// Sequential: a stack of layers trained as one model, as the book assembles in its last
// chapters. train() runs epochs of shuffled mini-batches (forward, loss, backward, optimizer
// step); evaluate(), predict() and accuracy() run it without training. Chapter 9 onwards.
import { ScratchnetError, ShapeError, TrainingError } from './errors.ts';
import { formatNumber } from './format.ts';
import { Matrix } from './matrix.ts';
import { findNonFinite, gatherRows, sliceRows } from './ops.ts';
import { Random, defaultRandom } from './random.ts';
import { Softmax, Sigmoid } from './activations.ts';
import { isTrainable, type BackwardOptions, type Layer } from './layers.ts';
import { BinaryCrossEntropy, CategoricalCrossEntropy, Loss, SoftmaxCrossEntropy, regularizationLoss } from './losses.ts';
import { countBinaryCorrect, countCorrect, countWithin, standardDeviation } from './metrics.ts';
import type { Optimizer } from './optimizers.ts';
import { checkOneHotShape, toLabels, toTargetMatrix, type Targets } from './targets.ts';

/** How the model scores its predictions. */
export type AccuracyKind = 'categorical' | 'binary' | 'regression';

/** A model's loss, optimizer and accuracy kind. */
export interface SequentialOptions {
  loss?: Loss;
  optimizer?: Optimizer;
  /** Inferred from the loss when omitted: categorical for cross-entropy, binary for binary cross-entropy, else regression. */
  accuracy?: AccuracyKind;
}

/** What onBatch receives after every optimizer step. */
export interface BatchInfo {
  /** 1-based epoch number. */
  epoch: number;
  /** 1-based step within the epoch. */
  step: number;
  /** Steps per epoch. */
  steps: number;
  /** Data loss plus regularization loss of this batch. */
  loss: number;
  dataLoss: number;
  regularizationLoss: number;
  accuracy: number;
  /** The learning rate this step used. */
  learningRate: number;
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

/** The result of evaluate(): mean loss and accuracy on some data. */
export interface Evaluation {
  loss: number;
  accuracy: number;
}

function describeLayer(layer: Layer, index: number): string {
  return `layer ${index} (${layer.name})`;
}

/** The number of inputs (or outputs) a layer with fixed sizes declares, if it does. */
function sizes(layer: Layer): { nInputs?: number; nOutputs?: number } {
  const sized = layer as { nInputs?: unknown; nOutputs?: unknown };
  return {
    nInputs: typeof sized.nInputs === 'number' ? sized.nInputs : undefined,
    nOutputs: typeof sized.nOutputs === 'number' ? sized.nOutputs : undefined,
  };
}

/** A stack of layers with a loss and an optimizer, trained on mini-batches. */
export class Sequential {
  readonly layers: Layer[] = [];
  loss?: Loss;
  optimizer?: Optimizer;
  accuracyKind?: AccuracyKind;
  /** Computes the combined softmax + cross-entropy gradient when the model ends that way. */
  private readonly combined = new SoftmaxCrossEntropy();

  /** Builds a model from layers in order; the loss and optimizer can also be set later. */
  constructor(layers: Layer[] = [], options: SequentialOptions = {}) {
    for (const layer of layers) this.add(layer);
    this.loss = options.loss;
    this.optimizer = options.optimizer;
    this.accuracyKind = options.accuracy;
  }

  /** Appends a layer, checking that its input size matches the previous layer's output size. */
  add(layer: Layer): this {
    if (!layer || typeof layer.forward !== 'function' || typeof layer.backward !== 'function') {
      throw new ScratchnetError('Sequential.add', `layer ${this.layers.length} is not a layer (it needs forward and backward methods)`);
    }
    const { nInputs } = sizes(layer);
    if (nInputs !== undefined) {
      for (let i = this.layers.length - 1; i >= 0; i--) {
        const { nOutputs } = sizes(this.layers[i]);
        if (nOutputs === undefined) continue;
        if (nOutputs !== nInputs) {
          throw new ShapeError('Sequential', `${describeLayer(layer, this.layers.length)} takes ${nInputs} inputs but ${describeLayer(this.layers[i], i)} gives ${nOutputs} outputs`);
        }
        break;
      }
    }
    this.layers.push(layer);
    return this;
  }

  /** The layers with weights and biases. */
  get trainableLayers(): Layer[] {
    return this.layers.filter(isTrainable);
  }

  /** Runs every layer in order and returns the last output. */
  forward(inputs: Matrix, options: { training?: boolean } = {}): Matrix {
    if (this.layers.length === 0) throw new ScratchnetError('Sequential.forward', 'the model has no layers; add some with model.add(layer)');
    let output = inputs;
    for (const layer of this.layers) output = layer.forward(output, { training: options.training ?? false });
    return output;
  }

  /**
   * Backpropagates from the loss through every layer, combining Softmax with cross-entropy when both are used.
   * `inputGradient: false` lets the first layer skip dinputs, which training never needs.
   */
  backward(output: Matrix, targets: Targets, options: BackwardOptions = {}): void {
    const loss = this.requireLoss('Sequential.backward');
    const last = this.layers[this.layers.length - 1];
    let dvalues: Matrix;
    let first = this.layers.length - 1;
    if (last instanceof Softmax && loss instanceof CategoricalCrossEntropy) {
      // The combined gradient (ŷ − y) / n is cheaper and more stable than the two chained.
      dvalues = this.combined.backward(output, targets);
      last.dinputs = dvalues;
      first -= 1;
    } else {
      dvalues = loss.backward(output, targets);
    }
    for (let i = first; i >= 0; i--) dvalues = this.layers[i].backward(dvalues, i === 0 ? options : {});
  }

  /** Trains on (x, y) and returns the per-epoch history. */
  train(x: Matrix, y: Targets, options: TrainOptions = {}): History {
    const loss = this.requireLoss('Sequential.train');
    const optimizer = this.optimizer;
    if (!optimizer) throw new ScratchnetError('Sequential.train', 'the model has no optimizer; pass one: new Sequential(layers, { loss, optimizer })');
    const epochs = options.epochs ?? 1;
    if (!Number.isInteger(epochs) || epochs < 1) throw new ScratchnetError('Sequential.train', `epochs must be a positive whole number, not ${String(epochs)}`);
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ScratchnetError('Sequential.train', `batchSize must be a positive whole number, not ${String(batchSize)}`);
    const scorer = this.prepare('Sequential.train', x, y);
    const validation = options.validation;
    const validationScorer = validation && this.prepare('Sequential.train (validation)', validation.x, validation.y);
    const rng = options.rng ?? defaultRandom;
    const samples = x.rows;
    const steps = Math.ceil(samples / batchSize);
    const history: History = { loss: [], accuracy: [], validationLoss: [], validationAccuracy: [] };
    const order = new Int32Array(samples).map((_, i) => i);

    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      if (options.shuffle ?? true) rng.shuffle(order);
      let lossTotal = 0;
      let correctTotal = 0;
      for (let step = 1; step <= steps; step++) {
        const indices = order.subarray((step - 1) * batchSize, Math.min(step * batchSize, samples));
        const batchX = gatherRows(x, indices);
        const batchY = scorer.gather(indices);
        const output = this.forward(batchX, { training: true });
        const dataLoss = loss.calculate(output, batchY);
        const penalty = regularizationLoss(this.layers);
        const batchLoss = dataLoss + penalty;
        if (!Number.isFinite(batchLoss)) {
          const lr = optimizer.currentLearningRate;
          throw new TrainingError(
            `the loss became ${batchLoss} at epoch ${epoch}, step ${step} of ${steps}. ` +
              `The weights have diverged: the learning rate (${formatNumber(lr)}) may be too high (try ${formatNumber(lr / 10)}), or the inputs or targets too large (scale them to about −1…1).`,
            epoch,
            step,
          );
        }
        this.backward(output, batchY, { inputGradient: false });
        optimizer.step(this.layers);
        const correct = scorer.correct(output, batchY);
        lossTotal += batchLoss * indices.length;
        correctTotal += correct;
        const stop = options.onBatch?.({
          epoch,
          step,
          steps,
          loss: batchLoss,
          dataLoss,
          regularizationLoss: penalty,
          accuracy: correct / (indices.length * scorer.outputsPerSample),
          learningRate: optimizer.currentLearningRate,
        });
        if (stop === false) return history;
      }
      const info: EpochInfo = {
        epoch,
        epochs,
        loss: lossTotal / samples,
        accuracy: correctTotal / (samples * scorer.outputsPerSample),
        learningRate: optimizer.currentLearningRate,
        seconds: 0,
      };
      history.loss.push(info.loss);
      history.accuracy.push(info.accuracy);
      if (validation && validationScorer) {
        const result = this.score(validation.x, validation.y, validationScorer, loss, Math.max(batchSize, 256));
        history.validationLoss.push(result.loss);
        history.validationAccuracy.push(result.accuracy);
        info.validationLoss = result.loss;
        info.validationAccuracy = result.accuracy;
      }
      info.seconds = (performance.now() - started) / 1000;
      if (options.onEpoch?.(info) === false) return history;
    }
    return history;
  }

  /** The model's outputs for x, computed in inference mode (no dropout), batch by batch. */
  predict(x: Matrix, options: { batchSize?: number } = {}): Matrix {
    this.checkInputs('Sequential.predict', x);
    const batchSize = options.batchSize ?? 1024;
    const parts: Matrix[] = [];
    for (let start = 0; start < x.rows; start += batchSize) {
      parts.push(this.forward(sliceRows(x, start, Math.min(start + batchSize, x.rows)), { training: false }));
    }
    const cols = parts[0].cols;
    const out = Matrix.zeros(x.rows, cols, { dtype: parts[0].dtype });
    let offset = 0;
    for (const part of parts) {
      out.data.set(part.data, offset);
      offset += part.size;
    }
    return out;
  }

  /** Mean data loss and accuracy on (x, y), in inference mode. */
  evaluate(x: Matrix, y: Targets, options: { batchSize?: number } = {}): Evaluation {
    const loss = this.requireLoss('Sequential.evaluate');
    return this.score(x, y, this.prepare('Sequential.evaluate', x, y), loss, options.batchSize);
  }

  /** Loss and accuracy on data that prepare() has already checked. */
  private score(x: Matrix, y: Targets, scorer: Scorer, loss: Loss, batchSize?: number): Evaluation {
    const output = this.predict(x, { batchSize });
    return { loss: loss.calculate(output, y), accuracy: scorer.correct(output, y) / (x.rows * scorer.outputsPerSample) };
  }

  /** The fraction of (x, y) the model gets right. */
  accuracy(x: Matrix, y: Targets): number {
    const scorer = this.prepare('Sequential.accuracy', x, y);
    const output = this.predict(x);
    return scorer.correct(output, y) / (x.rows * scorer.outputsPerSample);
  }

  /** The number of weights and biases in the model. */
  get parameterCount(): number {
    let total = 0;
    for (const layer of this.layers) if (isTrainable(layer)) total += layer.weights.size + layer.biases.size;
    return total;
  }

  /** A table of the layers, their output sizes and parameter counts. */
  summary(): string {
    const lines = ['layer            outputs   parameters'];
    let width: number | undefined; // activations and dropout keep the width of the layer before them
    this.layers.forEach((layer, i) => {
      width = sizes(layer).nOutputs ?? width;
      const params = isTrainable(layer) ? layer.weights.size + layer.biases.size : 0;
      lines.push(`${`${i} ${layer.name}`.padEnd(17)}${String(width ?? '').padEnd(10)}${params}`);
    });
    lines.push(`total parameters: ${this.parameterCount}`);
    return lines.join('\n');
  }

  private requireLoss(op: string): Loss {
    if (!this.loss) throw new ScratchnetError(op, 'the model has no loss; pass one: new Sequential(layers, { loss, optimizer })');
    return this.loss;
  }

  private checkInputs(op: string, x: Matrix): void {
    if (this.layers.length === 0) throw new ScratchnetError(op, 'the model has no layers; add some with model.add(layer)');
    if (!(x instanceof Matrix)) throw new ShapeError(op, 'x must be a Matrix with one row per sample');
    if (x.rows === 0) throw new ShapeError(op, `x is empty (${x.rows}×${x.cols}): there are no samples`);
    const { nInputs } = sizes(this.layers.find((layer) => sizes(layer).nInputs !== undefined) ?? this.layers[0]);
    if (nInputs !== undefined && x.cols !== nInputs) {
      throw new ShapeError(op, `x has ${x.cols} values per sample (${x.rows}×${x.cols}) but the first layer takes ${nInputs}`);
    }
    checkFinite(op, 'x', x, 'inputs');
  }

  /** Checks x and y fully before any weight changes, and returns how to score predictions against y. */
  private prepare(op: string, x: Matrix, y: Targets): Scorer {
    this.checkInputs(op, x);
    const probe = this.forward(sliceRows(x, 0, 1), { training: false });
    const kind = this.accuracyKind ?? inferAccuracy(this.loss, this.layers[this.layers.length - 1]);
    if (kind === 'categorical') {
      // Validates every label now, so a bad label cannot stop training halfway.
      const oneHot = y instanceof Matrix && !(y.cols === 1 && probe.cols > 1);
      if (oneHot) {
        checkOneHotShape(op, y, x.rows, probe.cols);
        checkFinite(op, 'y', y, 'targets');
      }
      const labels = oneHot ? y : toLabels(op, y, x.rows, probe.cols);
      return {
        gather: (indices) => (labels instanceof Matrix ? gatherRows(labels, indices) : gatherLabels(labels, indices)),
        correct: (output, targets) => countCorrect(output, targets),
        outputsPerSample: 1,
      };
    }
    const targets = toTargetMatrix(op, y, new Matrix(x.rows, probe.cols));
    checkFinite(op, 'y', targets, 'targets');
    if (kind === 'binary') {
      const outside = targets.data.findIndex((t) => !(t >= 0 && t <= 1));
      if (outside >= 0) {
        const [row, col] = [Math.floor(outside / targets.cols), outside % targets.cols];
        throw new ScratchnetError(op, `y holds ${targets.data[outside]} at row ${row}, column ${col}; binary targets must lie in [0, 1]`);
      }
    }
    const precision = standardDeviation(targets.data) / 250;
    return {
      gather: (indices) => gatherRows(targets, indices),
      correct: (output, t) => (kind === 'binary' ? countBinaryCorrect(output, t) : countWithin(output, t, precision)),
      outputsPerSample: probe.cols,
    };
  }
}

/** Throws, naming the row and column, if `m` holds NaN or ±Infinity. */
function checkFinite(op: string, name: string, m: Matrix, what: string): void {
  const bad = findNonFinite(m);
  if (bad) throw new ScratchnetError(op, `${name} holds ${bad.value} at row ${bad.row}, column ${bad.col}; ${what} must be finite numbers`);
}

/** How train() gathers a batch's targets and scores its outputs. */
interface Scorer {
  gather(indices: Int32Array): Targets;
  /** The number of correct outputs (samples, for categorical accuracy). */
  correct(output: Matrix, targets: Targets): number;
  /** 1 for categorical accuracy; the number of outputs for binary and regression accuracy. */
  outputsPerSample: number;
}

function gatherLabels(labels: Int32Array, indices: Int32Array): Int32Array {
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = labels[indices[i]];
  return out;
}

function inferAccuracy(loss: Loss | undefined, last: Layer): AccuracyKind {
  if (loss instanceof CategoricalCrossEntropy || last instanceof Softmax) return 'categorical';
  if (loss instanceof BinaryCrossEntropy || last instanceof Sigmoid) return 'binary';
  return 'regression';
}
