// The reference training run of the speed benchmarks (issue 5, chapter 11): MNIST through
// 784-128-128-10 with ReLU, softmax and Adam, batch 128, float32. Node (scripts/bench.ts) and the
// browser (scripts/bench-browser.ts) both call these functions, so both time exactly the same work.
import { Adam, CategoricalCrossEntropy, Dense, Matrix, Random, ReLU, Sequential, Softmax, gatherRows, getBackend, type LabelledImages } from '../lib/index.ts';

/** The reference configuration. */
export const REFERENCE = { sizes: [784, 128, 128, 10], batchSize: 128, learningRate: 0.001, seed: 1 } as const;

/** The starting weights (He-normal) and one shuffled sample order per epoch, all from the seed. */
export function referenceStart(trainRows: number, epochs: number): { weights: Matrix[]; orders: Int32Array[] } {
  const rng = new Random(REFERENCE.seed);
  const { sizes } = REFERENCE;
  const weights = sizes.slice(0, -1).map((n, i) => new Dense(n, sizes[i + 1], { initializer: 'heNormal', rng }).weights);
  const orders = Array.from({ length: epochs }, () => rng.permutation(trainRows));
  return { weights, orders };
}

/** A fresh reference network starting from `weights`, with its Adam optimizer (the reference learning rate and no decay unless told). */
export function referenceModel(weights: Matrix[], options: { learningRate?: number; decay?: number } = {}): { model: Sequential; optimizer: Adam } {
  const { sizes } = REFERENCE;
  const layers = [];
  for (let i = 0; i < weights.length; i++) {
    const dense = new Dense(sizes[i], sizes[i + 1]);
    dense.weights = weights[i].clone();
    layers.push(dense, i < weights.length - 1 ? new ReLU() : new Softmax());
  }
  const optimizer = new Adam({ learningRate: options.learningRate ?? REFERENCE.learningRate, decay: options.decay ?? 0 });
  return { model: new Sequential(layers, { loss: new CategoricalCrossEntropy(), optimizer }), optimizer };
}

/** One training step on the samples at `indices`: forward, backward (no input gradient for layer 1), Adam. */
export function trainStep(model: Sequential, optimizer: Adam, x: Matrix, y: Int32Array, indices: Int32Array): void {
  const output = model.forward(gatherRows(x, indices), { training: true });
  model.backward(output, Int32Array.from(indices, (i) => y[i]), { inputGradient: false });
  optimizer.step(model.layers);
}

/** One epoch in `order`, batch by batch. Returns seconds. */
export function trainEpoch(model: Sequential, optimizer: Adam, x: Matrix, y: Int32Array, order: Int32Array, batchSize: number = REFERENCE.batchSize): number {
  const started = performance.now();
  for (let start = 0; start < order.length; start += batchSize) trainStep(model, optimizer, x, y, order.subarray(start, start + batchSize));
  return (performance.now() - started) / 1000;
}

/** What one reference run measured, and the parameters it ended with (to compare runs value for value). */
export interface ReferenceRun {
  kernels: string;
  secondsPerEpoch: number[];
  testAccuracy: number;
  parameters: number[][];
}

/** The whole reference run: `epochs` epochs from the seeded start, then test accuracy; `onEpoch` hears each epoch's time. */
export function referenceRun(train: LabelledImages, test: LabelledImages, epochs: number, onEpoch: (epoch: number, seconds: number) => void = () => {}): ReferenceRun {
  const { weights, orders } = referenceStart(train.x.rows, epochs);
  const { model, optimizer } = referenceModel(weights);
  const secondsPerEpoch: number[] = [];
  for (const order of orders) {
    secondsPerEpoch.push(trainEpoch(model, optimizer, train.x, train.y, order));
    onEpoch(secondsPerEpoch.length, secondsPerEpoch.at(-1)!);
  }
  const parameters = model.layers.flatMap((layer) => ('weights' in layer && 'biases' in layer ? [layer.weights as Matrix, layer.biases as Matrix].map((m) => Array.from(m.data)) : []));
  return { kernels: getBackend(), secondsPerEpoch, testAccuracy: model.accuracy(test.x, test.y), parameters };
}

/** The middle value (the upper one of an even count): the benchmarks report median epochs. */
export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
