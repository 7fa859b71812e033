// Chapter 5 (softmax): runs every cell and checks what the page shows: the book's softmax numbers
// by loop and by matrix ops, why exponentiate, the overflow to NaN and its fix by subtracting the
// largest score, the library's Softmax layer in float32, and that each exercise is solvable.
import { beforeAll, describe, expect, it } from 'vitest';
import { Matrix, Softmax, sum } from '../../lib/index.ts';
import { chapterChecks, figureOf, findCell, linesOf, outputsOf, textOf } from '../support/chapter-checks.ts';
import { type RanChapter, rerunText, runChapterFile } from '../support/chapters.ts';
import type { BarFigure, Output } from '../../site/notebook/outputs.ts';

const FILE = '05-softmax.mdx';

/** The book's softmax of [4.8, 1.21, 2.385], as it prints it (eight decimals). */
const BOOK_PROBABILITIES = ['0.89528266', '0.02470831', '0.08000903'];

/** The numbers of the list a line shows after `label`, e.g. "probabilities: [0.89, 0.02]". */
function listAfter(line: string, label: string): number[] {
  if (!line.startsWith(label)) throw new Error(`expected a line starting ${JSON.stringify(label)}, got ${JSON.stringify(line)}`);
  return JSON.parse(line.slice(label.length)) as number[];
}

/** The bar chart among a re-run cell's outputs. */
function barsIn(outputs: Output[]): BarFigure {
  const found = outputs.find((output) => output.kind === 'figure' && output.figure.type === 'bar');
  if (!found || found.kind !== 'figure') throw new Error('no bar chart among the outputs');
  return found.figure as BarFigure;
}

/** The marker of the scores-and-temperature cell. */
const SLIDERS = 'const liveScores';

