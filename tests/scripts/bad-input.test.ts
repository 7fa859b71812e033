// A corpus of bad command lines for every CLI script, each run as a user would: it must exit with
// status 1 and `error: …` naming the option or file and what it must be, print no stack trace, and
// stop before any data loads (nothing on stdout, so no "MNIST from" line). Then `evaluate` on a
// dataset the model was not trained on, which runs but warns. Tiny files stand in for MNIST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { IDX_FILES, Random, encodeModel, mlp, serializeModel } from '../../lib/index.ts';
import { idxBytes } from '../support/idx-fixtures.ts';
import { tinyDataset } from './tiny-dataset.ts';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'scratchnet-bad-input-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// The files the bad inputs point at.
const at = (name: string) => join(work, name);
writeFileSync(at('file.txt'), 'not a folder');
mkdirSync(at('models'));
const tiny = tinyDataset(at('tiny'));
const threeFiles = tinyDataset(at('three'), { omit: [IDX_FILES.testLabels] });
const twoFiles = tinyDataset(at('two'), { omit: [IDX_FILES.trainImages, IDX_FILES.testImages] });
const damaged = tinyDataset(at('damaged'));
writeFileSync(join(damaged, IDX_FILES.trainImages), 'this is not an IDX file');
const smallImages = tinyDataset(at('small-images'), { side: 2 });
// Its training images' header claims 70000 images; the file holds the 6 written.
const overclaiming = tinyDataset(at('overclaiming'));
writeFileSync(join(overclaiming, IDX_FILES.trainImages), idxBytes([70_000, 28, 28], new Uint8Array(6 * 784)));
const network = mlp([784, 8, 10], { rng: new Random(1) });
writeFileSync(at('fashion.json'), JSON.stringify({ ...serializeModel(network), metadata: { dataset: 'fashion-mnist' } }));
writeFileSync(at('bare.json'), JSON.stringify(serializeModel(network)));
writeFileSync(at('fashion.snet'), encodeModel(network, { metadata: { dataset: 'fashion-mnist' } }));
writeFileSync(at('bare.snet'), encodeModel(network));
writeFileSync(at('three-classes.json'), JSON.stringify(serializeModel(mlp([784, 8, 3], { rng: new Random(1) }))));
writeFileSync(at('damaged.json'), '{"format": "scratchnet-model", "version": 1, "layers": [');
writeFileSync(at('truncated.snet'), encodeModel(network).subarray(0, 200));

const MNIST = ['--dataset', 'mnist'];
/** `args` after settings that train quickly (those it does not set itself), so that a script which checks too late still ends soon. */
function quick(args: string[]): string[] {
  const settings = { '--epochs': '1', '--train-size': '100', '--test-size': '100', '--hidden': '8' };
  const unset = Object.entries(settings).filter(([name]) => !args.some((arg) => arg === name || arg.startsWith(`${name}=`)));
  return [...MNIST, ...unset.flat(), ...args];
}

interface BadInput {
  group: string;
  script: string;
  args: string[];
  /** What stderr must contain after "error: ": the option or file, and what it must be. */
  says: string[];
}

