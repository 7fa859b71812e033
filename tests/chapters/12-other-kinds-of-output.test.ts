// Chapter "Other kinds of output": runs its cells as the page does and checks what the prose claims
// of them: the sigmoid's slope, sigmoids against softmax, binary cross-entropy and its gradient, the
// gradient checks, the two spiral arms' binary accuracy and regions, the sine's flat first fit and
// its fix, squared against absolute error, how regression accuracy hangs on its tolerance, and the exercises.
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIP_EPSILON } from '../../lib/index.ts';
import { chapterChecks, figureOf, linesOf, type Marker, textOf } from '../support/chapter-checks.ts';
import { quotes, type RanChapter, runChapterFile } from '../support/chapters.ts';

const FILE = '12-other-kinds-of-output.mdx';

/** The series of the first line figure a cell drew, by name. */
function series(chapter: RanChapter, marker: Marker): Record<string, number[]> {
  return Object.fromEntries(figureOf(chapter, marker, 'line').series.map((s) => [s.name, s.y]));
}

/** The x values of the first line figure a cell drew (every series shares them here). */
function xsOf(chapter: RanChapter, marker: Marker): number[] {
  return figureOf(chapter, marker, 'line').series[0].x;
}

/** The numbers a line lists after `label`, split on commas or spaces: "bends: 0.37 0.38" → [0.37, 0.38]. */
function numbersAfter(line: string, label: string): number[] {
  const at = line.indexOf(label);
  if (at < 0) throw new Error(`no "${label}" in: ${line}`);
  return line.slice(at + label.length).split(/[,\s]+/).filter(Boolean).map(Number);
}

/** The first number in `line` after `label`. */
const numberAfter = (line: string, label: string): number => numbersAfter(line, label)[0];

/** The lines a cell printed, without the "[line figure: …]" line each figure adds to its text. */
function printed(chapter: RanChapter, marker: Marker): string[] {
  return linesOf(chapter, marker).filter((line) => !/^\[\w+ figure: .*\]$/.test(line));
}

/** The mean squared difference of two series. */
const meanSquared = (a: number[], b: number[]): number => a.reduce((total, value, i) => total + (value - b[i]) ** 2, 0) / a.length;

let chapter: RanChapter;

beforeAll(async () => {
  chapter = await runChapterFile(FILE);
});

