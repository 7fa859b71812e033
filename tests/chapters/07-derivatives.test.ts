// Chapter 7, derivatives and gradients: runs its cells as the page does and checks what they show
// (the delta table with its 2h error and floating-point collapse, the power, sum, exp, log, product
// and quotient rules against numerical derivatives, partials, gradient descent on a bowl, the chain
// rule, softmax's Jacobian), that every exercise is solvable, and that the prose's numbers are printed.
import { beforeAll, describe, expect, it } from 'vitest';
import { chapterChecks, figureOf, findCell, linesOf, matricesOf, outputsOf, textOf } from '../support/chapter-checks.ts';
import { type RanChapter, rerunText, runChapterFile } from '../support/chapters.ts';
import type { LineFigure, Output } from '../../site/notebook/outputs.ts';

const FILE = '07-derivatives.mdx';

let chapter: RanChapter;

/** The line figure among a re-run cell's outputs. */
function lineIn(outputs: Output[]): LineFigure {
  const found = outputs.find((output) => output.kind === 'figure' && output.figure.type === 'line');
  if (!found || found.kind !== 'figure') throw new Error('no line figure among the outputs');
  return found.figure as LineFigure;
}

/** The slope a tangent series leans by, from its first and last points. */
const leanOf = (series: { x: number[]; y: number[] }): number => (series.y.at(-1)! - series.y[0]) / (series.x.at(-1)! - series.x[0]);

const TANGENT = 'const pointX';
const ERROR_CURVE = 'const myDelta';

beforeAll(async () => {
  chapter = await runChapterFile(FILE);
});

