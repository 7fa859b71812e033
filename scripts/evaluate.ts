// Evaluates a saved model on the official test set of MNIST or Fashion-MNIST, reproducing the
// accuracy that `npm run train` reported, and warns when the model (either form) was trained on the other one.
// Usage: npm run evaluate -- --model models/mnist-model.json --dataset mnist [--test-size N] [--data-dir DIR]
import { readFile } from 'node:fs/promises';
import { Dense, argmax, modelMetadata, sliceRows, type DatasetName } from '../lib/index.ts';
import { loadIDXDataset, loadModel } from '../lib/node.ts';
import { COMMANDS, UsageError, confusionTable, handleErrors, parseCommand, plural } from './cli.ts';
import { DATASETS, datasetFolder, datasetShape } from './datasets.ts';

handleErrors();
const options = parseCommand(COMMANDS.evaluate);
const info = DATASETS[options.dataset];
const folder = await datasetFolder(info, options['data-dir']);
const model = await loadModel(options.model);
// Whether the model fits the images (from the files' headers) and the classes, before the data loads.
const shape = await datasetShape(folder);
const dense = model.layers.filter((layer): layer is Dense => layer instanceof Dense);
if (shape && dense.length && dense[0].nInputs !== shape.pixels) {
  throw new UsageError(`${options.model} does not fit ${info.title}: the model takes ${dense[0].nInputs} inputs, but ${info.title}'s images have ${shape.pixels} pixels`);
}
if (dense.length && dense.at(-1)!.nOutputs !== info.classes.length) {
  throw new UsageError(`${options.model} does not fit ${info.title}: the model has ${dense.at(-1)!.nOutputs} outputs, one per class, but ${info.title} has ${info.classes.length} classes`);
}
const trainedOn = await trainedDataset(options.model);
if (trainedOn === undefined) {
  process.stderr.write(`note: ${options.model} does not record which dataset it was trained on (models saved by npm run train do), so evaluate cannot check that it is ${info.title}\n`);
} else if (trainedOn !== info.name) {
  const title = Object.hasOwn(DATASETS, trainedOn) ? DATASETS[trainedOn as DatasetName].title : trainedOn;
  process.stderr.write(`warning: ${options.model} was trained on ${title}, not ${info.title}, so its score here says little (to score it on its own test set: --dataset ${trainedOn})\n`);
}
const loaded = await loadIDXDataset(folder);
const testSize = options['test-size'] ?? loaded.test.x.rows;
const test = { x: sliceRows(loaded.test.x, 0, Math.min(testSize, loaded.test.x.rows)), y: loaded.test.y.subarray(0, testSize) };
const evaluation = (() => {
  try {
    return model.evaluate(test.x, test.y);
  } catch (error) {
    throw new UsageError(`${options.model} does not fit ${info.title}: ${(error as Error).message}`);
  }
})();
console.log(`confusion matrix on the ${plural(test.x.rows, 'test image')} (rows: true class, columns: predicted)`);
console.log(confusionTable(argmax(model.predict(test.x)), test.y, info.classes));
console.log(`\ntest loss: ${evaluation.loss.toFixed(4)}`);
console.log(`test accuracy: ${evaluation.accuracy.toFixed(4)}`);

/** The dataset a model file says it was trained on (train's `metadata.dataset`, in either form), or undefined when it does not say. */
async function trainedDataset(path: string): Promise<string | undefined> {
  // loadModel has read and checked this file already, so it parses.
  const bytes = new Uint8Array(await readFile(path));
  const dataset = modelMetadata(path.toLowerCase().endsWith('.json') ? new TextDecoder().decode(bytes) : bytes)?.dataset;
  return typeof dataset === 'string' ? dataset : undefined;
}
