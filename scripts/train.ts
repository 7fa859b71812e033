// Trains an MLP on MNIST or Fashion-MNIST from scratch with scratchnet, holding out part of the
// training set for validation and touching the test set once, for the final figure. Usage:
//   npm run train -- --dataset mnist [--epochs 12 --batch-size 128 --hidden 256,128 --optimizer adam
//                    --learning-rate 0.001 --decay 0.0001 --dropout 0.1 --seed 1 --out model.json]
import { writeFile } from 'node:fs/promises';
import { OPTIMIZER_DEFAULTS, Random, ScratchnetError, TrainingError, argmax, createOptimizer, gatherRows, mlp, serializeModel, sliceRows, type Optimizer } from '../lib/index.ts';
import { loadIDXDataset, saveModel } from '../lib/node.ts';
import { Progress, confusionTable, fail, nonNegative, parseOptions, wholeNumber } from './cli.ts';
import { datasetFolder, datasetInfo } from './datasets.ts';

const USAGE = 'usage: npm run train -- --dataset mnist|fashion-mnist [--epochs N] [--batch-size N] [--hidden 256,128] [--optimizer adam|sgd|rmsprop|adagrad] [--learning-rate X] [--decay X] [--dropout X] [--seed N] [--validation N] [--train-size N] [--test-size N] [--data-dir DIR] [--out FILE]';

