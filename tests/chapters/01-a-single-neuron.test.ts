// Chapter 1, a single neuron: runs its cells as the page does and checks what they show (the
// book's 4.8, the float noise in the loop's sum, the what-if tables), that every exercise can be
// solved, that the quoted library code is the library's, and that the prose states only checked numbers.
import { beforeAll, describe, expect, it } from 'vitest';
import { dot, formatNumber } from '../../lib/index.ts';
import { chapterChecks, textOf } from '../support/chapter-checks.ts';
import { quotes, type RanChapter, runChapterFile } from '../support/chapters.ts';

const FILE = '01-a-single-neuron.mdx';

let chapter: RanChapter;

beforeAll(async () => {
  chapter = await runChapterFile(FILE);
});

describe('chapter 1, a single neuron', () => {
  chapterChecks(() => chapter, {
    file: FILE,
    exercises: [
      'the neuron outputs 0',
      'the neuron outputs 10',
      "the book's neuron gives 4.8",
      'with every input 0, the output is the bias',
      'neuron([1, -1], [2, 3], 0) is −1',
    ],
    // The step between rows of the third-weight table, checked below.
    checkedElsewhere: ['1.5'],
  });

  it('computes the book\'s neuron with a loop: 4.8 on screen, 4.800000000000001 in full', () => {
    expect(textOf(chapter, 'let output = bias;')).toBe('4.8');
    expect(textOf(chapter, 'print(String(output));')).toBe('4.800000000000001\nfalse\ntrue');
  });

  it('computes it again with dot, whose order of additions gives exactly 4.8', () => {
    expect(textOf(chapter, 'String(dot(inputs, weights) + bias)')).toBe('2.8\n4.8\n4.8');
  });

  it('lists each input\'s contribution to the sum', () => {
    expect(textOf(chapter, 'const contributions')).toBe('contributions: [0.2, 1.6, -1.5, 2.5]\ntheir sum: 2.8\nplus the bias: 4.8');
    expect(textOf(chapter, 'const myWeights')).toBe('contributions: [0.2, 1.6, -1.5, 2.5]\n4.8');
  });

  it('steps the third weight and the output moves by 1.5 = 3 × 0.5 each time', () => {
    const rows = textOf(chapter, 'for (const w3 of').split('\n');
    expect(rows).toEqual([
      'w3 = -1  →  output 3.3',
      'w3 = -0.5  →  output 4.8',
      'w3 = 0  →  output 6.3',
      'w3 = 0.5  →  output 7.8',
      'w3 = 1  →  output 9.3',
    ]);
    const outputs = rows.map((row) => Number(row.split('output ')[1]));
    for (let i = 1; i < outputs.length; i++) expect(outputs[i] - outputs[i - 1]).toBeCloseTo(1.5, 12);
  });

  it('shows the bias shifting every output by the same amount, and being the output for zero inputs', () => {
    expect(textOf(chapter, 'const inputLists')).toBe('bias -2: [0.8, 4.9, -2]\nbias 0: [2.8, 6.9, 0]\nbias 2: [4.8, 8.9, 2]\nbias 4: [6.8, 10.9, 4]');
  });

  it('keeps what the site test needs: the exported example, the formula and the build-time output', () => {
    expect(chapter.mdx).toContain("import { dot, formatNumber } from 'scratchnet';");
    expect(chapter.mdx).toContain('export const inputs = [1, 2, 3, 2.5];');
    expect(chapter.mdx).toContain('export const weights = [0.2, 0.8, -0.5, 1.0];');
    expect(chapter.mdx).toContain('export const bias = 2;');
    expect(chapter.mdx).toContain('\\text{output} = \\sum_{i} x_i w_i + b');
    expect(chapter.mdx).toContain('<output data-testid="neuron-output">{formatNumber(dot(inputs, weights) + bias)}</output>');
    expect(formatNumber(dot([1, 2, 3, 2.5], [0.2, 0.8, -0.5, 1.0]) + 2)).toBe('4.8');
  });

  it('quotes dot from lib/ops.ts itself, not a pasted copy', () => {
    // The exercises' worked solutions are the only plain ```ts blocks: library code is quoted, never pasted.
    expect([...chapter.body.replace(/^<Solution>[\s\S]*?^<\/Solution>/gm, '').matchAll(/^```ts\n/gm)]).toHaveLength(0);
    const quoted = quotes(chapter.body);
    expect(quoted.map((quote) => [quote.file, quote.imported])).toEqual([['lib/ops.ts', 'lib/ops.ts']]);
    expect(quoted[0].text).toContain('export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {');
    expect(quoted[0].text).toContain('total += a[i] * b[i];');
    expect(quoted[0].text.split('\n').at(-1)).toBe('}');
  });

  it('compares the exercises\' results with a tolerance, never with ===', () => {
    const exerciseCells = chapter.cells.filter((cell) => cell.source.includes('check('));
    expect(exerciseCells.length).toBeGreaterThan(0);
    expect(exerciseCells.filter((cell) => /===/.test(cell.source)).map((cell) => cell.line)).toEqual([]);
  });
});
