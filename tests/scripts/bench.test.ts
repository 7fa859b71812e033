// tfjs is a bench-only dependency: bench/package.json holds it and `npm run bench:setup` installs
// it into bench/node_modules, so a plain `npm install` leaves it out. Without it, `npm run bench`
// stops at once with one line naming the command that installs it.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'scratchnet-bench-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const manifest = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8'));

// A resolve hook that makes every @tensorflow package missing, as on a fresh `npm install`,
// even where a developer has run bench:setup.
const hideTfjs = join(work, 'hide-tfjs.mjs');
writeFileSync(
  hideTfjs,
  `import { registerHooks } from 'node:module';
registerHooks({
  resolve(specifier, context, next) {
    if (!specifier.startsWith('@tensorflow/')) return next(specifier, context);
    throw Object.assign(new Error('Cannot find module ' + specifier), { code: 'MODULE_NOT_FOUND' });
  },
});
`,
);

describe('npm run bench without tfjs', () => {
  it('stops before training with one error line naming npm run bench:setup and --skip-tfjs', () => {
    const started = performance.now();
    const run = spawnSync(process.execPath, ['--import', hideTfjs, 'scripts/bench.ts', '--epochs', '1'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: tfjs, a bench-only dependency, is not installed: run `npm run bench:setup` once .*, or pass --skip-tfjs$/);
    // It did not load MNIST or train first.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('the bench-only dependencies', () => {
  const rootPackage = manifest('package.json');
  const benchPackage = manifest('bench/package.json');
  const tensorflow = (dependencies: Record<string, string> = {}) => Object.keys(dependencies).filter((name) => name.startsWith('@tensorflow/'));

  it('live in bench/package.json at exact versions, with their own lockfile, not in the root package', () => {
    expect(benchPackage.private).toBe(true);
    expect(tensorflow(benchPackage.dependencies)).toContain('@tensorflow/tfjs');
    for (const name of tensorflow(benchPackage.dependencies)) expect(benchPackage.dependencies[name], name).toMatch(/^\d+\.\d+\.\d+$/);
    expect([...tensorflow(rootPackage.dependencies), ...tensorflow(rootPackage.devDependencies)]).toEqual([]);
    const rootLock = manifest('package-lock.json');
    expect(Object.keys(rootLock.packages).filter((path) => path.includes('@tensorflow/'))).toEqual([]);
    expect(Object.keys(manifest('bench/package-lock.json').packages)).toContain('node_modules/@tensorflow/tfjs');
  });

  it('are installed by npm run bench:setup from the bench lockfile, with core-js\'s postinstall script denied', () => {
    expect(rootPackage.scripts['bench:setup']).toBe('npm ci --prefix bench --no-audit --no-fund');
    expect(benchPackage.allowScripts['core-js']).toBe(false);
  });
});
