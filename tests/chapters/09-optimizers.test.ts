// Chapter 9, optimizers: runs its cells as the page does and checks the SGD loop's trajectory,
// the learning rates that are too small and too large (with every ReLU dead), decay against its
// formula, each optimizer's steps on one weight, Adam's state after one step, the race's curves
// and table, training against fresh-spiral accuracy, the exercises, and the prose's numbers.
import { beforeAll, describe, expect, it } from 'vitest';
import { chapterChecks, figureOf, linesOf, type Marker, matricesOf, outputsOf, textOf } from '../support/chapter-checks.ts';
import { type RanChapter, rerunText, runChapterFile } from '../support/chapters.ts';
import type { ContourFigure, Output } from '../../site/notebook/outputs.ts';

const FILE = '09-optimizers.mdx';

/** The cells that draw training curves: plain SGD, three learning rates, and the race. */
const SGD_PLOT = 'Plain SGD, learning rate 1';
const LEARNING_RATES = 'function train(';
const RACE = 'const contenders';
/** The valley cell, whose learning-rate and momentum sliders the reader moves. */
const VALLEY = 'function pathOf';

/** The valley's loss, as the cell defines it. */
const valley = (w1: number, w2: number) => 0.1 * w1 * w1 + 2 * w2 * w2;

/** Each path of the one contour figure among a cell's outputs, by name. */
function contourPaths(outputs: Output[]): Record<string, Array<[number, number]>> {
  const figures = outputs.flatMap((output) => (output.kind === 'figure' && output.figure.type === 'contour' ? [output.figure as ContourFigure] : []));
  expect(figures).toHaveLength(1);
  return Object.fromEntries(figures[0].paths.map((path) => [path.name, path.points]));
}

/** The series of the first line figure a cell drew, by name. */
function lineSeries(chapter: RanChapter, marker: Marker): Record<string, number[]> {
  return Object.fromEntries(figureOf(chapter, marker, 'line').series.map((s) => [s.name, s.y]));
}

/** The x values of every series of the first line figure a cell drew. */
function lineXs(chapter: RanChapter, marker: Marker): number[][] {
  return figureOf(chapter, marker, 'line').series.map((s) => s.x);
}

/** Steps 0 (the starting weights) to 300: the x axis of every training curve. */
const stepNumbers = Array.from({ length: 301 }, (_, t) => t);

let chapter: RanChapter;

beforeAll(async () => {
  chapter = await runChapterFile(FILE);
});

