// The API reference (site/utils/api-reference.ts, site/pages/api/): every export of `scratchnet` and
// `scratchnet/node` has an entry with a signature and a sentence, read from the library's own
// declarations, and the built pages list each one where its links say. The reading of a .d.ts is
// checked on a small one written here.
import { describe, expect, it } from 'vitest';
import * as core from '../../lib/index.ts';
import * as node from '../../lib/node.ts';
import { apiEntries, apiModules, declarationsOf, firstSentence } from '../../site/utils/api-reference.ts';
import { docHtml, referencedEntry } from '../../site/utils/api-links.ts';
import { WIDE } from '../../site/utils/api-signatures.ts';
import { html } from '../support/built-site.ts';

const DECLARATIONS = `import { Matrix } from './matrix.ts';
/** Adds two numbers. Then says nothing more. */
export declare function add(a: number, b: number): number;
export declare function add(a: Matrix, b: Matrix): Matrix;
/** A very long one, e.g. \`this\`, whose parameters cannot share a line. */
export declare function train(inputs: Matrix, targets: Matrix, options?: { epochs?: number; batchSize?: number; learningRate?: number }): void;
/** How a layer starts. */
export type Start = 'randomNormal' | 'heNormal' | 'glorotUniform' | ((nInputs: number, nOutputs: number) => Matrix);
/** A layer. */
export declare class Layer {
    /** Its width. */
    readonly width: number;
    private readonly secret;
    /** Makes one. */
    constructor(width: number);
    /** Runs it. */
    forward(inputs: Matrix): Matrix;
    get size(): number;
}
export declare const UNDOCUMENTED = 3;
export {};
`;

describe('reading a declaration file', () => {
  const entries = declarationsOf(DECLARATIONS, 'example');
  const byName = new Map(entries.map((entry) => [entry.name, entry]));

  it('finds each export once, in order, with its kind, merging a function’s overloads', () => {
    expect(entries.map((entry) => `${entry.kind} ${entry.name}`)).toEqual(['function add', 'function train', 'type Start', 'class Layer', 'constant UNDOCUMENTED']);
    expect(byName.get('add')!.signatures).toEqual(['function add(a: number, b: number): number', 'function add(a: Matrix, b: Matrix): Matrix']);
  });

  it('keeps the JSDoc and its first sentence, not stopping at “e.g.”, and leaves an export without JSDoc without one', () => {
    expect(byName.get('add')!.doc).toBe('Adds two numbers. Then says nothing more.');
    expect(byName.get('add')!.summary).toBe('Adds two numbers.');
    expect(byName.get('train')!.summary).toBe('A very long one, e.g. `this`, whose parameters cannot share a line.');
    expect(byName.get('UNDOCUMENTED')!.summary).toBe('');
  });

  it('puts one parameter per line when a signature would be too wide, and a long union’s members one per line', () => {
    const train = byName.get('train')!.signatures[0];
    expect(train.split('\n')[0]).toBe('function train(');
    expect(train.split('\n').every((line) => line.length <= WIDE)).toBe(true);
    expect(byName.get('Start')!.signatures[0]).toBe("type Start =\n  | 'randomNormal'\n  | 'heNormal'\n  | 'glorotUniform'\n  | ((nInputs: number, nOutputs: number) => Matrix)");
  });

  it('lists a class’s public members with their own JSDoc, and leaves its private ones out', () => {
    const layer = byName.get('Layer')!;
    expect(layer.signatures).toEqual(['class Layer']);
    expect(layer.members.map((member) => [member.kind, member.signature, member.doc])).toEqual([
      ['property', 'readonly width: number', 'Its width.'],
      ['constructor', 'constructor(width: number)', 'Makes one.'],
      ['method', 'forward(inputs: Matrix): Matrix', 'Runs it.'],
      ['getter', 'get size(): number', ''],
    ]);
  });

  it('ends a first sentence at the first full stop before a capital, or takes the whole first paragraph', () => {
    expect(firstSentence('One. Two.')).toBe('One.');
    expect(firstSentence('Shifts by 2.5 pixels, i.e. a little')).toBe('Shifts by 2.5 pixels, i.e. a little');
    expect(firstSentence('First paragraph\n\nSecond.')).toBe('First paragraph');
  });
});

