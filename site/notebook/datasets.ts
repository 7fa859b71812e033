// Real datasets in cells (the chapter "Training on real data"): loadDataset() and loadDatasetFile()
// read the first few thousand images of MNIST or Fashion-MNIST, cut into real IDX files of their own.
// Where the bytes come from is injected: datasets-node.ts reads the installed files (the build and the
// tests), datasets-browser.ts fetches the site's copies (the page's Worker). Both give the same bytes.
import { DATASETS, IDX_FILES, ScratchnetError, labelledImages, parseIDX, sliceRows, type DatasetInfo, type DatasetName, type LabelledImages } from '../../lib/index.ts';

/**
 * How many images of each half cells can load. The build writes subset files of exactly this size
 * for the page to download (about 1 MB for MNIST): enough to train a network worth looking at in a
 * second or two, small enough to download at once. The lab and the command line use all 70,000.
 */
export const CELL_SUBSET = { train: 5000, test: 1000 } as const;

/** One of the four official file names, e.g. 'train-images-idx3-ubyte'. */
export type IDXFileName = (typeof IDX_FILES)[keyof typeof IDX_FILES];

/** How many items (images or labels) the subset of `file` keeps: CELL_SUBSET.test for the t10k files, else CELL_SUBSET.train. */
export function subsetCount(file: IDXFileName): number {
  return file.startsWith('t10k') ? CELL_SUBSET.test : CELL_SUBSET.train;
}

/** The header of an IDX file: its dimensions and the bytes the header takes; `bytes` may be only the file's start. */
export function idxHeader(bytes: Uint8Array, name: string): { dims: number[]; headerLength: number } | undefined {
  if (bytes.length < 4) return undefined;
  const rank = bytes[3];
  const headerLength = 4 + 4 * rank;
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08 || rank < 1 || rank > 4) {
    throw new ScratchnetError('subsetIDX', `${name} does not start like an IDX file of unsigned bytes`);
  }
  if (bytes.length < headerLength) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerLength);
  return { dims: Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i)), headerLength };
}

/** How many bytes the first `count` items of an IDX file take, header included, once the header is known. */
export function subsetLength(header: { dims: number[]; headerLength: number }, count: number): number {
  return header.headerLength + count * header.dims.slice(1).reduce((total, d) => total * d, 1);
}

/**
 * The first `count` items of an uncompressed IDX file as an IDX file of its own: the same header
 * with the count rewritten, then the first `count` items' bytes. `bytes` may be only the file's start.
 */
export function subsetIDX(bytes: Uint8Array, count: number, name = 'IDX file'): Uint8Array {
  const header = idxHeader(bytes, name);
  if (!header) throw new ScratchnetError('subsetIDX', `${name}: ${bytes.length} bytes is too short for its IDX header`);
  if (count > header.dims[0]) throw new ScratchnetError('subsetIDX', `${name} holds ${header.dims[0]} items, fewer than the ${count} asked for`);
  const length = subsetLength(header, count);
  if (bytes.length < length) throw new ScratchnetError('subsetIDX', `${name}: the first ${count} items need ${length} bytes, but only ${bytes.length} were read`);
  const out = bytes.slice(0, length);
  new DataView(out.buffer).setUint32(4, count); // the first dimension is the count, big-endian like every IDX number
  return out;
}

/** A dataset is missing where the cells run; the message says how to get it, and the cell shows it instead of failing. */
export class DatasetUnavailable extends Error {
  override readonly name = 'DatasetUnavailable';
  readonly dataset: DatasetName;

  constructor(dataset: DatasetName, message: string) {
    super(message);
    this.dataset = dataset;
  }
}

/** Where the cells' dataset bytes come from: the installed files (Node) or the site's copies (the page). */
export interface DatasetSource {
  /** One of the dataset's four subset files, uncompressed; rejects with DatasetUnavailable when the dataset is missing. */
  read(name: DatasetName, file: IDXFileName): Promise<Uint8Array>;
}

