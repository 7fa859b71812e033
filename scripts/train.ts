// Trains an MLP on MNIST or Fashion-MNIST from scratch with scratchnet, holding out part of the
// training set for validation and touching the test set once, for the final figure; a run that
// diverges or stalls is diagnosed (lib/diagnosis.ts), with what to try. Usage:
//   npm run train -- --dataset mnist [--epochs 12 --hidden 256,128 --out model.json …]
// (`npm run train -- --help` lists every option, from the table in cli.ts).
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Random, TrainingError, argmax, createOptimizer, diagnose, encodeModel, imageAugmenter, gatherRows, serializeModel, sliceRows, smoothLabels, type History, type LabelledImages, type Sequential } from '../lib/index.ts';
import { loadIDXDataset } from '../lib/node.ts';
import { COMMANDS, MODELS_FOLDER, Progress, UsageError, buildNetwork, confusionTable, fail, findingLines, handleErrors, parseCommand, plural, saveWithFallback } from './cli.ts';
import { DATASETS, datasetFolder, datasetShape } from './datasets.ts';
import { invocation } from './options.ts';

handleErrors();
// The default --out, models/<dataset>-model.json, is in a folder git ignores: it is made here, so
// the check below finds it (an --out the reader gives must be in a folder that exists).
const argv = process.argv.slice(2);
if (!argv.some((arg) => arg === '--out' || arg.startsWith('--out=') || arg === '-h' || arg === '--help')) mkdirSync(MODELS_FOLDER, { recursive: true });
// Every argument is checked before any data loads: each value against its option's rule (--out
// must be writable), the optimizer's settings by building it, and the sizes against the headers.
const options = parseCommand(COMMANDS.train);
const info = DATASETS[options.dataset];
const { epochs, hidden, decay, dropout, l2, seed, out, augment, patience } = options;
const inputDropout = options['input-dropout'];
const batchNormalization = options['batch-norm'];
const labelSmoothing = options['label-smoothing'];
const augmentation = { width: 28, height: 28, maxShift: options['max-shift'], maxRotation: options['max-rotation'], maxScale: options['max-scale'], mirror: info.mirrorable };
const batchSize = options['batch-size'];
const validationSize = options.validation;
const optimizerName = options.optimizer;
const optimizer = createOptimizer(optimizerName, { learningRate: options['learning-rate'], decay });
const learningRate = optimizer.learningRate;

const folder = await datasetFolder(info, options['data-dir']);
// Headers that cannot be read are named by loading the data, which then fails.
const shape = (await datasetShape(folder)) ?? shapeOf(await loadIDXDataset(folder));
if (validationSize >= shape.train) throw new UsageError(`--validation ${validationSize} leaves no training data: the training set has ${plural(shape.train, 'image')}, so hold out fewer`);

// A seeded shuffle picks the validation images, so runs with the same seed are identical.
const rng = new Random(seed);
const order = rng.permutation(shape.train);
const validationIndices = order.subarray(0, validationSize);
// --train-size uses only that many of the remaining images (for quick runs).
const trainIndices = order.subarray(validationSize, validationSize + (options['train-size'] ?? shape.train));
// He-normal hidden layers with ReLU (and dropout), a Glorot-uniform output layer with softmax;
// made before the data loads (from the same generator, after the shuffle) so a size it refuses stops the run first.
const model = buildNetwork([shape.pixels, ...hidden, info.classes.length], hidden, { dropout, inputDropout, l2, batchNormalization, rng, optimizer });

console.log(`${info.title} from ${folder}`);
const loaded = await loadIDXDataset(folder);
const train = loaded.train;
// --test-size keeps the first N test images (for quick runs); evaluate takes the same option.
const testSize = options['test-size'] ?? loaded.test.x.rows;
const test = { x: sliceRows(loaded.test.x, 0, Math.min(testSize, loaded.test.x.rows)), y: loaded.test.y.subarray(0, testSize) };
const pick = (indices: Int32Array) => ({ x: gatherRows(train.x, indices), y: Int32Array.from(indices, (i) => train.y[i]) });
const trainSet = pick(trainIndices);
const validationSet = pick(validationIndices);

console.log(
  `${trainSet.x.rows} training, ${validationSet.x.rows} validation, ${plural(test.x.rows, 'test image')} · ` +
    `${shape.pixels} → ${hidden.join(' → ')} → ${info.classes.length} · ${optimizerName} lr ${learningRate} decay ${decay} · dropout ${dropout}${inputDropout ? ` · input dropout ${inputDropout}` : ''}${l2 ? ` · L2 ${l2}` : ''}${batchNormalization ? ' · batch normalisation' : ''}${labelSmoothing ? ` · label smoothing ${labelSmoothing}` : ''} · batch ${batchSize} · ${plural(epochs, 'epoch')}` +
    `${augment ? ` · augmented (${augmentationText()})` : ''}${patience === undefined ? '' : ` · patience ${patience}`} · seed ${seed}`,
);

