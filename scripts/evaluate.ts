// Evaluates a saved model on the official test set of MNIST or Fashion-MNIST, reproducing the
// accuracy that `npm run train` reported. Usage:
//   npm run evaluate -- --model mnist-model.json --dataset mnist [--data-dir DIR]
import { argmax, sliceRows } from '../lib/index.ts';
import { loadIDXDataset, loadModel } from '../lib/node.ts';
import { confusionTable, fail, parseOptions, wholeNumber } from './cli.ts';
import { datasetFolder, datasetInfo } from './datasets.ts';

const USAGE = 'usage: npm run evaluate -- --model FILE --dataset mnist|fashion-mnist [--test-size N] [--data-dir DIR]';
const args = parseOptions({ model: { type: 'string' }, dataset: { type: 'string' }, 'data-dir': { type: 'string' }, 'test-size': { type: 'string' } }, USAGE);
if (!args.model) fail(`--model is required\n${USAGE}`);
const info = (() => {
  try {
    return datasetInfo(args.dataset);
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
})();

const model = await loadModel(args.model).catch((error: Error) => fail(error.message));
const folder = await datasetFolder(info, args['data-dir']).catch((error: Error) => fail(error.message));
const loaded = await loadIDXDataset(folder).catch((error: Error) => fail(error.message));
const testSize = wholeNumber('test-size', args['test-size'], loaded.test.x.rows);
const test = { x: sliceRows(loaded.test.x, 0, Math.min(testSize, loaded.test.x.rows)), y: loaded.test.y.subarray(0, testSize) };
const evaluation = (() => {
  try {
    return model.evaluate(test.x, test.y);
  } catch (error) {
    return fail(`${args.model} does not fit ${info.title}: ${(error as Error).message}`);
  }
})();
console.log(`confusion matrix on the ${test.x.rows} test images (rows: true class, columns: predicted)`);
console.log(confusionTable(argmax(model.predict(test.x)), test.y, info.classes));
console.log(`\ntest loss: ${evaluation.loss.toFixed(4)}`);
console.log(`test accuracy: ${evaluation.accuracy.toFixed(4)}`);
