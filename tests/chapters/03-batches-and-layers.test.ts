// Chapter 3, batches and layers: runs its cells as the page does and checks the book's batch
// through one layer and two (with float32's 0.02599993 and -0.3565501, float64's 0.026, and that
// float32 storage of the inputs, not the sums, explains them), the shape error the prose reads, Dense reproducing the tables, the seeded spiral and first weights,
// that the library code it quotes comes from lib/layers.ts itself, every exercise, and the prose's numbers.
import { beforeAll, describe, expect, it } from 'vitest';
import { Matrix, addRowVector, formatNumber, matmul, transpose } from '../../lib/index.ts';
import { chapterChecks, figureOf, textOf } from '../support/chapter-checks.ts';
import { type RanChapter, runChapterFile, quotes } from '../support/chapters.ts';

const FILE = '03-batches-and-layers.mdx';

const layer1Table = '4.8 1.21 2.385\n8.9 -1.81 0.2\n1.41 1.051 0.02599993';
const layer2Table = '0.5031 -1.04185 -2.03875\n0.2434 -2.7332 -5.7633\n-0.99314 1.41254 -0.3565501';
const xwByLoops = '2.8 -1.79 1.885\n6.9 -4.81 -0.3\n-0.5899999 -1.949 -0.4740001';
const f64 = { dtype: 'float64' } as const;
const batch = [[1, 2, 3, 2.5], [2, 5, -1, 2], [-1.5, 2.7, 3.3, -0.8]];
const weights = [[0.2, 0.8, -0.5, 1], [0.5, -0.91, 0.26, -0.5], [-0.26, -0.27, 0.17, 0.87]];

let chapter: RanChapter;

beforeAll(async () => {
  chapter = await runChapterFile(FILE);
});

