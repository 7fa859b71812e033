// The reference training run of the speed benchmarks (the chapter "Making it fast"): MNIST through
// 784-128-128-10 with ReLU, softmax and Adam, batch 128, float32. Node (scripts/bench.ts) and the
// browser (scripts/bench-browser.ts) both call these functions, so both time exactly the same work.
import { Matrix, Random, Sequential, createOptimizer, gatherRows, getBackend, isTrainable, mlp, type LabelledImages } from '../lib/index.ts';

/** The reference configuration. */
export const REFERENCE = { sizes: [784, 128, 128, 10], batchSize: 128, learningRate: 0.001, seed: 1 } as const;

/** The starting weights (He-normal in every layer, the output layer too) and one shuffled sample order per epoch, all from the seed. */
export function referenceStart(trainRows: number, epochs: number): { weights: Matrix[]; orders: Int32Array[] } {
  const rng = new Random(REFERENCE.seed);
  const weights = mlp(REFERENCE.sizes, { rng, outputInitializer: 'heNormal' }).trainableLayers.flatMap((layer) => (isTrainable(layer) ? [layer.weights] : []));
  const orders = Array.from({ length: epochs }, () => rng.permutation(trainRows));
  return { weights, orders };
}

/** A fresh reference network starting from `weights`, with Adam at the reference learning rate and no decay unless told. */
export function referenceModel(weights: Matrix[], options: { learningRate?: number; decay?: number } = {}): Sequential {
  const optimizer = createOptimizer('adam', { learningRate: options.learningRate ?? REFERENCE.learningRate, decay: options.decay ?? 0 });
  // Its own generator, so drawing first weights that are replaced at once leaves the shared one alone.
  const model = mlp(REFERENCE.sizes, { rng: new Random(REFERENCE.seed), optimizer });
  model.trainableLayers.forEach((layer, i) => {
    if (isTrainable(layer)) layer.weights = weights[i].clone();
  });
  return model;
}

/** One training step on the samples at `indices` (trainBatch: forward, loss, backward, Adam). */
export function trainStep(model: Sequential, x: Matrix, y: Int32Array, indices: Int32Array): void {
  model.trainBatch(gatherRows(x, indices), Int32Array.from(indices, (i) => y[i]));
}

/** One epoch in `order`, batch by batch. Returns seconds. */
export function trainEpoch(model: Sequential, x: Matrix, y: Int32Array, order: Int32Array, batchSize: number = REFERENCE.batchSize): number {
  const started = performance.now();
  for (let start = 0; start < order.length; start += batchSize) trainStep(model, x, y, order.subarray(start, start + batchSize));
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
  const model = referenceModel(weights);
  const secondsPerEpoch: number[] = [];
  for (const order of orders) {
    secondsPerEpoch.push(trainEpoch(model, train.x, train.y, order));
    onEpoch(secondsPerEpoch.length, secondsPerEpoch.at(-1)!);
  }
  const parameters = model.layers.flatMap((layer) => (isTrainable(layer) ? [layer.weights, layer.biases].map((m) => Array.from(m.data)) : []));
  return { kernels: getBackend(), secondsPerEpoch, testAccuracy: model.accuracy(test.x, test.y), parameters };
}

/** The middle value (the upper one of an even count): the benchmarks report median epochs. */
export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
