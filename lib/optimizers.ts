// Optimizers: how a gradient becomes a weight update (chapter 9). SGD with learning-rate
// decay and momentum, AdaGrad, RMSProp and Adam, with the book's update rules and defaults.
// Their per-layer state (momentums, caches) is kept in the optimizer and can be inspected.
import { ScratchnetError } from './errors.ts';
import { Matrix } from './matrix.ts';
import { isTrainable, type Layer, type TrainableLayer } from './layers.ts';
import { kernels } from './kernels/kernels.ts';

/** Settings every optimizer shares. */
export interface OptimizerOptions {
  /** The step size before decay. */
  learningRate?: number;
  /** Decay rate: the learning rate at iteration t is learningRate / (1 + decay · t). */
  decay?: number;
}

/** What an optimizer remembers about one layer between steps. */
export interface ParameterState {
  /** Running velocity (SGD with momentum) or first moment (Adam) of the weight gradients. */
  weightMomentums?: Matrix;
  biasMomentums?: Matrix;
  /** Running sum (AdaGrad) or average (RMSProp, Adam) of squared weight gradients. */
  weightCache?: Matrix;
  biasCache?: Matrix;
}

function checkNumber(op: string, name: string, value: number, low: number, high = Infinity, lowInclusive = true): number {
  const ok = Number.isFinite(value) && (lowInclusive ? value >= low : value > low) && value < high;
  if (!ok) {
    const range = high === Infinity ? `${lowInclusive ? 'at least' : 'above'} ${low}` : `in ${lowInclusive ? '[' : '('}${low}, ${high})`;
    throw new ScratchnetError(op, `${name} must be a number ${range}, not ${String(value)}`);
  }
  return value;
}

/** The shared machinery: decay, the iteration count, per-layer state, and step(). */
export abstract class Optimizer {
  abstract readonly name: string;
  /** The learning rate before decay. */
  readonly learningRate: number;
  /** The learning rate this step uses, after decay. */
  currentLearningRate: number;
  readonly decay: number;
  /** How many steps have been taken. */
  iterations = 0;
  private readonly states = new Map<TrainableLayer, ParameterState>();

  constructor(name: string, options: OptimizerOptions, defaultLearningRate: number) {
    this.learningRate = checkNumber(name, 'learningRate', options.learningRate ?? defaultLearningRate, 0, Infinity, false);
    this.decay = checkNumber(name, 'decay', options.decay ?? 0, 0);
    this.currentLearningRate = this.learningRate;
  }

  /** Sets the decayed learning rate for this step: learningRate / (1 + decay · iterations). */
  preUpdate(): void {
    if (this.decay) this.currentLearningRate = this.learningRate * (1 / (1 + this.decay * this.iterations));
  }

  /** Updates one layer's weights and biases in place from its dweights and dbiases. */
  abstract updateParams(layer: TrainableLayer): void;

  /** Counts the step. */
  postUpdate(): void {
    this.iterations += 1;
  }

  /** One update of every trainable layer: preUpdate, updateParams for each, postUpdate. */
  step(layers: ReadonlyArray<Layer>): void {
    // Check every layer before changing any, so a refused step leaves the model as it was.
    layers.forEach((layer, index) => {
      if (isTrainable(layer) && (!layer.dweights || !layer.dbiases)) {
        throw new ScratchnetError(`${this.name}.step`, `layer ${index} (${layer.name}) has no gradients yet; call backward() before step()`);
      }
    });
    this.preUpdate();
    for (const layer of layers) if (isTrainable(layer)) this.updateParams(layer);
    this.postUpdate();
  }

  /** The momentums and caches kept for `layer` (created empty on first use). */
  stateOf(layer: TrainableLayer): ParameterState {
    let state = this.states.get(layer);
    if (!state) {
      state = {};
      this.states.set(layer, state);
    }
    return state;
  }

