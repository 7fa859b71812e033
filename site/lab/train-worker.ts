// The last chapter's training Worker: downloads a dataset from this site (with progress), then
// trains an MLP batch by batch, yielding between batches so Pause and Resume take effect at once,
// and sends back live loss and accuracy, and at the end the test results and what diagnose() makes
// of a run that failed or stalled. Runs off the main thread.
import {
  DATASETS, Dense, Random, Sequential, argmax, augmentBatch, confusionMatrix, createOptimizer, diagnose, emptyHistory, gatherRows, labelledImages, mlp, readIDX, sliceRows,
  imageAugmenter, type DatasetName, type History, type LabelledImages, type Matrix,
} from '../../lib/index.ts';
import type { LabFinding, LabMessage, LabRequest, LabSettings } from './protocol.ts';
import { checkLabInput } from './settings.ts';
import { downloadWithProgress } from '../notebook/download.ts';
import { guardNetwork, type NetworkScope } from '../notebook/network.ts';
import { siteAddress } from '../utils/base.ts';

// This Worker starts from a blob: URL (blob-worker.ts): relative URLs mean this site, other hosts fail in words.
guardNetwork(self as unknown as NetworkScope, siteAddress(self.location.origin));

const post = (message: LabMessage): void => postMessage(message);
const VALIDATION = 5000;
/** The run in progress, kept so that a run that fails can still be diagnosed. */
let current: { history: History; model: Sequential; inputs: Matrix; learningRate: number } | undefined;

/** What diagnose() finds in the current run, as plain data for the page; undefined when nothing looks wrong. */
function findings(error?: unknown): LabFinding[] | undefined {
  if (!current) return undefined;
  const { history, model, inputs, learningRate } = current;
  const diagnosis = diagnose(history, { model, inputs, learningRate, ...(error === undefined ? {} : { error }) });
  return diagnosis.healthy ? undefined : diagnosis.findings.map(({ kind, message, advice }) => ({ kind, message, advice }));
}

let data: { train: LabelledImages; test: LabelledImages } | undefined;
/** Whether the loaded dataset's images keep their class when mirrored (Fashion-MNIST's do, digits do not). */
let mirrorable = false;
let paused = false;
let wake: (() => void) | undefined;

/** Fetches one file, reporting progress as it arrives. */
function download(file: string, url: string): Promise<Uint8Array> {
  return downloadWithProgress(url, (received, total) => post({ type: 'download', file, received, total }));
}

async function load(dataset: string, files: Record<string, string>): Promise<void> {
  mirrorable = DATASETS[dataset as DatasetName]?.mirrorable ?? false;
  const read = async (name: string) => readIDX(await download(name, files[name]), name);
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map(read),
  );
  data = {
    train: labelledImages(trainImages, trainLabels, { images: 'train images', labels: 'train labels' }),
    test: labelledImages(testImages, testLabels, { images: 'test images', labels: 'test labels' }),
  };
  post({ type: 'loaded', train: data.train.x.rows - VALIDATION, validation: VALIDATION, test: data.test.x.rows });
}

/** Waits for the next message (so Pause can arrive), and while paused, until Resume. */
async function checkpoint(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (!paused) return;
  post({ type: 'paused' });
  await new Promise<void>((resolve) => (wake = resolve));
}

