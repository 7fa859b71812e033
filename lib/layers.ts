// Layers: the Layer contract and Dense, the fully connected layer of chapters 2–3, with its
// initializers. Each layer keeps what its forward pass saw, so backward(dvalues) can apply the
// chain rule (chapter 8). Weights are shaped inputs × outputs, so the forward pass needs no transpose.
import { ScratchnetError, ShapeError } from './errors.ts';
import { Matrix, exceedsAllocationLimit, sizeError, type DType } from './matrix.ts';
import { addRowVector, matmul, shapeOf, sum } from './ops.ts';
import { Random, defaultRandom } from './random.ts';
import { addRegularizationGradient, regularizationPenalty } from './regularization.ts';

/** Options for a forward pass. */
export interface ForwardOptions {
  /** True while training; Dropout only drops units then. Defaults to true. */
  training?: boolean;
}

/** Options for a backward pass. */
export interface BackwardOptions {
  /** Compute dinputs (default true). Training skips it for the first layer, whose inputs are data. */
  inputGradient?: boolean;
}

/** Anything with the book's forward/backward contract: a layer or an activation. */
export interface Layer {
  /** The kind of layer, e.g. 'Dense' or 'ReLU'. */
  readonly name: string;
  /** Computes and keeps `output` from `inputs`. */
  forward(inputs: Matrix, options?: ForwardOptions): Matrix;
  /** Takes the gradient of the loss with respect to `output`, and computes and keeps `dinputs`. */
  backward(dvalues: Matrix, options?: BackwardOptions): Matrix;
  /** The last forward pass's result. */
  output?: Matrix;
  /** The last backward pass's gradient with respect to the inputs. */
  dinputs?: Matrix;
}

/** How a Dense layer draws its first weights. */
export type Initializer = 'randomNormal' | 'heNormal' | 'glorotUniform' | ((nInputs: number, nOutputs: number, rng: Random) => Matrix);

/** Optional settings for a Dense layer. */
export interface DenseOptions {
  /** 'randomNormal' (the book's 0.01 · randn, the default), 'heNormal' (for ReLU), 'glorotUniform', or a function. */
  initializer?: Initializer;
  /** The generator for the first weights; defaults to the shared one reset by `seed()`. */
  rng?: Random;
  /** Element type of weights and biases; defaults to 'float32'. */
  dtype?: DType;
  /** L1 penalty on the weights: adds λ·Σ|w| to the loss. */
  weightRegularizerL1?: number;
  /** L2 penalty on the weights: adds λ·Σw² to the loss. */
  weightRegularizerL2?: number;
  /** L1 penalty on the biases. */
  biasRegularizerL1?: number;
  /** L2 penalty on the biases. */
  biasRegularizerL2?: number;
}

function checkPositiveInteger(op: string, name: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ShapeError(op, `${name} must be a positive whole number, not ${String(n)}`);
}

function checkRegularizer(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new ScratchnetError('Dense', `${name} must be a number of at least 0, not ${String(value)}`);
  return value;
}

/** Draws a first weight matrix (nInputs × nOutputs) with the named initializer. */
export function initialWeights(initializer: Initializer, nInputs: number, nOutputs: number, rng: Random, dtype: DType = 'float32'): Matrix {
  if (typeof initializer === 'function') return initializer(nInputs, nOutputs, rng).astype(dtype);
  const weights = Matrix.zeros(nInputs, nOutputs, { dtype });
  if (initializer === 'randomNormal') {
    for (let i = 0; i < weights.size; i++) weights.data[i] = 0.01 * rng.gaussian();
  } else if (initializer === 'heNormal') {
    const std = Math.sqrt(2 / nInputs); // keeps the variance of ReLU activations steady layer to layer
    for (let i = 0; i < weights.size; i++) weights.data[i] = std * rng.gaussian();
  } else if (initializer === 'glorotUniform') {
    const limit = Math.sqrt(6 / (nInputs + nOutputs));
    for (let i = 0; i < weights.size; i++) weights.data[i] = rng.uniform(-limit, limit);
  } else {
    throw new ScratchnetError('Dense', `unknown initializer ${JSON.stringify(initializer)}; use 'randomNormal', 'heNormal' or 'glorotUniform'`);
  }
  return weights;
}

