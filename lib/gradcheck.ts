// Gradient checking: proof that backward() is right. Each parameter is nudged by ±ε and the
// change in the loss is compared with the analytic gradient, all in float64 (chapter 8).
// The layers' own parameters are swapped for float64 copies during the check and restored after.
import { ScratchnetError, ShapeError } from './errors.ts';
import { Matrix } from './matrix.ts';
import { Random, defaultRandom } from './random.ts';
import { isTrainable, type Layer, type TrainableLayer } from './layers.ts';
import type { Loss } from './losses.ts';
import { regularizationLoss } from './regularization.ts';
import type { Targets } from './targets.ts';

/** Options for gradientCheck. */
export interface GradientCheckOptions {
  /** The nudge ε for the central difference (f(θ+ε) − f(θ−ε)) / 2ε; defaults to 1e-5, which balances truncation and rounding error in float64. */
  epsilon?: number;
  /** Run layers in training mode (dropout on, with the same mask for every evaluation); defaults to false. */
  training?: boolean;
  /** Also check the gradient with respect to the inputs (default true). */
  checkInputs?: boolean;
}

/** The worst disagreement found in one parameter tensor. */
export interface ParameterCheck {
  /** Index of the layer in the list, or -1 for the inputs. */
  layer: number;
  layerName: string;
  parameter: 'weights' | 'biases' | 'inputs';
  /** The largest |analytic − numeric| / max(|analytic|, |numeric|) over the tensor's elements. */
  maxRelativeError: number;
  /** The largest |analytic − numeric|. */
  maxAbsoluteError: number;
  /** Where the largest relative error is, and the two gradients there. */
  worst: { row: number; col: number; analytic: number; numeric: number };
  /** The whole analytic gradient, from backward(). */
  analytic: Matrix;
  /** The whole numeric gradient, from central differences. */
  numeric: Matrix;
}

/** The result of a gradient check: one entry per parameter tensor. */
export interface GradientCheckReport {
  checks: ParameterCheck[];
  /** The largest relative error over all tensors. */
  maxRelativeError: number;
}

/** Something with layers and a loss, such as a Sequential model. */
export interface Network {
  layers: ReadonlyArray<Layer>;
  loss?: Loss;
  /** A model's own backward pass (Sequential's combines softmax with cross-entropy); used when present. */
  backward?(output: Matrix, targets: Targets): void;
}

/** The fields a layer keeps from its last forward and backward passes. */
const REMEMBERED = ['inputs', 'output', 'dinputs', 'dweights', 'dbiases', 'mask', 'normalized', 'inverseDeviation', 'runningMean', 'runningVariance'] as const;

/** |a − n| / max(|a|, |n|); 0 when both are 0. For gradients near 0 (below ~1e-8), read maxAbsoluteError instead. */
export function relativeError(analytic: number, numeric: number): number {
  const scale = Math.max(Math.abs(analytic), Math.abs(numeric));
  return scale === 0 ? 0 : Math.abs(analytic - numeric) / scale;
}

/**
 * Compares every analytic gradient of `network` on (inputs, targets) with central finite differences in float64.
 * Keep parameters away from kinks: ReLU inputs at 0, or L1-regularized parameters at exactly 0 (such as
 * fresh biases), where the one-sided analytic slope and the numeric average legitimately differ.
 */
