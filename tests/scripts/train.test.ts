// The training CLI end to end on a seeded subset of MNIST: it trains, prints progress lines
// without a terminal, a confusion matrix and the final `test accuracy:` line, saves the model,
// and `npm run evaluate` reproduces the same accuracy from the saved file. Bad input gets clear errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
  });

  it('prints a progress line every 10% without a terminal, and a summary per epoch', () => {
    for (const percent of [0, 10, 50, 90]) expect(trained.stdout).toMatch(new RegExp(`^epoch 1/4 ${percent}% `, 'm'));
    const epochs = trained.stdout.match(/^epoch +\d\/4 +loss \d\.\d{4} +train accuracy \d\.\d{4} +validation accuracy \d\.\d{4} +\d+\.\d s$/gm) ?? [];
    expect(epochs).toHaveLength(4);
    expect(trained.stdout).toContain('5000 training, 1000 validation, 1000 test images');
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
    const evaluated = cli('evaluate.ts', ['--model', join(work, 'model.snet'), '--dataset', 'mnist', '--test-size', '1000']);
    expect(accuracyLine(evaluated.stdout)).toBe(accuracyLine(trained.stdout));
  }, 120_000);
});

describe('the CLI on bad input', () => {
  it('says exactly how to get a dataset it cannot find', () => {
    const result = cli('train.ts', ['--dataset', 'fashion-mnist', '--data-dir', join(work, 'nowhere')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`error: Fashion-MNIST was not found in ${join(work, 'nowhere')}. To get it, install Debian's package (\`sudo apt-get install dataset-fashion-mnist\``);
    expect(result.stderr).toContain('npm run download-data -- --dataset fashion-mnist');
  });

  it('names the option that is wrong', () => {
    expect(cli('train.ts', ['--dataset', 'cifar']).stderr).toMatch(/^error: --dataset must be mnist or fashion-mnist, not "cifar"/);
    expect(cli('train.ts', ['--dataset', 'mnist', '--epochs', 'ten']).stderr).toBe('error: --epochs must be a positive whole number, not "ten"\n');
    expect(cli('train.ts', ['--dataset', 'mnist', '--dropout', '1.5']).stderr).toBe('error: --dropout must be below 1, not 1.5\n');
    expect(cli('train.ts', ['--dataset', 'mnist', '--optimiser', 'adam']).stderr).toMatch(/^error: Unknown option '--optimiser'/);
    expect(cli('evaluate.ts', ['--dataset', 'mnist']).stderr).toMatch(/^error: --model is required/);
  });

  it('names the model file that is missing or does not fit the dataset', () => {
    expect(cli('evaluate.ts', ['--model', join(work, 'missing.json'), '--dataset', 'mnist']).stderr).toContain(`loadModel: ${join(work, 'missing.json')}: no such file`);
  });
});
