// Batch normalisation, taught in the chapter "Training on real data": a layer that rescales each
// feature of a batch to mean 0 and variance 1, then by a learned scale γ and shift β. While training
// it uses the batch's own statistics and keeps a running average of them for inference.
import { ScratchnetError, ShapeError } from './errors.ts';
import { Matrix, type DType } from './matrix.ts';
import { shapeOf } from './ops.ts';
import type { BackwardOptions, ForwardOptions, TrainableLayer } from './layers.ts';

/** Optional settings for BatchNormalization. */
export interface BatchNormalizationOptions {
  /** How much of the running mean and variance each training batch keeps: new = momentum · old + (1 − momentum) · batch; defaults to 0.9. */
  momentum?: number;
  /** Added to the variance before its square root, so a feature that never varies divides by √ε, not 0; defaults to 1e-5. */
  epsilon?: number;
  /** Element type of the scale, shift and statistics; defaults to 'float32'. */
  dtype?: DType;
}

/**
 * Batch normalisation over `size` features: output = γ · (x − μ) / √(σ² + ε) + β, with μ and σ² the
 * batch's per-feature mean and variance while training and the running ones at inference. γ and β
 * are kept as `weights` and `biases` (each 1 × size), so every optimizer updates them like a Dense layer's.
 */
export class BatchNormalization implements TrainableLayer {
  readonly name = 'BatchNormalization';
  /** The number of features; a BatchNormalization layer gives as many outputs as it takes inputs. */
  readonly nInputs: number;
  readonly nOutputs: number;
  readonly momentum: number;
  readonly epsilon: number;
  /** The running per-feature mean (1 × size) that inference normalises with. */
  runningMean: Matrix;
  /** The running per-feature variance (1 × size, unbiased: over n − 1) that inference normalises with. */
  runningVariance: Matrix;
  output?: Matrix;
  dinputs?: Matrix;
  /** ∂loss/∂γ from the last backward pass (1 × size). */
  dweights?: Matrix;
  /** ∂loss/∂β from the last backward pass (1 × size). */
  dbiases?: Matrix;
  /** The last training pass's normalised inputs (x − μ) / √(σ² + ε), kept for backward (batch × size). */
  normalized?: Matrix;
  /** The last training pass's 1 / √(σ² + ε) per feature, kept for backward (1 × size). */
  inverseDeviation?: Matrix;
  private _weights: Matrix;
  private _biases: Matrix;

  /** Creates a layer for `size` features with γ = 1, β = 0, running mean 0 and running variance 1. */
  constructor(size: number, options: BatchNormalizationOptions = {}) {
    if (!Number.isInteger(size) || size < 1) throw new ShapeError('BatchNormalization', `size must be a positive whole number of features, not ${String(size)}`);
    const momentum = options.momentum ?? 0.9;
    const epsilon = options.epsilon ?? 1e-5;
    if (!(momentum >= 0 && momentum < 1)) throw new ScratchnetError('BatchNormalization', `momentum must be in [0, 1), not ${String(momentum)}`);
    if (!(epsilon > 0 && Number.isFinite(epsilon))) throw new ScratchnetError('BatchNormalization', `epsilon must be a positive number, not ${String(epsilon)}`);
    const dtype = options.dtype ?? 'float32';
    [this.nInputs, this.nOutputs, this.momentum, this.epsilon] = [size, size, momentum, epsilon];
    this._weights = Matrix.full(1, size, 1, { dtype });
    this._biases = Matrix.zeros(1, size, { dtype });
    this.runningMean = Matrix.zeros(1, size, { dtype });
    this.runningVariance = Matrix.full(1, size, 1, { dtype });
  }

  /** γ, the learned scale of each feature (1 × size), stored as weights. */
  get weights(): Matrix {
    return this._weights;
  }

  set weights(value: Matrix) {
    this._weights = this.checkRow('weights', value);
  }

  /** β, the learned shift of each feature (1 × size), stored as biases. */
  get biases(): Matrix {
    return this._biases;
  }

  set biases(value: Matrix) {
    this._biases = this.checkRow('biases', value);
  }

