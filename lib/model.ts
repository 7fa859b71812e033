// Sequential: a stack of layers trained as one model, as the book assembles in its last
// chapters. trainBatch() is one training step (forward, loss, backward, optimizer update), and
// train() runs it over epochs of shuffled mini-batches; evaluate(), predict() and accuracy() run
// the model without training. Chapter 9 onwards.
import { ScratchnetError, ShapeError, TrainingError } from './errors.ts';
import { Matrix } from './matrix.ts';
import { gatherRows, sliceRows } from './ops.ts';
import { defaultRandom } from './random.ts';
import { explainTrainingError } from './diagnosis.ts';
import { sampleRows } from './inspection.ts';
import { EarlyStopping } from './stopping.ts';
import { Softmax } from './activations.ts';
import { describeLayer, isTrainable, layerSizes, layerTable, type BackwardOptions, type Layer } from './layers.ts';
import { CategoricalCrossEntropy, Loss, SoftmaxCrossEntropy } from './losses.ts';
import type { Optimizer } from './optimizers.ts';
import { regularizationLoss } from './regularization.ts';
import { checkFinite, checkInputs, inferAccuracy, prepareTargets, type AccuracyKind, type PreparedTargets, type Scorer } from './scoring.ts';
import type { Targets } from './targets.ts';
import { augmentBatch, checkParameters, checkTrainOptions, divergedError, emptyHistory, lossHasRisen, recordEpoch, risingLossError } from './training.ts';
import type { BatchResult, EpochInfo, History, TrainBatchOptions, TrainOptions } from './training.ts';

/** A model's loss, optimizer and accuracy kind. */
export interface SequentialOptions {
  loss?: Loss;
  optimizer?: Optimizer;
  /** Inferred from the loss when omitted: categorical for cross-entropy, binary for binary cross-entropy, else regression. */
  accuracy?: AccuracyKind;
}

