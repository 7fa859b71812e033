// Where cells get their dataset bytes in the reader's browser: the small subset files the build
// copied into the site (data/datasets.json lists them), downloaded once per Worker with progress,
// and decompressed by the library's gunzip. Only this site is asked: never another host.
import { gunzip, isGzip, type DatasetEntry, type DatasetName } from '../../lib/index.ts';
import { DatasetUnavailable, type DatasetSource, type IDXFileName } from './datasets.ts';
import { downloadWithProgress } from './download.ts';
import { siteAddress } from '../utils/base.ts';

/** Options for browserDatasetSource. */
export interface BrowserDatasetOptions {
  /** Told how a download is going, e.g. "downloading MNIST: 0.4 of 0.9 MB". */
  onProgress?: (text: string) => void;
  /** The site's address, with its base path; defaults to the base path on the origin the Worker was started from. */
  origin?: string;
}

const megabytes = (bytes: number): string => (bytes / 1e6).toFixed(1);

/** A dataset source that downloads the site's subset files (and keeps them for the Worker's life). */
export function browserDatasetSource(options: BrowserDatasetOptions = {}): DatasetSource {
  // A Worker made from a blob: URL still has its creator's origin, but relative URLs need the site's address.
  const site = (options.origin ?? siteAddress(self.location.origin)).replace(/\/?$/, '/');
  // datasets.json's paths are relative to the site's root, which is under the base path.
  const onSite = (path: string): string => new URL(path.replace(/^\//, ''), site).href;
  let entries: Promise<DatasetEntry[]> | undefined;
  const files = new Map<string, Promise<Uint8Array>>();
  // Bytes received and expected for each file being fetched, by dataset: one line for the files a cell fetches together.
  const progress = new Map<string, Map<string, { received: number; total: number }>>();
  const report = (title: string, file: string, received: number, total: number): void => {
    const sizes = progress.get(title) ?? new Map<string, { received: number; total: number }>();
    progress.set(title, sizes.set(file, { received, total }));
    const all = [...sizes.values()];
    const sum = (key: 'received' | 'total'): number => all.reduce((t, size) => t + size[key], 0);
    options.onProgress?.(`downloading ${title}: ${megabytes(sum('received'))} of ${megabytes(sum('total'))} MB`);
  };
  const list = (): Promise<DatasetEntry[]> => {
    entries ??= fetch(onSite('data/datasets.json'))
      .then((response) => {
        if (!response.ok) throw new Error(`the site has no list of datasets (/data/datasets.json answered ${response.status}); the datasets are copied in by \`npm run build\``);
        return response.json() as Promise<DatasetEntry[]>;
      })
      .catch((error: Error) => {
        entries = undefined; // try again on the next run
        throw error;
      });
    return entries;
  };
  return {
    async read(name: DatasetName, file: IDXFileName): Promise<Uint8Array> {
      const entry = (await list()).find((candidate) => candidate.name === name);
      const subset = entry?.subset?.files[file];
      if (!entry?.available || !subset) throw new DatasetUnavailable(name, entry?.reason ?? `${name} is not on this site.`);
      let bytes = files.get(subset.path);
      if (!bytes) {
        report(entry.title, file, 0, subset.bytes);
        bytes = downloadWithProgress(onSite(subset.path), (received) => report(entry.title, file, received, subset.bytes))
          .then(async (packed) => (isGzip(packed) ? gunzip(packed, file) : packed));
        files.set(subset.path, bytes);
        bytes.catch(() => files.delete(subset.path));
      }
      return (await bytes).slice();
    },
  };
}
