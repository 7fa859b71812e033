// Checks how a chapter's MDX is read: readFrontmatter splits off the frontmatter (the only place
// that parses it), readChapter parses the rest as the site does (math, MDX imports and JSX) and
// finds exactly the ```ts cell blocks with their MDX lines and flags, findCells gives the build
// their nodes, and runChapter runs them with the chapter's seed, honouring `throws`.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Code, Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { findCells, isCell, isThrows, isTimed, readChapter, readFrontmatter, runChapter, unexpectedMessage, withoutNumbers, type Cell } from '../../site/notebook/chapter.ts';
import { outputText } from '../../site/notebook/outputs.ts';
import { NotebookSession } from '../../site/notebook/runtime.ts';

const FENCE = '```';
const root = resolve(import.meta.dirname, '../..');

/** A chapter with math (braces included), an import, JSX, plain code, and four cells: the third marked throws. */
const lines = [
  '---', //                                                   1
  'title: A test chapter', //                                 2
  'order: 99', //                                             3
  'seed: 5', //                                               4
  '---', //                                                   5
  "import Aside from '../components/Aside.astro';", //        6
  '', //                                                      7
  '# Weights', //                                             8
  '', //                                                      9
  'A fraction $\\frac{a}{b}$ and a space $W \\in \\mathbb{R}^{n \\times m}$.', // 10
  '', //                                                      11
  '$$', //                                                    12
  '\\hat{y}_{i,j} = \\sum_{k=1}^{n} x_{i,k} w_{k,j}', //      13
  '$$', //                                                    14
  '', //                                                      15
  '<Aside kind="note">A note with **bold** text.</Aside>', // 16
  '', //                                                      17
  `${FENCE}ts cell`, //                                       18
  'const layer = new Dense(2, 3);', //                        19
  'layer.weights', //                                         20
  FENCE, //                                                   21
  '', //                                                      22
  'Plain code, not run:', //                                  23
  '', //                                                      24
  `${FENCE}ts`, //                                            25
  'const notACell = 1;', //                                   26
  FENCE, //                                                   27
  '', //                                                      28
  `${FENCE}ts cell`, //                                       29
  'print(layer.weights.shapeText);', //                       30
  FENCE, //                                                   31
  '', //                                                      32
  `${FENCE}ts cell throws timed`, //                          33
  "throw new Error('on purpose');", //                        34
  FENCE, //                                                   35
  '', //                                                      36
  `${FENCE}ts cell`, //                                       37
  "print('after the error', layer.weights.rows);", //         38
  FENCE, //                                                   39
  '', //                                                      40
];
const mdx = lines.join('\n');

describe('readFrontmatter', () => {
  it('reads the title and seed, and returns the body after the closing ---', () => {
    const frontmatter = readFrontmatter(mdx);
    expect(frontmatter).toMatchObject({ title: 'A test chapter', seed: 5, lines: 5 });
    expect(frontmatter.body).toBe(lines.slice(5).join('\n'));
  });

  it('gives an empty title, seed 0 and the whole file when there is no frontmatter', () => {
    expect(readFrontmatter('# Title\n\ntext\n')).toEqual({ title: '', seed: 0, body: '# Title\n\ntext\n', lines: 0 });
  });

  it('reads a frontmatter with Windows line endings', () => {
    expect(readFrontmatter('---\r\ntitle: Crlf\r\nseed: 3\r\n---\r\nbody')).toEqual({ title: 'Crlf', seed: 3, body: 'body', lines: 4 });
  });

  it('reads a frontmatter that ends the file', () => {
    expect(readFrontmatter('---\nseed: 8\n---')).toMatchObject({ seed: 8, body: '' });
  });

  it('ignores a seed or title of the wrong type, and an empty frontmatter', () => {
    expect(readFrontmatter('---\ntitle: 12\nseed: "7"\n---\n')).toMatchObject({ title: '', seed: 0 });
    expect(readFrontmatter('---\n\n---\nbody')).toMatchObject({ title: '', seed: 0, body: 'body' });
  });

  it('is the only place that parses frontmatter: no other notebook file, run-cells or the test helper reads YAML', () => {
    const files = [
      ...readdirSync(join(root, 'site/notebook')).filter((name) => name.endsWith('.ts') && name !== 'chapter.ts').map((name) => `site/notebook/${name}`),
      'scripts/run-cells.ts',
      'tests/support/chapters.ts',
    ];
    const readers = files.filter((file) => {
      const source = readFileSync(join(root, file), 'utf8');
      return /from 'js-yaml'/.test(source) || source.includes('/^---');
    });
    expect(readers).toEqual([]);
    expect(readFileSync(join(root, 'site/notebook/chapter.ts'), 'utf8')).toMatch(/from 'js-yaml'/);
  });
});