/** Which images loadDataset() returns: the first `train` and the first `test` of the subset (all of it by default). */
export interface LoadDatasetOptions {
  train?: number;
  test?: number;
}

/** What loadDataset() returns: the training and test images with their labels, and the dataset's names for its classes. */
export interface LoadedDataset {
  info: DatasetInfo;
  classes: string[];
  train: LabelledImages;
  test: LabelledImages;
}

/** The dataset called `name`, or an error listing the known ones. */
function datasetInfo(op: string, name: unknown): DatasetInfo {
  const known = Object.keys(DATASETS);
  if (typeof name !== 'string' || !known.includes(name)) throw new ScratchnetError(op, `unknown dataset ${JSON.stringify(name)}; use ${known.map((k) => `'${k}'`).join(' or ')}`);
  return DATASETS[name as DatasetName];
}

/** The number of images to keep of one half, when given: a whole number from 1 to what the subset holds. */
function checkedCount(info: DatasetInfo, half: 'train' | 'test', value: number | undefined): number | undefined {
  const most = CELL_SUBSET[half];
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > most) {
    throw new ScratchnetError('loadDataset', `${half} must be a whole number from 1 to ${most.toLocaleString('en')}, not ${String(value)}: cells get the first ${most.toLocaleString('en')} ${half === 'train' ? 'training' : 'test'} images of ${info.title} (the lab and the command line train on all of them)`);
  }
  return value;
}

/** The first `count` images of a labelled set (all of them when `count` is undefined). */
function firstImages(images: LabelledImages, count: number | undefined, file: string): LabelledImages {
  if (count === undefined || count === images.x.rows) return images;
  if (count > images.x.rows) throw new ScratchnetError('loadDataset', `${file} holds ${images.x.rows} images, fewer than the ${count} asked for`);
  return { ...images, x: sliceRows(images.x, 0, count), y: images.y.slice(0, count) };
}

/** The functions a notebook session gives its cells for real datasets, reading through `source`. */
export function datasetHelpers(source: DatasetSource | undefined) {
  const read = async (op: string, name: unknown, file: unknown): Promise<Uint8Array> => {
    const info = datasetInfo(op, name);
    const files: string[] = Object.values(IDX_FILES);
    if (typeof file !== 'string' || !files.includes(file)) throw new ScratchnetError(op, `unknown file ${JSON.stringify(file)}; use one of ${files.map((f) => `'${f}'`).join(', ')}`);
    if (!source) throw new ScratchnetError(op, 'this notebook session has no dataset source (pass one in NotebookSession\'s options)');
    return source.read(info.name, file as IDXFileName);
  };
  return {
    /** The raw bytes of one of a dataset's four subset files, e.g. loadDatasetFile('mnist', 'train-images-idx3-ubyte'). */
    loadDatasetFile: (name: DatasetName, file: IDXFileName): Promise<Uint8Array> => read('loadDatasetFile', name, file),
    /** The first images of a dataset's training and test halves, read with the library's IDX reader, pixels scaled to [0, 1]. */
    loadDataset: async (name: DatasetName, options: LoadDatasetOptions = {}): Promise<LoadedDataset> => {
      const info = datasetInfo('loadDataset', name);
      const train = checkedCount(info, 'train', options.train);
      const test = checkedCount(info, 'test', options.test);
      const names = Object.values(IDX_FILES);
      const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(names.map(async (file) => parseIDX(await read('loadDataset', name, file), file)));
      return {
        info,
        classes: info.classes,
        train: firstImages(labelledImages(trainImages, trainLabels, { images: IDX_FILES.trainImages, labels: IDX_FILES.trainLabels }), train, IDX_FILES.trainImages),
        test: firstImages(labelledImages(testImages, testLabels, { images: IDX_FILES.testImages, labels: IDX_FILES.testLabels }), test, IDX_FILES.testImages),
      };
    },
    /** Stops the cell with how to get the dataset when it is missing (a cell that uses an earlier cell's data starts with it). */
    requireDataset: async (name: DatasetName): Promise<void> => {
      await read('requireDataset', name, IDX_FILES.testLabels);
    },
  };
}