const args = parseOptions(
  {
    dataset: { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    hidden: { type: 'string' },
    optimizer: { type: 'string' },
    'learning-rate': { type: 'string' },
    decay: { type: 'string' },
    dropout: { type: 'string' },
    seed: { type: 'string' },
    validation: { type: 'string' },
    'train-size': { type: 'string' },
    'test-size': { type: 'string' },
    'data-dir': { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean' },
  },
  USAGE,
);
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const info = (() => {
  try {
    return datasetInfo(args.dataset);
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
})();
// Defaults that reach at least 98.0% on MNIST and 89.0% on Fashion-MNIST (see the README).
const defaults = info.name === 'mnist' ? { epochs: 12, hidden: '256,128', dropout: 0.1 } : { epochs: 15, hidden: '256,128', dropout: 0.1 };
const epochs = wholeNumber('epochs', args.epochs, defaults.epochs);
const batchSize = wholeNumber('batch-size', args['batch-size'], 128);
const hidden = (args.hidden ?? defaults.hidden).split(',').map((part) => wholeNumber('hidden', part.trim(), 0));
const optimizerName = args.optimizer ?? 'adam';
const decay = nonNegative('decay', args.decay, 1e-4);
const optimizer = makeOptimizer(args['learning-rate'] === undefined ? undefined : nonNegative('learning-rate', args['learning-rate'], 0));
// createOptimizer's default for this optimizer when --learning-rate is not given (OPTIMIZER_DEFAULTS).
const learningRate = optimizer.learningRate;
const dropout = nonNegative('dropout', args.dropout, defaults.dropout);
if (dropout >= 1) fail(`--dropout must be below 1, not ${dropout}`);
const seed = Number(args.seed ?? 1);
if (!Number.isInteger(seed) || seed < 0) fail(`--seed must be a whole number of at least 0, not "${args.seed}"`);
const validationSize = wholeNumber('validation', args.validation, 5000);
const out = args.out ?? `${info.name}-model.json`;

function makeOptimizer(learningRate: number | undefined): Optimizer {
  if (!Object.hasOwn(OPTIMIZER_DEFAULTS, optimizerName)) fail(`--optimizer must be adam, sgd, rmsprop or adagrad, not "${optimizerName}"`);
  try {
    return createOptimizer(optimizerName, { learningRate, decay });
  } catch (error) {
    // A learning rate of 0, which the optimizer refuses.
    return fail(error instanceof ScratchnetError ? error.message : String(error));
  }
}

const folder = await datasetFolder(info, args['data-dir']).catch((error: Error) => fail(error.message));
console.log(`${info.title} from ${folder}`);
const loaded = await loadIDXDataset(folder).catch((error: Error) => fail(error.message));
const train = loaded.train;
// --test-size keeps the first N test images (for quick runs); evaluate takes the same option.
const testSize = wholeNumber('test-size', args['test-size'], loaded.test.x.rows);
const test = { x: sliceRows(loaded.test.x, 0, Math.min(testSize, loaded.test.x.rows)), y: loaded.test.y.subarray(0, testSize) };
if (validationSize >= train.x.rows) fail(`--validation ${validationSize} leaves no training data (the training set has ${train.x.rows} images)`);

// A seeded shuffle picks the validation images, so runs with the same seed are identical.
const rng = new Random(seed);
const order = rng.permutation(train.x.rows);
const validationIndices = order.subarray(0, validationSize);
// --train-size uses only that many of the remaining images (for quick runs).
const trainIndices = order.subarray(validationSize, validationSize + wholeNumber('train-size', args['train-size'], train.x.rows));
const pick = (indices: Int32Array) => ({ x: gatherRows(train.x, indices), y: Int32Array.from(indices, (i) => train.y[i]) });
const trainSet = pick(trainIndices);
const validationSet = pick(validationIndices);

// He-normal hidden layers with ReLU (and dropout), a Glorot-uniform output layer with softmax.
const model = mlp([train.x.cols, ...hidden, info.classes.length], { dropout, rng, optimizer });

console.log(
  `${trainSet.x.rows} training, ${validationSet.x.rows} validation, ${test.x.rows} test images · ` +
    `784 → ${hidden.join(' → ')} → 10 · ${optimizerName} lr ${learningRate} decay ${decay} · dropout ${dropout} · batch ${batchSize} · ${epochs} epochs · seed ${seed}`,
);

const started = performance.now();
let progress = new Progress('epoch 1', Math.ceil(trainSet.x.rows / batchSize));
try {
  model.train(trainSet.x, trainSet.y, {
    epochs,
    batchSize,
    rng,
    validation: validationSet,
    onBatch: ({ epoch, step, steps, loss, accuracy }) => {
      if (step === 1) progress = new Progress(`epoch ${epoch}/${epochs}`, steps);
      progress.update(step, `loss ${loss.toFixed(4)} acc ${accuracy.toFixed(3)}`);
    },
    onEpoch: ({ epoch, loss, accuracy, validationAccuracy, seconds }) => {
      progress.done();
      console.log(
        `epoch ${String(epoch).padStart(2)}/${epochs}  loss ${loss.toFixed(4)}  train accuracy ${accuracy.toFixed(4)}  ` +
          `validation accuracy ${validationAccuracy!.toFixed(4)}  ${seconds.toFixed(1)} s`,
      );
    },
  });
} catch (error) {
  if (error instanceof TrainingError) fail(error.message);
  throw error;
}
const trainingSeconds = (performance.now() - started) / 1000;

const evaluation = model.evaluate(test.x, test.y);
const predicted = argmax(model.predict(test.x));
console.log(`\ntrained in ${trainingSeconds.toFixed(1)} s`);
console.log(`\nconfusion matrix on the ${test.x.rows} test images (rows: true class, columns: predicted)`);
console.log(confusionTable(predicted, test.y, info.classes));
console.log(`\ntest loss: ${evaluation.loss.toFixed(4)}`);
if (out.toLowerCase().endsWith('.json')) {
  const metadata = { dataset: info.name, testSize: test.x.rows, epochs, batchSize, hidden, optimizer: optimizerName, learningRate, decay, dropout, seed, testAccuracy: evaluation.accuracy, trainingSeconds };
  await writeFile(out, JSON.stringify({ ...serializeModel(model), metadata }));
} else {
  await saveModel(model, out);
}
console.log(`model saved to ${out}; check it with: npm run evaluate -- --model ${out} --dataset ${info.name}`);
console.log(`test accuracy: ${evaluation.accuracy.toFixed(4)}`);