/** A fully connected layer: output = inputs · weights + biases. */
export class Dense implements Layer {
  readonly name = 'Dense';
  readonly nInputs: number;
  readonly nOutputs: number;
  weightRegularizerL1: number;
  weightRegularizerL2: number;
  biasRegularizerL1: number;
  biasRegularizerL2: number;
  /** The inputs of the last forward pass, kept for backward. */
  inputs?: Matrix;
  output?: Matrix;
  dinputs?: Matrix;
  /** ∂loss/∂weights from the last backward pass (nInputs × nOutputs). */
  dweights?: Matrix;
  /** ∂loss/∂biases from the last backward pass (1 × nOutputs). */
  dbiases?: Matrix;
  private _weights: Matrix;
  private _biases: Matrix;

  /** Creates a layer of nOutputs neurons, each with nInputs weights and one bias (zero at first). */
  constructor(nInputs: number, nOutputs: number, options: DenseOptions = {}) {
    checkPositiveInteger('Dense', 'nInputs', nInputs);
    checkPositiveInteger('Dense', 'nOutputs', nOutputs);
    this.nInputs = nInputs;
    this.nOutputs = nOutputs;
    const dtype = options.dtype ?? 'float32';
    if (exceedsAllocationLimit(nInputs * nOutputs, dtype)) {
      throw sizeError('Dense', nInputs * nOutputs, dtype, `a ${nInputs}→${nOutputs} layer`, 'weights', 'use fewer inputs or outputs');
    }
    this._weights = initialWeights(options.initializer ?? 'randomNormal', nInputs, nOutputs, options.rng ?? defaultRandom, dtype);
    this._biases = Matrix.zeros(1, nOutputs, { dtype });
    this.checkParameter('weights', this._weights, nInputs, nOutputs);
    this.weightRegularizerL1 = checkRegularizer('weightRegularizerL1', options.weightRegularizerL1 ?? 0);
    this.weightRegularizerL2 = checkRegularizer('weightRegularizerL2', options.weightRegularizerL2 ?? 0);
    this.biasRegularizerL1 = checkRegularizer('biasRegularizerL1', options.biasRegularizerL1 ?? 0);
    this.biasRegularizerL2 = checkRegularizer('biasRegularizerL2', options.biasRegularizerL2 ?? 0);
  }

  /** The weights, nInputs × nOutputs: column j holds neuron j's weights. */
  get weights(): Matrix {
    return this._weights;
  }

  set weights(value: Matrix | number[][]) {
    const matrix = value instanceof Matrix ? value : Matrix.fromRows(value, { dtype: this._weights.dtype });
    this._weights = this.checkParameter('weights', matrix, this.nInputs, this.nOutputs);
  }

  /** The biases, 1 × nOutputs: one per neuron. */
  get biases(): Matrix {
    return this._biases;
  }

  set biases(value: Matrix | number[] | number[][]) {
    const matrix = value instanceof Matrix ? value : Array.isArray(value[0]) ? Matrix.fromRows(value as number[][], { dtype: this._biases.dtype }) : Matrix.rowVector(value as number[], { dtype: this._biases.dtype });
    this._biases = this.checkParameter('biases', matrix, 1, this.nOutputs);
  }

  /** The number of weights and biases. */
  get parameterCount(): number {
    return this.nInputs * this.nOutputs + this.nOutputs;
  }

  /** output = inputs · weights + biases: (batch × nInputs) · (nInputs × nOutputs) + (1 × nOutputs). */
  forward(inputs: Matrix): Matrix {
    if (!(inputs instanceof Matrix)) throw new ShapeError('Dense.forward', 'inputs must be a Matrix, e.g. Matrix.fromRows([[1, 2, 3]])');
    if (inputs.rows === 0) throw new ShapeError('Dense.forward', `empty batch ${shapeOf(inputs)}: a batch needs at least one sample`);
    if (inputs.cols !== this.nInputs) {
      throw new ShapeError('Dense.forward', `inputs ${shapeOf(inputs)} · weights ${shapeOf(this._weights)}: each sample has ${inputs.cols} values but this layer takes ${this.nInputs}`);
    }
    this.inputs = inputs;
    this.output = addRowVector(matmul(inputs, this._weights), this._biases);
    return this.output;
  }