  /** The weights and the biases of `layer`, each with its gradient and the state `needs` asks for (zero at first). */
  protected slots(layer: TrainableLayer, needs: { momentums?: boolean; cache?: boolean }): Slot[] {
    const state = this.stateOf(layer);
    if (needs.momentums) {
      state.weightMomentums ??= zerosLike(layer.weights);
      state.biasMomentums ??= zerosLike(layer.biases);
    }
    if (needs.cache) {
      state.weightCache ??= zerosLike(layer.weights);
      state.biasCache ??= zerosLike(layer.biases);
    }
    // Only the state asked for is created, so stateOf() shows just what this optimizer uses.
    return [
      { param: layer.weights, grad: layer.dweights!, momentums: state.weightMomentums!, cache: state.weightCache! },
      { param: layer.biases, grad: layer.dbiases!, momentums: state.biasMomentums!, cache: state.biasCache! },
    ];
  }
}

/** One parameter tensor with its gradient and state; momentums and cache exist only when asked for. */
interface Slot {
  param: Matrix;
  grad: Matrix;
  momentums: Matrix;
  cache: Matrix;
}

function zerosLike(m: Matrix): Matrix {
  return Matrix.zeros(m.rows, m.cols, { dtype: m.dtype });
}

/** Stochastic gradient descent, optionally with momentum: w ← w + (momentum · v − lr · ∂w). */
export class SGD extends Optimizer {
  readonly name = 'SGD';
  readonly momentum: number;

  /** Defaults as in the book: learningRate 1, decay 0, momentum 0. */
  constructor(options: OptimizerOptions & { momentum?: number } = {}) {
    super('SGD', options, 1);
    this.momentum = checkNumber('SGD', 'momentum', options.momentum ?? 0, 0, 1);
  }

  updateParams(layer: TrainableLayer): void {
    const lr = this.currentLearningRate;
    if (this.momentum === 0) {
      // w ← w − lr · ∂w, with no state to keep
      for (const [param, grad] of [[layer.weights, layer.dweights!], [layer.biases, layer.dbiases!]] as const) kernels().sgd(param.data, grad.data, lr);
      return;
    }
    // v ← momentum · v − lr · ∂w, then w ← w + v
    for (const { param, grad, momentums } of this.slots(layer, { momentums: true })) {
      kernels().sgdMomentum(param.data, grad.data, momentums.data, lr, this.momentum);
    }
  }
}

/** Settings for the optimizers that divide by a running root of squared gradients. */
export interface AdaptiveOptions extends OptimizerOptions {
  /** Added to the denominator so it is never zero. */
  epsilon?: number;
}

/** AdaGrad: each parameter's step shrinks with the sum of its squared gradients so far. */
export class AdaGrad extends Optimizer {
  readonly name = 'AdaGrad';
  readonly epsilon: number;

  /** Defaults as in the book: learningRate 1, decay 0, epsilon 1e-7. */
  constructor(options: AdaptiveOptions = {}) {
    super('AdaGrad', options, 1);
    this.epsilon = checkNumber('AdaGrad', 'epsilon', options.epsilon ?? 1e-7, 0, Infinity, false);
  }

  updateParams(layer: TrainableLayer): void {
    // cache ← cache + ∂w², then w ← w − lr · ∂w / (√cache + ε)
    for (const { param, grad, cache } of this.slots(layer, { cache: true })) {
      kernels().adagrad(param.data, grad.data, cache.data, this.currentLearningRate, this.epsilon);
    }
  }
}

/** RMSProp: like AdaGrad, but the cache is a moving average, so steps do not shrink forever. */
export class RMSProp extends Optimizer {
  readonly name = 'RMSProp';
  readonly epsilon: number;
  readonly rho: number;

  /** Defaults as in the book: learningRate 0.001, decay 0, epsilon 1e-7, rho 0.9. */
  constructor(options: AdaptiveOptions & { rho?: number } = {}) {
    super('RMSProp', options, 0.001);
    this.epsilon = checkNumber('RMSProp', 'epsilon', options.epsilon ?? 1e-7, 0, Infinity, false);
    this.rho = checkNumber('RMSProp', 'rho', options.rho ?? 0.9, 0, 1);
  }