  /** Normalises each feature with the batch's statistics when training (updating the running ones), with the running ones otherwise. */
  forward(inputs: Matrix, options: ForwardOptions = {}): Matrix {
    const op = 'BatchNormalization.forward';
    if (!(inputs instanceof Matrix)) throw new ShapeError(op, 'inputs must be a Matrix');
    if (inputs.cols !== this.nInputs) throw new ShapeError(op, `inputs ${shapeOf(inputs)} have ${inputs.cols} features per sample but this layer normalises ${this.nInputs}`);
    const [n, size] = [inputs.rows, this.nInputs];
    const gamma = this._weights.data;
    const beta = this._biases.data;
    const x = inputs.data;
    const output = Matrix.zeros(n, size, { dtype: inputs.dtype }); // (batch × size)
    if (options.training === false) {
      const mean = this.runningMean.data;
      const variance = this.runningVariance.data;
      const scale = new Float64Array(size);
      for (let j = 0; j < size; j++) scale[j] = gamma[j] / Math.sqrt(variance[j] + this.epsilon);
      for (let r = 0; r < n; r++) {
        for (let j = 0, i = r * size; j < size; j++, i++) output.data[i] = (x[i] - mean[j]) * scale[j] + beta[j];
      }
      this.normalized = undefined;
      return (this.output = output);
    }
    if (n < 2) throw new ShapeError(op, `a training batch of ${n} sample has no variance to normalise by; train on batches of at least 2`);
    // The batch's mean and (biased, over n) variance per feature, in float64 so a large batch sums exactly enough.
    const mean = new Float64Array(size);
    const squares = new Float64Array(size);
    for (let r = 0; r < n; r++) for (let j = 0, i = r * size; j < size; j++, i++) mean[j] += x[i];
    for (let j = 0; j < size; j++) mean[j] /= n;
    for (let r = 0; r < n; r++) {
      for (let j = 0, i = r * size; j < size; j++, i++) {
        const d = x[i] - mean[j];
        squares[j] += d * d;
      }
    }
    const inverse = Matrix.zeros(1, size, { dtype: inputs.dtype });
    // New matrices rather than updates in place, so a caller holding the old statistics (gradientCheck) can put them back.
    const runningMean = Matrix.zeros(1, size, { dtype: this.runningMean.dtype });
    const runningVariance = Matrix.zeros(1, size, { dtype: this.runningVariance.dtype });
    const m = this.momentum;
    for (let j = 0; j < size; j++) {
      const variance = squares[j] / n;
      inverse.data[j] = 1 / Math.sqrt(variance + this.epsilon);
      runningMean.data[j] = m * this.runningMean.data[j] + (1 - m) * mean[j];
      // The running variance estimates the population's, so it divides by n − 1.
      runningVariance.data[j] = m * this.runningVariance.data[j] + (1 - m) * (squares[j] / (n - 1));
    }
    const normalized = Matrix.zeros(n, size, { dtype: inputs.dtype }); // (batch × size)
    for (let r = 0; r < n; r++) {
      for (let j = 0, i = r * size; j < size; j++, i++) {
        const h = (x[i] - mean[j]) * inverse.data[j];
        normalized.data[i] = h;
        output.data[i] = gamma[j] * h + beta[j];
      }
    }
    [this.normalized, this.inverseDeviation, this.runningMean, this.runningVariance] = [normalized, inverse, runningMean, runningVariance];
    return (this.output = output);
  }

  /**
   * Gradients of a training pass: dweights = Σ dvalues · x̂, dbiases = Σ dvalues, and, since every
   * input moved the batch's mean and variance too, dinputs = (γ / (n√(σ² + ε))) · (n · dvalues − Σ dvalues − x̂ · Σ dvalues · x̂).
   */
  backward(dvalues: Matrix, options: BackwardOptions = {}): Matrix {
    const op = 'BatchNormalization.backward';
    const normalized = this.normalized;
    if (!normalized) throw new ScratchnetError(op, 'call forward(inputs) in training mode before backward(dvalues): inference uses fixed statistics and keeps nothing to differentiate');
    if (!(dvalues instanceof Matrix) || dvalues.rows !== normalized.rows || dvalues.cols !== normalized.cols) {
      const shape = dvalues instanceof Matrix ? shapeOf(dvalues) : String(dvalues);
      throw new ShapeError(op, `dvalues ${shape} must match the output ${shapeOf(normalized)}`);
    }
    const [n, size] = [normalized.rows, this.nInputs];
    const d = dvalues.data; // (batch × size)
    const xhat = normalized.data; // (batch × size)
    // Per feature, summed in float64: Σ dvalues (∂loss/∂β) and Σ dvalues · x̂ (∂loss/∂γ).
    const sumD = new Float64Array(size);
    const sumDXhat = new Float64Array(size);
    for (let r = 0; r < n; r++) {
      for (let j = 0, i = r * size; j < size; j++, i++) {
        sumD[j] += d[i];
        sumDXhat[j] += d[i] * xhat[i];
      }
    }
    this.dbiases = new Matrix(1, size, sumD, { dtype: this._biases.dtype }); // (1 × size)
    this.dweights = new Matrix(1, size, sumDXhat, { dtype: this._weights.dtype }); // (1 × size)
    if (options.inputGradient === false) {
      this.dinputs = undefined;
      return Matrix.zeros(0, size);
    }
    const gamma = this._weights.data;
    const inverse = this.inverseDeviation!.data; // 1 / √(σ² + ε) per feature
    const dinputs = Matrix.zeros(n, size, { dtype: dvalues.dtype }); // (batch × size)
    for (let r = 0; r < n; r++) {
      for (let j = 0, i = r * size; j < size; j++, i++) {
        // Its own share (n · d), its share in the mean (− Σ d), and its share in the variance (− x̂ · Σ d · x̂).
        dinputs.data[i] = ((gamma[j] * inverse[j]) / n) * (n * d[i] - sumD[j] - xhat[i] * sumDXhat[j]);
      }
    }
    return (this.dinputs = dinputs);
  }

  /** The values the layer learns without a gradient, its running mean and variance, which saving and early stopping keep with γ and β. */
  statistics(): Matrix[] {
    return [this.runningMean, this.runningVariance];
  }

  private checkRow(name: string, value: Matrix): Matrix {
    if (!(value instanceof Matrix) || value.rows !== 1 || value.cols !== this.nInputs) {
      const got = value instanceof Matrix ? `${value.rows}×${value.cols}` : String(value);
      throw new ShapeError(`BatchNormalization.${name}`, `a layer of ${this.nInputs} features needs ${name} of shape 1×${this.nInputs}, not ${got}`);
    }
    return value;
  }
}
