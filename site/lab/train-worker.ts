// The last chapter's training Worker: downloads a dataset from this site (with progress), then
// trains an MLP batch by batch, yielding between batches so Pause and Resume take effect at once,
// and sends back live loss and accuracy, and at the end the test results. Runs off the main thread.
import {
  Dense, Random, Sequential, argmax, confusionMatrix, createOptimizer, gatherRows, labelledImages, mlp, readIDX, sliceRows, type LabelledImages,
} from '../../lib/index.ts';
import type { LabMessage, LabRequest, LabSettings } from './protocol.ts';

const post = (message: LabMessage): void => postMessage(message);
const VALIDATION = 5000;

let data: { train: LabelledImages; test: LabelledImages } | undefined;
let paused = false;
let wake: (() => void) | undefined;

/** Fetches one file, reporting progress as it arrives. */
async function download(file: string, url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
  const total = Number(response.headers.get('content-length')) || 0;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    post({ type: 'download', file, received, total });
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

async function load(files: Record<string, string>): Promise<void> {
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
  const rng = new Random(settings.seed);
  const order = rng.permutation(data.train.x.rows);
  const validation = { x: gatherRows(data.train.x, order.subarray(0, VALIDATION)), y: Int32Array.from(order.subarray(0, VALIDATION), (i) => data!.train.y[i]) };
  const trainIndices = order.slice(VALIDATION);
  // He-normal hidden layers with ReLU, a Glorot-uniform output layer with softmax, no dropout.
  const model = mlp([784, ...settings.hidden, 10], { rng, optimizer: createOptimizer(settings.optimizer, { learningRate: settings.learningRate }) });
  const steps = Math.ceil(trainIndices.length / settings.batchSize);
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const started = performance.now();
    rng.shuffle(trainIndices);
    let lossTotal = 0;
    let correct = 0;
    for (let step = 1; step <= steps; step++) {
      const batch = trainIndices.subarray((step - 1) * settings.batchSize, step * settings.batchSize);
      const y = Int32Array.from(batch, (i) => data!.train.y[i]);
      // A diverging loss throws a TrainingError naming the epoch and step; the page shows its message.
      const result = model.trainBatch(gatherRows(data.train.x, batch), y, { epoch, step, steps });
      lossTotal += result.loss * y.length;
      correct += result.correct;
      if (step % 20 === 0 || step === steps) {
        post({ type: 'progress', epoch, epochs: settings.epochs, step, steps, loss: result.loss, accuracy: result.accuracy });
        await checkpoint();
      }
    }
    post({ type: 'epoch', epoch, loss: lossTotal / trainIndices.length, accuracy: correct / trainIndices.length, validationAccuracy: model.accuracy(validation.x, validation.y), seconds: (performance.now() - started) / 1000 });
  }
  post({ type: 'finished', results: results(model) });
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
    if (request.type === 'load') await load(request.files);
    else if (request.type === 'train') await train(request.settings);
    else if (request.type === 'pause') paused = true;
    else if (request.type === 'resume') {
      paused = false;
      wake?.();
      wake = undefined;
    }
  } catch (error) {
    post({ type: 'error', message: (error as Error).message });
  }
});

