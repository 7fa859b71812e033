// Node-only helpers: saving and loading models as files. Kept out of the core library
// (import from 'scratchnet/node') so the core runs unchanged in browsers and Web Workers.
// A `.json` path uses the readable form; any other extension the compact binary form.
import { readFile, writeFile } from 'node:fs/promises';
import { ScratchnetError } from './errors.ts';
import type { Sequential } from './model.ts';
import { decodeModel, deserializeModel, encodeModel, loadWeights, serializeModel } from './serialize.ts';

const isJSON = (path: string): boolean => path.toLowerCase().endsWith('.json');

/** Writes a model to `path`: JSON for `.json`, the binary form otherwise. */
export async function saveModel(model: Sequential, path: string): Promise<void> {
  const contents = isJSON(path) ? JSON.stringify(serializeModel(model)) : encodeModel(model);
  await writeFile(path, contents);
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

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ScratchnetError('loadModel', `${path}: ${reason}`);
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
