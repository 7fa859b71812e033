// Shared pieces of the command-line tools: every command's options in one declarative table (see
// options.ts), plain `error: …` messages instead of stack traces for user errors, saving that never
// loses the work, a progress bar (a line every 10% when piped) and the confusion matrix table.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { DATASETS, OPTIMIZER_DEFAULTS, ScratchnetError, confusionMatrix, type DatasetName, type OptimizerName } from '../lib/index.ts';
import { UsageError, Value, defineCommand, parseCommand, type OptionTable } from './options.ts';

export { UsageError, parseCommand };

const root = resolve(import.meta.dirname, '..');
const datasetNames = Object.keys(DATASETS) as DatasetName[];
const optimizerNames = Object.keys(OPTIMIZER_DEFAULTS) as OptimizerName[];
const all = { kind: Value.whole(1), defaultText: 'all' };
const dataDir = { kind: Value.text('DIR', 'a folder'), defaultText: "the dataset's npm or Debian package, then data/<dataset>", description: 'A folder holding the four official IDX files, raw or gzipped.' };

/** Every command's options: kind of value, default, one sentence each. They parse, check and print --help. */
export const COMMANDS = {
  train: defineCommand({
    name: 'train',
    summary: 'Trains a multilayer perceptron on MNIST or Fashion-MNIST from scratch, holding out validation images, reports its test accuracy and saves it.',
    options: {
      dataset: { kind: Value.oneOf(datasetNames), required: true, description: 'The dataset to train on.' },
      // Defaults that reach at least 98.0% on MNIST and 89.0% on Fashion-MNIST (see the README).
      epochs: { kind: Value.whole(1), default: (chosen) => (chosen.dataset === 'mnist' ? '12' : '15'), defaultText: '12 for mnist, 15 for fashion-mnist', description: 'How many passes to make over the training images.' },
      'batch-size': { kind: Value.whole(1), default: '128', description: 'How many images each optimizer step averages its gradient over.' },
      hidden: { kind: Value.counts, default: '256,128', description: 'The width of each hidden layer, in order.' },
      optimizer: { kind: Value.oneOf(optimizerNames), default: 'adam', description: 'How each gradient becomes a weight update.' },
      'learning-rate': {
        kind: Value.number({ above: 0 }),
        default: (chosen) => String(OPTIMIZER_DEFAULTS[chosen.optimizer as OptimizerName].learningRate),
        defaultText: optimizerNames.map((name) => `${OPTIMIZER_DEFAULTS[name].learningRate} for ${name}`).join(', '),
        description: 'The size of the first steps, before decay.',
      },
      decay: { kind: Value.number({ atLeast: 0 }), default: '0.0001', description: 'Shrinks the steps over time: step t uses the learning rate / (1 + decay · t).' },
      dropout: { kind: Value.number({ atLeast: 0, below: 1 }), default: '0.1', description: 'The fraction of hidden units each training step switches off.' },
      seed: { kind: Value.whole(0, 2 ** 32 - 1), default: '1', description: 'Seeds the validation split, the first weights, the batch order and dropout, so a run repeats exactly.' },
      validation: { kind: Value.whole(1), default: '5000', description: 'How many training images to hold out for the validation accuracy after each epoch.' },
      'train-size': { ...all, defaultText: 'all the others', description: 'Trains on only this many of the images not held out, for quick runs.' },
      'test-size': { ...all, description: 'Tests on only the first N test images, for quick runs.' },
      'data-dir': dataDir,
      out: {
        kind: Value.writableFile,
        default: (chosen) => `${chosen.dataset}-model.json`,
        defaultText: '<dataset>-model.json',
        description: "Where to save the model: .json for the readable form with the run's settings, any other extension for the compact binary form.",
      },
    },
  }),
  evaluate: defineCommand({
    name: 'evaluate',
    summary: 'Scores a model saved by npm run train on the official test set of MNIST or Fashion-MNIST, with a confusion matrix.',
    options: {
      model: { kind: Value.existingFile, required: true, description: 'The model file (.json, or the binary form).' },
      dataset: { kind: Value.oneOf(datasetNames), required: true, description: 'The dataset whose test set to score it on.' },
      'test-size': { ...all, description: 'Scores only the first N test images.' },
      'data-dir': dataDir,
    },
  }),
  download: defineCommand({
    name: 'download-data',
    summary: "Downloads the four official files of MNIST or Fashion-MNIST and keeps each only if its SHA-256 matches the official one.",
    options: {
      dataset: { kind: Value.oneOf(datasetNames), required: true, description: 'The dataset to download.' },
      to: { kind: Value.writableFolder, default: (chosen) => join(root, 'data', String(chosen.dataset)), defaultText: 'data/<dataset>', description: 'The folder to put the files in; it is made if need be.' },
    },
  }),
  bench: defineCommand({
    name: 'bench',
    summary: "Times the reference network (MNIST, 784-128-128-10, Adam, batch 128) with scratchnet's wasm and js kernels, NumPy and tfjs, from the same start.",
    options: {
      epochs: { kind: Value.whole(1), default: '3', description: 'How many epochs each implementation trains.' },
      'skip-js': { kind: Value.flag, description: "Skips scratchnet's readable (js) kernels, its slowest run." },
      'skip-numpy': { kind: Value.flag, description: 'Skips the NumPy run.' },
      'skip-tfjs': { kind: Value.flag, description: 'Skips the tfjs wasm and cpu runs.' },
      'skip-target': { kind: Value.flag, description: 'Skips the run that times training to 97.42% test accuracy.' },
    },
  }),
  screenshots: defineCommand({
    name: 'screenshots',
    summary: 'Takes full-page PNGs of every page of the built site in the light and dark themes and on a 375-pixel phone.',
    options: {
      'no-build': { kind: Value.flag, description: 'Uses the site already built in dist/site.' },
      only: { kind: Value.words, defaultText: 'every page', description: "Only the pages whose name contains one of these words (index, 404, a chapter's slug)." },
      width: { kind: Value.whole(320, Number.MAX_SAFE_INTEGER, 'a whole number of pixels of at least 320'), default: '1280', description: 'The desktop width in pixels.' },
      out: { kind: Value.writableFolder, default: () => join(root, 'screenshots'), defaultText: 'screenshots/', description: 'The folder for the PNGs.' },
      site: { kind: Value.existingFolder, defaultText: 'dist/site', description: 'A site already built elsewhere (implies --no-build).' },
    },
  }),
};