describe('the library’s API reference', () => {
  const modules = apiModules();
  const entries = apiEntries();

  it('has an entry for every value `scratchnet` and `scratchnet/node` export at run time', () => {
    const missing = [...Object.keys(core), ...Object.keys(node)].filter((name) => !entries.has(name));
    expect(missing).toEqual([]);
    expect(entries.size).toBeGreaterThan(Object.keys(core).length); // the types and interfaces too
  });

  it('gives every entry a signature and a sentence from its JSDoc', () => {
    const undocumented = [...entries.values()].filter((entry) => entry.summary === '').map((entry) => `${entry.module}.${entry.name}`);
    expect(undocumented).toEqual([]);
    expect([...entries.values()].filter((entry) => entry.signatures.some((signature) => !signature.includes(entry.name)))).toEqual([]);
  });

  it('lists only what is exported: every function, class and constant entry is a value of the package', () => {
    const values = new Set([...Object.keys(core), ...Object.keys(node)]);
    const notExported = [...entries.values()].filter((entry) => !['interface', 'type'].includes(entry.kind) && !values.has(entry.name)).map((entry) => entry.name);
    expect(notExported).toEqual([]);
  });

  it('has one page per module that lib/index.ts re-exports, then scratchnet/node', () => {
    expect(modules.at(-1)!.entry).toBe('scratchnet/node');
    expect(modules.map((module) => module.name)).toContain('layers');
    expect(modules.every((module) => module.summary.length > 20)).toBe(true);
  });

  it('points each entry at the line of its module that declares it', () => {
    const dense = entries.get('Dense')!;
    expect(dense.module).toBe('layers');
    expect(html(`/source/lib/layers.ts/`)).toMatch(new RegExp(`id="L${dense.line}"[^>]*>[\\s\\S]{0,400}?class</span>[\\s\\S]{0,200}?Dense`));
  });
});

describe('linking names', () => {
  const entries = new Map([['Dense', { name: 'Dense', module: 'layers' }], ['Matrix', { name: 'Matrix', module: 'matrix' }]]);

  it('finds the export a piece of code names: a name, a call, a construction or a member', () => {
    expect(['Dense', 'new Dense(2, 3)', 'Dense.forward', 'Dense(4, 5)'].map((code) => referencedEntry(code, entries)?.name)).toEqual(['Dense', 'Dense', 'Dense', 'Dense']);
    expect(['layer.Dense', 'const Dense = 1', 'dense', 'Dense + 1'].map((code) => referencedEntry(code, entries))).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('writes JSDoc as HTML whose code and bare names link once each, never to the entry itself', () => {
    const result = docHtml('Makes a `Matrix` from a Matrix, unlike `Dense`. Uses <b>.', apiEntries(), (entry) => `/api/${entry.module}/#${entry.name}`, 'Dense');
    expect(result).toBe('<p>Makes a <a href="/api/matrix/#Matrix"><code>Matrix</code></a> from a Matrix, unlike <code>Dense</code>. Uses &lt;b&gt;.</p>');
  });
});

describe('the built API pages', () => {
  const modules = apiModules();

  it('list every entry on the contents page, linked to its place on its module’s page', () => {
    const contents = html('/api/');
    const unlisted = modules.flatMap((module) => module.entries.filter((entry) => !contents.includes(`href="/api/${module.name}/#${entry.name}"`)).map((entry) => entry.name));
    expect(unlisted).toEqual([]);
  });

  it('give every entry a section with its id, its signature and its sentence', () => {
    const problems = modules.flatMap((module) => {
      const page = html(`/api/${module.name}/`);
      const text = page.replace(/<[^>]+>/g, '').replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16))).replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&quot;', '"');
      return module.entries.flatMap((entry) => {
        const found: string[] = [];
        if (!page.includes(`<section class="api-entry" id="${entry.name}"`)) found.push(`${entry.name}: no section`);
        if (!text.includes(entry.signatures[0].split('\n')[0])) found.push(`${entry.name}: no signature`);
        if (!text.includes(entry.summary.replaceAll('`', ''))) found.push(`${entry.name}: no sentence`);
        return found;
      });
    });
    expect(problems).toEqual([]);
  });

  it('are in the header of every page, and in the search index', () => {
    expect(html('/')).toMatch(/<a[^>]*href="\/api\/"[^>]*>API<\/a>/);
    expect(html('/api/layers/')).toContain('data-pagefind-body');
  });
});
