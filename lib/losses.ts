// Loss functions: how wrong the predictions are. Categorical cross-entropy and its
// combination with softmax are taught in chapters 6 and 8; binary cross-entropy and mean
// squared error follow the book's later chapters. Each has forward (the loss of each sample),
// calculate (their mean) and backward.
import { ShapeError } from './errors.ts';
import { Matrix } from './matrix.ts';
import { shapeOf } from './ops.ts';
import { Softmax } from './activations.ts';
import { checkClassRows, checkOneHotShape, isOneHot, toLabels, toTargetMatrix, type Targets } from './targets.ts';

/** Predictions are clipped to [ε, 1 − ε] before a log, so log(0) never happens. */
export const CLIP_EPSILON = 1e-7;

function clipProbability(p: number): number {
  return p < CLIP_EPSILON ? CLIP_EPSILON : p > 1 - CLIP_EPSILON ? 1 - CLIP_EPSILON : p;
}

function checkPredictions(op: string, predictions: unknown): asserts predictions is Matrix {
  if (!(predictions instanceof Matrix)) throw new ShapeError(op, 'predictions must be a Matrix');
  if (predictions.rows === 0) throw new ShapeError(op, `empty batch ${shapeOf(predictions)}: a loss needs at least one sample`);
}

/** A loss: per-sample losses from forward, their mean from calculate, and the gradient from backward. */
export abstract class Loss {
  abstract readonly name: string;
  /** The gradient of the mean loss with respect to the predictions, from the last backward pass. */
  dinputs?: Matrix;

  /** The loss of each sample. */
  abstract forward(predictions: Matrix, targets: Targets): Float64Array;

  /** ∂(mean loss)/∂predictions, (batch × outputs). */
  abstract backward(predictions: Matrix, targets: Targets): Matrix;

  /** The mean loss over the batch. */
  calculate(predictions: Matrix, targets: Targets): number {
    return mean(this.forward(predictions, targets));
  }
}

function mean(losses: Float64Array): number {
  let total = 0;
  for (let i = 0; i < losses.length; i++) total += losses[i];
  return total / losses.length;
}

/** Categorical cross-entropy: −log of the probability given to the correct class. */
export class CategoricalCrossEntropy extends Loss {
  readonly name = 'CategoricalCrossEntropy';

  /**
   * −Σ y·log p per sample, with p clipped to [1e-7, 1 − 1e-7]: −log(p_correct) for labels or one-hot
   * rows, and the full sum for soft labels (rows of class probabilities, checked by checkClassRows).
   */
  forward(predictions: Matrix, targets: Targets): Float64Array {
    checkPredictions('CategoricalCrossEntropy', predictions);
    const { rows, cols } = predictions;
    const out = new Float64Array(rows);
    if (isOneHot(targets, cols)) {
      checkOneHotShape('CategoricalCrossEntropy', targets, rows, cols);
      checkClassRows('CategoricalCrossEntropy', targets);
      for (let r = 0; r < rows; r++) {
        let total = 0; // the one-hot zeros switch off every term but the correct class's
        for (let c = 0; c < cols; c++) total += targets.data[r * cols + c] * Math.log(clipProbability(predictions.data[r * cols + c]));
        out[r] = -total;
      }
      return out;
    }
    const labels = toLabels('CategoricalCrossEntropy', targets, rows, cols);
    for (let r = 0; r < rows; r++) out[r] = -Math.log(clipProbability(predictions.data[r * cols + labels[r]]));
    return out;
  }

  /** −y / p, divided by the batch size so the gradient does not grow with it. */
  backward(predictions: Matrix, targets: Targets): Matrix {
    checkPredictions('CategoricalCrossEntropy.backward', predictions);
    const oneHotTargets = asOneHot('CategoricalCrossEntropy.backward', predictions, targets);
    const { rows, cols } = predictions;
    const out = Matrix.zeros(rows, cols, { dtype: predictions.dtype });
    for (let i = 0; i < out.size; i++) out.data[i] = -oneHotTargets.data[i] / clipProbability(predictions.data[i]) / rows;
    this.dinputs = out;
    return out;
  }
}

/** One-hot rows for `targets`, whether they came as labels or already one-hot. */
function asOneHot(op: string, predictions: Matrix, targets: Targets): Matrix {
  const { rows, cols } = predictions;
  if (isOneHot(targets, cols)) {
    checkOneHotShape(op, targets, rows, cols);
    checkClassRows(op, targets);
    return targets;
  }
  const labels = toLabels(op, targets, rows, cols);
  const out = Matrix.zeros(rows, cols, { dtype: 'float64' });
  for (let r = 0; r < rows; r++) out.data[r * cols + labels[r]] = 1;
  return out;
}

