// Chapter "Generalisation and regularisation": runs its cells as the page does and checks what the
// prose claims of them: the network scores far lower on a fresh spiral than on its own, its
// validation loss turns up while the training loss falls, L2 shrinks the weights and the gap, dropout
// scales what it keeps and is off at inference, early stopping keeps the best epoch's weights,
// shifted images lose nothing and wrap nothing, and the exercises.
import { beforeAll, describe, expect, it } from 'vitest';
import { SYMPTOMS } from '../../lib/index.ts';
import { chapterChecks, figureOf, figuresOf, linesOf, type Marker, textOf } from '../support/chapter-checks.ts';
import { proseNumbers, quotes, readChapterBody, type RanChapter, rerunText, runChapterFile } from '../support/chapters.ts';
import type { CellResult } from '../../site/notebook/runtime.ts';

const FILE = '11-generalisation-and-regularisation.mdx';

let chapter: RanChapter;

beforeAll(async () => {
  chapter = await runChapterFile(FILE);
});

/** The y values of each series of a line figure a cell drew (the first unless `figure` says), by name. */
function series(marker: Marker, figure = 0): Record<string, number[]> {
  return Object.fromEntries(figuresOf(chapter, marker, 'line')[figure].series.map((s) => [s.name, s.y]));
}

/** The first number a cell's text shows after `label`. */
function numberAfter(marker: Marker, label: string): number {
  const text = textOf(chapter, marker);
  const at = text.indexOf(label);
  if (at < 0) throw new Error(`no "${label}" in: ${text}`);
  return Number(/-?\d+(?:\.\d+)?(?:e-?\d+)?/.exec(text.slice(at + label.length))![0]);
}

/** The rows of the matrices a cell printed with print('label', matrix): every line that starts with [. */
function printedRows(marker: Marker): number[][] {
  return linesOf(chapter, marker)
    .filter((line) => line.startsWith('['))
    .map((line) => line.replace(/[[\]]/g, ' ').trim().split(' ').map(Number));
}

/** Image `pixels` (28 × 28) moved by (dx, dy), with blank pixels coming in: what the prose says a shift is. */
function moved(pixels: number[], dx: number, dy: number): number[] {
  return pixels.map((_, i) => {
    const [row, col] = [Math.floor(i / 28) - dy, (i % 28) - dx];
    return row >= 0 && row < 28 && col >= 0 && col < 28 ? pixels[row * 28 + col] : 0;
  });
}

const total = (values: number[]): number => values.reduce((sum, value) => sum + value, 0);

/** A loss to the three digits the chapter prints. */
const formatted = (value: number): string => String(Number(value.toPrecision(3)));

