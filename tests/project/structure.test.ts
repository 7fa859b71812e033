// The house rules for lib/, checked rather than trusted: strict types, a core that uses only
// what Node, browsers and Web Workers share, seeded randomness, a re-export-only index, a header
// comment per file and a JSDoc sentence per export, and files and functions short enough to read.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, type Node } from 'acorn';
import { transform } from 'sucrase';

const root = resolve(import.meta.dirname, '../..');
// Top-level modules (what the index re-exports), then every module including sub-folders (kernels/x.ts).
const libFiles = readdirSync(join(root, 'lib')).filter((name) => name.endsWith('.ts'));
const allLibFiles = (readdirSync(join(root, 'lib'), { recursive: true }) as string[]).map((name) => name.split('\\').join('/')).filter((name) => name.endsWith('.ts'));
const source = (name: string): string => readFileSync(join(root, 'lib', name), 'utf8');
const coreFiles = libFiles.filter((name) => name !== 'node.ts');
const allCoreFiles = allLibFiles.filter((name) => name !== 'node.ts');
const MAX_FILE_LINES = 250;
const MAX_FUNCTION_LINES = 60;

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
    for (const name of allCoreFiles) {
      expect(source(name), name).not.toMatch(/from ['"](node:|fs|path|os|url)/);
      expect(source(name), name).not.toMatch(/\b(process|require|Buffer|document|window)\s*[.(]/);
    }
    expect(source('node.ts')).toMatch(/from 'node:fs\/promises'/);
  });

  it('never uses Math.random, so every run can be reproduced', () => {
    for (const name of allLibFiles) expect(source(name), name).not.toContain('Math.random');
  });

  it('has an index that only re-exports the modules', () => {
    const lines = source('index.ts').split('\n').filter((line) => line.trim() !== '' && !line.startsWith('//'));
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line).toMatch(/^export \* from '\.\/[a-z]+\.ts';$/);
    const reexported = lines.map((line) => line.slice(line.indexOf("'./") + 3, -5));
    expect(reexported.sort()).toEqual(coreFiles.filter((name) => name !== 'index.ts').map((name) => name.slice(0, -3)).sort());
  });

  it('opens every file, in sub-folders too, with two to four comment lines saying what it is', () => {
    for (const name of allLibFiles) {
      const header = source(name).split('\n').findIndex((line) => !line.startsWith('//'));
      expect(header, name).toBeGreaterThanOrEqual(2);
      expect(header, name).toBeLessThanOrEqual(4);
    }
  });

  it('documents every exported function, class, constant and type, in sub-folders too, with a JSDoc comment', () => {
    const missing: string[] = [];
    for (const name of allLibFiles.filter((file) => file !== 'index.ts')) {
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

  it(`keeps every file but the .wat within ${MAX_FILE_LINES} lines`, () => {
    const long = allLibFiles.map((name) => [name, lineCount(source(name))] as const).filter(([, lines]) => lines > MAX_FILE_LINES);
    expect(long.map(([name, lines]) => `lib/${name}: ${lines} lines`)).toEqual([]);
  });

  it(`keeps every function and method within ${MAX_FUNCTION_LINES} lines`, () => {
    const long = allLibFiles.flatMap((name) => functionLengths(source(name)).filter(({ lines }) => lines > MAX_FUNCTION_LINES).map(({ name: fn, line, lines }) => `lib/${name}:${line} ${fn}: ${lines} lines`));
    expect(long).toEqual([]);
  });
});

/** The number of lines in a file, not counting the newline that ends the last one. */
function lineCount(text: string): number {
  return text.replace(/\n$/, '').split('\n').length;
}

/** Every function, method and arrow function with a body in `text` (TypeScript): its name, first line and length in lines. */
function functionLengths(text: string): Array<{ name: string; line: number; lines: number }> {
  // Sucrase strips the types and keeps every line where it was, so acorn's line numbers are the file's.
  const javascript = transform(text, { transforms: ['typescript'], disableESTransforms: true }).code;
  const found: Array<{ name: string; line: number; lines: number }> = [];
  const visit = (node: Node, name: string): void => {
    const named = node as Node & { id?: { name?: string } | null; key?: { name?: string }; body?: Node };
    const start = node.loc!.start.line;
    const isFunction = /^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression)$/.test(node.type);
    if (isFunction && named.body?.type === 'BlockStatement') found.push({ name: named.id?.name ?? name, line: start, lines: node.loc!.end.line - start + 1 });
    for (const child of Object.values(node)) {
      for (const item of Array.isArray(child) ? child : [child]) {
        if (!item || typeof item !== 'object' || typeof (item as Node).type !== 'string') continue;
        // A method or a `const f = () => {…}` counts from the line that names it.
        const childName = (named.key?.name ?? (node.type === 'VariableDeclarator' ? named.id?.name : undefined)) ?? name;
        visit(item as Node, childName);
      }
    }
  };
  visit(parse(javascript, { ecmaVersion: 'latest', sourceType: 'module', locations: true }), '(anonymous)');
  return found;
}

describe('the length checks', () => {
  const statements = (count: number): string => Array.from({ length: count }, (_, i) => `  total += ${i};`).join('\n');

  it('counts a file\'s lines whether or not it ends with a newline', () => {
    expect(lineCount('a\nb\nc\n')).toBe(3);
    expect(lineCount('a\nb\nc')).toBe(3);
  });

  it('measures functions, methods and arrow functions from declaration to closing brace, types and all', () => {
    const text = [
      'export function add(a: number,',
      '  b: number): { sum: number } {',
      '  return { sum: a + b };',
      '}',
      'export class Layer {',
      '  forward(inputs: Float32Array): Float32Array {',
      '    return inputs.map((x) => {',
      '      return x * 2;',
      '    });',
      '  }',
      '}',
      'const twice = <T,>(x: T): T[] => {',
      '  return [x, x];',
      '};',
      'const short = (x: number) => x + 1;',
    ].join('\n');
    expect(functionLengths(text)).toEqual([
      { name: 'add', line: 1, lines: 4 },
      { name: 'forward', line: 6, lines: 5 },
      { name: 'forward', line: 7, lines: 3 },
      { name: 'twice', line: 12, lines: 3 },
    ]);
  });

  it(`finds a function one line over ${MAX_FUNCTION_LINES}, and passes one at the limit`, () => {
    const text = `function long(): number {\n  let total = 0;\n${statements(MAX_FUNCTION_LINES - 3)}\n  return total;\n}\nfunction fits(): number {\n${statements(MAX_FUNCTION_LINES - 2)}\n}`;
    const lengths = functionLengths(text);
    expect(lengths.map(({ name, lines }) => [name, lines])).toEqual([['long', MAX_FUNCTION_LINES + 1], ['fits', MAX_FUNCTION_LINES]]);
  });
});