  updateParams(layer: TrainableLayer): void {
    // cache ← ρ · cache + (1 − ρ) · ∂w², then w ← w − lr · ∂w / (√cache + ε)
    for (const { param, grad, cache } of this.slots(layer, { cache: true })) {
      kernels().rmsprop(param.data, grad.data, cache.data, this.currentLearningRate, this.epsilon, this.rho);
    }
  }
}

/** Adam: momentum on the gradient and an RMSProp cache, both bias-corrected for the first steps. */
export class Adam extends Optimizer {
  readonly name = 'Adam';
  readonly epsilon: number;
  readonly beta1: number;
  readonly beta2: number;

  /** Defaults as in the book: learningRate 0.001, decay 0, epsilon 1e-7, beta1 0.9, beta2 0.999. */
  constructor(options: AdaptiveOptions & { beta1?: number; beta2?: number } = {}) {
    super('Adam', options, 0.001);
    this.epsilon = checkNumber('Adam', 'epsilon', options.epsilon ?? 1e-7, 0, Infinity, false);
    this.beta1 = checkNumber('Adam', 'beta1', options.beta1 ?? 0.9, 0, 1);
    this.beta2 = checkNumber('Adam', 'beta2', options.beta2 ?? 0.999, 0, 1);
  }

  updateParams(layer: TrainableLayer): void {
    const { beta1, beta2, epsilon } = this;
    // Early on, m and v are biased towards their zero start; dividing by 1 − βᵗ corrects that.
    const correction1 = 1 - beta1 ** (this.iterations + 1);
    const correction2 = 1 - beta2 ** (this.iterations + 1);
    // m ← β₁m + (1 − β₁)∂w, v ← β₂v + (1 − β₂)∂w², then w ← w − lr · m̂ / (√v̂ + ε)
    const step = { learningRate: this.currentLearningRate, epsilon, beta1, beta2, correction1, correction2 };
    for (const { param, grad, momentums, cache } of this.slots(layer, { momentums: true, cache: true })) {
      kernels().adam(param.data, grad.data, momentums.data, cache.data, step);
    }
  }
}

/** The optimizers createOptimizer() makes by name, and the learning rate each starts from when none is given. */
export const OPTIMIZER_DEFAULTS = {
  adam: { learningRate: 0.001 },
  sgd: { learningRate: 0.1, momentum: 0.9 },
  rmsprop: { learningRate: 0.001 },
  adagrad: { learningRate: 0.05 },
} as const;

/** A name createOptimizer() knows: 'adam', 'sgd', 'rmsprop' or 'adagrad'. */
export type OptimizerName = keyof typeof OPTIMIZER_DEFAULTS;

/**
 * The optimizer called `name`, with `options` over its defaults (OPTIMIZER_DEFAULTS: learning
 * rates suited to training an MLP on MNIST, and momentum 0.9 for SGD), e.g. createOptimizer('adam', { decay: 1e-4 }).
 */
export function createOptimizer(name: string, options: OptimizerOptions = {}): Optimizer {
  const settings = { decay: options.decay, learningRate: options.learningRate ?? OPTIMIZER_DEFAULTS[name as OptimizerName]?.learningRate };
  switch (name) {
    case 'adam':
      return new Adam(settings);
    case 'sgd':
      return new SGD({ ...settings, momentum: OPTIMIZER_DEFAULTS.sgd.momentum });
    case 'rmsprop':
      return new RMSProp(settings);
    case 'adagrad':
      return new AdaGrad(settings);
    default:
      throw new ScratchnetError('createOptimizer', `unknown optimizer ${JSON.stringify(name)}; use one of ${Object.keys(OPTIMIZER_DEFAULTS).join(', ')}`);
  }
}
