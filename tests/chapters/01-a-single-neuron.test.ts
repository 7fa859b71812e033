// Chapter 1, a single neuron: runs its cells as the page does and checks what they show (the
// book's 4.8, the float noise in the loop's sum, the what-if tables), that every exercise can be
// solved, that the quoted library code is the library's, and that the prose states only checked numbers.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dot, formatNumber } from '../../lib/index.ts';
import { printedNumbers, proseNumbers, type RanChapter, runChapterFile, throwingCells } from '../support/chapters.ts';

const file = '01-a-single-neuron.mdx';
const root = resolve(import.meta.dirname, '../..');

let chapter: RanChapter;

beforeAll(async () => {
  chapter = await runChapterFile(file);
});

describe('chapter 1, a single neuron', () => {
  it('runs every cell without an error, and marks none as throwing', () => {
    expect(chapter.cells).toHaveLength(10);
    expect(throwingCells(chapter)).toEqual([]);
    chapter.results.forEach((result, i) => expect(result.failed, `cell ${i + 1}: ${chapter.text(i)}`).toBe(false));
  });

  it('computes the book\'s neuron with a loop: 4.8 on screen, 4.800000000000001 in full', () => {
    expect(chapter.text(0)).toBe('4.8');
    expect(chapter.text(1)).toBe('4.800000000000001\nfalse\ntrue');
  });

  it('computes it again with dot, whose order of additions gives exactly 4.8', () => {
    expect(chapter.text(2)).toBe('2.8\n4.8\n4.8');
  });

  it('lists each input\'s contribution to the sum', () => {
    expect(chapter.text(3)).toBe('contributions: [0.2, 1.6, -1.5, 2.5]\ntheir sum: 2.8\nplus the bias: 4.8');
    expect(chapter.text(4)).toBe('contributions: [0.2, 1.6, -1.5, 2.5]\n4.8');
  });

  it('steps the third weight and the output moves by 1.5 = 3 × 0.5 each time', () => {
    const rows = chapter.text(5).split('\n');
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
    expect(chapter.text(6)).toBe('bias -2: [0.8, 4.9, -2]\nbias 0: [2.8, 6.9, 0]\nbias 2: [4.8, 8.9, 2]\nbias 4: [6.8, 10.9, 4]');
  });

  it('leaves every exercise unsolved as written', () => {
    for (const i of [7, 8, 9]) {
      expect(chapter.text(i)).toContain('✗');
      expect(chapter.text(i)).not.toContain('✓');
    }
  });

  it('has exercises that the intended answers solve', async () => {
    const solved = await runChapterFile(file, [
      ['const w4 = 1.0; // change this weight', 'const w4 = -0.92;'],
      ['const newBias = 2; // change this bias', 'const newBias = 7.2;'],
      [
        'return 0; // your code here: the weighted sum of xs and ws, plus b',
        'let total = b;\n  for (let i = 0; i < xs.length; i++) total += xs[i] * ws[i];\n  return total;',
      ],
    ]);
    solved.results.forEach((result, i) => expect(result.failed, `cell ${i + 1}: ${solved.text(i)}`).toBe(false));
    expect(solved.text(7)).toContain('✓ the neuron outputs 0');
    expect(solved.text(8)).toContain('✓ the neuron outputs 10');
    const checks = solved.text(9).split('\n').filter((line) => /^[✓✗]/.test(line));
    expect(checks).toHaveLength(3);
    for (const line of checks) expect(line.startsWith('✓')).toBe(true);
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

  it('quotes dot exactly as lib/ops.ts defines it', () => {
    const plain = [...chapter.body.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]);
    expect(plain).toHaveLength(1);
    expect(plain[0]).toContain('export function dot(');
    expect(readFileSync(resolve(root, 'lib/ops.ts'), 'utf8')).toContain(plain[0]);
  });

  it('states only numbers that a cell prints or this test checks', () => {
    const printed = printedNumbers(chapter.allText);
    // 1.5 is the step between rows of the third-weight table, checked above.
    const checkedHere = ['1.5'];
    const unexplained = proseNumbers(chapter.body).filter((n) => !printed.has(n) && !checkedHere.includes(n));
    expect(unexplained).toEqual([]);
  });
});
