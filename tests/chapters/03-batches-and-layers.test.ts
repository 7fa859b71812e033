// Chapter 3, batches and layers: runs its cells as the page does and checks the book's batch
// through one layer and two (with float32's 0.02599993 and -0.3565501, float64's 0.026, and that
// float32 storage of the inputs, not the sums, explains them), the shape error the prose reads, Dense reproducing the tables, the seeded spiral and first weights,
// that the library code it quotes comes from lib/layers.ts itself, every exercise, and the prose's numbers.
import { beforeAll, describe, expect, it } from 'vitest';
import { Matrix, addRowVector, formatNumber, matmul, transpose } from '../../lib/index.ts';
import type { ScatterFigure } from '../../site/notebook/outputs.ts';
import { printedNumbers, proseNumbers, type RanChapter, runChapterFile, quotes, throwingCells } from '../support/chapters.ts';

const file = '03-batches-and-layers.mdx';

const layer1Table = '4.8 1.21 2.385\n8.9 -1.81 0.2\n1.41 1.051 0.02599993';
const layer2Table = '0.5031 -1.04185 -2.03875\n0.2434 -2.7332 -5.7633\n-0.99314 1.41254 -0.3565501';
const xwByLoops = '2.8 -1.79 1.885\n6.9 -4.81 -0.3\n-0.5899999 -1.949 -0.4740001';
const f64 = { dtype: 'float64' } as const;
const batch = [[1, 2, 3, 2.5], [2, 5, -1, 2], [-1.5, 2.7, 3.3, -0.8]];
const weights = [[0.2, 0.8, -0.5, 1], [0.5, -0.91, 0.26, -0.5], [-0.26, -0.27, 0.17, 0.87]];

let chapter: RanChapter;

beforeAll(async () => {
  chapter = await runChapterFile(file);
});