export function gradientCheck(network: Network, inputs: Matrix, targets: Targets, options: GradientCheckOptions = {}): GradientCheckReport {
  const { layers, loss } = network;
  if (!loss) throw new ScratchnetError('gradientCheck', 'the network has no loss to differentiate');
  if (layers.length === 0) throw new ScratchnetError('gradientCheck', 'the network has no layers');
  if (!(inputs instanceof Matrix)) throw new ShapeError('gradientCheck', 'inputs must be a Matrix');
  const epsilon = options.epsilon ?? 1e-5;
  if (!(epsilon > 0)) throw new ScratchnetError('gradientCheck', `epsilon must be positive, not ${String(epsilon)}`);
  const training = options.training ?? false;

  const trainable = layers.filter(isTrainable);
  const originals = trainable.map((layer) => ({ layer, weights: layer.weights, biases: layer.biases }));
  // What the layers remember of their last passes is put back too, so a step after the check
  // applies the model's own gradients, not the check's.
  const remembered = layers.map((layer) => Object.fromEntries(REMEMBERED.map((key) => [key, (layer as unknown as Record<string, unknown>)[key]])));
  // Replaying the random generators gives every evaluation the same dropout mask.
  const generators = [defaultRandom, ...layers.map((layer) => (layer as { rng?: unknown }).rng).filter((r): r is Random => r instanceof Random)];
  const snapshots = generators.map((rng) => rng.getState());
  const replay = (): void => generators.forEach((rng, i) => rng.setState(snapshots[i]));

  try {
    for (const entry of originals) {
      entry.layer.weights = entry.weights.astype('float64').clone();
      entry.layer.biases = entry.biases.astype('float64').clone();
    }
    const x = inputs.astype('float64').clone();
    const y = targets instanceof Matrix ? targets.astype('float64') : targets;

    const lossAt = (): number => {
      replay();
      let output = x;
      for (const layer of layers) output = layer.forward(output, { training });
      return loss.calculate(output, y) + regularizationLoss(layers);
    };

    // Analytic gradients from one forward and backward pass.
    lossAt();
    backpropagate(network, loss, layers[layers.length - 1].output!, y);
    const dinputs = layers[0].dinputs!.clone();
    const analytic = trainable.map((layer) => ({ dweights: layer.dweights!.clone(), dbiases: layer.dbiases!.clone() }));

    const checks: ParameterCheck[] = [];
    trainable.forEach((layer, t) => {
      const index = layers.indexOf(layer);
      checks.push(compare(index, layer.name, 'weights', layer.weights, analytic[t].dweights, lossAt, epsilon));
      checks.push(compare(index, layer.name, 'biases', layer.biases, analytic[t].dbiases, lossAt, epsilon));
    });
    if (options.checkInputs ?? true) checks.push(compare(-1, 'inputs', 'inputs', x, dinputs, lossAt, epsilon));
    return { checks, maxRelativeError: Math.max(0, ...checks.map((check) => check.maxRelativeError)) };
  } finally {
    for (const entry of originals) restore(entry.layer, entry.weights, entry.biases);
    layers.forEach((layer, i) => Object.assign(layer, remembered[i]));
    replay();
  }
}

/** The model's own backward pass when it has one, so the check covers exactly what training runs; otherwise the loss's, then each layer's. */
function backpropagate(network: Network, loss: Loss, output: Matrix, targets: Targets): void {
  if (typeof network.backward === 'function') return network.backward(output, targets);
  let dvalues = loss.backward(output, targets);
  for (let i = network.layers.length - 1; i >= 0; i--) dvalues = network.layers[i].backward(dvalues);
}

function restore(layer: TrainableLayer, weights: Matrix, biases: Matrix): void {
  layer.weights = weights;
  layer.biases = biases;
}

/** Nudges every element of `parameter` in place and compares the loss's slope with `gradient`. */
function compare(
  layer: number,
  layerName: string,
  parameter: ParameterCheck['parameter'],
  values: Matrix,
  gradient: Matrix,
  lossAt: () => number,
  epsilon: number,
): ParameterCheck {
  const numericGradient = Matrix.zeros(values.rows, values.cols, { dtype: 'float64' });
  const check: ParameterCheck = {
    layer,
    layerName,
    parameter,
    maxRelativeError: 0,
    maxAbsoluteError: 0,
    worst: { row: 0, col: 0, analytic: 0, numeric: 0 },
    analytic: gradient,
    numeric: numericGradient,
  };
  for (let i = 0; i < values.size; i++) {
    const saved = values.data[i];
    values.data[i] = saved + epsilon;
    const plus = lossAt();
    values.data[i] = saved - epsilon;
    const minus = lossAt();
    values.data[i] = saved;
    const numeric = (plus - minus) / (2 * epsilon);
    numericGradient.data[i] = numeric;
    const analytic = gradient.data[i];
    const error = relativeError(analytic, numeric);
    check.maxAbsoluteError = Math.max(check.maxAbsoluteError, Math.abs(analytic - numeric));
    if (error >= check.maxRelativeError) {
      check.maxRelativeError = error;
      check.worst = { row: Math.floor(i / values.cols), col: i % values.cols, analytic, numeric };
    }
  }
  return check;
}