const corpus: BadInput[] = [
  ...[
    [['--epoch', '3'], 'unknown option --epoch; did you mean --epochs?'],
    [['--optimiser', 'adam'], 'unknown option --optimiser; did you mean --optimizer?'],
    [['--learning_rate', '0.1'], 'unknown option --learning_rate; did you mean --learning-rate?'],
    [['--batch', '64'], 'unknown option --batch; did you mean --batch-size or --batch-norm?'],
    [['--lr', '0.1'], 'unknown option --lr; did you mean --learning-rate?\nusage: npm run train -- --dataset'],
    [['-e', '3'], 'unknown option -e\n'],
  ].map(([args, says]) => ({ group: 'unknown options', script: 'train.ts', args: [...MNIST, ...(args as string[])], says: [says as string] })),
  { group: 'unknown options', script: 'evaluate.ts', args: ['--model', at('bare.json'), ...MNIST, '--test', '10'], says: ['unknown option --test; did you mean --test-size?'] },
  { group: 'unknown options', script: 'bench.ts', args: ['--skip-numpi'], says: ['unknown option --skip-numpi; did you mean --skip-numpy?'] },
  { group: 'unknown options', script: 'sweep.ts', args: [...MNIST, '--learning-rate', '0.1'], says: ['unknown option --learning-rate\nusage: npm run sweep -- --dataset mnist|fashion-mnist'] },
  { group: 'unknown options', script: 'download.ts', args: [...MNIST, '--dir', at('data')], says: ['unknown option --dir\nusage: npm run download-data -- --dataset mnist|fashion-mnist [--to DIR]'] },

  { group: 'missing, stray and repeated arguments', script: 'train.ts', args: [], says: ['--dataset is required: mnist or fashion-mnist'] },
  { group: 'missing, stray and repeated arguments', script: 'evaluate.ts', args: MNIST, says: ['--model is required: an existing file'] },
  { group: 'missing, stray and repeated arguments', script: 'download.ts', args: ['--to', at('data')], says: ['--dataset is required: mnist or fashion-mnist'] },
  { group: 'missing, stray and repeated arguments', script: 'train.ts', args: [...MNIST, 'extra'], says: ['unexpected argument "extra"'] },
  { group: 'missing, stray and repeated arguments', script: 'train.ts', args: [...MNIST, '--epochs'], says: ['--epochs needs a value: a positive whole number'] },
  { group: 'missing, stray and repeated arguments', script: 'train.ts', args: [...MNIST, '--epochs', '--seed', '2'], says: ['--epochs needs a value: a positive whole number'] },
  { group: 'missing, stray and repeated arguments', script: 'train.ts', args: [...MNIST, '--epochs', '2', '--epochs', '3'], says: ['--epochs is given twice'] },
  { group: 'missing, stray and repeated arguments', script: 'bench.ts', args: ['--skip-js=yes'], says: ['--skip-js takes no value, not "yes"'] },

  ...[
    [['--epochs', '-1'], '--epochs must be a positive whole number, not -1'],
    [['--epochs=-1'], '--epochs must be a positive whole number, not -1'],
    [['--epochs', '0'], '--epochs must be a positive whole number, not 0'],
    [['--epochs', '2.5'], '--epochs must be a positive whole number, not 2.5'],
    [['--epochs', 'ten'], '--epochs must be a positive whole number, not "ten"'],
    [['--batch-size', '-5'], '--batch-size must be a positive whole number, not -5'],
    [['--learning-rate', '0'], '--learning-rate must be a number above 0, not 0'],
    [['--optimizer', 'sgd', '--learning-rate', '-0.1'], '--learning-rate must be a number above 0, not -0.1'],
    [['--learning-rate', 'Infinity'], '--learning-rate must be a number above 0, not "Infinity"'],
    [['--decay', '-1'], '--decay must be a number of at least 0, not -1'],
    [['--dropout', '1'], '--dropout must be a number of at least 0 and below 1, not 1'],
    [['--dropout', '-0.1'], '--dropout must be a number of at least 0 and below 1, not -0.1'],
    [['--seed', '1.5'], '--seed must be a whole number from 0 to 4294967295, not 1.5'],
    [['--seed', '4294967296'], '--seed must be a whole number from 0 to 4294967295, not 4294967296'],
    [['--validation', '0'], '--validation must be a positive whole number, not 0'],
    [['--train-size', '0'], '--train-size must be a positive whole number, not 0'],
    [['--test-size', '-3'], '--test-size must be a positive whole number, not -3'],
    [['--hidden', '256,,128'], '--hidden must be a comma-separated list of positive whole numbers, such as 256,128, not "256,,128"'],
    [['--hidden', '128,abc'], '--hidden must be a comma-separated list of positive whole numbers, such as 256,128, not "128,abc"'],
    [['--hidden', '100000,100000'], '--hidden 100000,100000 is too big: the 100000→100000 layer (Dense layer 2 of 3) needs 40 GB of float32 weights'],
  ].map(([args, says]) => ({ group: 'numbers out of range', script: 'train.ts', args: quick(args as string[]), says: [says as string] })),
  { group: 'numbers out of range', script: 'evaluate.ts', args: ['--model', at('bare.json'), ...MNIST, '--test-size', '0'], says: ['--test-size must be a positive whole number, not 0'] },
  { group: 'numbers out of range', script: 'sweep.ts', args: [...MNIST, '--from', '10', '--to', '1'], says: ['--from (10) must be smaller than --to (1)'] },
  { group: 'numbers out of range', script: 'sweep.ts', args: [...MNIST, '--count', '1'], says: ['--count must be a whole number of at least 2, not 1'] },
  { group: 'numbers out of range', script: 'sweep.ts', args: [...MNIST, '--from', '0'], says: ['--from must be a number above 0, not 0'] },
  { group: 'numbers out of range', script: 'sweep.ts', args: [...MNIST, '--steps', '5', '--hidden', '100000,100000'], says: ['--hidden 100000,100000 is too big: the 100000→100000 layer (Dense layer 2 of 3)'] },
  { group: 'numbers out of range', script: 'bench.ts', args: ['--epochs', '-2'], says: ['--epochs must be a positive whole number, not -2'] },
  { group: 'numbers out of range', script: 'screenshots.ts', args: ['--width', '-5'], says: ['--width must be a whole number of pixels of at least 320, not -5'] },

  { group: 'words out of the set', script: 'train.ts', args: ['--dataset', 'cifar'], says: ['--dataset must be mnist or fashion-mnist, not "cifar"'] },
  { group: 'words out of the set', script: 'train.ts', args: [...MNIST, '--optimizer', 'adamw'], says: ['--optimizer must be adam, sgd, rmsprop or adagrad, not "adamw"'] },
  { group: 'words out of the set', script: 'evaluate.ts', args: ['--model', at('bare.json'), '--dataset', 'fashion'], says: ['--dataset must be mnist or fashion-mnist, not "fashion"'] },
  { group: 'words out of the set', script: 'download.ts', args: ['--dataset', 'emnist'], says: ['--dataset must be mnist or fashion-mnist, not "emnist"'] },

  ...[
    [['--out', join(work, 'no-such-folder', 'model.json')], `not "${join(work, 'no-such-folder', 'model.json')}" (${join(work, 'no-such-folder')} does not exist)`],
    [['--out', at('models')], `--out must be a file in a folder that exists and can be written, not "${at('models')}" (it is a folder: give a file name in it)`],
    [['--out', join(at('file.txt'), 'model.json')], `(${at('file.txt')} is not a folder)`],
  ].map(([args, says]) => ({ group: 'files and folders', script: 'train.ts', args: quick(args as string[]), says: [says as string] })),
  { group: 'files and folders', script: 'train.ts', args: ['--dataset', 'fashion-mnist', '--data-dir', at('nowhere')], says: [`Fashion-MNIST was not found in ${at('nowhere')}. To get it, install Debian's package`] },
  { group: 'files and folders', script: 'train.ts', args: [...MNIST, '--data-dir', at('file.txt')], says: [`MNIST was not found: ${at('file.txt')} is a file, not a folder. To get it, run \`npm install\``] },
  { group: 'files and folders', script: 'train.ts', args: [...MNIST, '--data-dir', threeFiles], says: [`MNIST was not found: ${threeFiles} has 3 of its 4 official files; t10k-labels-idx1-ubyte (raw or .gz) is missing. To get it`] },
  {
    group: 'files and folders',
    script: 'evaluate.ts',
    args: ['--model', at('bare.json'), ...MNIST, '--data-dir', twoFiles],
    says: [`${twoFiles} has 2 of its 4 official files; train-images-idx3-ubyte and t10k-images-idx3-ubyte (raw or .gz) are missing`],
  },
  { group: 'files and folders', script: 'train.ts', args: [...MNIST, '--data-dir', tiny, '--validation', '6'], says: ['--validation 6 leaves no training data: the training set has 6 images, so hold out fewer'] },
  { group: 'files and folders', script: 'train.ts', args: [...MNIST, '--data-dir', damaged], says: [`parseIDX: ${join(damaged, IDX_FILES.trainImages)}: magic number`] },
  {
    group: 'files and folders',
    script: 'train.ts',
    args: [...MNIST, '--data-dir', overclaiming],
    says: [`${join(overclaiming, IDX_FILES.trainImages)}: the header claims 70000 images of 28×28 pixels, 54880016 bytes with the header, but the file has 4720 bytes, which hold only 6 of them; the file is truncated`],
  },
  { group: 'files and folders', script: 'evaluate.ts', args: ['--model', at('missing.json'), ...MNIST], says: [`--model must be an existing file, not "${at('missing.json')}" (no such file)`] },
  { group: 'files and folders', script: 'evaluate.ts', args: ['--model', at('models'), ...MNIST], says: [`--model must be an existing file, not "${at('models')}" (it is a folder)`] },
  { group: 'files and folders', script: 'evaluate.ts', args: ['--model', at('damaged.json'), ...MNIST], says: [`${at('damaged.json')}: `, 'not valid JSON'] },
  { group: 'files and folders', script: 'evaluate.ts', args: ['--model', at('truncated.snet'), ...MNIST], says: [`${at('truncated.snet')}: `, 'truncated'] },
  { group: 'files and folders', script: 'evaluate.ts', args: ['--model', at('bare.json'), ...MNIST, '--data-dir', smallImages], says: [`${at('bare.json')} does not fit MNIST: the model takes 784 inputs, but MNIST's images have 4 pixels`] },
  { group: 'files and folders', script: 'evaluate.ts', args: ['--model', at('three-classes.json'), ...MNIST, '--data-dir', tiny], says: [`${at('three-classes.json')} does not fit MNIST: the model has 3 outputs, one per class, but MNIST has 10 classes`] },
  { group: 'files and folders', script: 'download.ts', args: [...MNIST, '--to', join(at('file.txt'), 'data')], says: [`--to must be a folder that exists or can be made, and can be written, not "${join(at('file.txt'), 'data')}" (${at('file.txt')} is a file, not a folder)`] },
  { group: 'files and folders', script: 'screenshots.ts', args: ['--site', at('no-site')], says: [`--site must be an existing folder, not "${at('no-site')}" (no such folder)`] },
];
// As root, only a folder the kernel refuses shows "cannot be written"; /sys is one on Linux.
if (process.platform === 'linux' && existsSync('/sys')) {
  corpus.push({ group: 'files and folders', script: 'train.ts', args: quick(['--out', '/sys/model.json']), says: ['--out must be a file in a folder that exists and can be written, not "/sys/model.json" (/sys cannot be written'] });
}

