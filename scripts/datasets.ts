// Where the CLI finds MNIST and Fashion-MNIST, how it says what to do when one is missing, and
// how the download command checks what it fetched: the SHA-256 of each file's decompressed
// contents must match the official data (the same bytes whether or not the file is gzipped).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DATASETS, type DatasetInfo } from '../lib/datasets.ts';
import { isGzip } from '../lib/idx.ts';
import { datasetFolders, findIDXFolder } from '../lib/node.ts';

// The list itself lives in lib/, where the site's build can import it too.
export { DATASETS };

const root = resolve(import.meta.dirname, '..');

/** The dataset called `name`, or an error listing the known ones. */
export function datasetInfo(name: string | undefined): DatasetInfo {
  if (name === 'mnist' || name === 'fashion-mnist') return DATASETS[name];
  throw new Error(`--dataset must be mnist or fashion-mnist${name ? `, not "${name}"` : ''}`);
}

/** The first folder holding all four files (`dataDir` alone when given), or an error that says exactly how to get them. */
export async function datasetFolder(info: DatasetInfo, dataDir?: string): Promise<string> {
  const candidates = dataDir ? [resolve(dataDir)] : datasetFolders(info, root);
  const folder = await findIDXFolder(candidates);
  if (folder) return folder;
  throw new Error(`${info.title} was not found in ${candidates.join(' or ')}. To get it, ${info.howToGet}.`);
}

/** The SHA-256 of a file's contents, decompressed first when it is gzipped. */
export async function contentHash(path: string): Promise<string> {
  let bytes: Uint8Array = await readFile(path);
  if (isGzip(bytes)) bytes = gunzipSync(bytes);
  return createHash('sha256').update(bytes).digest('hex');
}

/** Checks a file against the official checksum for `name`; resolves to an error message, or undefined when it matches. */
export async function verifyFile(info: DatasetInfo, name: string, path: string): Promise<string | undefined> {
  const expected = info.sha256[name];
  if (!expected) return `${name} is not one of ${info.title}'s files`;
  const actual = await contentHash(path);
  return actual === expected ? undefined : `${path}: SHA-256 ${actual} does not match ${info.title}'s official ${name} (${expected})`;
}
