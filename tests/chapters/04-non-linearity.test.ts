// Chapter 4 (non-linearity): runs every cell and checks what the page shows: two linear layers
// equal one merged layer, a linear model stays near chance on the spirals while the same model
// with ReLU learns them (and scores lower on a fresh spiral than on its training points), the
// activation values, and that each exercise is solvable.
import { beforeAll, describe, expect, it } from 'vitest';
import { chapterChecks, figureOf, textOf } from '../support/chapter-checks.ts';
import { type RanChapter, runChapterFile } from '../support/chapters.ts';

const FILE = '04-non-linearity.mdx';

describe('chapter 4: non-linearity', () => {
  let chapter: RanChapter;
  beforeAll(async () => {
    chapter = await runChapterFile(FILE);
  });

  const checks = chapterChecks(() => chapter, {
    file: FILE,
    exercises: [
      'one layer gives the same outputs as three',
      'f rises to 1 at x = 1 and is back to 0 from x = 2 on',
      'at least 85% of the spiral points classified correctly',
    ],
  });

  it("reproduces the book's two-layer outputs, up to float32 rounding", () => {
    expect(textOf(chapter, 'const twoLayers')).toBe(
      ['0.5031 -1.04185 -2.03875', '0.2434 -2.7332 -5.7633', '-0.99314 1.41254 -0.3565501'].join('\n'),
    );
  });

  it('shows one merged layer giving the same outputs as the two layers, to within a millionth', () => {
    expect(textOf(chapter, 'const merged')).toBe(
      ['0.5031 -1.04185 -2.03875', '0.2434001 -2.7332 -5.7633', '-0.99314 1.41254 -0.3565501', 'largest difference below a millionth: true'].join('\n'),
    );
    // The prose's example of a last-digit difference: 0.2434001 merged, 0.2434 through two layers.
    expect(textOf(chapter, 'const merged')).toContain('0.2434001 ');
    expect(textOf(chapter, 'const twoLayers')).toContain('\n0.2434 ');
  });

  it('describes the spiral data', () => {
    expect(textOf(chapter, 'spiralData(100, 3)')).toBe(
      '300 points with 2 coordinates each, in classes [0, 1, 2]\n[scatter figure: Three spiral arms, one colour per class]',
    );
  });

  it('trains a linear model that stays near chance and draws its decision regions', () => {
    expect(textOf(chapter, 'const linearModel')).toBe('training accuracy: 44.0%\n[scatter figure: Without an activation: straight boundaries]');
    expect(figureOf(chapter, 'const linearModel', 'scatter').boundary?.classes.length).toBe(200 * 200);
  });

  it('shows the trained linear model is one 2 → 3 layer in disguise', () => {
    expect(textOf(chapter, 'const single')).toBe('parameters: 387 versus 9\nsame prediction on 300 of 300 points');
  });

  it('applies sigmoid, and ReLU as a loop and as a layer, to the same numbers', () => {
    expect(textOf(chapter, 'new Sigmoid().forward')).toBe('0.1192029 0.2689414 0.5 0.7310586 0.8807971');
    expect(textOf(chapter, 'const values')).toBe('[0, 2, 0, 3.3, 0, 1.1, 2.2, 0]\n0 2 0 3.3 0 1.1 2.2 0');
  });

  it('plots step, sigmoid and ReLU as lines against x from −3 to 3', () => {
    const figure = figureOf(chapter, 'const step', 'line');
    expect(figure.series.map((series) => series.name)).toEqual(['step', 'sigmoid', 'ReLU']);
    const [step, sigmoid, relu] = figure.series;
    for (const series of figure.series) {
      expect(series.x.length).toBe(121);
      expect([series.x[0], series.x[60], series.x[120]]).toEqual([-3, 0, 3]);
    }
    // At x = 0: step is 0, sigmoid 0.5, ReLU 0; at x = 3: step 1, ReLU 3; at x = -3 ReLU is 0.
    expect([step.y[60], sigmoid.y[60], relu.y[60]]).toEqual([0, 0.5, 0]);
    expect([step.y[120], relu.y[120], relu.y[0]]).toEqual([1, 3, 0]);
    expect(sigmoid.y[120]).toBeCloseTo(1 / (1 + Math.exp(-3)), 12);
  });

  it('bends a line with two ReLU hinges, and gets a straight line without them', () => {
    expect(textOf(chapter, 'const hinges')).toBe(
      [
        'x                [-1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3]',
        'with ReLU        [0, 0, 0, 0.5, 1, 0.5, 0, -0.5, -1]',
        'without ReLU     [3, 2.5, 2, 1.5, 1, 0.5, 0, -0.5, -1]',
      ].join('\n'),
    );
  });

  it('trains the same model with ReLU to a much higher accuracy', () => {
    expect(textOf(chapter, 'const reluModel')).toBe('training accuracy: 89.7%\n[scatter figure: With ReLU: boundaries that bend]');
    expect(figureOf(chapter, 'const reluModel', 'scatter').boundary).toBeDefined();
  });

  it('scores the ReLU model on a fresh spiral from another seed, clearly below its training accuracy', () => {
    const [training, fresh] = textOf(chapter, 'const fresh').split('\n');
    expect([training, fresh]).toEqual(['training accuracy:         89.7%', 'accuracy on a new spiral:  81.3%']);
    // The gap is more than a few points' noise: 300 new points put 81.3% within about ±2.3 points of the truth.
    const percent = (line: string) => Number(/([\d.]+)%/.exec(line)![1]);
    expect(percent(training) - percent(fresh)).toBeGreaterThan(5);
    expect(figureOf(chapter, 'const fresh', 'scatter').boundary).toBeDefined();
  });

  it('plots a linear model that levels off and a ReLU model that keeps improving', () => {
    const figure = figureOf(chapter, 'reluHistory.accuracy', 'line');
    const [linear, relu] = figure.series.map((series) => series.y);
    expect(linear.length).toBe(300);
    const late = linear.slice(49);
    expect(Math.max(...late) - Math.min(...late)).toBeLessThan(0.05);
    expect(relu[299] - relu[49]).toBeGreaterThan(0.2);
  });

  it('shows the solved hinge exercise rising to 1 and falling back to 0', async () => {
    expect(textOf(await checks.solved(), 'const thirdWeight')).toBe('[0, 1, 0, 0, 0]\n✓ f rises to 1 at x = 1 and is back to 0 from x = 2 on');
  });
});