describe('chapter 3, batches and layers', () => {
  chapterChecks(() => chapter, {
    file: FILE,
    throwing: ["// the book's 3×4 layout, not transposed"],
    exercises: ['the first sample through layer 1', 'row 1, column 2 of X·W', 'the shape of the final output', 'the number of parameters'],
    // The book's value, computed in float64 below.
    checkedElsewhere: ['-0.35655'],
  });

  it('shows the average of a batch wobbling less as the batch grows', () => {
    const spreads = textOf(chapter, 'for (const batchSize of').split('\n').map((line) => Number(line.split('about ')[1]));
    expect(spreads).toEqual([1.02, 0.48, 0.26, 0.13]);
    // Roughly 1/√n: each fourfold batch about halves the wobble.
    [1, 4, 16, 64].forEach((n, i) => expect(Math.abs(spreads[i] * Math.sqrt(n) - 1)).toBeLessThan(0.1));
  });

  it('builds the batch as a 3×4 matrix and the weights as 4×3, inputs × outputs', () => {
    expect(textOf(chapter, 'const X = Matrix.fromRows(batch)')).toBe('X: 3×4 (samples × features)\n1 2 3 2.5\n2 5 -1 2\n-1.5 2.7 3.3 -0.8');
    expect(textOf(chapter, 'const W = transpose(Matrix.fromRows(weights))')).toBe('W: 4×3 (inputs × outputs)\n0.2 0.5 -0.26\n0.8 -0.91 -0.27\n-0.5 0.26 0.17\n1 -0.5 0.87');
  });

  it('computes X·W with three loops and with matmul, digit for digit the same', () => {
    expect(textOf(chapter, 'function matmulByLoops')).toBe(`by loops:\n${xwByLoops}\nmatmul:\n${xwByLoops}`);
  });

  it('traces -0.5899999 and -0.4740001 to the float32 inputs, not to the sums', () => {
    // Exact sums of the float32-rounded inputs, rounded once, give the printed values...
    const fromFloat32Inputs = Matrix.fromRows(batch.map((row) => row.map(Math.fround)), f64);
    const w32 = transpose(Matrix.fromRows(weights.map((row) => row.map(Math.fround)), f64));
    const product = matmul(fromFloat32Inputs, w32);
    const f32 = { dtype: 'float32' } as const;
    expect([formatNumber(Math.fround(product.get(2, 0)), f32), formatNumber(Math.fround(product.get(2, 2)), f32)]).toEqual(['-0.5899999', '-0.4740001']);
    // ...and moved the sum by less than 1e-7, while the decimals themselves give -0.59 and -0.474.
    expect(Math.abs(product.get(2, 2) - -0.474)).toBeLessThan(1e-7);
    expect(Math.abs(product.get(2, 2) - -0.474)).toBeGreaterThan(1e-8);
    expect(textOf(chapter, 'const X64')).toBe(
      '2.7 as a float32: 2.70000004768\nX·W in float64:\n2.8 -1.79 1.885\n6.9 -4.81 -0.3\n-0.59 -1.949 -0.474\n' +
        'plus the biases:\n4.8 1.21 2.385\n8.9 -1.81 0.2\n1.41 1.051 0.026',
    );
  });

  it('shows the shape error for the untransposed weights that the prose reads', () => {
    expect(textOf(chapter, "// the book's 3×4 layout, not transposed")).toBe('ShapeError: matmul: (3×4) · (3×4): inner dimensions 4 and 3 differ (line 1)');
    expect(chapter.body).toContain('the left operand\'s shape\n$(3 \\times 4)$, the right operand\'s shape $(3 \\times 4)$');
  });

  it('fixes it with transposeB, which sums like the loops do', () => {
    expect(textOf(chapter, '{ transposeB: true }')).toBe(xwByLoops);
  });

  it('adds the bias row to every row and gets the book\'s layer output, with float32\'s 0.02599993', () => {
    expect(textOf(chapter, 'const layer1Outputs')).toBe(`3×4 · 4×3 + 1×3 → 3×3\n${layer1Table}`);
  });

  it('gets exactly the book\'s 0.026 in float64', () => {
    expect(textOf(chapter, 'const X64').endsWith('plus the biases:\n4.8 1.21 2.385\n8.9 -1.81 0.2\n1.41 1.051 0.026')).toBe(true);
  });

  it('stacks the book\'s second layer, with float32\'s -0.3565501 where the book has -0.35655', () => {
    expect(textOf(chapter, 'const layer2Outputs')).toBe(`3×3 · 3×3 + 1×3 → 3×3\n${layer2Table}`);
    // The book's value for that entry, computed here in float64.
    const x = Matrix.fromRows(batch, f64);
    const w1 = transpose(Matrix.fromRows(weights, f64));
    const w2 = transpose(Matrix.fromRows([[0.1, -0.14, 0.5], [-0.5, 0.12, -0.33], [-0.44, 0.73, -0.13]], f64));
    const layer1 = addRowVector(matmul(x, w1), Matrix.rowVector([2, 3, 0.5], f64));
    const layer2 = addRowVector(matmul(layer1, w2), Matrix.rowVector([-1, 2, -0.5], f64));
    expect(formatNumber(layer2.get(2, 2), f64)).toBe('-0.35655');
  });

  it('reproduces both layers with Dense given the book\'s parameters', () => {
    expect(textOf(chapter, 'const layer1 = new Dense(4, 3)')).toBe(
      'weights: 4×3 and 3×3\nbiases: 1×3 and 1×3\nparameters: 15 + 12\nthe same as by hand: true\n' + layer2Table,
    );
  });

  it('draws the seeded spiral: 300 points in 3 classes of 100, as a scatter plot', () => {
    expect(textOf(chapter, 'const { x: points, y: labels }')).toBe('points: 300×2  labels: 300\n[scatter figure: spiralData(100, 3): 3 classes of 100 points]');
    const figure = figureOf(chapter, 'const { x: points, y: labels }', 'scatter');
    expect(figure.x).toHaveLength(300);
    expect([0, 1, 2].map((k) => figure.labels.filter((label) => label === k).length)).toEqual([100, 100, 100]);
  });

  it('shows a fresh Dense(2, 3): small random weights, zero biases, and a first output row of zeros', () => {
    expect(textOf(chapter, 'const dense1 = new Dense(2, 3)')).toBe(
      [
        'weights, 0.01 · randn:',
        '0.00973749 0.01335206 -0.01218968',
        '-0.006254521 -0.003686003 -0.0006460022',
        'biases, zero at first:',
        '0 0 0',
        'output 300×3',
        'the largest, ignoring its sign: 0.01371159',
        '0 0 0',
        '0.00006306893 0.0001070715 -0.0001146399',
        '-0.0000922681 -0.00002907233 -0.00005338705',
        '-0.0001163294 -0.00001532195 -0.0001042808',
        '-0.0001359768 0.000003660216 -0.0001592779',
      ].join('\n'),
    );
  });

  it('repeats the same weights after seed(0)', () => {
    expect(textOf(chapter, 'const again')).toBe('true');
  });

  it('quotes Dense.forward and the random initializer from lib/layers.ts itself, not a pasted copy', () => {
    // The exercises' worked solutions are the only plain ```ts blocks: library code is quoted, never pasted.
    expect([...chapter.body.replace(/^<Solution>[\s\S]*?^<\/Solution>/gm, '').matchAll(/^```ts\n/gm)]).toHaveLength(0);
    const quoted = quotes(chapter.body);
    expect(quoted.map((quote) => [quote.file, quote.imported])).toEqual([['lib/layers.ts', 'lib/layers.ts'], ['lib/layers.ts', 'lib/layers.ts']]);
    expect(quoted[0].text.split('\n')[1]).toBe('forward(inputs: Matrix): Matrix {');
    expect(quoted[0].text).toContain('this.output = addRowVector(matmul(inputs, this._weights), this._biases);');
    expect(quoted[0].text.split('\n').at(-1)).toBe('}');
    expect(quoted[1].text).toBe('for (let i = 0; i < weights.size; i++) weights.data[i] = 0.01 * rng.gaussian();');
  });
});