describe('chapter 3, batches and layers', () => {
  it('runs every cell without an error except the one marked throws', () => {
    expect(chapter.cells).toHaveLength(16);
    expect(throwingCells(chapter)).toEqual([4]);
    chapter.results.forEach((result, i) => expect(result.failed, `cell ${i + 1}: ${chapter.text(i)}`).toBe(i === 4));
  });

  it('shows the average of a batch wobbling less as the batch grows', () => {
    const spreads = chapter.text(0).split('\n').map((line) => Number(line.split('about ')[1]));
    expect(spreads).toEqual([1.02, 0.48, 0.26, 0.13]);
    // Roughly 1/√n: each fourfold batch about halves the wobble.
    [1, 4, 16, 64].forEach((n, i) => expect(Math.abs(spreads[i] * Math.sqrt(n) - 1)).toBeLessThan(0.1));
  });

  it('builds the batch as a 3×4 matrix and the weights as 4×3, inputs × outputs', () => {
    expect(chapter.text(1)).toBe('X: 3×4 (samples × features)\n1 2 3 2.5\n2 5 -1 2\n-1.5 2.7 3.3 -0.8');
    expect(chapter.text(2)).toBe('W: 4×3 (inputs × outputs)\n0.2 0.5 -0.26\n0.8 -0.91 -0.27\n-0.5 0.26 0.17\n1 -0.5 0.87');
  });

  it('computes X·W with three loops and with matmul, digit for digit the same', () => {
    expect(chapter.text(3)).toBe(`by loops:\n${xwByLoops}\nmatmul:\n${xwByLoops}`);
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
    expect(chapter.text(7)).toBe(
      '2.7 as a float32: 2.70000004768\nX·W in float64:\n2.8 -1.79 1.885\n6.9 -4.81 -0.3\n-0.59 -1.949 -0.474\n' +
        'plus the biases:\n4.8 1.21 2.385\n8.9 -1.81 0.2\n1.41 1.051 0.026',
    );
  });

  it('shows the shape error for the untransposed weights that the prose reads', () => {
    expect(chapter.text(4)).toBe('ShapeError: matmul: (3×4) · (3×4): inner dimensions 4 and 3 differ (line 1)');
    expect(chapter.body).toContain('the left operand\'s shape\n$(3 \\times 4)$, the right operand\'s shape $(3 \\times 4)$');
  });

  it('fixes it with transposeB, which sums like the loops do', () => {
    expect(chapter.text(5)).toBe(xwByLoops);
  });

  it('adds the bias row to every row and gets the book\'s layer output, with float32\'s 0.02599993', () => {
    expect(chapter.text(6)).toBe(`3×4 · 4×3 + 1×3 → 3×3\n${layer1Table}`);
  });

  it('gets exactly the book\'s 0.026 in float64', () => {
    expect(chapter.text(7).endsWith('plus the biases:\n4.8 1.21 2.385\n8.9 -1.81 0.2\n1.41 1.051 0.026')).toBe(true);
  });

  it('stacks the book\'s second layer, with float32\'s -0.3565501 where the book has -0.35655', () => {
    expect(chapter.text(8)).toBe(`3×3 · 3×3 + 1×3 → 3×3\n${layer2Table}`);
    // The book's value for that entry, computed here in float64.
    const x = Matrix.fromRows(batch, f64);
    const w1 = transpose(Matrix.fromRows(weights, f64));
    const w2 = transpose(Matrix.fromRows([[0.1, -0.14, 0.5], [-0.5, 0.12, -0.33], [-0.44, 0.73, -0.13]], f64));
    const layer1 = addRowVector(matmul(x, w1), Matrix.rowVector([2, 3, 0.5], f64));
    const layer2 = addRowVector(matmul(layer1, w2), Matrix.rowVector([-1, 2, -0.5], f64));
    expect(formatNumber(layer2.get(2, 2), f64)).toBe('-0.35655');
  });

  it('reproduces both layers with Dense given the book\'s parameters', () => {
    expect(chapter.text(9)).toBe(
      'weights: 4×3 and 3×3\nbiases: 1×3 and 1×3\nparameters: 15 + 12\nthe same as by hand: true\n' + layer2Table,
    );
  });

  it('draws the seeded spiral: 300 points in 3 classes of 100, as a scatter plot', () => {
    expect(chapter.text(10)).toBe('points: 300×2  labels: 300\n[scatter figure: spiralData(100, 3): 3 classes of 100 points]');
    const output = chapter.results[10].outputs[1];
    expect(output.kind).toBe('figure');
    const figure = (output as { kind: 'figure'; figure: ScatterFigure }).figure;
    expect(figure.type).toBe('scatter');
    expect(figure.x).toHaveLength(300);
    expect([0, 1, 2].map((k) => figure.labels.filter((label) => label === k).length)).toEqual([100, 100, 100]);
  });

  it('shows a fresh Dense(2, 3): small random weights, zero biases, and a first output row of zeros', () => {
    expect(chapter.text(11)).toBe(
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
    expect(chapter.text(12)).toBe('true');
  });

  it('quotes Dense.forward and the random initializer from lib/layers.ts itself, not a pasted copy', () => {
    expect([...chapter.body.matchAll(/^```ts\n/gm)]).toHaveLength(0);
    const quoted = quotes(chapter.body);
    expect(quoted.map((quote) => [quote.file, quote.imported])).toEqual([['lib/layers.ts', 'lib/layers.ts'], ['lib/layers.ts', 'lib/layers.ts']]);
    expect(quoted[0].text.split('\n')[1]).toBe('forward(inputs: Matrix): Matrix {');
    expect(quoted[0].text).toContain('this.output = addRowVector(matmul(inputs, this._weights), this._biases);');
    expect(quoted[0].text.split('\n').at(-1)).toBe('}');
    expect(quoted[1].text).toBe('for (let i = 0; i < weights.size; i++) weights.data[i] = 0.01 * rng.gaussian();');
  });

  it('leaves every exercise unsolved as written', () => {
    for (const i of [13, 14, 15]) {
      expect(chapter.text(i)).toContain('✗');
      expect(chapter.text(i)).not.toContain('✓');
    }
  });

  it('has exercises that the intended answers solve', async () => {
    const solved = await runChapterFile(file, [
      ['const single = Matrix.zeros(1, 4); // the first sample, as a batch of one', 'const single = Matrix.fromRows([[1, 2, 3, 2.5]]);'],
      ['const entry = 0; // your answer', 'const entry = -0.3;'],
      ['const outRows = 0;       // your answer', 'const outRows = 8;'],
      ['const outCols = 0;       // your answer', 'const outCols = 3;'],
      ['const totalParameters = 0; // your answer', 'const totalParameters = 387;'],
    ]);
    solved.results.forEach((result, i) => expect(result.failed, `cell ${i + 1}: ${solved.text(i)}`).toBe(i === 4));
    expect(solved.text(13)).toContain('✓ the first sample through layer 1');
    expect(solved.text(14)).toContain('✓ row 1, column 2 of X·W');
    expect(solved.text(15)).toContain('✓ the shape of the final output\n✓ the number of parameters');
  });

  it('states only numbers that a cell prints or this test checks', () => {
    const printed = printedNumbers(chapter.allText);
    // -0.35655 is the book's value, checked in float64 above.
    const checkedHere = ['-0.35655'];
    const unexplained = proseNumbers(chapter.body).filter((n) => !printed.has(n) && !checkedHere.includes(n));
    expect(unexplained).toEqual([]);
  });
});
