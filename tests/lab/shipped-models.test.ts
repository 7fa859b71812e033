// The networks shipped with the site (made by `npm run train` with a fixed seed, then packed by
// scripts/ship-model.ts) really score what their metadata says on the official test sets.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeModel } from '../../lib/index.ts';
import { loadIDXDataset } from '../../lib/node.ts';
import { DATASETS, datasetFolder } from '../../scripts/datasets.ts';

const models = resolve(import.meta.dirname, '../../site/public/models');

describe.each([
  ['mnist', 0.98],
  ['fashion-mnist', 0.89],
] as const)('the shipped %s network', (name, target) => {
  const metadata = JSON.parse(readFileSync(join(models, `${name}.json`), 'utf8')) as { testAccuracy: number; seed: number; command: string };

  it(`records a seeded run that reached the target of ${target * 100}%`, () => {
    expect(Number.isInteger(metadata.seed)).toBe(true);
    expect(metadata.testAccuracy).toBeGreaterThanOrEqual(target);
  });

  it.runIf(name === 'mnist' || existsSync('/usr/share/datasets/fashion-mnist'))('scores exactly its recorded test accuracy', async () => {
    const model = decodeModel(new Uint8Array(readFileSync(join(models, `${name}.snet`))));
    const { test } = await loadIDXDataset(await datasetFolder(DATASETS[name]));
    expect(model.accuracy(test.x, test.y)).toBe(metadata.testAccuracy);
  }, 60_000);
});
