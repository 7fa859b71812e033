// Where cells get their dataset bytes at build time, in the tests and in scripts/run-cells.ts:
// the installed official files (found by lib/node.ts), cut to the first CELL_SUBSET images. The
// build writes these same cuts into the site for the page (site/integrations/datasets.ts), so a
// cell prints the same numbers in Node and in the reader's browser.
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { DATASETS, IDX_FILES, type DatasetInfo, type DatasetName } from '../../lib/index.ts';
import { datasetFolders } from '../../lib/node.ts';
import { DatasetUnavailable, idxHeader, subsetCount, subsetIDX, subsetLength, type DatasetSource, type IDXFileName } from './datasets.ts';

// The repository, whose data/<name> folders `npm run download-data` fills.
const root = resolve(import.meta.dirname, '../..');

/** Options for nodeDatasetSource: where to look for each dataset (by default, where lib/node.ts looks). */
export interface NodeDatasetOptions {
  folders?: (info: DatasetInfo) => string[];
}

/** The message a cell shows when a dataset is not installed where the site was built: what is missing, and how to get it. */
export function notInstalledMessage(info: DatasetInfo): string {
  return `${info.title} was not installed where this page was built, so the cell stops here. To get it, ${info.howToGet}; then build the site again.`;
}

/** Up to `length` bytes of an open file, from its start. */
function readStart(fd: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  return bytes.subarray(0, readSync(fd, bytes, 0, length, 0));
}

/**
 * The first `count` items of the IDX file at `path` (raw or gzipped) as an IDX file of their own.
 * Reads, and decompresses, only as far as those items go: a few megabytes, not the whole 47. It
 * is synchronous on purpose: at build time many chapters run at once, and a cell that waited for
 * the disk would be charged, in the time its page shows, for the other chapters' cells.
 */
export function readSubsetFile(path: string, count: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const signature = readStart(fd, 2);
    if (signature[0] !== 0x1f || signature[1] !== 0x8b) {
      const header = idxHeader(readStart(fd, 20), path);
      return subsetIDX(readStart(fd, header ? subsetLength(header, count) : 20), count, path);
    }
    // Decompress ever longer starts of the gzip stream (a cut-off stream decompresses as far as it
    // goes with a sync flush) until they hold the items, aiming each try at the length still needed.
    for (let take = 1 << 16; ; ) {
      const bytes = new Uint8Array(gunzipSync(readStart(fd, Math.min(take, size)), { finishFlush: constants.Z_SYNC_FLUSH }));
      const header = idxHeader(bytes, path);
      const needed = header ? subsetLength(header, count) : Infinity;
      if (bytes.length >= needed || take >= size) return subsetIDX(bytes, count, path);
      take = Number.isFinite(needed) ? Math.max(2 * take, Math.ceil(((take * needed) / Math.max(1, bytes.length)) * 1.05)) : 2 * take;
    }
  } finally {
    closeSync(fd);
  }
}

/** The first of `folders` that holds all four files (raw or .gz), checked without waiting on the disk. */
function installedFolder(folders: string[]): string | undefined {
  const names: string[] = Object.values(IDX_FILES);
  return folders.find((folder) => names.every((name) => existsSync(join(folder, name)) || existsSync(join(folder, `${name}.gz`))));
}

const cache = new Map<string, Uint8Array>();

/** A dataset source that reads the installed files; a dataset found in none of its folders is DatasetUnavailable. */
export function nodeDatasetSource(options: NodeDatasetOptions = {}): DatasetSource {
  const folders = options.folders ?? ((info: DatasetInfo) => datasetFolders(info, root));
  return {
    async read(name: DatasetName, file: IDXFileName): Promise<Uint8Array> {
      const info = DATASETS[name];
      const folder = installedFolder(folders(info));
      if (!folder) throw new DatasetUnavailable(name, notInstalledMessage(info));
      const path = existsSync(join(folder, file)) ? join(folder, file) : join(folder, `${file}.gz`);
      const key = `${path}:${subsetCount(file)}`;
      // Read once per process: the tests run a chapter twice, and each cell may ask again.
      const bytes = cache.get(key) ?? readSubsetFile(path, subsetCount(file));
      cache.set(key, bytes);
      return bytes.slice();
    },
  };
}
