// The reference training run of the speed benchmarks (issue 5, chapter 11): MNIST through
// 784-128-128-10 with ReLU, softmax and Adam, batch 128, float32. Node (scripts/bench.ts) and the
// browser (scripts/bench-browser.ts) both call these functions, so both time exactly the same work.
import { Adam, CategoricalCrossEntropy, Dense, Matrix, Random, ReLU, Sequential, Softmax, gatherRows } from '../lib/index.ts';

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

/** A fresh reference network starting from `weights`, with its Adam optimizer. */
export function referenceModel(weights: Matrix[], learningRate: number = REFERENCE.learningRate): { model: Sequential; optimizer: Adam } {
  const { sizes } = REFERENCE;
  const layers = [];
  for (let i = 0; i < weights.length; i++) {
    const dense = new Dense(sizes[i], sizes[i + 1]);
    dense.weights = weights[i].clone();
    layers.push(dense, i < weights.length - 1 ? new ReLU() : new Softmax());
  }
  const optimizer = new Adam({ learningRate });
  return { model: new Sequential(layers, { loss: new CategoricalCrossEntropy(), optimizer }), optimizer };
}

/** One epoch in `order`, batch by batch: forward, backward (no input gradient for layer 1), Adam. Returns seconds. */
export function trainEpoch(model: Sequential, optimizer: Adam, x: Matrix, y: Int32Array, order: Int32Array, batchSize: number = REFERENCE.batchSize): number {
  const started = performance.now();
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.subarray(start, start + batchSize);
    const output = model.forward(gatherRows(x, indices), { training: true });
    model.backward(output, Int32Array.from(indices, (i) => y[i]), { inputGradient: false });
    optimizer.step(model.layers);
  }
  return (performance.now() - started) / 1000;
}
