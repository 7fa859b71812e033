// The dataset list that the CLI, the site's build and the lab share: each dataset names ten
// classes, has an official checksum for each of the four files, and a download address.
import { describe, expect, it } from 'vitest';
import { DATASETS, IDX_FILES } from '../../lib/datasets.ts';

describe('DATASETS', () => {
  it.each(Object.values(DATASETS))('gives $title ten classes and a SHA-256 for each official file', (info) => {
    expect(info.classes).toHaveLength(10);
    expect(Object.keys(info.sha256).sort()).toEqual(Object.values(IDX_FILES).sort());
    for (const hash of Object.values(info.sha256)) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(info.baseURL).toMatch(/^https?:\/\/.+\/$/);
  });

  it('keys each dataset by its own name', () => {
    for (const [key, info] of Object.entries(DATASETS)) expect(info.name).toBe(key);
  });

  it('names Fashion-MNIST\'s classes in label order, 0 a T-shirt and 9 an ankle boot', () => {
    expect(DATASETS['fashion-mnist'].classes[0]).toBe('T-shirt/top');
    expect(DATASETS['fashion-mnist'].classes[9]).toBe('Ankle boot');
  });
});
