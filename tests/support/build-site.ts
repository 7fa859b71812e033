// Vitest global setup for the site tests: starts building the site once into dist/site, in the
// background, so the library's tests run meanwhile instead of waiting for it; the site, chapter-
// page and browser tests wait for it in built-site.ts (it writes dist/site-build.json when done).
// With SCRATCHNET_SITE set, the tests use that build as it is and nothing is rebuilt.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the background build says it is done, and whether it worked: the test files wait for it (built-site.ts). */
export const BUILD_STATUS = resolve(import.meta.dirname, '../../dist/site-build.json');

export default function setup(): (() => void) | undefined {
  if (process.env.SCRATCHNET_SITE) {
    process.stdout.write(`testing the site already built in ${process.env.SCRATCHNET_SITE}\n`);
    return undefined;
  }
  const root = resolve(import.meta.dirname, '../..');
  rmSync(BUILD_STATUS, { force: true });
  mkdirSync(join(root, 'dist'), { recursive: true });
  const started = Date.now();
  const child = spawn(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: root,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  child.on('exit', (code) => {
    const seconds = (Date.now() - started) / 1000;
    const ok = code === 0;
    writeFileSync(BUILD_STATUS, JSON.stringify({ ok, seconds, ...(ok ? {} : { message: `astro build failed (exit ${code}):\n${output}` }) }));
    process.stdout.write(ok ? `site built for the tests in ${seconds.toFixed(1)} s\n` : `astro build failed (exit ${code})\n`);
  });
  // If the tests end first (a filter ran no site test), the build is stopped with them.
  return () => {
    if (child.exitCode === null) child.kill();
  };
}
