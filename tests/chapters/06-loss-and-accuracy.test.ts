// Chapter 6 (loss and accuracy): runs every cell and checks what the page shows: the book's
// cross-entropy numbers by loop and by the library, labels and one-hot targets agreeing, log(0)
// and clipping, accuracy, models that accuracy cannot tell apart, and solvable exercises.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatNumber } from '../../lib/index.ts';
import { chapterChecks, figureOf, linesOf, textOf } from '../support/chapter-checks.ts';
import { type RanChapter, runChapterFile } from '../support/chapters.ts';

const FILE = '06-loss-and-accuracy.mdx';

describe('chapter 6: loss and accuracy', () => {
  let chapter: RanChapter;
  beforeAll(async () => {
    chapter = await runChapterFile(FILE);
  });

  chapterChecks(() => chapter, {
    file: FILE,
    exercises: [
      'the loss of a sample whose correct class got 0.25',
      'the smallest p, in hundredths, with a loss below 0.1',
      'accuracy 1, loss above 1, rows adding up to 1',
    ],
    // The worst loss, rounded from the −log(1e-7) a cell prints, below.
    checkedElsewhere: ['16.118'],
  });

  it('plots −log(p) for p from 0.01 to 1 and prints a few of its values', () => {
    expect(textOf(chapter, 'const ps')).toBe(
      [
        '[line figure: The loss for each probability p given to the correct class]',
        'p = 1:     0',
        'p = 0.9:   0.105360515658',
        'p = 0.5:   0.69314718056',
        'p = 0.1:   2.30258509299',
        'p = 0.01:  4.60517018599',
      ].join('\n'),
    );
    const [series] = figureOf(chapter, 'const ps', 'line').series;
    // Plotted against p itself: 0.01, 0.02, …, 1.
    expect(series.x).toEqual(Array.from({ length: 100 }, (_, k) => (k + 1) / 100));
    expect([series.x[0], series.x[49], series.x[99]]).toEqual([0.01, 0.5, 1]);
    expect(series.y[0]).toBeCloseTo(-Math.log(0.01), 12);
    expect(series.y[49]).toBeCloseTo(Math.log(2), 12);
    expect(series.y[99]).toBeCloseTo(0, 12);
  });

  it('gives the same loss from the full one-hot sum and from −log of the correct probability', () => {
    expect(textOf(chapter, 'let sampleLoss')).toBe('the full sum:      0.356674943939\n−log of p correct: 0.356674943939');
  });

  it("computes the book's batch losses and their mean with class labels", () => {
    expect(textOf(chapter, 'const confidences')).toBe(
      [
        'probability of the correct class: [0.7, 0.5, 0.9]',
        'loss of each sample:              [0.356674943939, 0.69314718056, 0.105360515658]',
        'mean loss: 0.385060880052',
      ].join('\n'),
    );
  });

  it('gets the same losses from the library with labels and with one-hot targets, and shows float32', () => {
    expect(textOf(chapter, 'const lossFunction')).toBe(
      [
        '1 0 0',
        '0 1 0',
        '0 1 0',
        'labels:   [0.356674943939, 0.69314718056, 0.105360515658] mean 0.385060880052',
        'one-hot:  [0.356674943939, 0.69314718056, 0.105360515658] mean 0.385060880052',
        'float32:  [0.356674960969, 0.69314718056, 0.105360542149]',
      ].join('\n'),
    );
    // The float32 loss is −log of 0.7 rounded to float32: the exact loss's first seven digits, then a different eighth.
    const shown = linesOf(chapter, 'const lossFunction');
    const firstLoss = (label: string) => /\[([\d.]+),/.exec(shown.find((line) => line.startsWith(label))!)![1];
    const [exact, float32] = [firstLoss('labels:'), firstLoss('float32:')];
    expect(float32).toBe(formatNumber(-Math.log(Math.fround(0.7))));
    const digits = (shown: string) => shown.replace(/^0\.0*/, '');
    expect(digits(float32).slice(0, 7)).toBe(digits(exact).slice(0, 7));
    expect(digits(float32)[7]).not.toBe(digits(exact)[7]);
  });

  it('shows −log(0) is infinite and poisons the mean', () => {
    expect(textOf(chapter, 'Math.log(0) =')).toBe(
      ['Math.log(0) = -Infinity', '−log(0) = Infinity', 'mean of [0.356674943939, 0.69314718056, Infinity] = Infinity'].join('\n'),
    );
  });

  it('clips probabilities to [1e-7, 1 − 1e-7], so the worst loss is about 16.118', () => {
    expect(textOf(chapter, 'const extremes')).toBe(
      ['−log(1e-7) = 16.118095651', '−log(1 − 1e-7) = 1.00000004947e-7', 'library, p = 0 and p = 1: [16.118095651, 1.00000004947e-7]'].join('\n'),
    );
    expect(Number(linesOf(chapter, 'const extremes')[0].split('= ')[1]).toFixed(3)).toBe('16.118');
  });

  it("computes the book's accuracy by counting and with accuracy()", () => {
    expect(textOf(chapter, 'const accuracyOutputs')).toBe(
      ['predicted: [0, 0, 1] targets: [0, 1, 1]', 'by counting: 2 of 3', 'accuracy(): 0.666666666667'].join('\n'),
    );
  });

  it('shows models with equal accuracy and very different losses', () => {
    expect(textOf(chapter, 'const models')).toBe(
      [
        'sure and right:          accuracy 1.000  loss 0.105',
        'unsure and right:        accuracy 1.000  loss 0.916',
        'hedging, one wrong:      accuracy 0.667  loss 0.812',
        'sure, one badly wrong:   accuracy 0.667  loss 1.549',
      ].join('\n'),
    );
    // "almost nine times higher": the unsure model's loss against the sure one's.
    const [sure, unsure] = linesOf(chapter, 'const models').map((line) => Number(line.split('loss ')[1]));
    expect(unsure / sure).toBeGreaterThan(8.5);
    expect(unsure / sure).toBeLessThan(9);
  });

  it('shows the loss responding to a small improvement that accuracy ignores', () => {
    expect(textOf(chapter, 'const before')).toBe(
      ['before: accuracy 1  loss 0.916290731874', 'after:  accuracy 1  loss 0.798507696218'].join('\n'),
    );
  });
});