/** Prints an error and exits with status 1. */
export function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

/** A bad argument, a library refusal (ScratchnetError, FormatError…) or a file the system would not open: the user's to fix. */
export function isUserError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof ScratchnetError || (error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string');
}

/**
 * Ends the command on any error that nothing caught: a user error prints `error: …`, with no
 * stack trace; anything else is a bug, and keeps its stack for the report. Both exit with 1.
 */
export function handleErrors(): void {
  // Also receives a rejected top-level await, as origin 'unhandledRejection'.
  process.on('uncaughtException', (error) => {
    process.stderr.write(isUserError(error) ? `error: ${(error as Error).message}\n` : `internal error (please report it): ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

/** A count with its unit: "1 epoch", "12 epochs". */
export function plural(count: number, unit: string, units = `${unit}s`): string {
  return `${count} ${count === 1 ? unit : units}`;
}

/**
 * Writes with `write(path)`; when that fails, writes the same file name into a new folder under
 * `fallbackRoot` instead, so finished work is never lost. Returns where it went and, after a
 * fallback, why `path` failed.
 */
export async function saveWithFallback(path: string, write: (path: string) => Promise<void>, fallbackRoot = tmpdir()): Promise<{ path: string; problem?: string }> {
  try {
    await write(path);
    return { path };
  } catch (error) {
    const problem = (error as Error).message;
    let fallback = join(fallbackRoot, basename(path));
    try {
      fallback = join(await mkdtemp(join(fallbackRoot, 'scratchnet-')), basename(path));
      await write(fallback);
    } catch (second) {
      throw new UsageError(`could not save to ${path} (${problem}), nor to ${fallback} (${(second as Error).message})`);
    }
    return { path: fallback, problem };
  }
}

/** Parses argv for a script that lists its options in node:util's form: every value is text, which the script checks. */
export function parseOptions<T extends Record<string, { type: 'string' | 'boolean' }>>(options: T, usage: string): { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string } {
  const table: OptionTable = Object.fromEntries(Object.entries(options).map(([name, { type }]) => [name, { kind: type === 'boolean' ? Value.flag : Value.text('VALUE', 'a value'), description: '' }]));
  try {
    return parseCommand({ name: '', summary: '', options: table, usage }) as { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string };
  } catch (error) {
    return error instanceof UsageError ? fail(error.message) : fail(String(error));
  }
}

/** A positive whole number from an option, or a clear error naming it. */
export function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive whole number, not ${/^-?\d/.test(value) ? value : JSON.stringify(value)}`);
  return n;
}

/** Reports progress through a run of `total` steps. */
export class Progress {
  private readonly tty = Boolean(process.stdout.isTTY);
  private lastDecile = -1;
  private readonly started = performance.now();
  private readonly total: number;
  private readonly label: string;

  constructor(label: string, total: number) {
    this.label = label;
    this.total = total;
  }

  /** Shows step `done` of the total, with a short status after the bar. */
  update(done: number, status: string): void {
    const fraction = done / this.total;
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    if (this.tty) {
      const width = 28;
      const filled = Math.round(fraction * width);
      process.stdout.write(`\r${this.label} [${'█'.repeat(filled)}${'·'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${seconds} s ${status}\x1b[K`);
      return;
    }
    // Without a terminal, a line every 10% keeps logs short and still shows that work goes on.
    const decile = Math.floor(fraction * 10);
    if (decile > this.lastDecile && decile < 10) {
      this.lastDecile = decile;
      process.stdout.write(`${this.label} ${decile * 10}% ${seconds} s ${status}\n`);
    }
  }

  /** Clears the bar on a terminal, so the epoch's summary line replaces it. */
  done(): void {
    if (this.tty) process.stdout.write('\r\x1b[K');
  }
}

/** The confusion matrix as an aligned table with class names; rows are the true class. */
export function confusionTable(predicted: ArrayLike<number>, actual: ArrayLike<number>, classes: string[]): string {
  const counts = confusionMatrix(predicted, actual, classes.length);
  const names = classes.map((name) => (name.length > 11 ? `${name.slice(0, 10)}…` : name));
  const nameWidth = Math.max(...names.map((name) => name.length), 'true \\ predicted'.length);
  const cellWidth = Math.max(5, ...counts.flat().map((n) => String(n).length + 1));
  const header = `${'true \\ predicted'.padEnd(nameWidth)} ${counts.map((_, j) => String(j).padStart(cellWidth)).join('')}`;
  const rows = counts.map((row, i) => `${`${i} ${names[i]}`.padEnd(nameWidth)} ${row.map((n) => String(n).padStart(cellWidth)).join('')}`);
  return [header, ...rows].join('\n');
}
