// Chapter "When training goes wrong": runs its cells as the page does and checks what the prose
// claims of them: each one-line bug's curve has the shape the page describes, the gradient check
// flags exactly the two gradient bugs, the learning rates and the sweep's suggestion, the deep
// network's vanishing start against Glorot's and He's, dead ReLUs, the diagnoses, and the exercises.
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIP_EPSILON } from '../../lib/index.ts';
import { chapterChecks, figureOf, figuresOf, linesOf, type Marker, outputsOf, textOf } from '../support/chapter-checks.ts';
import { quotes, type RanChapter, rerunText, runChapterFile } from '../support/chapters.ts';
import type { Output } from '../../site/notebook/outputs.ts';

const FILE = '10-when-training-goes-wrong.mdx';

/** The y values of each series of a line figure a cell drew (the first unless `figure` says), by name. */
function series(chapter: RanChapter, marker: Marker, figure = 0): Record<string, number[]> {
  return Object.fromEntries(figuresOf(chapter, marker, 'line')[figure].series.map((s) => [s.name, s.y]));
}

/** The numbers a line shows after `label`, e.g. "loss of the first five steps: 1.16, 9.46" → [1.16, 9.46]. */
function numbersAfter(line: string, label: string): number[] {
  const at = line.indexOf(label);
  if (at < 0) throw new Error(`no "${label}" in: ${line}`);
  return line.slice(at + label.length).split(',').map((part) => Number(part.trim()));
}

const mean = (values: number[]): number => values.reduce((total, value) => total + value, 0) / values.length;

/** The y values of each series of the line figures in a re-run's outputs, by name, figure by figure. */
function rerunSeries(outputs: Output[]): Array<Record<string, number[]>> {
  return outputs.flatMap((output) => (output.kind === 'figure' && output.figure.type === 'line' ? [Object.fromEntries(output.figure.series.map((s) => [s.name, s.y]))] : []));
}

/** The geometric mean factor from one layer to the next over layers 2 to 8 of a spread. */
const factorPerLayer = (values: number[]): number => (values[7] / values[1]) ** (1 / 6);

const RATE_DIAL = "slider('learning rate'";
const START_DIAL = "slider('weight scale'";

let chapter: RanChapter;

beforeAll(async () => {
  chapter = await runChapterFile(FILE);
});