/** Runs for `evaluate` on the wrong dataset: they succeed, and stderr holds the warning (or nothing). */
const warnings = [
  { name: 'warns that a model trained on Fashion-MNIST is scored on MNIST', args: ['--model', at('fashion.json'), ...MNIST, '--data-dir', tiny], stderr: `warning: ${at('fashion.json')} was trained on Fashion-MNIST, not MNIST, so its score here says little (to score it on its own test set: --dataset fashion-mnist)\n` },
  { name: 'warns just the same for a model in the binary form', args: ['--model', at('fashion.snet'), ...MNIST, '--data-dir', tiny], stderr: `warning: ${at('fashion.snet')} was trained on Fashion-MNIST, not MNIST, so its score here says little (to score it on its own test set: --dataset fashion-mnist)\n` },
  ...['bare.json', 'bare.snet'].map((name) => ({
    name: `says it cannot tell for a model file that records no dataset (${name})`,
    args: ['--model', at(name), ...MNIST, '--data-dir', tiny],
    stderr: `note: ${at(name)} does not record which dataset it was trained on (models saved by npm run train do), so evaluate cannot check that it is MNIST\n`,
  })),
  { name: 'says nothing when the datasets match', args: ['--model', at('fashion.json'), '--dataset', 'fashion-mnist', '--data-dir', tiny], stderr: '' },
];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

