// The README's claims, checked: the quick-start commands it shows exist as npm scripts, and
// the spiral figures in its results table are what `node examples/spiral.ts 0` prints today.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('the README', () => {
  it.each(['mnist', 'fashion-mnist', 'mnist-augmented', 'fashion-mnist-augmented'])('reports the command, test accuracy and training time of the shipped %s network', (name) => {
    const metadata = JSON.parse(readFileSync(join(root, 'site/public/models', `${name}.json`), 'utf8')) as { testAccuracy: number; command: string; trainingSeconds: number };
    expect(readme).toContain(`\`${metadata.command}\` | **test accuracy ${metadata.testAccuracy.toFixed(4)}**`);
    const row = readme.split('\n').find((line) => line.includes(`\`${metadata.command}\` |`))!;
    expect(row).toContain(`${Math.round(metadata.trainingSeconds)} s of training`);
  });

  it('starts with the two command lines that set everything up and test it', () => {
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## What'));
    expect(quickStart).toContain('npm install && npm start');
    expect(quickStart).toContain('npm test');
    expect(scripts.start).toMatch(/astro build && astro preview/);
    expect(scripts.test).toBe('vitest run');
  });

  it('lists every module of the library in its module table', () => {
    const modules = readdirSync(join(root, 'lib')).filter((name) => name.endsWith('.ts') && name !== 'index.ts' && name !== 'node.ts' && name !== 'errors.ts');
    const missing = modules.map((name) => name.slice(0, -3)).filter((name) => !readme.includes(`| \`${name}\` |`));
    expect(modules.length).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });

  it('reports the spiral accuracy and loss that the example script prints', () => {
    const output = execFileSync(process.execPath, [join(root, 'examples/spiral.ts'), '0'], { encoding: 'utf8' });
    const match = /training accuracy ([\d.]+), final loss ([\d.]+)/.exec(output);
    expect(match).not.toBeNull();
    const [, accuracy, loss] = match!;
    expect(Number(accuracy)).toBeGreaterThan(0.9);
    expect(readme).toContain(`\`node examples/spiral.ts 0\` | training accuracy ${accuracy}, final loss ${loss},`);
  });
});