const started = performance.now();
let progress = new Progress('epoch 1', Math.ceil(trainSet.x.rows / batchSize));
// Dead ReLUs are counted on these when training goes wrong.
const sample = sliceRows(trainSet.x, 0, Math.min(1000, trainSet.x.rows));
// With --label-smoothing the network trains towards soft labels; validation and test keep the true ones.
const trainTargets = labelSmoothing > 0 ? smoothLabels(trainSet.y, info.classes.length, labelSmoothing) : trainSet.y;
const history = trainOrExplain(() => model.train(trainSet.x, trainTargets, {
  epochs,
  batchSize,
  rng,
  validation: validationSet,
  // Shifted (and, where that keeps the class, mirrored) copies, made afresh for every batch.
  augment: augment ? imageAugmenter(augmentation) : undefined,
  earlyStopping: patience === undefined ? undefined : { patience },
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
}));
const trainingSeconds = (performance.now() - started) / 1000;

const evaluation = model.evaluate(test.x, test.y);
const predicted = argmax(model.predict(test.x));
console.log(`\ntrained in ${trainingSeconds.toFixed(1)} s`);
if (history.bestEpoch !== undefined) {
  const stopped = history.stoppedEpoch === undefined ? `ran all ${plural(epochs, 'epoch')}` : `stopped after epoch ${history.stoppedEpoch}`;
  console.log(`early stopping: ${stopped}; kept the weights of epoch ${history.bestEpoch}, whose validation loss was lowest (${history.validationLoss[history.bestEpoch - 1].toFixed(4)})`);
}
// A run that finished can still have stalled, oscillated or overfitted: say so, with what to try.
const diagnosis = diagnose(history, { model, inputs: sample });
if (!diagnosis.healthy) console.log(`\ndiagnosis: this run did not go well\n${findingLines(diagnosis.findings)}`);
console.log(`\nconfusion matrix on the ${plural(test.x.rows, 'test image')} (rows: true class, columns: predicted)`);
console.log(confusionTable(predicted, test.y, info.classes));
console.log(`\ntest loss: ${evaluation.loss.toFixed(4)}`);
// The command as typed (without --out), so a shipped model says how to make it again.
const command = `${invocation.of('train')} ${argumentsWithoutOut(process.argv.slice(2)).join(' ')}`;
const metadata = { command, dataset: info.name, testSize: test.x.rows, epochs, batchSize, hidden, optimizer: optimizerName, learningRate, decay, dropout, inputDropout, l2, batchNormalization, labelSmoothing, augment: augment ? { maxShift: augmentation.maxShift, maxRotation: augmentation.maxRotation, maxScale: augmentation.maxScale, mirror: augmentation.mirror } : false, patience, bestEpoch: history.bestEpoch, seed, testAccuracy: evaluation.accuracy, trainingSeconds };
// --out was checked before training, but a folder can still vanish or fill up since: then the model goes elsewhere, and we say where.
const saved = await saveWithFallback(out, (path) => writeModel(model, path, metadata));
if (saved.problem) {
  process.stderr.write(`error: could not save the model to ${out} (${saved.problem}); it was saved to ${saved.path} instead\n`);
  process.exitCode = 1;
}
console.log(`model saved to ${saved.path}; check it with: ${invocation.of('evaluate')} --model ${saved.path} --dataset ${info.name}`);
console.log(`test accuracy: ${evaluation.accuracy.toFixed(4)}`);

/** What --augment does, as the summary line says it: "shifts up to 2 px, turns up to 10°, scales ±10%" or "mirrored". */
function augmentationText(): string {
  const { maxShift, maxRotation, maxScale, mirror } = augmentation;
  const parts = [maxShift > 0 && `shifts up to ${maxShift} px`, maxRotation > 0 && `turns up to ${maxRotation}°`, maxScale > 0 && `scales ±${Math.round(maxScale * 100)}%`, mirror && 'mirrored'];
  return parts.filter(Boolean).join(', ');
}

/** The command's arguments without --out and its value, which only say where this copy went. */
function argumentsWithoutOut(args: string[]): string[] {
  return args.filter((arg, i) => arg !== '--out' && args[i - 1] !== '--out' && !arg.startsWith('--out='));
}

/** The sizes datasetShape() reads from the headers, from the loaded data instead. */
function shapeOf(data: { train: LabelledImages; test: LabelledImages }): { train: number; test: number; pixels: number } {
  return { train: data.train.x.rows, test: data.test.x.rows, pixels: data.train.x.cols };
}

/** Saves the model with the run's settings in its `metadata`, which evaluate reads: as JSON, or in the binary form for any other extension. */
async function writeModel(trained: Sequential, path: string, metadata: Record<string, unknown>): Promise<void> {
  await writeFile(path, path.toLowerCase().endsWith('.json') ? JSON.stringify(serializeModel(trained, { metadata })) : encodeModel(trained, { metadata }));
}

/** Runs `training`; when it diverges, ends the command with the TrainingError's message: where, what to try, and what else the run so far shows (train() adds that). */
function trainOrExplain(training: () => History): History {
  try {
    return training();
  } catch (error) {
    if (!(error instanceof TrainingError)) throw error;
    progress.done();
    return fail(error.message);
  }
}