async function train(settings: LabSettings): Promise<void> {
  if (!data) throw new Error('load a dataset before training');
  // The page checked these as they were typed; whatever sends this message is checked again.
  const checked = checkLabInput({ hidden: settings.hidden.join(','), optimizer: settings.optimizer, learningRate: String(settings.learningRate), batchSize: String(settings.batchSize), epochs: String(settings.epochs) });
  if (!checked.settings) throw new Error(`the settings are not valid: ${Object.values(checked.errors).join(' ')}`);
  current = undefined;
  const rng = new Random(settings.seed);
  const order = rng.permutation(data.train.x.rows);
  const validation = { x: gatherRows(data.train.x, order.subarray(0, VALIDATION)), y: Int32Array.from(order.subarray(0, VALIDATION), (i) => data!.train.y[i]) };
  const trainIndices = order.slice(VALIDATION);
  // He-normal hidden layers with ReLU, a Glorot-uniform output layer with softmax, no dropout.
  const model = mlp([784, ...settings.hidden, 10], { rng, optimizer: createOptimizer(settings.optimizer, { learningRate: settings.learningRate }) });
  const steps = Math.ceil(trainIndices.length / settings.batchSize);
  // The same shifts train()'s augment option makes, drawn from the run's generator.
  const augment = settings.augment ? imageAugmenter({ width: 28, height: 28, maxShift: 2, mirror: mirrorable }) : undefined;
  const history = emptyHistory();
  // Dead ReLUs are counted on a few hundred samples, as diagnose() suggests.
  current = { history, model, inputs: sliceRows(validation.x, 0, 500), learningRate: settings.learningRate };
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const started = performance.now();
    rng.shuffle(trainIndices);
    let lossTotal = 0;
    let correct = 0;
    for (let step = 1; step <= steps; step++) {
      const batch = trainIndices.subarray((step - 1) * settings.batchSize, step * settings.batchSize);
      const y = Int32Array.from(batch, (i) => data!.train.y[i]);
      // A diverging loss throws a TrainingError naming the epoch and step; the page shows its message.
      const result = model.trainBatch(augmentBatch(gatherRows(data.train.x, batch), augment, rng), y, { epoch, step, steps });
      history.batchLoss.push(result.loss);
      lossTotal += result.loss * y.length;
      correct += result.correct;
      if (step % 20 === 0 || step === steps) {
        post({ type: 'progress', epoch, epochs: settings.epochs, step, steps, loss: result.loss, accuracy: result.accuracy });
        await checkpoint();
      }
    }
    const checkedOn = model.evaluate(validation.x, validation.y);
    history.loss.push(lossTotal / trainIndices.length);
    history.accuracy.push(correct / trainIndices.length);
    history.validationLoss.push(checkedOn.loss);
    history.validationAccuracy.push(checkedOn.accuracy);
    post({ type: 'epoch', epoch, loss: lossTotal / trainIndices.length, accuracy: correct / trainIndices.length, validationAccuracy: checkedOn.accuracy, seconds: (performance.now() - started) / 1000 });
  }
  post({ type: 'finished', results: results(model), findings: findings() });
}

function results(model: Sequential): import('./protocol.ts').LabResults {
  const test = data!.test;
  const probabilities = model.predict(test.x);
  const predicted = argmax(probabilities);
  const evaluation = model.evaluate(test.x, test.y);
  const wrong: Array<{ index: number; confidence: number }> = [];
  for (let i = 0; i < test.x.rows; i++) if (predicted[i] !== test.y[i]) wrong.push({ index: i, confidence: probabilities.get(i, predicted[i]) });
  wrong.sort((a, b) => b.confidence - a.confidence);
  const first = model.layers[0] as Dense;
  const weights: number[][] = [];
  for (let neuron = 0; neuron < Math.min(16, first.nOutputs); neuron++) {
    const column = Array.from({ length: 784 }, (_, i) => first.weights.data[i * first.nOutputs + neuron]);
    const limit = Math.max(...column.map(Math.abs)) || 1;
    weights.push(column.map((w) => (w / limit + 1) / 2)); // −limit → 0 (black), +limit → 1 (white)
  }
  return {
    testAccuracy: evaluation.accuracy,
    testLoss: evaluation.loss,
    confusion: confusionMatrix(predicted, test.y, 10),
    wrong: wrong.slice(0, 8).map(({ index, confidence }) => ({ pixels: sliceRows(test.x, index, index + 1).toArray(), label: test.y[index], predicted: predicted[index], confidence })),
    weights,
  };
}

addEventListener('message', async (event: MessageEvent<LabRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'load') await load(request.dataset, request.files);
    else if (request.type === 'train') await train(request.settings);
    else if (request.type === 'pause') paused = true;
    else if (request.type === 'resume') {
      paused = false;
      wake?.();
      wake = undefined;
    }
  } catch (error) {
    post({ type: 'error', message: (error as Error).message, findings: request.type === 'train' ? findings(error) : undefined });
  }
});