describe('chapter 7, derivatives and gradients', () => {
  chapterChecks(() => chapter, {
    file: FILE,
    exercises: ['the slope of x³ at x = 2', 'the gradient of x²y at (3, 2)', 'the derivative of (3x + 1)⁴ at x = 0'],
  });

  it('finds the same slope of 2 between any two points of the line 2x', () => {
    expect(linesOf(chapter, 'const line =')).toEqual(['slope from x = 1 to x = 2: 2', 'slope from x = -3 to x = 5: 2']);
  });

  it('finds different slopes between different points of the curve 2x²', () => {
    expect(linesOf(chapter, 'for (const [x1, x2] of')).toEqual([
      'slope from x = 0 to x = 1: 2',
      'slope from x = 1 to x = 2: 6',
      'slope from x = 2 to x = 3: 10',
      'slope from x = 2 to x = 2.5: 9',
    ]);
  });

  it("estimates the slope at x = 2 with the book's delta of 0.0001 as 8.0002", () => {
    expect(textOf(chapter, 'const approximateSlope')).toBe('8.00020000002');
  });

  it('draws the curve with the dashed tangent at x = 2, touching it at the marked point', () => {
    expect(textOf(chapter, TANGENT).split('\n')[0]).toBe('slope at x = 2: 8.00020000002');
    const figure = figureOf(chapter, TANGENT, 'line');
    expect([figure.xRange, figure.yRange]).toEqual([[-3, 3], [-4, 18]]);
    const [curve, tangent] = figure.series;
    expect(tangent.name).toBe('tangent');
    expect(tangent.dashed).toBe(true);
    expect(curve.dashed).toBeUndefined();
    expect(figure.points).toEqual([{ x: 2, y: 8, label: 'slope 8' }]);
    expect(leanOf(tangent)).toBeCloseTo(8.0002, 9);
    // The tangent meets the curve at the point: both are 8 at x = 2.
    const at = curve.x.findIndex((x) => Math.abs(x - 2) < 1e-9);
    expect(curve.y[at]).toBeCloseTo(8, 12);
    expect(tangent.y[at]).toBeCloseTo(8, 9);
  });

  it('moves the tangent with the point: negative left of the bottom, flat at 0 (slope 0.0002), re-running only that cell', async () => {
    const index = findCell(chapter, TANGENT);
    const left = await chapter.setInputs(TANGENT, { 'point x': -1.5 });
    expect([...left.keys()]).toEqual([index]);
    const figure = lineIn(left.get(index)!.outputs);
    expect(figure.points![0]).toMatchObject({ x: -1.5, y: 4.5 });
    expect(leanOf(figure.series[1])).toBeCloseTo(-6, 3);
    expect([figure.xRange, figure.yRange]).toEqual([[-3, 3], [-4, 18]]);
    const bottom = await chapter.setInputs(TANGENT, { 'point x': 0 });
    expect(rerunText(bottom, index).split('\n')[0]).toBe('slope at x = 0: 0.0002');
    expect(Math.abs(leanOf(lineIn(bottom.get(index)!.outputs).series[1]))).toBeLessThan(1e-3);
    const back = await chapter.setInputs(TANGENT, { 'point x': 2 });
    expect(back.get(index)!.outputs).toEqual(outputsOf(chapter, TANGENT));
  });

  it("plots the estimate's error against h on log-log axes as a V: 2h on the right, about 8ε/h on the left", () => {
    const [reader, lowest] = linesOf(chapter, ERROR_CURVE);
    expect(reader).toBe('estimate: 8.00020000002 error: 0.0002');
    expect(lowest).toBe('smallest error: 4.51e-9 at h = 3.16e-8');
    const figure = figureOf(chapter, ERROR_CURVE, 'line');
    expect([figure.xScale, figure.yScale, figure.xRange, figure.yRange]).toEqual(['log', 'log', [1e-16, 1], [1e-12, 10]]);
    const [measured, truncation, rounding] = figure.series;
    expect([measured.name, truncation.dashed, rounding.dashed]).toEqual(['measured error', true, true]);
    expect(measured.x).toHaveLength(129);
    // The right arm falls with h down to 1e-6; the left arm rises again as h shrinks below 1e-8.
    const at = (h: number) => measured.y[measured.x.findIndex((x) => Math.abs(x / h - 1) < 1e-9)];
    for (let k = 1; k <= 6; k++) expect(at(10 ** -k)).toBeLessThan(at(10 ** -(k - 1)));
    expect(at(1e-16)).toBeGreaterThan(at(1e-12));
    expect(at(1e-12)).toBeGreaterThan(at(1e-9));
    // The measured error never strays far above the higher of the two dashed lines.
    measured.y.forEach((error, i) => expect(error).toBeLessThan(2 * Math.max(truncation.y[i], rounding.y[i])));
    expect(figure.points).toEqual([{ x: 1e-4, y: at(1e-4), label: 'your h' }]);
  });

  it('marks the reader\'s h on the error curve, re-running only that cell, and the defaults give the first outputs back', async () => {
    const index = findCell(chapter, ERROR_CURVE);
    const tiny = await chapter.setInputs(ERROR_CURVE, { 'delta h': 1e-15 });
    expect([...tiny.keys()]).toEqual([index]);
    const figure = lineIn(tiny.get(index)!.outputs);
    expect(figure.points![0].x).toBe(1e-15);
    expect(figure.points![0].y).toBeGreaterThan(0.1); // far up the left arm
    expect(rerunText(tiny, index).split('\n')[0]).toBe('estimate: 7.1054273576  error: 0.895');
    const bottom = lineIn((await chapter.setInputs(ERROR_CURVE, { 'delta h': 3.16e-8 })).get(index)!.outputs);
    expect(bottom.points![0].y).toBeLessThan(1e-7);
    const back = await chapter.setInputs(ERROR_CURVE, { 'delta h': 1e-4 });
    expect(back.get(index)!.outputs).toEqual(outputsOf(chapter, ERROR_CURVE));
  });

  it('tabulates the estimate: the error is 2h down to h = 1e-6, then rounding takes over and h = 1e-16 gives 0', () => {
    const table = linesOf(chapter, "const rows = ['delta");
    expect(table).toEqual([
      'delta estimate error',
      '1e-0 10 2',
      '1e-1 8.2 0.2',
      '1e-2 8.02 0.02',
      '1e-3 8.002 0.002',
      '1e-4 8.00020000002 0.0002',
      '1e-5 8.00002000005 0.00002',
      '1e-6 8.0000020013 0.000002',
      '1e-7 8.00000018231 1.82e-7',
      '1e-8 7.99999995138 -4.86e-8',
      '1e-9 8.00000066192 6.62e-7',
      '1e-10 8.00000066192 6.62e-7',
      '1e-11 8.00000066192 6.62e-7',
      '1e-12 8.00071120466 0.000711',
      '1e-13 7.9936057773 -0.00639',
      '1e-14 8.17124146124 0.171',
      '1e-15 7.1054273576 -0.895',
      '1e-16 0 -8',
    ]);
    // The prose's claim: down to h = 1e-6 the error the table shows is 2h.
    for (let k = 0; k <= 6; k++) expect(Number(table[k + 1].split(' ')[2])).toBeCloseTo(2 * 10 ** -k, 12);
  });

  it('shows why: 2 + 1e-16 is 2, and a tiny difference comes out wrong', () => {
    expect(linesOf(chapter, '2 + 1e-16 === 2')).toEqual([
      '2 + 1e-16 === 2: true',
      'gap between 2 and the next float: 4.4408920985e-16',
      'f(2 + 1e-12) - f(2) = 8.00071120466e-12 but should be about 8e-12',
    ]);
  });

  it('shows float32 failing sooner: three digits at best, and 0 from h = 1e-7', () => {
    expect(linesOf(chapter, 'const rows32')).toEqual([
      'delta float32 estimate',
      '1e-1 8.199987',
      '1e-2 8.02002',
      '1e-3 8.001328',
      '1e-4 7.991791',
      '1e-5 8.010864',
      '1e-6 7.629395',
      '1e-7 0',
      '1e-8 0',
    ]);
  });

  it('plots the curve and its derivative over 41 points from -2 to 2, the estimate never further than 2h from 4x', () => {
    const outputs = outputsOf(chapter, 'linspace(-2, 2, 41)');
    expect(outputs[0]).toEqual({ kind: 'text', text: 'largest gap between the numerical estimate (h = 0.0001) and 4x over these 41 points: 0.0002' });
    expect(outputs[1].kind).toBe('figure');
    const figure = figureOf(chapter, 'linspace(-2, 2, 41)', 'line');
    const [curve, slope] = figure.series;
    expect(curve.name).toBe('f(x) = 2x²');
    expect(slope.name).toBe("f'(x) = 4x");
    expect(curve.y).toHaveLength(41);
    // Plotted against x itself, from -2 to 2 in steps of 0.1.
    for (const series of [curve, slope]) {
      expect(series.x).toHaveLength(41);
      expect([series.x[0], series.x[20], series.x[40]]).toEqual([-2, 0, 2]);
      expect(series.x[1]).toBeCloseTo(-1.9, 12);
    }
    expect(figure.xLabel).toBe('x');
    expect([curve.y[0], curve.y[20], curve.y[40]]).toEqual([8, 0, 8]);
    expect([slope.y[0], slope.y[20], slope.y[40]]).toEqual([-8, 0, 8]);
  });

  it('checks the power and sum rules against the numerical derivative', () => {
    expect(linesOf(chapter, 'const gPrime')).toEqual([
      'x = -1: rules give 37 numerical: 37',
      'x = 0.5: rules give 4.5625 numerical: 4.5625',
      'x = 2: rules give 448 numerical: 448',
    ]);
  });

  it('checks the exponential, logarithm, product and quotient rules against the numerical derivative at two points each', () => {
    const table = linesOf(chapter, 'const newRules');
    expect(table).toHaveLength(8);
    const rows = table.map((line) => /^(.+) x = (\S+): rule (\S+) numerical (\S+)$/.exec(line)!);
    expect(rows.map((row) => `${row[1]} at ${row[2]}`)).toEqual([
      'eˣ at 0.5', 'eˣ at 2', 'log x at 0.5', 'log x at 2', 'x² · eˣ at 0.5', 'x² · eˣ at 2', '(x² + 1) / (x + 3) at 0.5', '(x² + 1) / (x + 3) at 2',
    ]);
    // Each rule's value is the derivative worked out here, and its numerical estimate agrees to the 8 digits shown.
    const exact: Record<string, (v: number) => number> = {
      'eˣ': Math.exp,
      'log x': (v) => 1 / v,
      'x² · eˣ': (v) => (v * v + 2 * v) * Math.exp(v),
      '(x² + 1) / (x + 3)': (v) => (v * v + 6 * v - 1) / (v + 3) ** 2,
    };
    for (const [, name, at, rule, numerical] of rows) {
      expect(numerical, `${name} at ${at}`).toBe(rule);
      expect(Number(rule)).toBeCloseTo(exact[name](Number(at)), 6);
    }
  });

  it('derives the softmax Jacobian S_j(δ_jk − S_k) and matches it by nudging each score', () => {
    const text = linesOf(chapter, 'const softmaxOf');
    expect(text[0]).toBe('probabilities: [0.7, 0.1, 0.2]');
    const [formula, nudged] = matricesOf(chapter, 'const softmaxOf');
    expect(nudged).toEqual(formula);
    // diag(S) − S Sᵀ for S = [0.7, 0.1, 0.2], worked out here.
    const s = [0.7, 0.1, 0.2];
    const expected = s.flatMap((sj, j) => s.map((sk, k) => sj * ((j === k ? 1 : 0) - sk)));
    formula.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 12));
    expect(chapter.body).toContain('= S_j \\,(\\delta_{jk} - S_k)');
  });

  it('lists the exponential, logarithm, product and quotient rules in its table', () => {
    for (const row of ['| exponential | $e^x$ | $e^x$ |', '| logarithm | $\\log x$ | $\\dfrac{1}{x}$ |', '| product |', '| quotient |']) expect(chapter.body).toContain(row);
  });

  it('finds the partial derivatives of a sum, a product and a maximum', () => {
    expect(linesOf(chapter, 'const partial =')).toEqual(['x + y + z at (3, -2, 1): [1, 1, 1]', 'x · y at (3, -2): [-2, 3]', 'max(x, y) at (3, -2): [1, 0]']);
  });

  it('walks down the bowl x² + 3y² against its gradient, lowering f at every step', () => {
    const table = linesOf(chapter, 'const bowl');
    expect(table[0]).toBe('step 0: point [3, -2] f = 21 gradient [6, -12]');
    expect(table[1]).toBe('step 1: point [2.4, -0.8] f = 7.68 gradient [4.8, -4.8]');
    expect(table).toHaveLength(6);
    const values = table.map((line) => Number(/f = (\S+)/.exec(line)![1]));
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1]);
  });

  it('checks the chain rule on 3(2x²)⁵: 960 at x = 1', () => {
    expect(linesOf(chapter, 'const composite')).toEqual(['x = 0.5: chain rule 1.875 numerical 1.875', 'x = 1: chain rule 960 numerical 960']);
  });
});
