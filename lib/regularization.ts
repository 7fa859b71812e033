// L1 and L2 regularization, from the book's chapter 14: the penalty λ₁·Σ|p| + λ₂·Σp² a layer
// adds to the loss to keep its parameters small, the gradient of that penalty, and the total
// penalty of a model's layers, which training adds to the data loss.
import { Matrix } from './matrix.ts';
import type { Layer, TrainableLayer } from './layers.ts';

/** λ₁·Σ|p| + λ₂·Σp² over one parameter matrix (0 when both λ are 0). */
export function regularizationPenalty(parameter: Matrix, l1: number, l2: number): number {
  if (l1 === 0 && l2 === 0) return 0;
  let absolute = 0;
  let squares = 0;
  for (let i = 0; i < parameter.size; i++) {
    absolute += Math.abs(parameter.data[i]);
    squares += parameter.data[i] * parameter.data[i];
  }
  // Skip a zero λ rather than multiply by it: 0 · Infinity would be NaN.
  return (l1 ? l1 * absolute : 0) + (l2 ? l2 * squares : 0);
}

/** Adds ∂penalty/∂p = λ₁·sign(p) + 2λ₂·p to a gradient, in place. */
export function addRegularizationGradient(gradient: Matrix, parameter: Matrix, l1: number, l2: number): void {
  if (l1 === 0 && l2 === 0) return;
  for (let i = 0; i < gradient.size; i++) {
    const p = parameter.data[i];
    gradient.data[i] += l1 * (p >= 0 ? 1 : -1) + 2 * l2 * p;
  }
}

/** The total L1/L2 penalty of every trainable layer, added to the data loss while training. */
export function regularizationLoss(layers: ReadonlyArray<Layer>): number {
  let total = 0;
  for (const layer of layers) {
    // isTrainable's test, written out, because layers.ts imports this module and not the reverse.
    const candidate = layer as Partial<TrainableLayer>;
    if (candidate.weights instanceof Matrix && candidate.biases instanceof Matrix && candidate.regularizationLoss) total += candidate.regularizationLoss();
  }
  return total;
}
