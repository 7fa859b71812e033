// Chapter 10, training on real data: the defaults the prose describes are the defaults the
// command line really uses (checked on a tiny run of each dataset), and every number in the
// prose is one of them or a property of the datasets that the loader confirms.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { proseNumbers, readChapterBody } from '../support/chapters.ts';

const root = resolve(import.meta.dirname, '../..');
const body = readChapterBody('10-training-on-real-data.mdx');
const work = mkdtempSync(join(tmpdir(), 'scratchnet-chapter10-'));

/** The configuration line `npm run train` prints, from a tiny run with every default kept. */
function configuration(dataset: string): string {
  const result = spawnSync(process.execPath, [join(root, 'scripts/train.ts'), '--dataset', dataset, '--train-size', '256', '--test-size', '100', '--out', join(work, `${dataset}-tiny.json`)], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').find((line) => line.includes(' training, '))!;
}

describe('chapter 10, training on real data', () => {
  it('describes the command line\'s real defaults for MNIST', () => {
    expect(configuration('mnist')).toMatch(/· 784 → 256 → 128 → 10 · adam lr 0\.001 decay 0\.0001 · dropout 0\.1 · batch 128 · 12 epochs · seed 1$/);
    expect(body).toContain('784 → 256 → 128 → 10 with ReLU, dropout 0.1 and\nAdam (learning rate 0.001, decay 0.0001, batches of 128) for 12 epochs on MNIST and 15 on');
  }, 60_000);

  it.runIf(existsSync('/usr/share/datasets/fashion-mnist'))('describes the command line\'s real defaults for Fashion-MNIST', () => {
    expect(configuration('fashion-mnist')).toMatch(/ · 15 epochs · seed 1$/);
  }, 60_000);

  it('states the datasets\' real sizes: 60,000 training and 10,000 test images of 28 × 28, 5,000 held out', () => {
    const text = readFileSync(join(root, 'scripts/train.ts'), 'utf8');
    expect(text).toContain("wholeNumber('validation', args.validation, 5000)");
    expect(body).toContain('60,000 training images and 10,000 test images');
    expect(body).toContain('hold out 5,000 of the training');
  });

  it('states only numbers that the tests above check', () => {
    expect(proseNumbers(body).sort()).toEqual(['0.0001', '0.001', '0.1']);
  });
});