// Node's compile cache spares each run most of the cost of reading the library's TypeScript again.
const env = { ...process.env, NODE_COMPILE_CACHE: join(tmpdir(), 'scratchnet-test-compile-cache') };

/** Runs a script with the test's Node, as `npm run` would. */
function run(script: string, args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [join(root, 'scripts', script), ...args], { cwd: work, env, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      done({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const runs = new Map<string, Run>();
const key = (script: string, args: string[]) => [script, ...args].join(' ');

beforeAll(async () => {
  // A few at a time: each run is a Node process that imports the library.
  const jobs = [...corpus.map(({ script, args }) => [script, args] as const), ...warnings.map(({ args }) => ['evaluate.ts', args] as const)];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const [script, args] = jobs[next++];
      runs.set(key(script, args), await run(script, args));
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}, 240_000);

const named = corpus.map((input) => ({ ...input, name: key(input.script, input.args).replaceAll(work, '…') }));

describe.each([...new Set(corpus.map(({ group }) => group))])('bad input to the CLI: %s', (group) => {
  it.each(named.filter((input) => input.group === group))('$name', ({ script, args, says }) => {
    const result = runs.get(key(script, args))!;
    expect(result.stderr).toMatch(/^error: /m);
    for (const text of says) expect(result.stderr).toContain(text);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toContain('node:internal');
    expect(result.status).toBe(1);
    // Stopped before any data loaded or any work started: nothing was printed.
    expect(result.stdout).toBe('');
  });
});

describe('npm run evaluate on a dataset the model was not trained on', () => {
  it.each(warnings)('$name', ({ args, stderr }) => {
    const result = runs.get(key('evaluate.ts', args))!;
    expect(result.stderr).toBe(stderr);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\ntest accuracy: \d\.\d{4}\n$/);
  });
});
