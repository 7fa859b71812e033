// Chapter 4 (non-linearity): runs every cell and checks what the page shows: two linear layers
// equal one merged layer, a linear model stays near chance on the spirals while the same model
// with ReLU learns them (and scores lower on a fresh spiral than on its training points), the
// activation values, and that each exercise is solvable.
import { beforeAll, describe, expect, it } from 'vitest';
import { chapterChecks, figureOf, textOf } from '../support/chapter-checks.ts';
import { type RanChapter, rerunText, runChapterFile } from '../support/chapters.ts';
import type { Output, ScatterFigure } from '../../site/notebook/outputs.ts';

const FILE = '04-non-linearity.mdx';

/** The live playground cell, whose activation and hidden-neuron inputs the reader moves. */
const PLAYGROUND = 'const playground';

/** The scatter figure among a cell's outputs. */
function scatterIn(outputs: Output[]): ScatterFigure {
  const found = outputs.flatMap((output) => (output.kind === 'figure' && output.figure.type === 'scatter' ? [output.figure] : []));
  expect(found).toHaveLength(1);
  return found[0];
}

/**
 * True when every class's region meets each row of the decision grid in one unbroken run, as the
 * regions of a linear model (intersections of half-planes, so convex) must; bent borders that
 * wind along the arms cut some row into several runs of one class.
 */
function regionsAreConvexAlongRows(figure: ScatterFigure): boolean {
  const { width, height, classes } = figure.boundary!;
  for (let row = 0; row < height; row++) {
    const seen = new Set<number>();
    for (let col = 0; col < width; col++) {
      const k = classes[row * width + col];
      if (col > 0 && k === classes[row * width + col - 1]) continue;
      if (seen.has(k)) return false;
      seen.add(k);
    }
  }
  return true;
}

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
    // Printed only when the reader moves the playground's inputs; the tests below set them.
    checkedElsewhere: ['54.3%', '41.0%', '90.0%'],
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

  describe('the live playground', () => {
    const accuracyLine = (text: string) => text.split('\n').at(-1);
    const playground = () => chapter.cells.findIndex((cell) => cell.source.includes(PLAYGROUND));
    const setPlayground = (activation: string, hidden: number) => chapter.setInputs(PLAYGROUND, { activation, 'hidden neurons': hidden });

    it('declares an activation choice and a hidden-neuron slider, ReLU and 32 by default', () => {
      const inputs = chapter.results[playground()].inputs;
      expect(inputs.map((spec) => [spec.kind, spec.label, spec.value])).toEqual([
        ['choice', 'activation', 'ReLU'],
        ['slider', 'hidden neurons', 32],
      ]);
    });

    it('draws its last frame by default: the regions on a 100 × 100 grid, 300 epochs of accuracy on fixed axes, and 83.3%', () => {
      expect(textOf(chapter, PLAYGROUND)).toBe('[scatter figure: ReLU, 32 hidden neurons, epoch 300]\n[line figure: Training accuracy]\ntraining accuracy after 300 epochs: 83.3%');
      const regions = figureOf(chapter, PLAYGROUND, 'scatter');
      expect(regions.boundary?.classes).toHaveLength(100 * 100);
      expect(regionsAreConvexAlongRows(regions)).toBe(false); // ReLU bends the borders
      const curve = figureOf(chapter, PLAYGROUND, 'line');
      expect([curve.xRange, curve.yRange]).toEqual([[1, 300], [0, 1]]);
      expect(curve.series[0].x).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
      expect(curve.series[0].y.at(-1)).toBeGreaterThan(0.75);
    });

    it("with no activation keeps straight borders and stops at the linear model's 44.0%, re-running only its own cell", async () => {
      const results = await setPlayground('none', 32);
      expect([...results.keys()]).toEqual([playground()]);
      expect(accuracyLine(rerunText(results, playground()))).toBe('training accuracy after 300 epochs: 44.0%');
      expect(textOf(chapter, 'const linearModel')).toContain('44.0%');
      expect(regionsAreConvexAlongRows(scatterIn(results.get(playground())!.outputs))).toBe(true);
    });

    it('with a sigmoid stays far below ReLU after the same 300 epochs', async () => {
      const results = await setPlayground('sigmoid', 32);
      expect(rerunText(results, playground()).split('\n')[0]).toBe('[scatter figure: sigmoid, 32 hidden neurons, epoch 300]');
      expect(accuracyLine(rerunText(results, playground()))).toBe('training accuracy after 300 epochs: 54.3%');
    });

    it('with ReLU learns more of the spiral the more hidden neurons it has: 41.0% with 2, 90.0% with 64', async () => {
      const percent = async (hidden: number) => accuracyLine(rerunText(await setPlayground('ReLU', hidden), playground()));
      expect(await percent(2)).toBe('training accuracy after 300 epochs: 41.0%');
      expect(await percent(64)).toBe('training accuracy after 300 epochs: 90.0%');
    });

    it('gives exactly the first outputs again when the inputs go back to their defaults', async () => {
      await setPlayground('none', 8);
      const results = await setPlayground('ReLU', 32);
      expect(results.get(playground())!.outputs).toEqual(chapter.results[playground()].outputs);
    });
  });
});