describe('chapter "When training goes wrong"', () => {
  chapterChecks(() => chapter, {
    file: FILE,
    exercises: ["gradientCheck accepts your leaky ReLU's backward", 'the signal keeps its spread through the hidden layers', 'a healthy run that ends with a loss below 0.95'],
    throwing: ['const reckless'],
  });

  it('quotes library code that exists', () => {
    const quoted = quotes(chapter.body);
    expect(quoted.map((quote) => quote.file)).toEqual(['lib/sweep.ts', 'lib/layers.ts']);
    expect(quoted[0].text).toContain('suggestionFactor');
    expect(quoted[1].text).toContain('Math.sqrt(2 / nInputs)');
  });

  it('trains the correct loop: the loss falls and the accuracy climbs well above chance', () => {
    const { loss, accuracy } = series(chapter, 'const correct = train()');
    expect(loss).toHaveLength(60);
    expect(loss[59]).toBeLessThan(loss[0] - 0.2);
    expect(accuracy[59]).toBeGreaterThan(0.5);
  });

  it('shows the missing division leaping on the second step and thrashing, at chance accuracy', () => {
    const [steps, final] = linesOf(chapter, "train('no mean')");
    const [first, second] = numbersAfter(steps, 'steps:');
    expect(second).toBeGreaterThan(5 * first);
    const curves = series(chapter, "train('no mean')");
    expect(Math.min(...curves['no mean'].slice(1))).toBeGreaterThan(3 * curves.correct[0]);
    expect(Number(/accuracy ([\d.]+)/.exec(final)![1])).toBeLessThan(0.4);
  });

  it("shows ReLU's broken backward following the correct curve at first, then learning less", () => {
    const curves = series(chapter, "train('ReLU backward')");
    for (let epoch = 0; epoch < 8; epoch++) expect(Math.abs(curves['ReLU backward'][epoch] - curves.correct[epoch])).toBeLessThan(0.02);
    expect(curves['ReLU backward'][59]).toBeGreaterThan(curves.correct[59] + 0.05);
  });

  it('shows a flipped sign climbing from the first step to two thirds of the clipped maximum, then NaN in epoch 8', () => {
    const [steps, epochs, clip] = linesOf(chapter, "train('sign')");
    const climb = numbersAfter(steps, 'steps:').slice(0, 5);
    climb.slice(1).forEach((loss, i) => expect(loss).toBeGreaterThan(climb[i]));
    const epochLosses = epochs.slice(epochs.indexOf(':') + 1).split(',').map((part) => part.trim());
    expect(epochLosses.slice(1, 7)).toEqual(Array(6).fill('10.745'));
    expect(epochLosses[7]).toBe('NaN');
    expect(clip).toBe(`the most one point can cost, −log(1e-7): 16.118; two thirds of that: ${(-Math.log(CLIP_EPSILON) * 2 / 3).toFixed(3)}`);
  });

  it('shows accumulated gradients starting with the correct loss and then drifting steadily up', () => {
    const curves = series(chapter, "train('accumulate')");
    const drift = curves.accumulate;
    expect(drift[0]).toBeGreaterThan(curves.correct[0]); // the first step is right; the epoch's later steps already grow
    for (let decade = 1; decade < 6; decade++) expect(mean(drift.slice(decade * 10, decade * 10 + 10))).toBeGreaterThan(mean(drift.slice((decade - 1) * 10, decade * 10)) - 0.3);
    expect(mean(drift.slice(50))).toBeGreaterThan(3 * drift[0]);
  });

  it('shows labels shuffled apart from their inputs sitting just above log 3, at chance', () => {
    const { shuffle } = series(chapter, "train('shuffle')");
    for (const loss of shuffle.slice(50)) {
      expect(loss).toBeGreaterThan(Math.log(3));
      expect(loss).toBeLessThan(Math.log(3) + 0.05);
    }
    expect(textOf(chapter, "train('shuffle')")).toMatch(/accuracy over the last ten epochs: 0\.\d+ to 0\.3\d*\n/);
  });

  it('shows side by side that only the correct loop and the broken ReLU learn above chance', () => {
    const rows = linesOf(chapter, 'const runs =').slice(1, 7).map((line) => line.split(' '));
    const finalAccuracy = Object.fromEntries(rows.map((row) => [row.slice(0, -2).join(' '), Number(row.at(-1))]));
    expect(Object.keys(finalAccuracy)).toEqual(['correct', 'no mean', 'ReLU backward', 'sign', 'accumulate', 'shuffle']);
    for (const name of ['no mean', 'sign', 'accumulate', 'shuffle']) expect(Math.abs(finalAccuracy[name] - 1 / 3)).toBeLessThan(0.04);
    const curves = series(chapter, 'const runs =');
    expect(Object.keys(curves)).toEqual(['correct', 'ReLU backward', 'chance (a third)']);
    expect(mean(curves['ReLU backward'].slice(50))).toBeGreaterThan(0.38);
    expect(mean(curves.correct.slice(50))).toBeGreaterThan(mean(curves['ReLU backward'].slice(50)) + 0.05);
  });

  it('fails the gradient check for exactly the two gradient bugs, the missing division by 11/12', () => {
    const rows = linesOf(chapter, 'gradientCheck(withBug').slice(1).map((line) => line.split(' ').at(-1));
    expect(rows).toEqual(['passes', 'FAILS', 'FAILS', 'passes', 'passes', 'passes']);
    expect(linesOf(chapter, 'gradientCheck(withBug')[2]).toBe(`no mean ${(11 / 12).toFixed(3)} FAILS`);
  });

  it('shows too low a rate flat, 3 stumbling behind 1, and 10 oscillating far above the start', () => {
    const curves = { ...series(chapter, 'const byRate', 0), ...series(chapter, 'const byRate', 1) };
    expect(Object.keys(series(chapter, 'const byRate', 1))).toEqual(['learning rate 10', 'learning rate 1']); // 10 on its own scale
    const [low, right, high, wild] = ['0.01', '1', '3', '10'].map((rate) => curves[`learning rate ${rate}`]);
    expect(Math.max(...low.slice(10)) - Math.min(...low.slice(10))).toBeLessThan(0.02);
    expect(high[6]).toBeLessThan(right[6]); // ahead for a few epochs…
    expect(mean(high.slice(50))).toBeGreaterThan(mean(right.slice(50))); // …then passed
    expect(Math.min(...wild.slice(10))).toBeGreaterThan(right[0]);
    expect(high[59]).toBeGreaterThan(0.95); // why the third exercise's solution does not take the sweep's best
  });

  it("stops a rate of 100 with Sequential.train's TrainingError, which carries the advice", () => {
    expect(textOf(chapter, 'const reckless')).toMatch(/^TrainingError: Sequential\.train: training diverged at epoch 1, .*The learning rate \(100\) is probably too high: try 10, ten times smaller/);
  });

  it('sweeps rates on a log axis and suggests 1, a third of the best 3.2, below the cliff', () => {
    const figure = figureOf(chapter, 'lrSweep(', 'line');
    expect(figure.xScale).toBe('log');
    const losses = figure.series[0].y;
    expect(losses.slice(-2)).toEqual([Infinity, Infinity]);
    expect(linesOf(chapter, 'lrSweep(').at(-2)).toMatch(/lowest loss at rate 3\.2; suggested rate 1$/);
    const best = losses.indexOf(Math.min(...losses));
    expect(losses[best + 1]).toBeGreaterThan(losses[0]); // the cliff right after the lowest point
  });

  it("keeps the book's deep start on the plateau while Glorot's and He's learn", () => {
    const curves = series(chapter, 'const deepModels');
    for (const loss of curves.randomNormal) expect(Math.abs(loss - Math.log(3))).toBeLessThan(0.001);
    expect(curves.glorotUniform[19]).toBeLessThan(0.8);
    expect(curves.heNormal[19]).toBeLessThan(0.8);
  });

  it("measures by hand the 0.01 start's signal shrinking about 18-fold a layer and its gradient growing towards the output", () => {
    const rows = linesOf(chapter, 'const tiny').slice(1).map((line) => line.split(' ').map(Number));
    expect(rows.map((row) => row[0])).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
    for (let i = 2; i < rows.length; i++) {
      const shrink = rows[i - 1][1] / rows[i][1];
      expect(shrink).toBeGreaterThan(12);
      expect(shrink).toBeLessThan(25);
    }
    rows.slice(1).forEach((row, i) => expect(row[2]).toBeGreaterThan(rows[i][2]));
  });

  it('plots std against depth on a log scale: 0.01 vanishes, He stays level, 0.3 explodes, as the formula says', () => {
    const [forward, back] = figuresOf(chapter, 'layerStatistics(deepNetwork(initializer)', 'line');
    expect([forward.yScale, back.yScale]).toEqual(['log', 'log']);
    const spread = Object.fromEntries(forward.series.map((s) => [s.name, s.y]));
    const factor = (values: number[]) => (values[7] / values[1]) ** (1 / 6);
    expect(factor(spread.randomNormal)).toBeCloseTo(Math.sqrt((64 * 0.01 ** 2) / 2), 2);
    expect(factor(spread.heNormal)).toBeGreaterThan(0.8);
    expect(factor(spread.heNormal)).toBeLessThan(1.25);
    expect(factor(spread.glorotUniform)).toBeCloseTo(Math.SQRT1_2, 1);
    expect(factor(spread['0.3 · randn'])).toBeGreaterThan(1.4);
    // The library measures what the hand-written cell measured.
    const byHand = linesOf(chapter, 'const tiny').slice(1).map((line) => Number(line.split(' ')[1]));
    spread.randomNormal.forEach((std, i) => expect(Number(std.toExponential(1))).toBe(byHand[i]));
  });

  it('counts no dead neurons at a rate of 1, more than half at 3, all 64 at 10, and all at biases of −3', () => {
    const [atOne, atThree, atTen] = linesOf(chapter, 'const deadAfter').map((line) => Number(/(\d+) of 64/.exec(line)![1]));
    expect([atOne, atTen]).toEqual([0, 64]);
    expect(atThree).toBeGreaterThan(32);
    const [negative, zero] = linesOf(chapter, 'const biasRuns');
    expect(negative).toMatch(/^biases -3 dead before training: 64, after: 64 of 64/);
    expect(zero).toMatch(/^biases 0 dead before training: 0,/);
  });

  it('names every symptom and gives the healthy runs no finding', () => {
    // Each line is the case's name padded to 24 characters, then the findings' kinds.
    const verdicts = Object.fromEntries(textOf(chapter, 'const cases').split('\n').map((line) => [line.slice(0, 24).trim(), line.slice(24).split(', ')]));
    expect(Object.keys(verdicts)).toEqual(['the correct loop', 'learning rate 0.01', 'learning rate 10', '8 layers, 0.01 · randn', '8 layers, He', 'biases −3']);
    expect(verdicts['the correct loop']).toEqual(['healthy']);
    expect(verdicts['8 layers, He']).toEqual(['healthy']);
    expect(verdicts['learning rate 0.01']).toEqual(['flat']);
    expect(verdicts['8 layers, 0.01 · randn']).toEqual(['flat', 'dead-relu']);
    expect(verdicts['biases −3']).toEqual(['flat', 'dead-relu']);
    // A rate of 10: a loss curve that jumps around far above its start, and a dead hidden layer.
    expect(verdicts['learning rate 10']).toHaveLength(2);
    expect(['oscillating', 'rising', 'diverged']).toContain(verdicts['learning rate 10'][0]);
    expect(verdicts['learning rate 10'][1]).toBe('dead-relu');
    expect(textOf(chapter, "diagnoses['8 layers, 0.01 · randn'].toString()")).toContain('the first weights are too small');
    expect(textOf(chapter, 'let stopped')).toMatch(/^diverged: Training stopped at epoch 1/);
  });

  it('shows what a diagnosis cannot see: the broken ReLU and the shuffled labels look healthy', () => {
    const verdicts = Object.fromEntries(linesOf(chapter, "['no mean', noMean]").map((line) => [line.split(' ')[0], line]));
    expect(verdicts.ReLU).toBe('ReLU backward nothing looks wrong');
    expect(verdicts.shuffle).toBe('shuffle nothing looks wrong');
    for (const bug of ['no', 'sign', 'accumulate']) expect(verdicts[bug]).toMatch(/diverged|non-finite/);
  });
  describe('the learning-rate dial', () => {
    const cell = () => chapter.cells.findIndex((c) => c.source.includes(RATE_DIAL));
    const setRate = (rate: number) => chapter.setInputs(RATE_DIAL, { 'learning rate': rate });
    const curveOf = (outputs: Output[]) => Object.values(rerunSeries(outputs)[0])[0];

    it('declares a log slider from 0.001 to 100 at the rate of 1, and draws the correct loop on fixed axes', () => {
      expect(chapter.results[cell()].inputs.map((spec) => spec.kind === 'slider' && [spec.min, spec.max, spec.log, spec.value])).toEqual([[0.001, 100, true, 1]]);
      const figure = figureOf(chapter, RATE_DIAL, 'line');
      expect([figure.xRange, figure.yScale, figure.yRange]).toEqual([[1, 60], 'log', [0.6, 12]]);
      expect(figure.series.map((s) => [s.name, s.dashed ?? false])).toEqual([['learning rate 1', false], ['the correct loop (rate 1)', true]]);
      expect(figure.series[0].y).toEqual(series(chapter, 'const correct = train()').loss); // hidden under the dashed line
      const [losses, verdict] = linesOf(chapter, RATE_DIAL);
      const shown = (value: number) => String(Number(value.toPrecision(3)));
      expect(losses).toBe(`rate 1: loss ${shown(figure.series[0].y[59])} after epoch 60, highest ${shown(Math.max(...figure.series[0].y))}`);
      expect(verdict).toBe('0 of 64 hidden neurons dead; diagnose: healthy');
    });

    it('goes flat when dragged down, stumbles behind the dashed line at 3, thrashes at 10 and leaves the plot from 20, re-running only its cell', async () => {
      const low = await setRate(0.01);
      expect([...low.keys()]).toEqual([cell()]);
      const flat = curveOf(low.get(cell())!.outputs);
      expect(Math.max(...flat.slice(10)) - Math.min(...flat.slice(10))).toBeLessThan(0.02);
      expect(rerunText(low, cell())).toMatch(/diagnose: flat\n/);

      const correct = series(chapter, 'const correct = train()').loss;
      const three = await setRate(3);
      const stumbling = curveOf(three.get(cell())!.outputs);
      expect(stumbling).toEqual(series(chapter, 'const byRate', 0)['learning rate 3']); // the four-rate plot's curve
      expect(stumbling[6]).toBeLessThan(correct[6]);
      expect(mean(stumbling.slice(50))).toBeGreaterThan(mean(correct.slice(50)));
      expect(Number(/(\d+) of 64/.exec(rerunText(three, cell()))![1])).toBeGreaterThan(32);

      const thrashing = curveOf((await setRate(10)).get(cell())!.outputs);
      expect(Math.min(...thrashing.slice(10))).toBeGreaterThan(correct[0]);
      expect(Math.max(...thrashing)).toBeLessThan(4);

      const twenty = await setRate(20);
      expect(Math.max(...curveOf(twenty.get(cell())!.outputs))).toBeGreaterThan(2 * Math.max(...thrashing)); // towards the top of the plot
      expect(rerunText(twenty, cell())).toMatch(/diagnose: diverged/);
    });

    it('gives exactly the first outputs again when set back to 1', async () => {
      const back = await setRate(1);
      expect(back.get(cell())!.outputs).toEqual(chapter.results[cell()].outputs);
    });
  });

  describe('the dial for the start', () => {
    const cell = () => chapter.cells.findIndex((c) => c.source.includes(START_DIAL));
    const setScale = (scale: number) => chapter.setInputs(START_DIAL, { 'weight scale': scale });
    const spreadAt = (outputs: Output[]) => rerunSeries(outputs)[0];
    const lossesAt = (outputs: Output[]) => rerunSeries(outputs)[1].loss;

    it("starts at the book's 0.01: the signal vanishes as the for-every-start plot measured, and the loss lies flat on log 3", () => {
      expect(chapter.results[cell()].inputs.map((spec) => spec.kind === 'slider' && [spec.min, spec.max, spec.log, spec.value])).toEqual([[0.001, 1, true, 0.01]]);
      const [spread, training] = figuresOf(chapter, START_DIAL, 'line');
      expect([spread.yScale, spread.yRange, training.yScale, training.xRange, training.yRange]).toEqual(['log', [1e-20, 1e6], 'log', [1, 20], [0.3, 20]]);
      const { signal } = spreadAt(outputsOf(chapter, START_DIAL));
      const measured = series(chapter, 'layerStatistics(deepNetwork(initializer)', 0).randomNormal;
      signal.forEach((std, i) => expect(std / measured[i]).toBeCloseTo(1, 4));
      const losses = lossesAt(outputsOf(chapter, START_DIAL));
      expect(losses).toHaveLength(20);
      for (const loss of losses) expect(Math.abs(loss - Math.log(3))).toBeLessThan(0.001);
      expect(textOf(chapter, START_DIAL)).toContain("He's for 64 inputs, √(2 / 64): 0.177");
    });

    it("keeps the signal level near He's 0.177 and learns; from 0.5 it explodes, with the gradient growing back towards layer 1", async () => {
      const he = await setScale(0.178); // the dial's nearest stop to √(2/64)
      expect([...he.keys()]).toEqual([cell()]);
      const level = spreadAt(he.get(cell())!.outputs);
      expect(factorPerLayer(level.signal)).toBeGreaterThan(0.8);
      expect(factorPerLayer(level.signal)).toBeLessThan(1.25);
      const learning = lossesAt(he.get(cell())!.outputs);
      expect(learning[19]).toBeLessThan(learning[0] - 0.2);

      const large = await setScale(0.5);
      const exploding = spreadAt(large.get(cell())!.outputs);
      expect(factorPerLayer(exploding.signal)).toBeGreaterThan(2);
      expect(exploding.gradient[0]).toBeGreaterThan(10 * exploding.gradient[6]);
      expect(lossesAt(large.get(cell())!.outputs)[0]).toBeGreaterThan(3 * Math.log(3));

      const tiny = spreadAt((await setScale(0.001)).get(cell())!.outputs);
      expect(tiny.signal[7]).toBeLessThan(1e-18);
    });

    it('gives exactly the first outputs again when set back to 0.01', async () => {
      const back = await setScale(0.01);
      expect(back.get(cell())!.outputs).toEqual(chapter.results[cell()].outputs);
    });
  });
});
