// Node-only helpers: saving and loading models as files (and saving them as ONNX), and finding
// and reading the four official IDX files of MNIST or Fashion-MNIST. Kept out of the core library
// (import from 'scratchnet/node') so the core runs unchanged in browsers and Web Workers.
import { access, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { IDX_FILES, type DatasetInfo } from './datasets.ts';
import { labelledImages, readIDX, type LabelledImages } from './idx.ts';
import { ScratchnetError } from './errors.ts';
import type { Sequential } from './model.ts';
import { exportONNX, type ONNXExportOptions } from './onnx.ts';
import { decodeModel, deserializeModel, encodeModel, loadWeights, serializeModel } from './serialize.ts';

// A `.json` path uses the readable form; any other extension the compact binary form.
const isJSON = (path: string): boolean => path.toLowerCase().endsWith('.json');

/** Writes a model to `path`: JSON for `.json`, the binary form otherwise. */
export async function saveModel(model: Sequential, path: string): Promise<void> {
  const contents = isJSON(path) ? JSON.stringify(serializeModel(model)) : encodeModel(model);
  await writeFile(path, contents);
}

/** Writes `model` to `path` as an ONNX model (see exportONNX); an error names the file when it cannot be written. */
export async function saveONNX(model: Sequential, path: string, options: ONNXExportOptions = {}): Promise<void> {
  const bytes = exportONNX(model, options);
  try {
    await writeFile(path, bytes);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'no such folder' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new ScratchnetError('saveONNX', `cannot write ${path}: ${reason}`);
  }
}

/** Reads a model saved by saveModel; errors name the file. */
export async function loadModel(path: string): Promise<Sequential> {
  const bytes = await readBytes(path);
  return withFileName(path, () => (isJSON(path) ? deserializeModel(new TextDecoder().decode(bytes)) : decodeModel(bytes)));
}

/** Loads the weights saved at `path` into an existing model with the same shapes. */
export async function loadWeightsFile(model: Sequential, path: string): Promise<void> {
  const bytes = await readBytes(path);
  withFileName(path, () => loadWeights(model, isJSON(path) ? new TextDecoder().decode(bytes) : bytes));
}

async function readBytes(path: string, op = 'loadModel'): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ScratchnetError(op, `${path}: ${reason}`);
  }
}

function withFileName<T>(path: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof Error) error.message = `${path}: ${error.message}`;
    throw error;
  }
}

// The file names live with the datasets in the core; 'scratchnet/node' has always offered them too.
export { IDX_FILES };

/** The path of `name` in `folder`, raw or gzipped, or undefined when neither exists. */
export async function findIDXFile(folder: string, name: string): Promise<string | undefined> {
  for (const candidate of [name, `${name}.gz`]) {
    try {
      await access(join(folder, candidate));
      return join(folder, candidate);
    } catch {
      // try the next spelling
    }
  }
  return undefined;
}

/** Which of the four official IDX files `folder` lacks (in neither raw nor .gz form); all four when the folder does not exist. */
export async function missingIDXFiles(folder: string): Promise<string[]> {
  const names: string[] = Object.values(IDX_FILES);
  const found = await Promise.all(names.map((name) => findIDXFile(folder, name)));
  return names.filter((_, i) => !found[i]);
}

/** The first of `folders` that holds all four official IDX files (raw or .gz), or undefined when none does. */
export async function findIDXFolder(folders: string[]): Promise<string | undefined> {
  for (const folder of folders) {
    if ((await missingIDXFiles(folder)).length === 0) return folder;
  }
  return undefined;
}

/** The folders where a dataset may be, in search order: where its npm or system package installs it, then `root/data/<name>`. */
export function datasetFolders(info: DatasetInfo, root: string): string[] {
  const folders: string[] = [];
  if (info.npmPackage) {
    try {
      // Node's own lookup from this file: the project's node_modules, or the one scratchnet is installed in.
      const manifest = createRequire(import.meta.url).resolve(`${info.npmPackage.name}/package.json`);
      folders.push(join(dirname(manifest), info.npmPackage.folder));
    } catch {
      // the package is not installed
    }
  }
  if (info.systemFolder) folders.push(info.systemFolder);
  folders.push(join(root, 'data', info.name));
  return folders;
}

/** Reads the official train and test files (raw or .gz) from `folder`; errors name the missing or damaged file. */
export async function loadIDXDataset(folder: string, classes = 10): Promise<{ train: LabelledImages; test: LabelledImages }> {
  const paths: Record<keyof typeof IDX_FILES, string> = { trainImages: '', trainLabels: '', testImages: '', testLabels: '' };
  const missing: string[] = [];
  for (const [key, name] of Object.entries(IDX_FILES) as Array<[keyof typeof IDX_FILES, string]>) {
    const path = await findIDXFile(folder, name);
    if (path) paths[key] = path;
    else missing.push(name);
  }
  if (missing.length) throw new ScratchnetError('loadIDXDataset', `${folder} has no ${missing.join(', ')} (raw or .gz)`);
  const read = async (path: string) => readIDX(await readBytes(path, 'loadIDXDataset'), path);
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([paths.trainImages, paths.trainLabels, paths.testImages, paths.testLabels].map(read));
  return {
    train: labelledImages(trainImages, trainLabels, { images: paths.trainImages, labels: paths.trainLabels }, classes),
    test: labelledImages(testImages, testLabels, { images: paths.testImages, labels: paths.testLabels }, classes),
  };
}
