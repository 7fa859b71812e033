// Vitest global setup for the site tests: builds the site once into dist/site before any site,
// chapter-page or browser test runs, so those files share one build instead of racing to write it.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export default function setup(): void {
  const root = resolve(import.meta.dirname, '../..');
  const started = Date.now();
  const result = spawnSync(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: root,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`astro build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  process.stdout.write(`site built for the tests in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
