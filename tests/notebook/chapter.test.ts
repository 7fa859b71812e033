// Checks how a chapter's MDX is read outside the build: readChapter parses it as the site does
// (math, MDX imports and JSX) and finds exactly the ```ts cell blocks with their MDX lines;
// isCell tells cells from plain code; runChapter runs them in one session with the chapter's seed.
import type { Code } from 'mdast';
import { describe, expect, it } from 'vitest';
import { isCell, readChapter, runChapter, withoutNumbers } from '../../site/notebook/chapter.ts';
import { outputText } from '../../site/notebook/outputs.ts';
import { NotebookSession } from '../../site/notebook/runtime.ts';

const FENCE = '```';

/** A chapter with math (braces included), an import, JSX, three cells, plain code and a throws cell. */
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
];
const mdx = lines.join('\n');

describe('readChapter', () => {
  it('reads the title and seed from the frontmatter', () => {
    const chapter = readChapter(mdx);
    expect(chapter.title).toBe('A test chapter');
    expect(chapter.seed).toBe(5);
  });

  it('finds exactly the cells, with their source and the MDX line of their opening fence', () => {
    expect(readChapter(mdx).cells).toEqual([
      { source: 'const layer = new Dense(2, 3);\nlayer.weights', line: 18, timed: false },
      { source: 'print(layer.weights.shapeText);', line: 29, timed: false },
      { source: "throw new Error('on purpose');", line: 33, timed: true },
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
    expect(chapter.cells.map((c) => c.line)).toEqual([13, 24, 28]);
  });

  it('counts lines the same in a file with Windows line endings', () => {
    expect(readChapter(lines.join('\r\n')).cells.map((c) => c.line)).toEqual([18, 29, 33]);
  });

  it('finds a cell inside a JSX element', () => {
    const nested = ['---', 'seed: 1', '---', '<Aside>', '', `${FENCE}ts cell`, '1 + 1', FENCE, '', '</Aside>', ''].join('\n');
    expect(readChapter(nested).cells).toEqual([{ source: '1 + 1', line: 6, timed: false }]);
  });

  it('does not take a cell fence shown inside a longer fence for a cell', () => {
    const tricky = ['````md', `${FENCE}ts cell`, 'shown, not run', FENCE, '````', ''].join('\n');
    expect(readChapter(tricky).cells).toEqual([]);
  });
});

describe('isCell', () => {
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
});

describe('runChapter', () => {
  it('runs every cell in order in one session, so later cells see earlier names', async () => {
    const results = await runChapter(mdx);
    expect(results).toHaveLength(3);
    expect(results.map((r) => r.failed)).toEqual([false, false, true]);
    expect(results[1].outputs.map(outputText)).toEqual(['2×3']);
    expect(results[2].outputs.map(outputText)).toEqual(['Error: on purpose (line 1)']);
  });

  it('seeds the session with the chapter’s seed', async () => {
    const [first] = await runChapter(mdx);
    const seeded = await new NotebookSession({ seed: 5 }).run('const layer = new Dense(2, 3);\nlayer.weights', 0);
    expect(first.outputs).toEqual(seeded.outputs);
    const [other] = await runChapter(mdx.replace('seed: 5', 'seed: 6'));
    expect(other.outputs).not.toEqual(first.outputs);
  });

  it('gives the same outputs on every run', async () => {
    const a = await runChapter(mdx);
    const b = await runChapter(mdx);
    expect(b.map((r) => r.outputs)).toEqual(a.map((r) => r.outputs));
  });
});