describe('readChapter', () => {
  it('reads the title and seed from the frontmatter', () => {
    const chapter = readChapter(mdx);
    expect(chapter.title).toBe('A test chapter');
    expect(chapter.seed).toBe(5);
  });

  it('finds exactly the cells, with their index, source, flags and the MDX line of their opening fence', () => {
    expect(readChapter(mdx).cells).toEqual([
      { index: 0, source: 'const layer = new Dense(2, 3);\nlayer.weights', line: 18, throws: false, timed: false },
      { index: 1, source: 'print(layer.weights.shapeText);', line: 29, throws: false, timed: false },
      { index: 2, source: "throw new Error('on purpose');", line: 33, throws: true, timed: true },
      { index: 3, source: "print('after the error', layer.weights.rows);", line: 37, throws: false, timed: false },
    ]);
  });

  it('replaces every number in a timed cell\'s output with #, keeping the words', () => {
    expect(withoutNumbers('along the rows: 26.1 ms (1.8× slower), 58,303 samples/s')).toBe('along the rows: # ms (#× slower), # samples/s');
  });

  it('gives lines that point at the opening fences in the file', () => {
    for (const cell of readChapter(mdx).cells) expect(lines[cell.line - 1]).toMatch(/^```ts cell/);
  });

  it('returns the body without the frontmatter', () => {
    const { body } = readChapter(mdx);
    expect(body.startsWith("import Aside from '../components/Aside.astro';")).toBe(true);
    expect(body).not.toContain('seed: 5');
  });

  it('counts lines from the top of the file when there is no frontmatter, and seeds with 0', () => {
    const chapter = readChapter(lines.slice(5).join('\n'));
    expect(chapter.title).toBe('');
    expect(chapter.seed).toBe(0);
    expect(chapter.cells.map((c) => c.line)).toEqual([13, 24, 28, 32]);
  });

  it('counts lines the same in a file with Windows line endings', () => {
    expect(readChapter(lines.join('\r\n')).cells.map((c) => c.line)).toEqual([18, 29, 33, 37]);
  });

  it('finds a cell inside a JSX element', () => {
    const nested = ['---', 'seed: 1', '---', '<Aside>', '', `${FENCE}ts cell`, '1 + 1', FENCE, '', '</Aside>', ''].join('\n');
    expect(readChapter(nested).cells).toEqual([{ index: 0, source: '1 + 1', line: 6, throws: false, timed: false }]);
  });

  it('does not take a cell fence shown inside a longer fence for a cell', () => {
    const tricky = ['````md', `${FENCE}ts cell`, 'shown, not run', FENCE, '````', ''].join('\n');
    expect(readChapter(tricky).cells).toEqual([]);
  });
});

describe('findCells', () => {
  it('gives each cell with its node, its parent and its position there, so the build can replace it', () => {
    const tree = unified().use(remarkParse).parse(mdx) as Root;
    const found = findCells(tree);
    expect(found.map(({ cell }) => cell.index)).toEqual([0, 1, 2, 3]);
    for (const { cell, node, parent, position } of found) {
      expect(parent.children[position]).toBe(node);
      expect(node.value).toBe(cell.source);
      expect(cell.line).toBe(node.position?.start.line);
    }
  });

  it('adds the line offset it is given to every line', () => {
    const tree = unified().use(remarkParse).parse(`${FENCE}ts cell\n1\n${FENCE}\n`) as Root;
    expect(findCells(tree, 7).map(({ cell }) => cell.line)).toEqual([8]);
  });
});

describe('isCell, isTimed and isThrows', () => {
  const code = (lang: string | null, meta: string | null): Code => ({ type: 'code', lang, meta, value: '' });

  it('accepts ts and typescript fences with cell in the meta', () => {
    expect(isCell(code('ts', 'cell'))).toBe(true);
    expect(isCell(code('typescript', 'cell'))).toBe(true);
    expect(isCell(code('ts', 'cell throws'))).toBe(true);
    expect(isCell(code('ts', 'throws cell'))).toBe(true);
    expect(isCell(code('ts', '  cell  '))).toBe(true);
  });

  it('refuses other languages, no meta, and words that only contain "cell"', () => {
    expect(isCell(code('ts', null))).toBe(false);
    expect(isCell(code('ts', ''))).toBe(false);
    expect(isCell(code('js', 'cell'))).toBe(false);
    expect(isCell(code('tsx', 'cell'))).toBe(false);
    expect(isCell(code(null, 'cell'))).toBe(false);
    expect(isCell(code('ts', 'cells'))).toBe(false);
    expect(isCell(code('ts', 'excel'))).toBe(false);
    expect(isCell(code('ts', 'title="cell"'))).toBe(false);
    expect(isCell(code('ts', 'cell-like'))).toBe(false);
  });

  it('reads timed and throws as whole words in any order', () => {
    expect([isTimed(code('ts', 'cell timed')), isThrows(code('ts', 'throws cell'))]).toEqual([true, true]);
    expect([isTimed(code('ts', 'cell throws')), isThrows(code('ts', 'cell timed'))]).toEqual([false, false]);
    expect([isTimed(code('ts', 'cell untimed')), isThrows(code('ts', 'cell rethrows'))]).toEqual([false, false]);
  });
});

describe('runChapter', () => {
  it('runs every cell in order in one session, so later cells see earlier names', async () => {
    const { results, unexpected } = await runChapter(readChapter(mdx));
    expect(results.map((r) => r.failed)).toEqual([false, false, true, false]);
    expect(results[1].outputs.map(outputText)).toEqual(['2×3']);
    expect(results[2].outputs.map(outputText)).toEqual(['Error: on purpose (line 1)']);
    expect(unexpected).toEqual([]);
  });

  it('goes on after a cell marked throws, so the cells after it run', async () => {
    const { results } = await runChapter(readChapter(mdx));
    expect(results[3].outputs.map(outputText)).toEqual(['after the error 2']);
  });

  it('stops after a cell that fails without the throws mark, and reports it', async () => {
    const broken = readChapter(mdx.replace('print(layer.weights.shapeText);', 'layer.missing.call();'));
    const { results, unexpected } = await runChapter(broken);
    expect(results.map((r) => r.failed)).toEqual([false, true]);
    expect(unexpected).toHaveLength(1);
    expect(unexpected[0].cell).toBe(broken.cells[1]);
    expect(unexpectedMessage('x.mdx', unexpected[0])).toMatch(/^x\.mdx: cell 2 \(line 29\) failed: TypeError: .*'call'.* \(line 1\)$/);
  });

  it('reports a cell marked throws that runs without an error, and goes on', async () => {
    const chapter = readChapter(mdx.replace("throw new Error('on purpose');", '1 + 1;'));
    const { results, unexpected } = await runChapter(chapter);
    expect(results.map((r) => r.failed)).toEqual([false, false, false, false]);
    expect(unexpected.map(({ cell }) => cell.index)).toEqual([2]);
    expect(unexpectedMessage('x.mdx', unexpected[0])).toBe('x.mdx: cell 3 (line 33) is marked "throws" but ran without an error');
  });

  it('seeds the session with the chapter’s seed', async () => {
    const { results: [first] } = await runChapter(readChapter(mdx));
    const seeded = await new NotebookSession({ seed: 5 }).run('const layer = new Dense(2, 3);\nlayer.weights', 0);
    expect(first.outputs).toEqual(seeded.outputs);
    const { results: [other] } = await runChapter(readChapter(mdx.replace('seed: 5', 'seed: 6')));
    expect(other.outputs).not.toEqual(first.outputs);
  });

  it('gives the same outputs on every run', async () => {
    const a = await runChapter(readChapter(mdx));
    const b = await runChapter(readChapter(mdx));
    expect(b.results.map((r) => r.outputs)).toEqual(a.results.map((r) => r.outputs));
  });
});

describe('unexpectedMessage', () => {
  const cell: Cell = { index: 4, source: '', line: 12, throws: false, timed: false };

  it('names the file, the cell, its line and the error the cell ended with', () => {
    const result = { failed: true, milliseconds: 1, inputs: [], random: { s: [1, 2, 3, 4] as [number, number, number, number], spare: null }, outputs: [{ kind: 'text' as const, text: 'printed' }, { kind: 'error' as const, name: 'RangeError', message: 'far', line: 2 }] };
    expect(unexpectedMessage('chapters/x.mdx', { cell, result })).toBe('chapters/x.mdx: cell 5 (line 12) failed: RangeError: far (line 2)');
  });

  it('says "unknown error" for a failure without outputs, and "?" for a cell without a line', () => {
    expect(unexpectedMessage('x.mdx', { cell: { ...cell, line: 0 }, result: { failed: true, milliseconds: 1, inputs: [], random: { s: [1, 2, 3, 4], spare: null }, outputs: [] } })).toBe('x.mdx: cell 5 (line ?) failed: unknown error');
  });
});