describe('chapter 5: softmax', () => {
  let chapter: RanChapter;
  beforeAll(async () => {
    chapter = await runChapterFile(FILE);
  });

  chapterChecks(() => chapter, {
    file: FILE,
    exercises: [
      'the probability of the third class',
      'class 0 stays on top with less than half the probability',
      'softmax of [1000, 1001, 1002] is [0.09, 0.24, 0.67]',
    ],
    // The book's eight decimals and the second sample's nine, rounded from what the cells print below.
    checkedElsewhere: [...BOOK_PROBABILITIES, '0.999811129'],
  });

  it('exponentiates and normalises the book scores step by step', () => {
    expect(textOf(chapter, 'const expValues')).toBe(
      [
        'exponentiated: [121.510417519, 3.35348465255, 10.8590626649]',
        'their sum: 135.722964836',
        'probabilities: [0.895282663957, 0.0247083067821, 0.0800090292606]',
        'which add up to 1',
      ].join('\n'),
    );
  });

  it("quotes the book's eight-decimal probabilities, which round the loop's values", () => {
    const printed = listAfter(linesOf(chapter, 'const expValues')[2], 'probabilities: ');
    expect(printed.map((p) => p.toFixed(8))).toEqual(BOOK_PROBABILITIES);
  });

  it("draws the book scores' softmax as bars on a fixed [0, 1] axis, class 0 highlighted", () => {
    expect(linesOf(chapter, SLIDERS)).toEqual([
      'scores / T: [4.8, 1.21, 2.385]',
      'probabilities: [0.895282663957, 0.0247083067821, 0.0800090292606]',
      '[bar figure: softmax(z / T)]',
    ]);
    const bars = figureOf(chapter, SLIDERS, 'bar');
    expect(bars.labels).toEqual(['class 0', 'class 1', 'class 2']);
    expect(bars.yRange).toEqual([0, 1]);
    expect(bars.highlight).toBe(0);
    // The same probabilities as the step-by-step loop.
    const printed = listAfter(linesOf(chapter, 'const expValues')[2], 'probabilities: ');
    bars.values.forEach((p, k) => expect(p).toBeCloseTo(printed[k], 11));
  });

  it('re-runs only the slider cell, and a score dragged past the others takes the lead and the highlight', async () => {
    const index = findCell(chapter, SLIDERS);
    const results = await chapter.setInputs(SLIDERS, { 'score 1': 5 });
    expect([...results.keys()]).toEqual([index]);
    const bars = barsIn(results.get(index)!.outputs);
    expect(bars.highlight).toBe(1);
    expect(bars.values[1]).toBeGreaterThan(bars.values[0]);
    expect(bars.values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Two scores level share the probability evenly, however high.
    const level = barsIn((await chapter.setInputs(SLIDERS, { 'score 1': 4.8 })).get(index)!.outputs);
    expect(level.values[1]).toBeCloseTo(level.values[0], 12);
    await chapter.setInputs(SLIDERS, { 'score 1': 1.21 });
  });

  it('lets the tallest bar take everything as the temperature drops to 0.1, and evens the bars out at 10', async () => {
    const index = findCell(chapter, SLIDERS);
    const cold = await chapter.setInputs(SLIDERS, { 'temperature T': 0.1 });
    expect(rerunText(cold, index).split('\n')[0]).toBe('scores / T:    [48, 12.1, 23.85]');
    expect(barsIn(cold.get(index)!.outputs).values[0]).toBeGreaterThan(1 - 1e-9);
    const hot = barsIn((await chapter.setInputs(SLIDERS, { 'temperature T': 10 })).get(index)!.outputs);
    expect(hot.highlight).toBe(0); // dividing by T keeps the order
    expect(Math.max(...hot.values) - Math.min(...hot.values)).toBeLessThan(0.15);
    expect(hot.values[0]).toBeLessThan(0.5);
    // Back at the defaults, exactly the build's outputs.
    const back = await chapter.setInputs(SLIDERS, { 'temperature T': 1 });
    expect(back.get(index)!.outputs).toEqual(outputsOf(chapter, SLIDERS));
  });

  it('shows dividing by the sum giving a negative "probability"', () => {
    expect(textOf(chapter, 'const mixedScores')).toBe('divided by their sum: [0.803347280335, -0.202510460251, 0.399163179916]');
  });

  it('shows softmax depends on differences between scores, not their size', () => {
    expect(textOf(chapter, 'const naiveSoftmax')).toBe(
      [
        '[1, 2] divided by their sum: [0.333333333333, 0.666666666667]',
        'softmax of [1, 2]:           [0.26894142137, 0.73105857863]',
        'softmax of [101, 102]:       [0.26894142137, 0.73105857863]',
        'softmax of [10, 20]:         [0.0000453978687024, 0.999954602131]',
      ].join('\n'),
    );
    // "almost three times (e¹ times)": the ratio of the two probabilities is e.
    const [low, high] = listAfter(linesOf(chapter, 'const naiveSoftmax')[1], 'softmax of [1, 2]: ');
    expect(high / low).toBeCloseTo(Math.E, 9);
  });

  it("computes the book's batch with matrix ops, matching the loop digit for digit", () => {
    expect(textOf(chapter, 'const batchProbabilities')).toBe(
      [
        '0.895282663957 0.0247083067821 0.0800090292606',
        '0.999811129256 0.0000223163963223 0.000166554347802',
        '0.513097164248 0.358333899262 0.12856893649',
        'row sums: [1, 1, 1]',
      ].join('\n'),
    );
    // The prose rounds the second sample's first probability to nine digits.
    expect(Number(linesOf(chapter, 'const batchProbabilities')[1].split(' ')[0]).toPrecision(9)).toBe('0.999811129');
  });

  it('overflows to Infinity and turns the naive softmax into NaN', () => {
    expect(textOf(chapter, 'Math.exp(1000)')).toBe(
      ['Math.exp(709) = 8.21840746155e307', 'Math.exp(1000) = Infinity', 'naive softmax of [1000, 999, 998]: [NaN, NaN, NaN]'].join('\n'),
    );
    expect(textOf(chapter, 'new Float32Array')).toBe('[1.651636e38, Infinity]');
  });

  it('fixes the overflow by subtracting the largest score, without changing the probabilities', () => {
    expect(textOf(chapter, 'const stableSoftmax')).toBe(
      [
        'stable softmax of [1000, 999, 998]: [0.665240955775, 0.244728471055, 0.0900305731704]',
        'naive softmax of [2, 1, 0]:         [0.665240955775, 0.244728471055, 0.0900305731704]',
        'stable softmax of the book scores:  [0.895282663957, 0.0247083067821, 0.0800090292606]',
        'identical to the naive version? true',
      ].join('\n'),
    );
  });

  it('runs the library Softmax layer on a batch in float32, rows summing to 1', () => {
    expect(textOf(chapter, 'const softmax = new Softmax()')).toBe(
      [
        '0.8952827 0.0247083 0.08000901',
        '0.9998111 0.00002231641 0.0001665544',
        '0.5130972 0.3583339 0.1285689',
        'row sums:',
        '1',
        '0.9999999',
        '1',
        'predicted classes: [0, 0, 0]',
      ].join('\n'),
    );
    expect(textOf(chapter, 'Math.fround(4.8)')).toBe('4.8 stored as float32: 4.80000019073\n1.21 stored as float32: 1.21000003815');
  });

  it('explains the 0.9999999 row sum as the largest float32 number below 1', () => {
    const output = new Softmax().forward(Matrix.fromRows([[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]]));
    expect(sum(output, 1).data[1]).toBe(1 - 2 ** -24);
  });

  it('keeps the Softmax layer safe from huge and equal scores', () => {
    expect(textOf(chapter, '[-1000, -1000, -1000]')).toBe('0.6652409 0.2447285 0.09003057\n0.3333333 0.3333333 0.3333333');
  });

  it('shows the naive softmax of the exercise overflowing to NaN as written', () => {
    expect(textOf(chapter, 'const mySoftmax')).toBe('[NaN, NaN, NaN]\n✗ softmax of [1000, 1001, 1002] is [0.09, 0.24, 0.67]');
  });
});
