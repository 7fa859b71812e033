// The training CLI end to end on a seeded subset of MNIST: it trains, prints progress lines
// without a terminal, a confusion matrix and the final `test accuracy:` line, saves the model,
// and `npm run evaluate` reproduces the same accuracy from the saved file; a run that stalls or
// diverges is diagnosed, with what to try. (Bad input: bad-input.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { modelMetadata } from '../../lib/serialize.ts';
import { tinyDataset } from './tiny-dataset.ts';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'scratchnet-cli-'));

/** Runs one of the CLI scripts with the test's Node, as `npm run` would, and returns what it printed. */
function cli(script: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'scripts', script), ...args], { cwd: work, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const SUBSET = ['--dataset', 'mnist', '--train-size', '5000', '--validation', '1000', '--test-size', '1000', '--epochs', '4', '--hidden', '128', '--seed', '3'];
let trained: ReturnType<typeof cli>;

beforeAll(() => {
  trained = cli('train.ts', [...SUBSET, '--out', join(work, 'model.json')]);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const accuracyLine = (stdout: string): string => stdout.trim().split('\n').at(-1)!;

describe('npm run train', () => {
  it('trains on 5,000 MNIST images to more than 88% accuracy on 1,000 test images', () => {
    expect(trained.stderr).toBe('');
    expect(trained.status).toBe(0);
    expect(accuracyLine(trained.stdout)).toMatch(/^test accuracy: 0\.\d{4}$/);
    expect(Number(accuracyLine(trained.stdout).slice('test accuracy: '.length))).toBeGreaterThan(0.88);
    // A healthy run gets no diagnosis.
    expect(trained.stdout).not.toContain('diagnosis');
  });

  it('prints a progress line every 10% without a terminal, and a summary per epoch', () => {
    for (const percent of [0, 10, 50, 90]) expect(trained.stdout).toMatch(new RegExp(`^epoch 1/4 ${percent}% `, 'm'));
    const epochs = trained.stdout.match(/^epoch +\d\/4 +loss \d\.\d{4} +train accuracy \d\.\d{4} +validation accuracy \d\.\d{4} +\d+\.\d s$/gm) ?? [];
    expect(epochs).toHaveLength(4);
    expect(trained.stdout).toContain('5000 training, 1000 validation, 1000 test images · 784 → 128 → 10 · adam lr 0.001 decay 0.0005 · dropout 0.2 · input dropout 0.2 · batch 128 · 4 epochs · seed 3\n');
  });

  it('prints a confusion matrix whose counts add up to the test images', () => {
    const table = trained.stdout.slice(trained.stdout.indexOf('true \\ predicted'));
    const rows = table.split('\n').slice(1, 11);
    expect(rows).toHaveLength(10);
    const total = rows.flatMap((row) => row.trim().split(/\s+/).slice(2).map(Number)).reduce((a, b) => a + b, 0);
    expect(total).toBe(1000);
  });

  it('saves a model that npm run evaluate scores exactly as training did', () => {
    const saved = JSON.parse(readFileSync(join(work, 'model.json'), 'utf8'));
    expect(saved.format).toBe('scratchnet-model');
    expect(saved.metadata).toMatchObject({ dataset: 'mnist', epochs: 4, hidden: [128], seed: 3 });
    const evaluated = cli('evaluate.ts', ['--model', join(work, 'model.json'), '--dataset', 'mnist', '--test-size', '1000']);
    expect(evaluated.status).toBe(0);
    expect(accuracyLine(evaluated.stdout)).toBe(accuracyLine(trained.stdout));
  });

  it('gives the same accuracy from the same seed, and saves the binary form for other extensions', () => {
    const again = cli('train.ts', [...SUBSET, '--out', join(work, 'model.snet')]);
    expect(accuracyLine(again.stdout)).toBe(accuracyLine(trained.stdout));
    expect(readFileSync(join(work, 'model.snet')).subarray(0, 4).toString()).toBe('SNET');
    expect(modelMetadata(new Uint8Array(readFileSync(join(work, 'model.snet'))))).toMatchObject({ dataset: 'mnist', epochs: 4, hidden: [128], seed: 3 });
    const evaluated = cli('evaluate.ts', ['--model', join(work, 'model.snet'), '--dataset', 'mnist', '--test-size', '1000']);
    expect(accuracyLine(evaluated.stdout)).toBe(accuracyLine(trained.stdout));
  }, 120_000);
});

describe('npm run train on a tiny dataset', () => {
  it('writes every count with its unit, in the singular for one', () => {
    const folder = tinyDataset(join(work, 'tiny'));
    const result = cli('train.ts', ['--dataset', 'mnist', '--data-dir', folder, '--validation', '2', '--epochs', '1', '--test-size', '1', '--hidden', '4', '--out', join(work, 'tiny.json')]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('4 training, 2 validation, 1 test image · 784 → 4 → 10 · adam lr 0.001 decay 0.0005 · dropout 0.2 · input dropout 0.2 · batch 128 · 1 epoch · seed 1\n');
    expect(result.stdout).toContain('\nconfusion matrix on the 1 test image (rows: true class, columns: predicted)\n');
  });

  it('saves into models/, which it makes, when no --out is given', () => {
    const folder = tinyDataset(join(work, 'tiny-default'));
    const result = cli('train.ts', ['--dataset', 'mnist', '--data-dir', folder, '--validation', '2', '--epochs', '1', '--test-size', '1', '--hidden', '4']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('model saved to models/mnist-model.json;');
    expect(modelMetadata(JSON.parse(readFileSync(join(work, 'models', 'mnist-model.json'), 'utf8')))?.dataset).toBe('mnist');
  });
});

describe('npm run train with augmentation and early stopping', () => {
  it('trains on shifted images and stops early, keeping the best epoch, and records both in the model', () => {
    const args = ['--dataset', 'mnist', '--train-size', '2000', '--validation', '500', '--test-size', '200', '--epochs', '30', '--hidden', '32', '--learning-rate', '0.01', '--seed', '2'];
    const result = cli('train.ts', [...args, '--augment', '--max-shift', '1', '--patience', '2', '--out', join(work, 'stopped.json')]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/ · augmented \(shifts up to 1 px, turns up to 10°, scales ±10%\) · patience 2 · seed 2\n/);
    const stopped = /\nearly stopping: stopped after epoch (\d+); kept the weights of epoch (\d+), whose validation loss was lowest \((0\.\d{4})\)\n/.exec(result.stdout);
    expect(stopped).not.toBeNull();
    const [after, best] = [Number(stopped![1]), Number(stopped![2])];
    expect(after).toBe(best + 2);
    expect(after).toBeLessThan(30);
    const saved = JSON.parse(readFileSync(join(work, 'stopped.json'), 'utf8'));
    expect(saved.metadata).toMatchObject({ augment: { maxShift: 1, mirror: false }, patience: 2, bestEpoch: best });
  }, 120_000);
});

describe('npm run train when training goes wrong', () => {
  const SHORT = ['--dataset', 'mnist', '--train-size', '2000', '--validation', '500', '--test-size', '100', '--epochs', '2', '--batch-size', '64', '--hidden', '32'];

  it('diagnoses a run whose loss barely moved, saying what to try, and still saves the model', () => {
    const result = cli('train.ts', [...SHORT, '--learning-rate', '0.0000001', '--out', join(work, 'stalled.json')]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\ndiagnosis: this run did not go well\n {2}flat: The loss barely moved: from 2\.\d+ to 2\.\d+ over 64 steps, .*try one ten times larger \(0\.000001\)/);
    expect(accuracyLine(result.stdout)).toMatch(/^test accuracy: 0\.\d{4}$/);
  }, 60_000);

  it('ends a run that diverged with where, and what to try, and no stack trace', () => {
    const result = cli('train.ts', [...SHORT, '--optimizer', 'sgd', '--learning-rate', '1000', '--out', join(work, 'diverged.json')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: Sequential\.train: training diverged at epoch 1, step \d+ of 32: .*The learning rate \(1000\) is probably too high: try 100, ten times smaller\./);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).not.toContain('model saved');
  }, 60_000);
});
