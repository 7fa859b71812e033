// Trains the book's spiral classifier with scratchnet and prints what it measured:
// training accuracy, loss and time. Run it with `node examples/spiral.ts [seed]` (Node 24
// runs TypeScript directly). The README's spiral figures come from this script.
import { Adam, CategoricalCrossEntropy, Dense, Random, ReLU, Sequential, Softmax, formatNumber, spiralData } from '../lib/index.ts';

const seed = Number(process.argv[2] ?? 0);
const rng = new Random(seed);
const { x, y } = spiralData(100, 3, rng);
const model = new Sequential(
  [new Dense(2, 128, { rng, initializer: 'heNormal' }), new ReLU(), new Dense(128, 3, { rng, initializer: 'heNormal' }), new Softmax()],
  { loss: new CategoricalCrossEntropy(), optimizer: new Adam({ learningRate: 0.05, decay: 1e-4 }) },
);

const started = performance.now();
const history = model.train(x, y, {
  epochs: 1000,
  batchSize: 32,
  rng,
  onEpoch: ({ epoch, loss, accuracy }) => {
    if (epoch % 200 === 0) console.log(`epoch ${epoch}: loss ${formatNumber(loss, { digits: 4 })}, accuracy ${formatNumber(accuracy, { digits: 4 })}`);
  },
});
const seconds = (performance.now() - started) / 1000;
console.log(model.summary());
console.log(`spiral (300 points, 3 classes), seed ${seed}: training accuracy ${formatNumber(model.accuracy(x, y), { digits: 4 })}, final loss ${formatNumber(history.loss.at(-1)!, { digits: 4 })}, ${formatNumber(seconds, { digits: 3 })} s for 1000 epochs`);