/** The result of evaluate(): mean loss and accuracy on some data. */
export interface Evaluation {
  loss: number;
  accuracy: number;
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
    const { nInputs } = layerSizes(layer);
    const previous = this.layers.findLastIndex((before) => layerSizes(before).nOutputs !== undefined);
    const nOutputs = previous >= 0 ? layerSizes(this.layers[previous]).nOutputs : undefined;
    if (nInputs !== undefined && nOutputs !== undefined && nOutputs !== nInputs) {
      throw new ShapeError('Sequential', `${describeLayer(layer, this.layers.length)} takes ${nInputs} inputs but ${describeLayer(this.layers[previous], previous)} gives ${nOutputs} outputs`);
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

  /**
   * One training step on the batch (x, y): forward in training mode, the loss, backward and the
   * optimizer's update. Returns the batch's loss and accuracy (of the outputs before the update).
   * Before the update it checks x's shape and every target of the batch as train() checks a whole
   * dataset, naming the row at fault; it looks for NaN or ±Infinity in x only when the loss comes out
   * non-finite, so a good batch costs nothing extra. It stops with a TrainingError on divergence.
   */
  trainBatch(x: Matrix, y: Targets, options: TrainBatchOptions = {}): BatchResult {
    const op = 'Sequential.trainBatch';
    const { loss, optimizer } = this.requireTraining(op);
    checkInputs(op, this.layers, x, { finite: false });
    const output = this.forward(x, { training: true });
    const checked = prepareTargets(op, this.scoring, y, x.rows, output.cols);
    const dataLoss = loss.calculate(output, y);
    const penalty = regularizationLoss(this.layers);
    if (!Number.isFinite(dataLoss + penalty)) {
      checkFinite(op, 'x', x, 'inputs'); // a NaN or ±Infinity among the inputs is bad data, not divergence
      throw divergedError(dataLoss + penalty, optimizer.learningRate, options);
    }
    this.backward(output, y, { inputGradient: false });
    optimizer.step(this.layers);
    checkParameters(this.layers, optimizer, dataLoss + penalty, options);
    const scorer = options.scorer ?? checked;
    const correct = scorer.correct(output, y);
    const accuracy = correct / (x.rows * scorer.outputsPerSample);
    return { loss: dataLoss + penalty, dataLoss, regularizationLoss: penalty, accuracy, correct, learningRate: optimizer.currentLearningRate };
  }

  /**
   * Trains on (x, y): every epoch shuffles the samples and runs trainBatch() on each mini-batch
   * (augmented first when `augment` is given), having checked every input and target first, before
   * any weight changes. Returns the per-epoch history (and every step's loss). With `earlyStopping`
   * it stops once the validation figure has not improved for `patience` epochs and puts the best
   * epoch's weights back. A TrainingError for divergence carries the history up to the step before
   * it, and its message adds what else diagnose() sees in the run so far (such as dead ReLUs).
   */
  train(x: Matrix, y: Targets, options: TrainOptions = {}): History {
    const { optimizer } = this.requireTraining('Sequential.train');
    const { epochs, batchSize } = checkTrainOptions(options);
    const targets = this.prepare('Sequential.train', x, y);
    const validation = options.validation && { ...options.validation, targets: this.prepare('Sequential.train (validation)', options.validation.x, options.validation.y) };
    const stopping = options.earlyStopping && new EarlyStopping(options.earlyStopping, validation !== undefined);
    const rng = options.rng ?? defaultRandom;
    const steps = Math.ceil(x.rows / batchSize);
    const order = new Int32Array(x.rows).map((_, i) => i);
    const history = emptyHistory();
    const watch = options.checkDivergence ?? true;
    let startLoss = 0; // the loss of the first batch, before any update
    try {
      for (let epoch = 1; epoch <= epochs; epoch++) {
        const started = performance.now();
        if (options.shuffle ?? true) rng.shuffle(order);
        let lossTotal = 0;
        let correctTotal = 0;
        for (let step = 1; step <= steps; step++) {
          const indices = order.subarray((step - 1) * batchSize, step * batchSize);
          const inputs = augmentBatch(gatherRows(x, indices), options.augment, rng);
          const batch = this.trainBatch(inputs, targets.gather(indices), { epoch, step, steps, scorer: targets, checkDivergence: watch });
          if (epoch === 1 && step === 1) startLoss = batch.loss;
          history.batchLoss.push(batch.loss);
          lossTotal += batch.loss * indices.length;
          correctTotal += batch.correct;
          if (options.onBatch?.({ epoch, step, steps, ...batch }) === false) return history;
        }
        const info: EpochInfo = { epoch, epochs, loss: lossTotal / x.rows, accuracy: correctTotal / (x.rows * targets.outputsPerSample), learningRate: optimizer.currentLearningRate, seconds: 0 };
        if (validation) {
          const scored = this.score(validation.x, validation.y, validation.targets, Math.max(batchSize, 256));
          [info.validationLoss, info.validationAccuracy] = [scored.loss, scored.accuracy];
        }
        info.seconds = (performance.now() - started) / 1000;
        recordEpoch(history, info);
        if (options.onEpoch?.(info) === false) return history;
        if (watch && lossHasRisen(startLoss, info.loss)) throw risingLossError(startLoss, info.loss, optimizer.learningRate, { epoch, step: steps, steps });
        if (stopping?.update(epoch, info[stopping.monitor]!, this.layers) && epoch < epochs) return stopping.finish(history, this.layers, epoch);
      }
    } catch (error) {
      if (error instanceof TrainingError) explainTrainingError(error, history, this, sampleRows(x, 500));
      throw error;
    }
    return stopping ? stopping.finish(history, this.layers) : history;
  }

  /** The model's outputs for x, computed in inference mode (no dropout), batch by batch. */
  predict(x: Matrix, options: { batchSize?: number } = {}): Matrix {
    checkInputs('Sequential.predict', this.layers, x);
    const batchSize = options.batchSize ?? 1024;
    const parts: Matrix[] = [];
    for (let start = 0; start < x.rows; start += batchSize) {
      parts.push(this.forward(sliceRows(x, start, Math.min(start + batchSize, x.rows)), { training: false }));
    }
    const out = Matrix.zeros(x.rows, parts[0].cols, { dtype: parts[0].dtype });
    parts.reduce((offset, part) => (out.data.set(part.data, offset), offset + part.size), 0);
    return out;
  }

  /** Mean data loss and accuracy on (x, y), in inference mode. */
  evaluate(x: Matrix, y: Targets, options: { batchSize?: number } = {}): Evaluation {
    this.requireLoss('Sequential.evaluate');
    return this.score(x, y, this.prepare('Sequential.evaluate', x, y), options.batchSize);
  }

  /** The fraction of (x, y) the model gets right. */
  accuracy(x: Matrix, y: Targets): number {
    const scorer = this.prepare('Sequential.accuracy', x, y);
    const output = this.predict(x);
    return scorer.correct(output, y) / (x.rows * scorer.outputsPerSample);
  }

  /** Loss and accuracy on data that prepare() has already checked, for a model whose loss is set. */
  private score(x: Matrix, y: Targets, scorer: Scorer, batchSize?: number): Evaluation {
    const output = this.predict(x, { batchSize });
    return { loss: this.loss!.calculate(output, y), accuracy: scorer.correct(output, y) / (x.rows * scorer.outputsPerSample) };
  }

  /** The number of weights and biases in the model. */
  get parameterCount(): number {
    let total = 0;
    for (const layer of this.layers) if (isTrainable(layer)) total += layer.weights.size + layer.biases.size;
    return total;
  }

  /** A table of the layers, their output sizes and parameter counts. */
  summary(): string {
    return layerTable(this.layers);
  }

  private requireLoss(op: string): Loss {
    if (!this.loss) throw new ScratchnetError(op, 'the model has no loss; pass one: new Sequential(layers, { loss, optimizer })');
    return this.loss;
  }

  private requireTraining(op: string): { loss: Loss; optimizer: Optimizer } {
    const loss = this.requireLoss(op);
    if (!this.optimizer) throw new ScratchnetError(op, 'the model has no optimizer; pass one: new Sequential(layers, { loss, optimizer })');
    return { loss, optimizer: this.optimizer };
  }

  /** The accuracy kind set in the options, or the one the loss and last layer imply. */
  private get scoring(): AccuracyKind {
    return this.accuracyKind ?? inferAccuracy(this.loss, this.layers[this.layers.length - 1]);
  }

  /** Checks x and y fully before any weight changes, and returns how to gather and score batches of y. */
  private prepare(op: string, x: Matrix, y: Targets): PreparedTargets {
    checkInputs(op, this.layers, x);
    const outputs = this.forward(sliceRows(x, 0, 1), { training: false }).cols;
    return prepareTargets(op, this.scoring, y, x.rows, outputs);
  }
}