describe('chapter "Other kinds of output"', () => {
  chapterChecks(() => chapter, {
    file: FILE,
    exercises: [
      'gradientCheck accepts your squared error gradient',
      'the loss and the first gradient of a sample with three outputs',
      'nine in ten predictions count, and no tolerance a tenth smaller does that',
    ],
  });

  it("quotes the library's Sigmoid, BinaryCrossEntropy, the regression losses, countWithin and inferAccuracy", () => {
    const quoted = quotes(chapter.body);
    expect(quoted.map((quote) => quote.file)).toEqual(['lib/activations.ts', 'lib/losses.ts', 'lib/losses.ts', 'lib/metrics.ts', 'lib/scoring.ts']);
    const [sigmoid, binary, regression, within, infer] = quoted.map((quote) => quote.text);
    expect(sigmoid).toMatch(/^export class Sigmoid[\s\S]*s\.data\[i\] \* \(1 - s\.data\[i\]\)[\s\S]*y > 0\.5 \? 1 : 0[\s\S]*\n}$/);
    expect(binary).toMatch(/^\/\*\* Binary cross-entropy[\s\S]*clipProbability\(p\)[\s\S]*\n}$/);
    expect(regression).toMatch(/^\/\*\* Mean squared error[\s\S]*class MeanAbsoluteError[\s\S]*Math\.sign\(t - p\)[\s\S]*\n}$/);
    expect(within).toContain('standardDeviation(y.data) / 250');
    expect(infer).toMatch(/BinaryCrossEntropy[\s\S]*return 'regression';\n}$/);
  });

  it('plots the sigmoid with its slope σ(1 − σ), steepest at 0 with a slope of 0.25', () => {
    const curves = series(chapter, 'const sigmoidSlope');
    const zs = xsOf(chapter, 'const sigmoidSlope');
    const [values, slopes] = [curves['σ(z)'], curves["σ'(z) = σ(z)(1 − σ(z))"]];
    expect(zs[0]).toBe(-6);
    expect(zs.at(-1)).toBeCloseTo(6, 10);
    // The plotted slope is the curve's own: a central difference of the plotted σ agrees with it.
    for (let i = 1; i < zs.length - 1; i++) expect(slopes[i]).toBeCloseTo((values[i + 1] - values[i - 1]) / (zs[i + 1] - zs[i - 1]), 3);
    const steepest = slopes.indexOf(Math.max(...slopes));
    expect(zs[steepest]).toBeCloseTo(0, 10);
    expect(printed(chapter, 'const sigmoidSlope')).toContain('z = 0: σ 0.5 slope 0.25');
  });

  it('shows softmax sharing out one unit of probability while sigmoids answer alone, and σ(z) as a two-class softmax', () => {
    const [softmax, sigmoid, twoClass] = printed(chapter, 'const asSigmoid');
    expect(numberAfter(softmax, 'sum')).toBe(1);
    expect(numberAfter(sigmoid, 'sum')).toBeGreaterThan(1.5);
    expect(numberAfter(sigmoid, 'sigmoid:')).toBe(Number((1 / (1 + Math.exp(-2))).toFixed(3)));
    const [sigma, second] = [...twoClass.matchAll(/\d\.\d+/g)].map((m) => Number(m[0]));
    expect(sigma).toBe(second);
  });

  it('computes binary cross-entropy by hand as the library does, and the chained gradient as (ŷ − y) / nJ', () => {
    const [hand, library] = printed(chapter, 'const byHand');
    const first = -(Math.log(0.9) + Math.log(1 - 0.2)) / 2;
    expect(numbersAfter(hand, 'by hand:')).toEqual(numbersAfter(library, 'the library:').slice(0, 2));
    expect(numberAfter(hand, 'by hand:')).toBe(Number(first.toFixed(6)));
    const curves = series(chapter, 'const byHand');
    const [yes, no] = [curves['target 1: −log(ŷ)'], curves['target 0: −log(1 − ŷ)']];
    yes.forEach((loss, i) => expect(loss).toBeCloseTo(no[no.length - 1 - i], 10)); // mirror images
    expect(printed(chapter, 'const chained').at(-1)).toBe('largest difference from (ŷ − y) / (n·J): below 1e-12');
  });

  it('clips a float32 sigmoid of exactly 1 to a loss of −log(CLIP_EPSILON) and a finite gradient', () => {
    const [sure, raw, clipped, gradient] = printed(chapter, 'const sure');
    expect(sure).toBe('σ(20) in float32: 1');
    expect(raw).toBe('−log(1 − ŷ) for target 0: Infinity');
    expect(numberAfter(clipped, 'CLIP_EPSILON:')).toBe(Number((-Math.log(CLIP_EPSILON)).toFixed(3)));
    expect(numberAfter(gradient, 'gradient:')).toBeCloseTo(1 / CLIP_EPSILON, -2);
  });

  it('passes the gradient check for sigmoid with binary cross-entropy, and for both regression losses', () => {
    const classifierCheck = printed(chapter, 'gradientCheck(checked');
    expect(classifierCheck).toHaveLength(5);
    for (const line of classifierCheck) expect(line).toMatch(/largest relative error below 1e-6$/);
    expect(printed(chapter, 'const sinePicks')).toEqual(['MeanSquaredError largest relative error below 1e-6', 'MeanAbsoluteError largest relative error below 1e-6']);
  });

  it('trains the two-arm spiral from a coin toss at log 2 to a binary accuracy well above 0.5', () => {
    const { loss, accuracy } = series(chapter, 'const binaryRun');
    expect(loss).toHaveLength(300);
    expect(loss[0]).toBeGreaterThan(Math.log(2));
    expect(loss[0]).toBeLessThan(Math.log(2) + 0.005);
    expect(accuracy[0]).toBeLessThan(0.6);
    expect(accuracy[299]).toBeGreaterThan(0.95);
    // Both curves hover for thirty epochs, then the loss falls steeply.
    for (const hovering of accuracy.slice(4, 30)) expect(Math.abs(hovering - 0.65)).toBeLessThan(0.06);
    expect(loss[29] - loss[99]).toBeGreaterThan(5 * (loss[0] - loss[29]));
    const shown = printed(chapter, 'const binaryRun').map((line) => numberAfter(line, 'binary accuracy'));
    expect(shown).toEqual([1, 30, 50, 100, 300].map((epoch) => Number(accuracy[epoch - 1].toPrecision(3))));
  });

  it('draws decision regions of both classes, misses only the second arm\'s point at the origin, and does a little worse on a fresh spiral', () => {
    const figure = figureOf(chapter, "The sigmoid's answer over the plane", 'scatter');
    expect(figure.boundary!.width).toBe(200);
    const yes = figure.boundary!.classes.filter((c) => c === 1).length;
    expect(yes / figure.boundary!.classes.length).toBeGreaterThan(0.25);
    expect(yes / figure.boundary!.classes.length).toBeLessThan(0.75);
    const [missed, twin] = printed(chapter, "The sigmoid's answer over the plane");
    expect(missed).toMatch(/^missed: point 100 of arm 1, at \(0, 0\), ŷ = (0\.\d+)$/);
    expect(twin.slice(twin.indexOf('ŷ'))).toBe(missed.slice(missed.indexOf('ŷ')));
    const [training, fresh] = printed(chapter, 'const freshArms').map((line) => Number(line.split(' ').at(-1)));
    expect(training).toBe(0.995);
    expect(fresh).toBeLessThan(training);
    expect(fresh).toBeGreaterThan(0.85);
  });

  it('answers two questions at once, binary accuracy being the mean over both outputs', () => {
    const lines = printed(chapter, 'const twoQuestions');
    expect(lines[0]).toMatch(/^point 190: outputs 0\.9\d*, 1 targets 1, 1$/);
    const arm = numberAfter(lines[1], 'accuracy');
    const far = numberAfter(lines[2], 'accuracy');
    expect(far).toBe(1);
    expect(arm).toBeLessThan(0.995); // less than the single-output network's
    expect(arm).toBeGreaterThan(0.75);
    const [both, counted] = [numberAfter(lines[3], 'outputs:'), numberAfter(lines[3], 'epoch:')];
    expect(both).toBeCloseTo((arm + far) / 2, 2);
    expect(counted).toBe(both);
  });

  it("leaves the book's 0.01 start flat over the wave's first rise, with its bends packed after 0.37", () => {
    const curves = series(chapter, 'const firstTry');
    const xs = xsOf(chapter, 'const firstTry');
    const rise = curves['the network'].filter((_, i) => xs[i] < 0.35);
    expect(Math.max(...rise) - Math.min(...rise)).toBeLessThan(0.05);
    expect(Math.max(...curves['the network'])).toBeLessThan(0.8); // the peak of 1 is never reached
    expect(numberAfter(textOf(chapter, 'const firstTry'), 'epochs:')).toBeCloseTo(meanSquared(curves['the network'], curves['sin(2πx)']), 3);
    const [on, dead, early, late] = printed(chapter, 'const listed');
    // No first-layer neuron is on anywhere before the first bend: the layers above see only zeros there.
    expect(numbersAfter(on, '0.9:').slice(0, 3)).toEqual([0, 0, 0]);
    expect(dead).toBe('first-layer neurons dead before the first step: 31 of 64');
    const [earlyBends, lateBends] = [numbersAfter(early, '(0, 1):'), numbersAfter(late, '(0, 1):')];
    expect(Math.min(...earlyBends)).toBe(0.048);
    expect(Math.max(...earlyBends)).toBe(0.13);
    expect(lateBends[0]).toBe(0.37);
    expect(lateBends.filter((at) => at < 0.5).length).toBeGreaterThan(lateBends.length / 2);
  });

  it('fits the sine from the 0.1 start, the error falling at every snapshot to a three-hundredth of the first try', () => {
    const curves = series(chapter, 'const tenthStart');
    expect(Object.keys(curves)).toEqual(['sin(2πx)', 'after 1 epoch', 'after 10 epochs', 'after 100 epochs']);
    // After ten epochs the fit has the first try's shape, flat over the first rise.
    const xs = xsOf(chapter, 'const tenthStart');
    const early = curves['after 10 epochs'].filter((_, i) => xs[i] < 0.3);
    expect(Math.max(...early) - Math.min(...early)).toBeLessThan(0.1);
    const errors = Object.entries(curves).slice(1).map(([, fit]) => meanSquared(fit, curves['sin(2πx)']));
    errors.slice(1).forEach((error, i) => expect(error).toBeLessThan(errors[i]));
    const lines = printed(chapter, 'const tenthStart');
    expect(lines.slice(0, 3).map((line) => line.slice(0, line.indexOf(':')))).toEqual(['after 1 epoch', 'after 10 epochs', 'after 100 epochs']);
    lines.slice(0, 3).forEach((line, i) => expect(numberAfter(line, 'error')).toBe(Number(errors[i].toPrecision(3))));
    const firstTry = numberAfter(textOf(chapter, 'const firstTry'), 'epochs:');
    expect(errors[2]).toBeLessThan(firstTry / 300);
    expect(numberAfter(lines[3], '0.9:')).toBeGreaterThan(0); // some neurons are on even at x = 0.1
    expect(lines[4]).toBe('first-layer neurons dead before the first step: 31 of 64');
    const [earlyBends, lateBends] = [numbersAfter(lines[5], '(0, 1):'), numbersAfter(lines[6], '(0, 1):')];
    expect([Math.min(...earlyBends), Math.max(...earlyBends)]).toEqual([0.013, 0.35]);
    expect(lateBends[0]).toBe(0.13);
  });

  it('keeps a fit trained with absolute error on the sine despite faulty readings that pull squared error off it', () => {
    const [squared, absolute] = printed(chapter, 'const faulty').map((line) => Number(line.split(' ').at(-1)));
    expect(absolute).toBeLessThan(squared / 5);
    const curves = series(chapter, 'const faulty');
    expect(Object.keys(curves)).toEqual(['sin(2πx)', 'trained with MeanSquaredError', 'trained with MeanAbsoluteError']);
    // Lifted off the wave everywhere, most in the trough.
    const lift = curves['trained with MeanSquaredError'].map((value, i) => value - curves['sin(2πx)'][i]);
    expect(lift.filter((d) => d > 0).length).toBeGreaterThan(0.9 * lift.length);
    expect(lift.indexOf(Math.max(...lift)) / lift.length).toBeGreaterThan(0.5);
  });

  it("never predicts exactly, and counts about half the fit right at the book's precision std(y) / 250", () => {
    const [exact, , spread, atPrecision] = printed(chapter, 'const misses');
    expect(exact).toBe('predictions exactly equal to their target: 0 of 200');
    expect(spread).toBe(`std(y) = ${(Math.SQRT1_2).toFixed(4)}, so the book's precision is std(y) / 250 = ${Number((Math.SQRT1_2 / 250).toPrecision(3))}`);
    const accuracy = numberAfter(atPrecision, 'precision:');
    expect(accuracy).toBeGreaterThan(0.4);
    expect(accuracy).toBeLessThan(0.6);
  });

  it('shows the regression accuracy rising with the tolerance, nine in ten counting at about four times the precision', () => {
    const accuracy = figureOf(chapter, 'const tolerances', 'line');
    expect(accuracy.xScale).toBe('log');
    const [tolerances, shares] = [accuracy.series[0].x, accuracy.series[0].y];
    shares.slice(1).forEach((share, i) => expect(share).toBeGreaterThanOrEqual(shares[i]));
    expect(shares[0]).toBeLessThan(0.1);
    expect(shares.at(-1)).toBe(1);
    const precision = Math.SQRT1_2 / 250;
    const ninety = tolerances[shares.findIndex((share) => share >= 0.9)];
    expect(ninety / precision).toBeGreaterThan(3);
    expect(ninety / precision).toBeLessThan(5);
    const table = printed(chapter, 'const tolerances').map((line) => Number(line.split(' ').at(-1)));
    expect(table).toHaveLength(4);
    table.slice(1).forEach((share, i) => expect(share).toBeGreaterThan(table[i]));
  });

  it('infers categorical, binary and regression accuracy from the loss and the last layer', () => {
    expect(printed(chapter, 'const kinds').map((line) => line.split(' ').at(-1))).toEqual(['categorical', 'binary', 'regression', 'regression']);
  });
});