/**
 * Softmax and categorical cross-entropy in one step, whose gradient is simply (softmax − one-hot) / batch.
 * Like a Loss, forward gives per-sample losses and calculate their mean; but forward takes the scores
 * before softmax and backward the softmax outputs, so it is not a Loss a model can take (Sequential
 * combines a last Softmax layer with CategoricalCrossEntropy by itself).
 */
export class SoftmaxCrossEntropy {
  readonly name = 'SoftmaxCrossEntropy';
  readonly activation = new Softmax();
  readonly loss = new CategoricalCrossEntropy();
  /** The softmax probabilities of the last forward pass. */
  output?: Matrix;
  dinputs?: Matrix;

  /** Applies softmax to `inputs`, keeps the probabilities in `output`, and returns each sample's loss. */
  forward(inputs: Matrix, targets: Targets): Float64Array {
    this.output = this.activation.forward(inputs);
    return this.loss.forward(this.output, targets);
  }

  /** The mean loss over the batch (after softmax, whose probabilities it keeps in `output`). */
  calculate(inputs: Matrix, targets: Targets): number {
    return mean(this.forward(inputs, targets));
  }

  /** ∂loss/∂inputs = (ŷ − y) / batch, where ŷ are the softmax outputs (`predictions`) and y the one-hot targets. */
  backward(predictions: Matrix, targets: Targets): Matrix {
    checkPredictions('SoftmaxCrossEntropy.backward', predictions);
    const { rows, cols } = predictions;
    const out = predictions.clone();
    if (isOneHot(targets, cols)) {
      checkOneHotShape('SoftmaxCrossEntropy.backward', targets, rows, cols);
      checkClassRows('SoftmaxCrossEntropy.backward', targets);
      for (let i = 0; i < out.size; i++) out.data[i] -= targets.data[i];
    } else {
      const labels = toLabels('SoftmaxCrossEntropy.backward', targets, rows, cols);
      for (let r = 0; r < rows; r++) out.data[r * cols + labels[r]] -= 1;
    }
    for (let i = 0; i < out.size; i++) out.data[i] /= rows;
    this.dinputs = out;
    return out;
  }
}

/**
 * A loss that scores each output on its own: the sample's loss is the mean of elementLoss over
 * its outputs, and the gradient of each output is elementGradient / outputs / batch.
 */
export abstract class ElementwiseLoss extends Loss {
  /** The loss of one prediction p against its target t. */
  abstract elementLoss(p: number, t: number): number;

  /** ∂elementLoss/∂p. */
  abstract elementGradient(p: number, t: number): number;

  /** The mean of elementLoss over each sample's outputs. */
  forward(predictions: Matrix, targets: Targets): Float64Array {
    checkPredictions(this.name, predictions);
    const y = toTargetMatrix(this.name, targets, predictions);
    const { rows, cols } = predictions;
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let total = 0;
      for (let c = 0; c < cols; c++) total += this.elementLoss(predictions.data[r * cols + c], y.data[r * cols + c]);
      out[r] = total / cols;
    }
    return out;
  }

  /** elementGradient / outputs / batch, for every output. */
  backward(predictions: Matrix, targets: Targets): Matrix {
    checkPredictions(`${this.name}.backward`, predictions);
    const y = toTargetMatrix(`${this.name}.backward`, targets, predictions);
    const { rows, cols } = predictions;
    const out = Matrix.zeros(rows, cols, { dtype: predictions.dtype });
    for (let i = 0; i < out.size; i++) out.data[i] = this.elementGradient(predictions.data[i], y.data[i]) / cols / rows;
    this.dinputs = out;
    return out;
  }
}

/** Binary cross-entropy, for independent yes/no outputs after a Sigmoid. */
export class BinaryCrossEntropy extends ElementwiseLoss {
  readonly name = 'BinaryCrossEntropy';

  /** −(t·log p + (1 − t)·log(1 − p)), with p clipped to [1e-7, 1 − 1e-7]. */
  elementLoss(p: number, t: number): number {
    const q = clipProbability(p);
    return -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
  }

  /** −(t/p − (1 − t)/(1 − p)). */
  elementGradient(p: number, t: number): number {
    const q = clipProbability(p);
    return -(t / q - (1 - t) / (1 - q));
  }
}

/** Mean squared error, for regression. */
export class MeanSquaredError extends ElementwiseLoss {
  readonly name = 'MeanSquaredError';

  /** (t − p)². */
  elementLoss(p: number, t: number): number {
    return (t - p) * (t - p);
  }

  /** −2(t − p). */
  elementGradient(p: number, t: number): number {
    return -2 * (t - p);
  }
}

/** Mean absolute error, for regression that should not chase outliers. */
export class MeanAbsoluteError extends ElementwiseLoss {
  readonly name = 'MeanAbsoluteError';

  /** |t − p|. */
  elementLoss(p: number, t: number): number {
    return Math.abs(t - p);
  }

  /** −sign(t − p). */
  elementGradient(p: number, t: number): number {
    return -Math.sign(t - p);
  }
}
