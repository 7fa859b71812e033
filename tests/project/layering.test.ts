// Dependencies run one way: lib/ at the bottom, site/ and scripts/ above it, nothing imports
// tests/, and site/ never imports scripts/. The imports are read from every source file, and
// each rule is first shown to catch a made-up violation, so the check cannot pass vacuously.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, posix, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const FOLDERS = ['lib', 'site', 'scripts', 'bench', 'examples', 'chapters', 'tests', 'types'];
const TOP_LEVEL = ['astro.config.mjs', 'vitest.config.ts'];
const SOURCE = /\.(ts|astro|mdx|mjs)$/;
// The library's own build configs: what they compile is what the package is made of.
const LIBRARY_CONFIGS = ['tsconfig.core.json', 'tsconfig.lib.json'];

/** Every source file, as a path relative to the repository with forward slashes. */
function sourceFiles(): string[] {
  const files = [...TOP_LEVEL];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const path = `${folder}/${entry.name}`;
      // bench/node_modules holds tfjs once `npm run bench:setup` has run: packages, not our sources.
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(path);
      else if (!entry.isDirectory() && SOURCE.test(entry.name)) files.push(path);
    }
  };
  FOLDERS.forEach(walk);
  return files;
}

// Each pattern captures the module specifier in its second group.
const IMPORT_PATTERNS = [
  /(?:^|[\s;{}])(?:import|export)\s[^'"`;]*?\bfrom\s*(['"])([^'"\n]+)\1/g, // import … from '…', export … from '…'
  /(?:^|[\s;{}])import\s*(['"])([^'"\n]+)\1/g, // import '…' (for its side effects)
  /\bimport\(\s*(['"])([^'"\n]+)\1\s*\)/g, // import('…'), also in type positions
  /\bnew URL\(\s*(['"])([^'"\n]+)\1\s*,\s*import\.meta\.url\s*\)/g, // new URL('…', import.meta.url)
  /\brequire\(\s*(['"])([^'"\n]+)\1\s*\)/g, // require('…')
];

/** The module specifiers a source file imports, in the order the patterns find them. */
function importsOf(source: string): string[] {
  return IMPORT_PATTERNS.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[2]));
}

/** Where an import leads: a repository path for a relative one (or the package name's alias), else the package. */
function target(file: string, specifier: string): { path: string } | { package: string } {
  const bare = specifier.replace(/\?.*$/, ''); // '../lib/ops.ts?raw' is still lib/ops.ts
  if (bare === 'scratchnet') return { path: 'lib/index.ts' };
  if (bare === 'scratchnet/node') return { path: 'lib/node.ts' };
  if (bare.startsWith('.')) return { path: posix.normalize(posix.join(posix.dirname(file), bare)) };
  return { package: bare };
}

const under = (path: string, folder: string): boolean => path.startsWith(`${folder}/`);

interface Rule {
  rule: string;
  /** True when `file` importing `to` breaks the rule. */
  breaks(file: string, to: { path: string } | { package: string }): boolean;
}

const RULES: Rule[] = [
  { rule: 'lib/ imports only lib/', breaks: (file, to) => under(file, 'lib') && 'path' in to && !under(to.path, 'lib') },
  {
    rule: 'lib/ uses no packages, except that lib/node.ts may use Node\'s built-in modules',
    breaks: (file, to) => under(file, 'lib') && 'package' in to && !(file === 'lib/node.ts' && to.package.startsWith('node:')),
  },
  { rule: 'site/ never imports scripts/', breaks: (file, to) => under(file, 'site') && 'path' in to && under(to.path, 'scripts') },
  { rule: 'nothing outside tests/ imports tests/', breaks: (file, to) => !under(file, 'tests') && 'path' in to && under(to.path, 'tests') },
];

/** Every import in `source` (the text of `file`) that breaks a rule, as "file → specifier: rule". */
function violations(file: string, source: string): string[] {
  return importsOf(source).flatMap((specifier) =>
    RULES.filter(({ breaks }) => breaks(file, target(file, specifier))).map(({ rule }) => `${file} → ${specifier}: ${rule}`),
  );
}

/** The files among `files` (absolute paths, as tsc lists them) that lie under tests/. */
function testFiles(files: string[]): string[] {
  return files.map((file) => relative(root, file).split('\\').join('/')).filter((file) => under(file, 'tests'));
}

/** The files a tsconfig compiles, as tsc itself resolves its include, exclude and extends. */
function compiledBy(config: string): string[] {
  const result = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', config, '--listFilesOnly'], { cwd: root, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split('\n').filter(Boolean);
}

describe('the import reader', () => {
  it('finds static, re-exported, side-effect, dynamic, URL and require imports, across lines', () => {
    const source = [
      "import { a } from './a.ts';",
      'import type {\n  B,\n  C,\n} from "../b.ts";',
      "export * from './c.ts';",
      "export { d } from './d.ts';",
      "import './style.css';",
      "const e = await import('./e.ts');",
      "new Worker(new URL('./f.ts', import.meta.url));",
      "const g = require('g');",
    ].join('\n');
    expect(importsOf(source).sort()).toEqual(['../b.ts', './a.ts', './c.ts', './d.ts', './e.ts', './f.ts', './style.css', 'g'].sort());
  });

  it('resolves relative paths, drops ?raw, and maps scratchnet to lib/', () => {
    expect(target('site/lab/lab.ts', '../../lib/index.ts')).toEqual({ path: 'lib/index.ts' });
    expect(target('chapters/11.mdx', '../lib/ops.ts?raw')).toEqual({ path: 'lib/ops.ts' });
    expect(target('chapters/01.mdx', 'scratchnet')).toEqual({ path: 'lib/index.ts' });
    expect(target('examples/spiral.ts', 'scratchnet/node')).toEqual({ path: 'lib/node.ts' });
    expect(target('lib/node.ts', 'node:fs')).toEqual({ package: 'node:fs' });
  });
});

describe('each layering rule catches a made-up violation', () => {
  it.each([
    ['lib/ops.ts', "import { linePlot } from '../site/notebook/figures.ts';", 'lib/ imports only lib/'],
    ['lib/kernels/wasm.ts', "import { REFERENCE } from '../../bench/reference.ts';", 'lib/ imports only lib/'],
    ['lib/matrix.ts', "import { readFile } from 'node:fs/promises';", 'lib/ uses no packages'],
    ['lib/random.ts', "import seedrandom from 'seedrandom';", 'lib/ uses no packages'],
    ['lib/node.ts', "import yaml from 'js-yaml';", 'lib/ uses no packages'],
    ['site/integrations/datasets.ts', "import { DATASETS } from '../../scripts/datasets.ts';", 'site/ never imports scripts/'],
    ['site/lab/lab.ts', "const { cellWith } = await import('../../tests/support/chapters.ts');", 'nothing outside tests/ imports tests/'],
    ['scripts/bench-browser.ts', "import { launchChromium } from '../tests/support/browser.ts';", 'nothing outside tests/ imports tests/'],
    ['bench/reference.ts', "export * from '../tests/support/expect.ts';", 'nothing outside tests/ imports tests/'],
    ['astro.config.mjs', "import reporter from './tests/support/summary-reporter.ts';", 'nothing outside tests/ imports tests/'],
  ])('%s: %s', (file, source, rule) => {
    const found = violations(file, source);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(rule);
  });

  it('allows what the layers allow', () => {
    expect(violations('lib/node.ts', "import { readFile } from 'node:fs/promises';\nimport { Matrix } from './matrix.ts';")).toEqual([]);
    expect(violations('site/lab/lab.ts', "import { Matrix } from '../../lib/index.ts';\nnew URL('./train-worker.ts', import.meta.url);")).toEqual([]);
    expect(violations('scripts/run-cells.ts', "import { readChapter } from '../site/notebook/chapter.ts';")).toEqual([]);
    expect(violations('tests/e2e/lab.test.ts', "import { launchChromium } from '../../scripts/browser.ts';")).toEqual([]);
  });

  it('notices a library config that compiles a file from tests/', () => {
    expect(testFiles([join(root, 'lib/index.ts'), join(root, 'tests/support/globals.d.ts')])).toEqual(['tests/support/globals.d.ts']);
  });
});

describe('the repository', () => {
  it('reads the imports of every layer', () => {
    const files = sourceFiles();
    for (const folder of ['lib', 'site', 'scripts', 'bench', 'examples', 'chapters', 'tests']) {
      expect(files.some((file) => under(file, folder) && importsOf(readFileSync(join(root, file), 'utf8')).length > 0), folder).toBe(true);
    }
  });

  it('keeps every import in its layer', () => {
    expect(sourceFiles().flatMap((file) => violations(file, readFileSync(join(root, file), 'utf8')))).toEqual([]);
  });

  it.each(LIBRARY_CONFIGS)('builds the library with %s from nothing in tests/', (config) => {
    const files = compiledBy(config);
    expect(files.some((file) => file.endsWith('/lib/index.ts') || file.endsWith('/lib/node.ts'))).toBe(true);
    expect(testFiles(files)).toEqual([]);
  });
});
