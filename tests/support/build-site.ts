// Vitest global setup for the site tests: builds the site once into dist/site before any site,
// chapter-page or browser test runs, so those files share one build instead of racing to write it.
// With SCRATCHNET_SITE set, the tests use that build as it is and nothing is rebuilt.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export default function setup(): void {
  if (process.env.SCRATCHNET_SITE) {
    process.stdout.write(`testing the site already built in ${process.env.SCRATCHNET_SITE}\n`);
    return;
  }
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