describe('chapter 9, optimizers', () => {
  chapterChecks(() => chapter, {
    file: FILE,
    exercises: ['the learning rate at step 10', 'the weight after three steps', 'SGD with momentum gets the loss below 0.8 in 300 steps'],
    // Printed only once the reader moves the valley's sliders; the tests below set them.
    checkedElsewhere: ['0.304', '0.00302', '0.482', '0.00262', '0.501', '6.71', '0.01', '3.32', '0.99', '0.916'],
  });

  it('builds the network of 387 parameters on 300 spiral points', () => {
    expect(textOf(chapter, 'const reset =')).toBe('300 points, 387 parameters');
  });

  it('trains with the written-out SGD loop, starting at log 3 and barely moving in 300 steps', () => {
    expect(linesOf(chapter, 'const sgdLoss')).toEqual([
      'step 0: loss 1.099, training accuracy 0.36',
      'step 50: loss 1.096, training accuracy 0.43',
      'step 100: loss 1.077, training accuracy 0.427',
      'step 150: loss 1.066, training accuracy 0.46',
      'step 200: loss 1.062, training accuracy 0.45',
      'step 250: loss 1.061, training accuracy 0.453',
      'step 300: loss 1.061, training accuracy 0.447',
    ]);
    const { loss, 'training accuracy': accuracy } = lineSeries(chapter, SGD_PLOT);
    expect(loss).toHaveLength(301);
    expect(accuracy).toHaveLength(301);
    expect(loss[0]).toBeCloseTo(Math.log(3), 3);
    // Plotted against the step number, so the starting loss sits at step 0.
    expect(lineXs(chapter, SGD_PLOT)).toEqual([stepNumbers, stepNumbers]);
  });

  it('shows 0.1 too small, 10 too large, and every hidden ReLU dead after 10', () => {
    expect(linesOf(chapter, LEARNING_RATES)).toEqual([
      'learning rate 0.1 final loss 1.098, training accuracy 0.433',
      'learning rate 1 final loss 1.061, training accuracy 0.447',
      'learning rate 10 final loss 2.005, training accuracy 0.333',
      '[line figure: The same start, three learning rates]',
      'after learning rate 10, 0 of the 64 hidden neurons fire for any of the points',
    ]);
    const curves = lineSeries(chapter, LEARNING_RATES);
    expect(Object.keys(curves)).toEqual(['learning rate 0.1', 'learning rate 1', 'learning rate 10']);
    // Too large: the loss rises above its start.
    expect(Math.max(...curves['learning rate 10'])).toBeGreaterThan(curves['learning rate 10'][0] + 0.5);
    // The plain SGD cell and train() give the same curve for the same settings.
    expect(curves['learning rate 1']).toEqual(lineSeries(chapter, SGD_PLOT).loss);
    expect(lineXs(chapter, LEARNING_RATES)).toEqual([stepNumbers, stepNumbers, stepNumbers]);
  });

  it("decays the learning rate exactly as the book's formula says", () => {
    expect(linesOf(chapter, 'const decaying')).toEqual([
      'step 0 formula 1 optimizer 1',
      'step 1 formula 0.999001 optimizer 0.999001',
      'step 10 formula 0.990099 optimizer 0.990099',
      'step 100 formula 0.909091 optimizer 0.909091',
      'step 1000 formula 0.5 optimizer 0.5',
      'step 10000 formula 0.0909091 optimizer 0.0909091',
    ]);
  });

  it('shows momentum growing steady steps towards η/(1 − β) and damping flipping ones', () => {
    expect(linesOf(chapter, 'function stepsTaken')).toEqual([
      'gradient always 1:',
      'SGD [-0.1, -0.1, -0.1, -0.1, -0.1, -0.1]',
      'with momentum [-0.1, -0.19, -0.271, -0.3439, -0.4095, -0.4686]',
      'gradient flipping sign:',
      'SGD [-0.1, 0.1, -0.1, 0.1, -0.1, 0.1]',
      'with momentum [-0.1, 0.01, -0.091, 0.0181, -0.08371, 0.02466]',
    ]);
  });

  it("shows AdaGrad's steps shrinking as η/√t whatever the gradient's scale", () => {
    const steps = '[-0.1, -0.07071, -0.05774, -0.05, -0.04472, -0.04082]';
    const shown = linesOf(chapter, 'AdaGrad, gradient always 1:');
    expect(shown).toEqual([`AdaGrad, gradient always 1: ${steps}`, `AdaGrad, gradient always 100: ${steps}`]);
    for (const line of shown) {
      const taken = JSON.parse(line.slice(line.indexOf('['))) as number[];
      taken.forEach((step, t) => expect(step).toBeCloseTo(-0.1 / Math.sqrt(t + 1), 4));
    }
  });

  it("shows RMSProp's first steps too large: η/√(1 − ρ)", () => {
    expect(linesOf(chapter, 'RMSProp, rho 0.9:')).toEqual([
      'RMSProp, rho 0.9: [-0.3162, -0.2294, -0.1921, -0.1705, -0.1563, -0.1461]',
      'RMSProp, rho 0.999: [-3.162, -2.237, -1.827, -1.582, -1.416, -1.293]',
    ]);
  });

  it("shows Adam's steps of η whatever the gradient's scale", () => {
    expect(linesOf(chapter, 'Adam, gradient always 1:')).toEqual([
      'Adam, gradient always 1: [-0.1, -0.1, -0.1, -0.1, -0.1, -0.1]',
      'Adam, gradient always 100: [-0.1, -0.1, -0.1, -0.1, -0.1, -0.1]',
    ]);
  });

  it("shows Adam's state after one step: m = 0.1·g and v = 0.001·g², and weights moved by nearly η", () => {
    const text = linesOf(chapter, 'const adam = new Adam');
    expect(text[0]).toBe('state kept for dense2: ["weightMomentums", "biasMomentums", "weightCache", "biasCache"]');
    expect(text.slice(-3)).toEqual([
      'first-layer gradients, ignoring the sign: smallest 2.9e-7 largest 0.00052',
      'first-layer weights that moved by more than 0.049: 119 of 128',
      'smallest move: 0.03723 largest move: 0.04999',
    ]);
    // The prose: a range of almost two thousand, and the smallest move is the smallest gradient's η·g/(g + ε).
    const [smallest, largest] = /smallest (\S+) largest (\S+)$/.exec(text.at(-3)!)!.slice(1).map(Number);
    expect(largest / smallest).toBeGreaterThan(1500);
    expect(largest / smallest).toBeLessThan(2000);
    const smallestMove = Number(/smallest move: (\S+)/.exec(text.at(-1)!)![1]);
    expect((0.05 * smallest) / (smallest + 1e-7)).toBeCloseTo(smallestMove, 3);
    const [g, m, v] = matricesOf(chapter, 'const adam = new Adam');
    expect(g).toHaveLength(3);
    g.forEach((gi, i) => {
      expect(m[i] / (0.1 * gi)).toBeCloseTo(1, 5);
      expect(v[i] / (0.001 * gi * gi)).toBeCloseTo(1, 5);
    });
  });

  it('races five optimizers from the same start: Adam leads, momentum spikes then recovers, SGD stays on the plateau', () => {
    expect(linesOf(chapter, RACE)).toEqual([
      '[line figure: Five optimizers, one start, 300 steps]',
      'optimizer final loss lowest loss training accuracy',
      'SGD 1.061 1.061 0.447',
      'SGD + momentum 0.746 0.746 0.61',
      'AdaGrad 0.878 0.8752 0.523',
      'RMSProp 0.8877 0.8877 0.573',
      'Adam 0.6312 0.6273 0.733',
    ]);
    const curves = lineSeries(chapter, RACE);
    expect(Object.keys(curves)).toEqual(['SGD', 'SGD + momentum', 'AdaGrad', 'RMSProp', 'Adam']);
    for (const curve of Object.values(curves)) {
      expect(curve).toHaveLength(301);
      expect(curve[0]).toBe(curves.SGD[0]); // one start for all
    }
    expect(lineXs(chapter, RACE)).toEqual(Object.keys(curves).map(() => stepNumbers));
    const momentum = curves['SGD + momentum'];
    // Off the plateau after a hundred or so steps, then a spike a little after step 175 that
    // climbs above the starting loss, then down to its lowest loss at the very end.
    expect(momentum[100]).toBeGreaterThan(1);
    expect(momentum[175]).toBeLessThan(1);
    const spikeAt = momentum.indexOf(Math.max(...momentum.slice(150, 250)));
    expect(spikeAt).toBeGreaterThan(175);
    expect(spikeAt).toBeLessThan(200);
    expect(momentum[spikeAt]).toBeGreaterThan(momentum[0]);
    expect(momentum.indexOf(Math.min(...momentum))).toBe(300);
    // Adam ends with the lowest loss.
    const finals = Object.values(curves).map((curve) => curve[300]);
    expect(Math.min(...finals)).toBe(curves.Adam[300]);
    // AdaGrad and RMSProp start faster than SGD with or without momentum.
    for (const name of ['AdaGrad', 'RMSProp']) {
      expect(curves[name][50]).toBeLessThan(momentum[50]);
      expect(curves[name][50]).toBeLessThan(curves.SGD[50]);
    }
  });

  it("scores Adam's network on a fresh spiral from another seed, clearly below its training accuracy", () => {
    const [training, fresh] = linesOf(chapter, 'const fresh =');
    expect([training, fresh]).toEqual(['training accuracy: 0.733', 'accuracy on a new spiral: 0.65']);
    // The race's table showed the same training accuracy.
    expect(linesOf(chapter, RACE).at(-1)).toMatch(/ 0\.733$/);
    const value = (line: string) => Number(line.split(' ').at(-1));
    expect(value(training) - value(fresh)).toBeGreaterThan(0.05);
  });

  it("draws the decision regions of Adam's network", () => {
    const figure = figureOf(chapter, 'const trained =', 'scatter');
    expect(figure.boundary).toBeDefined();
    expect(new Set(figure.boundary!.classes)).toEqual(new Set([0, 1, 2]));
  });

  describe('three paths across one valley', () => {
    const cell = () => chapter.cells.findIndex((c) => c.source.includes(VALLEY));
    const setSliders = (learningRate: number, momentum: number) => chapter.setInputs(VALLEY, { 'learning rate': learningRate, momentum });
    const finalLosses = (text: string) => Object.fromEntries(text.split('\n').slice(1).map((line) => /^(.+?)\s+final loss (\S+)$/.exec(line)!.slice(1)));
    const last = (path: Array<[number, number]>) => valley(...path[path.length - 1]);

    it('declares a log slider for the learning rate, a linear one for the momentum and a number field for the steps', () => {
      expect(chapter.results[cell()].inputs).toEqual([
        { kind: 'slider', label: 'learning rate', min: 0.01, max: 1, step: 0.0099, log: true, initial: 0.1, value: 0.1 },
        { kind: 'slider', label: 'momentum', min: 0, max: 0.99, step: 0.01, log: false, initial: 0.9, value: 0.9 },
        { kind: 'number', label: 'steps', min: 1, max: 500, step: 1, initial: 50, value: 50 },
      ]);
    });

    it("draws the valley on fixed axes with the library optimizers' 50 steps from (-4, 1.5), and prints where each ends", () => {
      const figure = figureOf(chapter, VALLEY, 'contour');
      expect([figure.xRange, figure.yRange, figure.levels.length, figure.log]).toEqual([[-5, 5], [-2, 2], 12, true]);
      const paths = contourPaths(outputsOf(chapter, VALLEY));
      expect(Object.keys(paths)).toEqual(['SGD', 'SGD + momentum', 'Adam']);
      for (const path of Object.values(paths)) {
        expect(path).toHaveLength(51);
        expect(path[0]).toEqual([-4, 1.5]);
      }
      // The first step: SGD (and momentum, with no speed yet) moves by −η·gradient; Adam moves each weight by about η.
      const gradient = [0.2 * -4, 4 * 1.5];
      for (const name of ['SGD', 'SGD + momentum']) paths[name][1].forEach((w, i) => expect(w).toBeCloseTo(paths[name][0][i] - 0.1 * gradient[i], 12));
      expect(paths.Adam[1][0]).toBeCloseTo(-3.9, 6);
      expect(paths.Adam[1][1]).toBeCloseTo(1.4, 6);
      expect(finalLosses(textOf(chapter, VALLEY))).toEqual({ SGD: '0.212', 'SGD + momentum': '0.00991', Adam: '0.017' });
      // The printed losses are the loss at each path's last point.
      expect(last(paths.SGD)).toBeCloseTo(0.212, 3);
    });

    it('at 0.304 lets plain SGD end lowest, at 0.482 makes it zigzag, and at 0.501 throws it out; each move re-runs only this cell', async () => {
      let results = await setSliders(0.304, 0.9);
      expect([...results.keys()]).toEqual([cell()]);
      let losses = finalLosses(rerunText(results, cell()));
      expect(losses.SGD).toBe('0.00302');
      expect(Number(losses.SGD)).toBeLessThan(Math.min(Number(losses['SGD + momentum']), Number(losses.Adam)));

      results = await setSliders(0.482, 0.9);
      const zigzag = contourPaths(results.get(cell())!.outputs).SGD.map(([, w2]) => w2);
      expect(zigzag.slice(1, 30).every((w2, t) => Math.sign(w2) === -Math.sign(zigzag[t]))).toBe(true); // w₂ flips sign every step
      expect(finalLosses(rerunText(results, cell())).SGD).toBe('0.00262');

      results = await setSliders(0.501, 0.9);
      expect([...results.keys()]).toEqual([cell()]);
      losses = finalLosses(rerunText(results, cell()));
      expect(losses.SGD).toBe('6.71');
      const thrown = contourPaths(results.get(cell())!.outputs).SGD.map(([, w2]) => Math.abs(w2));
      expect(thrown[50]).toBeGreaterThan(thrown[10]); // each zigzag wider than the last
      expect(Number(losses['SGD + momentum'])).toBeLessThan(0.1);
      expect(Number(losses.Adam)).toBeLessThan(0.1);
    });

    it('at 0.01 leaves Adam, with steps of about η, half a unit along and worst of the three', async () => {
      const results = await setSliders(0.01, 0.9);
      const losses = finalLosses(rerunText(results, cell()));
      expect(losses.Adam).toBe('3.32');
      expect(Number(losses.Adam)).toBeGreaterThan(Math.max(Number(losses.SGD), Number(losses['SGD + momentum'])));
      const adam = contourPaths(results.get(cell())!.outputs).Adam;
      expect(adam[50][0] - adam[0][0]).toBeGreaterThan(0.45);
      expect(adam[50][0] - adam[0][0]).toBeLessThan(0.55);
    });

    it('with momentum 0 follows plain SGD, and with 0.99 overshoots to end worse than it', async () => {
      let results = await setSliders(0.1, 0);
      let paths = contourPaths(results.get(cell())!.outputs);
      expect(paths['SGD + momentum']).toEqual(paths.SGD);
      results = await setSliders(0.1, 0.99);
      paths = contourPaths(results.get(cell())!.outputs);
      expect(finalLosses(rerunText(results, cell()))['SGD + momentum']).toBe('0.916');
      expect(last(paths['SGD + momentum'])).toBeGreaterThan(last(paths.SGD));
      // It rolls past the minimum to the far end of the valley (w₁ above 3, from −4) and back (below −3 again).
      const along = paths['SGD + momentum'].map(([w1]) => w1);
      const farthest = along.indexOf(Math.max(...along));
      expect(along[farthest]).toBeGreaterThan(3);
      expect(Math.min(...along.slice(farthest))).toBeLessThan(-3);
    });

    it('lets plain SGD reach the bottom too when the steps field says 500', async () => {
      const results = await chapter.setInputs(VALLEY, { steps: 500 });
      const paths = contourPaths(results.get(cell())!.outputs);
      expect(paths.SGD).toHaveLength(501);
      expect(last(paths.SGD)).toBeLessThan(1e-6);
      expect(Number(finalLosses(rerunText(results, cell())).SGD)).toBeLessThan(1e-6);
      await chapter.setInputs(VALLEY, { steps: 50 });
    });

    it('gives exactly the first outputs again when the inputs go back to their defaults', async () => {
      const results = await setSliders(0.1, 0.9);
      expect(results.get(cell())!.outputs).toEqual(chapter.results[cell()].outputs);
    });
  });
});
