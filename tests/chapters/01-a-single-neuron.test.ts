// Chapter 1, a single neuron: runs its cells as the page does and checks what they show (the
// book's 4.8, the float noise in the loop's sum, the what-if tables), that every exercise can be
// solved, that the quoted library code is the library's, and that the prose states only checked numbers.
import { beforeAll, describe, expect, it } from 'vitest';
import { dot, formatNumber } from '../../lib/index.ts';
import { chapterChecks, figureOf, findCell, outputsOf, textOf } from '../support/chapter-checks.ts';
import { quotes, type RanChapter, rerunText, runChapterFile } from '../support/chapters.ts';
import type { BarFigure, LineFigure, Output } from '../../site/notebook/outputs.ts';

const FILE = '01-a-single-neuron.mdx';

let chapter: RanChapter;

/** The first figure of one type among a re-run cell's outputs. */
function figureIn<T extends 'bar' | 'line'>(outputs: Output[], type: T): T extends 'bar' ? BarFigure : LineFigure {
  const found = outputs.find((output) => output.kind === 'figure' && output.figure.type === type);
  if (!found || found.kind !== 'figure') throw new Error(`no ${type} figure among the outputs`);
  return found.figure as T extends 'bar' ? BarFigure : LineFigure;
}

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
    const sliders = textOf(chapter, 'const myWeights').split('\n');
    expect([sliders[0], sliders.at(-1)]).toEqual(['contributions: [0.2, 1.6, -1.5, 2.5]', '4.8']);
  });

  it('draws the book neuron\'s contributions and bias as bars on a fixed axis, starting from its weights', () => {
    const bars = figureOf(chapter, 'const myWeights', 'bar');
    expect(bars.labels).toEqual(['x₁w₁', 'x₂w₂', 'x₃w₃', 'x₄w₄', 'b']);
    expect(bars.values.map((v) => Number(v.toFixed(12)))).toEqual([0.2, 1.6, -1.5, 2.5, 2]);
    expect(bars.yRange).toEqual([-6, 6]);
    // The bars add up to the output the cell shows.
    expect(bars.values.reduce((a, b) => a + b, 0)).toBeCloseTo(4.8, 12);
  });

  it('re-runs only the weights cell when w₃ moves to 0: its bar vanishes and the output rises by 1.5', async () => {
    const index = findCell(chapter, 'const myWeights');
    const results = await chapter.setInputs('const myWeights', { 'w₃': 0 });
    expect([...results.keys()]).toEqual([index]);
    const bars = figureIn(results.get(index)!.outputs, 'bar');
    expect(bars.values[2]).toBe(0);
    expect(rerunText(results, index).split('\n').at(-1)).toBe('6.3');
    // w₄ moves the fourth bar 2.5 times as far as the slider, the fourth input being 2.5.
    const moved = await chapter.setInputs('const myWeights', { 'w₃': -0.5, 'w₄': 2 });
    expect(figureIn(moved.get(index)!.outputs, 'bar').values[3]).toBeCloseTo(2.5 * 2, 12);
    const back = await chapter.setInputs('const myWeights', { 'w₄': 1 });
    expect(back.get(index)!.outputs).toEqual(outputsOf(chapter, 'const myWeights'));
  });

  it('draws the one-input neuron as the line y = w·x + b through its output, with the bias where it crosses x = 0', () => {
    expect(textOf(chapter, 'const lineWeight').split('\n')[0]).toBe('output y = w·x + b = 3.6');
    const figure = figureOf(chapter, 'const lineWeight', 'line');
    expect([figure.xRange, figure.yRange]).toEqual([[-3, 3], [-10, 10]]);
    const [line] = figure.series;
    expect(line.x).toEqual([-3, 3]);
    expect(line.y.map((v) => Number(v.toFixed(12)))).toEqual([0.8 * -3 + 2, 0.8 * 3 + 2].map((v) => Number(v.toFixed(12))));
    const [output, crossing] = figure.points!;
    expect(output).toEqual({ x: 2, y: 3.6, label: 'output' });
    expect(crossing).toEqual({ x: 0, y: 2, label: 'b' });
    // Both marked points lie on the line drawn.
    const onLine = (x: number) => line.y[0] + ((x - line.x[0]) * (line.y[1] - line.y[0])) / (line.x[1] - line.x[0]);
    for (const point of figure.points!) expect(point.y).toBeCloseTo(onLine(point.x), 12);
  });

  it('turns the line about the bias when the weight moves, slides it with the bias, and moves the dot with the input', async () => {
    const index = findCell(chapter, 'const lineWeight');
    const turned = await chapter.setInputs('const lineWeight', { 'weight w': -1.5 });
    expect([...turned.keys()]).toEqual([index]);
    const steep = figureIn(turned.get(index)!.outputs, 'line');
    expect(steep.series[0].y).toEqual([-1.5 * -3 + 2, -1.5 * 3 + 2]);
    expect(steep.points![1]).toEqual({ x: 0, y: 2, label: 'b' }); // the crossing stays at the bias
    expect(rerunText(turned, index).split('\n')[0]).toBe('output y = w·x + b = -1');

    const flat = await chapter.setInputs('const lineWeight', { 'weight w': 0, 'bias b': -3, 'input x': -2.5 });
    const figure = figureIn(flat.get(index)!.outputs, 'line');
    expect(figure.series[0].y).toEqual([-3, -3]); // w = 0: flat, ignoring the input
    expect(figure.points![0]).toEqual({ x: -2.5, y: -3, label: 'output' });

    const back = await chapter.setInputs('const lineWeight', { 'weight w': 0.8, 'bias b': 2, 'input x': 2 });
    expect(back.get(index)!.outputs).toEqual(outputsOf(chapter, 'const lineWeight'));
    // The axes stay put whatever the sliders say.
    expect([figure.xRange, figure.yRange]).toEqual([[-3, 3], [-10, 10]]);
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