  /**
   * Gradients by the chain rule: dweights = inputsᵀ · dvalues, dbiases = Σ dvalues, dinputs = dvalues · weightsᵀ.
   * With `inputGradient: false` it skips dinputs (a third of the work) and returns an empty (0 × nInputs) matrix.
   */
  backward(dvalues: Matrix, options: BackwardOptions = {}): Matrix {
    const inputs = this.inputs;
    if (!inputs) throw new ScratchnetError('Dense.backward', 'call forward(inputs) before backward(dvalues)');
    if (!(dvalues instanceof Matrix) || dvalues.rows !== inputs.rows || dvalues.cols !== this.nOutputs) {
      const shape = dvalues instanceof Matrix ? shapeOf(dvalues) : String(dvalues);
      throw new ShapeError('Dense.backward', `dvalues ${shape} must match the output (${inputs.rows}×${this.nOutputs})`);
    }
    this.dweights = matmul(inputs, dvalues, { transposeA: true }); // (nInputs × nOutputs)
    this.dbiases = sum(dvalues, 0); // (1 × nOutputs)
    addRegularizationGradient(this.dweights, this._weights, this.weightRegularizerL1, this.weightRegularizerL2);
    addRegularizationGradient(this.dbiases, this._biases, this.biasRegularizerL1, this.biasRegularizerL2);
    if (options.inputGradient === false) {
      this.dinputs = undefined;
      return Matrix.zeros(0, this.nInputs);
    }
    this.dinputs = matmul(dvalues, this._weights, { transposeB: true }); // (batch × nInputs)
    return this.dinputs;
  }

  /** The regularization penalty this layer adds to the loss. */
  regularizationLoss(): number {
    return regularizationPenalty(this._weights, this.weightRegularizerL1, this.weightRegularizerL2) + regularizationPenalty(this._biases, this.biasRegularizerL1, this.biasRegularizerL2);
  }

  private checkParameter(name: string, value: Matrix, rows: number, cols: number): Matrix {
    if (!(value instanceof Matrix) || value.rows !== rows || value.cols !== cols) {
      const got = value instanceof Matrix ? `${value.rows}×${value.cols}` : String(value);
      throw new ShapeError(`Dense.${name}`, `a ${this.nInputs}→${this.nOutputs} layer needs ${name} of shape ${rows}×${cols}, not ${got}`);
    }
    return value;
  }
}

/** The number of inputs and outputs a layer declares (as Dense does), or undefined for layers that keep any width. */
export function layerSizes(layer: Layer): { nInputs?: number; nOutputs?: number } {
  const sized = layer as { nInputs?: unknown; nOutputs?: unknown };
  return {
    nInputs: typeof sized.nInputs === 'number' ? sized.nInputs : undefined,
    nOutputs: typeof sized.nOutputs === 'number' ? sized.nOutputs : undefined,
  };
}

/** A layer with weights and biases that an optimizer updates. */
export interface TrainableLayer extends Layer {
  weights: Matrix;
  biases: Matrix;
  dweights?: Matrix;
  dbiases?: Matrix;
  /** The penalty this layer adds to the loss (L1/L2 regularization), if any. */
  regularizationLoss?(): number;
  /** Values learned without a gradient (BatchNormalization's running mean and variance), kept and restored with the weights. */
  statistics?(): Matrix[];
}

/** True for layers with weights and biases that an optimizer updates. */
export function isTrainable(layer: Layer): layer is TrainableLayer {
  const candidate = layer as Partial<TrainableLayer>;
  return candidate.weights instanceof Matrix && candidate.biases instanceof Matrix;
}

/** A layer as messages name it: `layer 2 (Dense)`. */
export function describeLayer(layer: Layer, index: number): string {
  return `layer ${index} (${layer.name})`;
}

/** A table of `layers` with their output sizes and parameter counts, and the total: what Sequential.summary() prints. */
export function layerTable(layers: ReadonlyArray<Layer>): string {
  const lines = ['layer            outputs   parameters'];
  let width: number | undefined; // activations and dropout keep the width of the layer before them
  let total = 0;
  layers.forEach((layer, i) => {
    width = layerSizes(layer).nOutputs ?? width;
    const params = isTrainable(layer) ? layer.weights.size + layer.biases.size : 0;
    total += params;
    lines.push(`${`${i} ${layer.name}`.padEnd(17)}${String(width ?? '').padEnd(10)}${params}`);
  });
  lines.push(`total parameters: ${total}`);
  return lines.join('\n');
}
