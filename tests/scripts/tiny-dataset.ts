// A tiny dataset in the official files' layout for the CLI's tests: a few square images with
// labels, written raw, so a test can train or evaluate without loading MNIST, or leave out a file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDX_FILES } from '../../lib/datasets.ts';
import { idxBytes } from '../support/idx-fixtures.ts';

/** Writes `train` and `test` images of side × side pixels (labels 0, 1, 2, …) into `folder`, leaving out the files named in `omit`; returns the folder. */
export function tinyDataset(folder: string, options: { train?: number; test?: number; side?: number; omit?: string[] } = {}): string {
  const { train = 6, test = 4, side = 28, omit = [] } = options;
  mkdirSync(folder, { recursive: true });
  const images = (count: number) => idxBytes([count, side, side], Array.from({ length: count * side * side }, (_, i) => (i * 37) % 256));
  const labels = (count: number) => idxBytes([count], Array.from({ length: count }, (_, i) => i % 10));
  const files = { [IDX_FILES.trainImages]: images(train), [IDX_FILES.trainLabels]: labels(train), [IDX_FILES.testImages]: images(test), [IDX_FILES.testLabels]: labels(test) };
  for (const [name, bytes] of Object.entries(files)) if (!omit.includes(name)) writeFileSync(join(folder, name), bytes);
  return folder;
}
