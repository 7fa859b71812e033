// Chapter 10, training on real data: the defaults the prose describes are the defaults the
// command line really uses (checked on a tiny run of each dataset), and every number in the
// prose is one of them or a property of the datasets that the loader confirms.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIDXDataset } from '../../lib/node.ts';
import { proseNumbers, readChapterBody } from '../support/chapters.ts';

const root = resolve(import.meta.dirname, '../..');
const body = readChapterBody('10-training-on-real-data.mdx');
const work = mkdtempSync(join(tmpdir(), 'scratchnet-chapter10-'));

const tinyRuns = new Map<string, { folder: string; configuration: string }>();

/** What a tiny run of `npm run train` with every default kept prints first: where it read the data, and its configuration line. */
function tinyRun(dataset: string): { folder: string; configuration: string } {
  const known = tinyRuns.get(dataset);
  if (known) return known;
  const result = spawnSync(process.execPath, [join(root, 'scripts/train.ts'), '--dataset', dataset, '--train-size', '256', '--test-size', '100', '--out', join(work, `${dataset}-tiny.json`)], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  const printed = result.stdout.split('\n');
  const folder = printed.map((line) => /^\S+ from (.+)$/.exec(line)?.[1]).find((found) => found !== undefined);
  const configuration = printed.find((line) => line.includes(' training, '));
  if (!folder || !configuration) throw new Error(`npm run train printed no data folder or configuration line:\n${result.stdout}`);
  tinyRuns.set(dataset, { folder, configuration });
  return { folder, configuration };
}

describe('chapter 10, training on real data', () => {
  it('describes the command line\'s real defaults for MNIST', () => {
    expect(tinyRun('mnist').configuration).toMatch(/· 784 → 256 → 128 → 10 · adam lr 0\.001 decay 0\.0001 · dropout 0\.1 · batch 128 · 12 epochs · seed 1$/);
    expect(body).toContain('784 → 256 → 128 → 10 with ReLU, dropout 0.1 and\nAdam (learning rate 0.001, decay 0.0001, batches of 128) for 12 epochs on MNIST and 15 on');
  }, 60_000);

  it.runIf(existsSync('/usr/share/datasets/fashion-mnist'))('describes the command line\'s real defaults for Fashion-MNIST', () => {
    expect(tinyRun('fashion-mnist').configuration).toMatch(/ · 15 epochs · seed 1$/);
  }, 60_000);

  it('states the datasets\' real sizes: 60,000 training and 10,000 test images of 28 × 28, 5,000 held out', async () => {
    const { folder, configuration } = tinyRun('mnist');
    const { train, test } = await loadIDXDataset(folder);
    expect([train.x.rows, test.x.rows, train.x.cols, test.x.cols]).toEqual([60000, 10000, 28 * 28, 28 * 28]);
    expect(configuration).toMatch(/^256 training, 5000 validation, 100 test images · /);
    expect(body).toContain('Each image is 28 × 28 grey pixels');
    expect(body).toContain('60,000 training images and 10,000 test images');
    expect(body).toContain('hold out 5,000 of the training');
  }, 60_000);

  it('states only numbers that the tests above check', () => {
    expect(proseNumbers(body).sort()).toEqual(['0.0001', '0.001', '0.1']);
  });
});