describe('chapter "Generalisation and regularisation"', () => {
  chapterChecks(() => chapter, {
    file: FILE,
    exercises: ['your L2 gradient matches the numeric slope', "your dropout gives the library's outputs", 'stops before epoch 300 and keeps the best epoch of the whole run'],
    // Chapter 4's figures, which its own page prints and its own test checks, and where the
    // validation accuracy levels off (see 'shows the validation loss turning up').
    checkedElsewhere: ['89.7%', '81.3%', '0.82'],
  });

  it("quotes chapter 4's figures as chapter 4 states them", () => {
    const chapter4 = proseNumbers(readChapterBody('04-non-linearity.mdx'));
    expect(chapter4).toContain('89.7%');
    expect(chapter4).toContain('81.3%');
  });

  it('quotes library code that exists: the penalty, where Dense adds it, dropout and the shift', () => {
    const quoted = quotes(chapter.body);
    expect(quoted.map((quote) => quote.file)).toEqual(['lib/regularization.ts', 'lib/layers.ts', 'lib/dropout.ts', 'lib/augmentation.ts']);
    expect(quoted[0].text).toContain('l1 * (p >= 0 ? 1 : -1) + 2 * l2 * p');
    expect(quoted[1].text).toContain('addRegularizationGradient(this.dweights');
    expect(quoted[2].text).toContain('1 / keep');
    expect(quoted[2].text).toContain('dinputs.data[i] = dvalues.data[i] * mask.data[i]');
    expect(quoted[3].text).toContain('nothing wraps around');
  });

  it('scores the network about 0.9 on its training spiral and far lower on a fresh one', () => {
    const trained = numberAfter('const firstRun', 'trained on: accuracy ');
    const fresh = numberAfter('const firstRun', 'never saw:      accuracy ');
    expect(trained).toBeGreaterThan(85);
    expect(trained).toBeLessThan(95);
    expect(trained - fresh).toBeGreaterThan(5);
    // "more than two and a half times as much"
    expect(numberAfter('const firstRun', 'never saw:      accuracy 82.3%, loss ')).toBeGreaterThan(2.5 * numberAfter('const firstRun', 'trained on: accuracy 90.3%, loss '));
    expect(figureOf(chapter, 'const firstRun', 'scatter').boundary).toBeDefined();
  });

  it('uses the test spiral in one cell only, after choosing the network with the lowest validation loss', () => {
    const users = chapter.cells.filter((cell) => /\btest\.[xy]\b/.test(cell.source));
    expect(users).toHaveLength(1);
    expect(users[0].source).toContain('const chosen');
    const rows = linesOf(chapter, 'const chosen').filter((line) => line.includes('validation loss'));
    const losses = Object.fromEntries(rows.map((row) => [row.split(' validation loss ')[0], Number(/validation loss ([\d.]+)/.exec(row)![1])]));
    const lowest = Object.entries(losses).reduce((best, entry) => (entry[1] < best[1] ? entry : best))[0];
    expect(lowest).toBe('no penalty, stopped early');
    expect(textOf(chapter, 'const chosen')).toContain(`chosen: ${lowest}`);
    // "a little below the 0.81 the same network scored on the validation spiral"
    const validationAccuracy = Number(/accuracy ([\d.]+)$/.exec(rows[0])![1]);
    const testAccuracy = numberAfter('const chosen', 'the test spiral: accuracy ') / 100;
    expect(testAccuracy).toBeLessThan(validationAccuracy);
    expect(testAccuracy).toBeGreaterThan(validationAccuracy - 0.03);
  });

  it('shows the validation loss turning up while the training loss keeps falling', () => {
    const { training, validation } = series('const moreRun');
    expect(training).toHaveLength(500);
    const best = validation.indexOf(Math.min(...validation));
    expect(best).toBeGreaterThan(100);
    expect(best).toBeLessThan(400);
    expect(validation[499]).toBeGreaterThan(validation[best] * 1.05);
    expect(training[499]).toBeLessThan(training[best] - 0.05);
    // The two curves fall together at first and part later.
    expect(validation[99] - training[99]).toBeLessThan(0.5 * (validation[499] - training[499]));
    // The close-up starts at epoch 150 and shows the same validation curve.
    const closer = figuresOf(chapter, 'const moreRun', 'line')[1].series[0];
    expect(closer.x[0]).toBe(150);
    expect(closer.y).toEqual(validation.slice(149));
    const accuracy = series('const moreRun', 2);
    expect(accuracy.training[499]).toBeGreaterThan(accuracy.validation[499]);
    // "levels off at about 0.82 from epoch 250"
    for (const value of accuracy.validation.slice(249)) expect(Math.abs(value - 0.82)).toBeLessThan(0.03);
  });

  it("sets the run beside diagnose's thresholds, which it stays below, so diagnose says nothing", () => {
    expect(SYMPTOMS.accuracyGap).toBe(0.1); // "more than a tenth"
    expect(SYMPTOMS.validationRise).toBe(0.25); // "a quarter above its lowest"
    expect(numberAfter('const accuracyGap', 'at epoch 500: ')).toBeLessThan(SYMPTOMS.accuracyGap);
    expect(numberAfter('const accuracyGap', 'above its lowest: ')).toBeLessThan(100 * SYMPTOMS.validationRise);
    expect(textOf(chapter, 'const accuracyGap')).toContain('Nothing looks wrong');
  });

  it("checks the penalty's gradient against numeric slopes, alone and inside gradientCheck", () => {
    const rows = printedRows('addRegularizationGradient(analytic');
    const [analytic, numeric] = [rows.slice(0, 2).flat(), rows.slice(2, 4).flat()];
    const weights = [0.5, -1.2, 0.03, 2, -0.4, 0.8];
    expect(analytic).toEqual(weights.map((w) => Number((0.01 * Math.sign(w) + 2 * 0.1 * w).toFixed(6))));
    numeric.forEach((value, i) => expect(value).toBeCloseTo(analytic[i], 8));
    expect(numberAfter('addRegularizationGradient(analytic', 'largest difference: ')).toBeLessThan(1e-8);
    expect(textOf(chapter, 'const penalised')).toBe('largest relative error: below 1e-6');
  });

  it('pulls one weight to zero in a straight line with L1, and by a constant fraction with L2', () => {
    const paths = series('function pulled');
    const l1 = paths['L1 (λ₁ = 0.5)'];
    const l2 = paths['L2 (λ₂ = 0.5)'];
    expect(l1[30]).toBeCloseTo(1 - 30 * 0.025, 6);
    expect(l2[30]).toBeCloseTo(0.95 ** 30, 6);
    for (const w of l1.slice(40)) expect(Math.abs(w)).toBeLessThanOrEqual(0.025 + 1e-9);
    for (const w of l2) expect(w).toBeGreaterThan(0);
  });

  it('leaves the L2 network with smaller weights: a shorter tail and less than half the sum of squares', () => {
    const [plain, penalised] = linesOf(chapter, 'const withL2').map((line) => [...line.matchAll(/(\d+(?:\.\d+)?)(?:,|$)/g)].map((m) => Number(m[1])));
    expect(penalised[0]).toBeLessThan(plain[0]); // largest |w|
    expect(penalised[1]).toBeLessThan(plain[1]); // mean |w|
    expect(penalised[2]).toBeLessThan(plain[2] / 2); // Σw²
    const counts = series('const withL2');
    expect(total(counts['no penalty'])).toBe(640); // the bins hold every weight
    expect(total(counts['L2 2e-4'])).toBe(640);
    expect(counts['L2 2e-4'][0]).toBeGreaterThan(counts['no penalty'][0]);
  });

  it('keeps the validation loss of the L2 network falling to the end, below the plain one there but not at its best', () => {
    const curves = series('const l2Best');
    const l2 = curves['L2 2e-4'];
    const plain = curves['no penalty'];
    expect(l2.indexOf(Math.min(...l2))).toBeGreaterThan(450);
    expect(l2[499]).toBeLessThan(plain[499]);
    expect(Math.min(...l2)).toBeGreaterThan(Math.min(...plain));
    // "falls more slowly": above the plain curve while the plain one is falling.
    expect(l2[199]).toBeGreaterThan(plain[199]);
  });

  it('shrinks the gap with L2 and with dropout, and L2 has the lowest validation loss', () => {
    // One row per figure, one column per network: plain, L2, dropout.
    const lines = linesOf(chapter, 'const withDropout');
    const header = lines.find((line) => line.startsWith('plain '))!;
    expect(header).toBe('plain L2 dropout');
    const figureNames = ['training acc.', 'validation acc.', 'training loss', 'validation loss', 'gap'];
    const rows = figureNames.map((name) => lines.find((line) => line.startsWith(`${name} `))!.slice(name.length + 1).split(' ').map(Number));
    const columns = { 'no penalty': 0, 'L2 2e-4': 1, 'dropout 0.1': 2 };
    const table = Object.fromEntries(Object.entries(columns).map(([name, column]) => [name, rows.map((row) => row[column])]));
    const gap = (name: string) => table[name][4];
    const validationLoss = (name: string) => table[name][3];
    for (const name of Object.keys(table)) expect(gap(name)).toBeCloseTo(validationLoss(name) - table[name][2], 2);
    expect(gap('L2 2e-4')).toBeLessThan(gap('no penalty'));
    expect(gap('dropout 0.1')).toBeLessThan(gap('no penalty'));
    expect(validationLoss('L2 2e-4')).toBeLessThan(validationLoss('no penalty'));
    expect(validationLoss('dropout 0.1')).toBeGreaterThan(validationLoss('no penalty')); // the prose says so
    expect(table['L2 2e-4'][1]).toBeLessThan(table['no penalty'][1]); // validation accuracy: not higher with L2
    expect(Math.round((table['no penalty'][1] - table['L2 2e-4'][1]) * 300)).toBe(6); // "six points more wrong"
  });

  it('drops with a mask of 0 and 1/(1 − rate), backpropagates through the same mask, and keeps the sum on average', () => {
    const [inputs, mask, outputs, dinputs] = printedRows('const drop = new Dropout');
    for (const m of mask) expect([0, 2]).toContain(m);
    expect(outputs).toEqual(inputs.map((value, i) => value * mask[i]));
    expect(dinputs).toEqual(mask);
    expect(mask.filter((m) => m > 0)).toHaveLength(5); // "Five of the eight survived"
    expect(Math.abs(numberAfter('const drop = new Dropout', 'over 10,000 masks ') - 36)).toBeLessThan(0.5);
  });

  it('gives different outputs in training mode and one fixed output in inference mode', () => {
    const [first, second, inferred, again] = printedRows('const dropping');
    expect(first).not.toEqual(second);
    expect(inferred).toEqual(again);
    expect(inferred).not.toEqual(first);
  });

  it('stops early after the patience and keeps the best epoch, exactly as the rule written out does', () => {
    const [stoppedLine, best, now, same] = linesOf(chapter, 'const stopped = spiralModel');
    const [stoppedAfter, bestEpoch] = [...stoppedLine.matchAll(/\d+/g)].map(Number);
    expect(stoppedAfter).toBe(bestEpoch + 30);
    expect(best.split(': ')[1]).toBe(now.split(': ')[1]);
    expect(same).toBe('its curve is the plain run, cut short: true');
    expect(linesOf(chapter, 'function earlyStop')[0]).toBe(`patience 30: { stoppedAfter: ${stoppedAfter}, best: ${bestEpoch} }`);
    // The best epoch is the lowest point of the plain run's whole curve.
    const { validation } = series('const moreRun');
    expect(validation.indexOf(Math.min(...validation)) + 1).toBe(bestEpoch);
  });

  it('shifts the plus sign with blank pixels coming in and nothing wrapping round', () => {
    expect(printedRows('shiftImage(plus.data')).toEqual([
      [0, 0, 0, 0, 0],
      [0, 0, 0, 1, 0],
      [0, 0, 0, 1, 0],
      [0, 1, 1, 1, 1],
      [0, 0, 0, 1, 0],
    ]);
  });

  it('shifts the 7 within bounds: small shifts keep all its ink, ten pixels lose some, nothing wraps', () => {
    const figure = figureOf(chapter, 'const shiftedSevens', 'images');
    const shifts = [[0, 0], [-2, 0], [2, 0], [0, -2], [0, 2], [2, 2], [10, 0]];
    expect(figure.images).toHaveLength(shifts.length);
    const original = figure.images[0];
    figure.images.forEach((image, i) => {
      expect(image).toHaveLength(784);
      for (const value of image) expect(value >= 0 && value <= 1).toBe(true);
      expect(image).toEqual(moved(original, shifts[i][0], shifts[i][1]));
    });
    for (const image of figure.images.slice(1, 6)) expect(total(image)).toBeCloseTo(total(original), 3);
    expect(total(figure.images[6])).toBeLessThan(total(original) - 1);
    expect(textOf(chapter, 'const shiftedSevens')).toContain('blank columns on the left of the last image: 10 of the 10 that came in');
  });

  it("augments each copy of the 7 by its own whole shift of at most two pixels", () => {
    const seven = figureOf(chapter, 'const shiftedSevens', 'images').images[0];
    const { images } = figureOf(chapter, 'const copies', 'images');
    expect(images).toHaveLength(8);
    const candidates = [-2, -1, 0, 1, 2].flatMap((dx) => [-2, -1, 0, 1, 2].map((dy) => ({ offset: `${dx},${dy}`, image: moved(seven, dx, dy) })));
    const offsets = images.map((image) => candidates.find((candidate) => candidate.image.every((v, i) => v === image[i]))?.offset ?? 'none');
    expect(offsets).not.toContain('none');
    expect(new Set(offsets).size).toBeGreaterThan(1);
  });

  it('mirrors a 2 and an ankle boot left to right', () => {
    const { images, captions } = figureOf(chapter, 'const pairs', 'images');
    const mirror = (image: number[]) => image.map((_, i) => image[Math.floor(i / 28) * 28 + (27 - (i % 28))]);
    expect(images[1]).toEqual(mirror(images[0]));
    expect(images[3]).toEqual(mirror(images[2]));
    expect(captions).toEqual(['a 2', 'mirrored: not a 2', 'an ankle boot', 'mirrored: still a boot']);
    expect(textOf(chapter, 'const pairs')).toMatch(/^labels: 2 and Ankle boot/);
  });
  describe('both dials at once', () => {
    const DIALS = "slider('L2 strength λ₂'";
    const cell = () => chapter.cells.findIndex((c) => c.source.includes(DIALS));
    const setDials = (values: Record<string, number | boolean>) => chapter.setInputs(DIALS, values);
    /** What a run of the dials ends with: the best epoch, and the training and validation loss and the gap at epoch 300. */
    const ending = (text: string) => {
      const [best, training, validation, gap] = /lowest at epoch (\d+)\nat epoch 300: training ([\d.]+), validation ([\d.]+), gap (-?[\d.]+)$/.exec(text)!.slice(1).map(Number);
      return { best, training, validation, gap };
    };
    const run = async (values: Record<string, number | boolean>) => {
      const results: Map<number, CellResult> = await setDials(values);
      expect([...results.keys()]).toEqual([cell()]); // nothing later reads the dials' names
      const [figure] = results.get(cell())!.outputs.flatMap((output) => (output.kind === 'figure' && output.figure.type === 'line' ? [output.figure] : []));
      return { ...ending(rerunText(results, cell())), validationCurve: figure.series[1].y };
    };
    const start = () => ending(textOf(chapter, DIALS));

    it('declares a log slider for λ₂ at 1e-4, a no-penalty checkbox and a dropout slider, and draws 300 epochs on fixed axes', () => {
      expect(chapter.results[cell()].inputs.map((spec) => [spec.kind, spec.label, spec.value])).toEqual([
        ['slider', 'L2 strength λ₂', 1e-4],
        ['checkbox', 'no penalty', false],
        ['slider', 'dropout rate', 0],
      ]);
      expect(chapter.results[cell()].inputs[0]).toMatchObject({ min: 1e-5, max: 0.01, log: true });
      const figure = figureOf(chapter, DIALS, 'line');
      expect([figure.xRange, figure.yRange]).toEqual([[0, 300], [0, 1.2]]);
      expect(figure.series.map((s) => s.name)).toEqual(['training', 'validation']);
      expect(figure.series[0].x).toEqual(Array.from({ length: 30 }, (_, i) => 10 * (i + 1)));
      expect(formatted(figure.series[1].y.at(-1)!)).toBe(String(start().validation));
    });

    it('ends, at half the table\'s strength, with a validation loss below every network in the table', () => {
      const tableRow = linesOf(chapter, 'const withDropout').find((line) => line.startsWith('validation loss '))!;
      const tableLosses = tableRow.slice('validation loss '.length).split(' ').map(Number);
      expect(start().validation).toBeLessThan(Math.min(...tableLosses));
    });

    it('opens the gap with no penalty, the validation curve turning up; narrows it at 2e-4 for a higher validation loss', async () => {
      const plain = await run({ 'no penalty': true });
      expect(plain.gap).toBeGreaterThan(start().gap + 0.1);
      expect(plain.training).toBeLessThan(start().training);
      expect(plain.best).toBeLessThan(300);
      expect(plain.validationCurve.at(-1)!).toBeGreaterThan(Math.min(...plain.validationCurve) + 0.005);

      const table = await run({ 'no penalty': false, 'L2 strength λ₂': 2e-4 });
      expect(table.gap).toBeLessThan(start().gap);
      expect(table.validation).toBeGreaterThan(start().validation);
    });

    it('underfits from 1e-3 on: the curves close in high up, and at 0.01 both sit near log 3', async () => {
      const strong = await run({ 'L2 strength λ₂': 1e-3 });
      expect(strong.gap).toBeLessThan(0.1);
      expect(strong.training).toBeGreaterThan(0.8);
      const strongest = await run({ 'L2 strength λ₂': 0.01 });
      for (const loss of [strongest.training, strongest.validation]) expect(Math.abs(loss - Math.log(3))).toBeLessThan(0.05);
    });

    it('holds the training curve up with dropout and no penalty, the validation curve above it', async () => {
      const plain = await run({ 'no penalty': true, 'dropout rate': 0, 'L2 strength λ₂': 1e-4 });
      const dropped = await run({ 'dropout rate': 0.3 });
      expect(dropped.training).toBeGreaterThan(plain.training + 0.1);
      expect(dropped.validation).toBeGreaterThan(dropped.training);
    });

    it('gives exactly the first outputs again at its defaults', async () => {
      const back = await setDials({ 'L2 strength λ₂': 1e-4, 'no penalty': false, 'dropout rate': 0 });
      expect(back.get(cell())!.outputs).toEqual(chapter.results[cell()].outputs);
    });
  });
});
