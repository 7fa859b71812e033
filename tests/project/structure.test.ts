// The house rules for lib/, checked rather than trusted: strict types, a core that uses only
// what Node, browsers and Web Workers share, seeded randomness, a re-export-only index, and
// a header comment per file and a JSDoc sentence per export.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const libFiles = readdirSync(join(root, 'lib')).filter((name) => name.endsWith('.ts'));
const source = (name: string): string => readFileSync(join(root, 'lib', name), 'utf8');
const coreFiles = libFiles.filter((name) => name !== 'node.ts');

function tsc(project: string): { status: number | null; output: string } {
  const result = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', project, '--noEmit'], { cwd: root, encoding: 'utf8' });
  return { status: result.status, output: (result.stdout + result.stderr).trim() };
}

describe('lib/', () => {
  it('type-checks in strict mode together with the tests', () => {
    expect(tsc('tsconfig.json')).toEqual({ status: 0, output: '' });
  }, 60_000);

  it('compiles its core against ES2023 alone, with no DOM and no Node types', () => {
    expect(tsc('tsconfig.core.json')).toEqual({ status: 0, output: '' });
  }, 60_000);

  it('keeps Node imports out of the core and inside lib/node.ts', () => {
    for (const name of coreFiles) {
      expect(source(name), name).not.toMatch(/from ['"](node:|fs|path|os|url)/);
      expect(source(name), name).not.toMatch(/\b(process|require|Buffer|document|window)\s*[.(]/);
    }
    expect(source('node.ts')).toMatch(/from 'node:fs\/promises'/);
  });

  it('never uses Math.random, so every run can be reproduced', () => {
    for (const name of libFiles) expect(source(name), name).not.toContain('Math.random');
  });

  it('has an index that only re-exports the modules', () => {
    const lines = source('index.ts').split('\n').filter((line) => line.trim() !== '' && !line.startsWith('//'));
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line).toMatch(/^export \* from '\.\/[a-z]+\.ts';$/);
    const reexported = lines.map((line) => line.slice(line.indexOf("'./") + 3, -5));
    expect(reexported.sort()).toEqual(coreFiles.filter((name) => name !== 'index.ts').map((name) => name.slice(0, -3)).sort());
  });

  it('opens every file with two to four comment lines saying what it is', () => {
    for (const name of libFiles) {
      const header = source(name).split('\n').findIndex((line) => !line.startsWith('//'));
      expect(header, name).toBeGreaterThanOrEqual(2);
      expect(header, name).toBeLessThanOrEqual(4);
    }
  });

  it('documents every exported function, class, constant and type with a JSDoc comment', () => {
    const missing: string[] = [];
    for (const name of libFiles.filter((file) => file !== 'index.ts')) {
      const lines = source(name).split('\n');
      lines.forEach((line, i) => {
        if (!/^export (abstract class|class|function|const|let|interface|type) /.test(line)) return;
        let previous = i - 1;
        // Overloads share one comment.
        while (previous >= 0 && /^export function/.test(lines[previous])) previous -= 1;
        if (!lines[previous]?.trim().endsWith('*/')) missing.push(`${name}:${i + 1} ${line.slice(0, 60)}`);
      });
    }
    expect(missing).toEqual([]);
  });
});
