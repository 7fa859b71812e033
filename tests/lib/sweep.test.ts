// lrSweep on a small spiral: log-spaced rates, every rate from the same weights and batches (so one
// step gives every rate the starting loss), divergence as Infinity, the best rate and the suggestion
// by its rule, the shared generator left as it was, and bad settings refused by name.
import { describe, expect, it } from 'vitest';
import { Random, defaultRandom, seed } from '../../lib/random.ts';
import type { Dense } from '../../lib/layers.ts';
import { Adam, SGD } from '../../lib/optimizers.ts';
import { mlp } from '../../lib/mlp.ts';
import { spiralData } from '../../lib/data.ts';
import { ScratchnetError } from '../../lib/errors.ts';
import type { Sequential } from '../../lib/model.ts';
import { SWEEP, lrSweep, type LearningRateSweepOptions } from '../../lib/sweep.ts';

const spiral = spiralData(50, 3, new Random(1));
// No rng: the layers draw from the shared generator, which lrSweep seeds before every build.
const adamNet = (learningRate: number): Sequential => mlp([2, 16, 3], { optimizer: new Adam({ learningRate }), dropout: 0.1 });
const sgdNet = (learningRate: number): Sequential => mlp([2, 16, 3], { optimizer: new SGD({ learningRate }) });
const sweep = (build: (rate: number) => Sequential, options: LearningRateSweepOptions = {}) => lrSweep(build, spiral.x, spiral.y, { count: 7, steps: 20, ...options });

describe('lrSweep', () => {
  it('tries rates evenly spaced on a log scale, 13 from 0.00001 to 10 by default', () => {
    const { rates, losses, curves } = lrSweep(adamNet, spiral.x, spiral.y, { steps: 2 });
    expect(rates).toHaveLength(13);
    expect([rates[0], rates[2], rates[4], rates[12]]).toEqual([1e-5, 1e-4, 1e-3, 10]);
    for (let i = 1; i < rates.length; i++) expect(rates[i] / rates[i - 1]).toBeCloseTo(Math.sqrt(10), 9);
    expect(losses).toHaveLength(13);
    expect(curves.map((curve) => curve.length)).toEqual(new Array(13).fill(2));
  });

  it('starts every rate from the same weights, dropout masks and batches, so one step gives each the starting loss', () => {
    const first: number[][] = [];
    const recording = (rate: number) => {
      const model = adamNet(rate);
      first.push(Array.from((model.layers[0] as Dense).weights.data));
      return model;
    };
    const { losses, startLoss, curves } = sweep(recording, { steps: 1 });
    for (const weights of first) expect(weights).toEqual(first[0]);
    // The loss of a step is measured before its update; with dropout off for startLoss they differ only by the masks.
    for (const curve of curves) expect(curve[0]).toBe(curves[0][0]);
    for (const loss of losses) expect(loss).toBe(curves[0][0]);
    expect(Math.abs(startLoss - curves[0][0])).toBeLessThan(0.1);
  });

  it('gives a rate whose training diverged the loss Infinity, and stops its curve there', () => {
    const { rates, losses, curves, best } = sweep(sgdNet, { from: 1e-3, to: 1e6, steps: 30 });
    expect(losses.at(-1)).toBe(Infinity);
    expect(curves.at(-1)!.length).toBeLessThan(30);
    expect(Number.isFinite(losses[0])).toBe(true);
    expect(best).toBeLessThan(rates.at(-1)!);
  });

  it('finds the lowest loss, learns little at the smallest rate, and suggests the largest rate at most a third of the best', () => {
    const result = sweep(adamNet, { from: 1e-5, to: 1, count: 11, steps: 40 });
    const lowest = Math.min(...result.losses);
    expect(result.best).toBe(result.rates[result.losses.indexOf(lowest)]);
    expect(lowest).toBeLessThan(result.startLoss * 0.95);
    expect(Math.abs(result.losses[0] - result.startLoss) / result.startLoss).toBeLessThan(0.03);
    const allowed = result.rates.filter((rate) => rate <= result.best / SWEEP.suggestionFactor);
    expect(result.suggested).toBe(allowed.at(-1));
    expect(result.suggested).toBeLessThan(result.best);
  });

  it('suggests a third of the best when the best is the smallest rate tried', () => {
    const { best, suggested, rates } = sweep(sgdNet, { from: 1, to: 1000, count: 3, steps: 20 });
    expect(best).toBe(rates[0]);
    expect(suggested).toBeCloseTo(1 / 3, 10);
  });

  it('reports each rate as it finishes, and leaves the shared generator as it found it', () => {
    seed(7);
    const expected = [defaultRandom.next(), defaultRandom.next()];
    seed(7);
    defaultRandom.next();
    const heard: Array<[number, number, number]> = [];
    const result = sweep(adamNet, { onRate: ({ index, rate, loss }) => void heard.push([index, rate, loss]) });
    expect(heard).toEqual(result.losses.map((loss, index) => [index, result.rates[index], loss]));
    expect(defaultRandom.next()).toBe(expected[1]);
  });
});

describe('lrSweep refuses bad settings by name', () => {
  it.each([
    [{ from: 0 }, 'from must be a number above 0, not 0'],
    [{ to: Number.NaN }, 'to must be a number above 0, not NaN'],
    [{ from: 1, to: 0.1 }, 'from (1) must be smaller than to (0.1)'],
    [{ count: 1 }, 'count must be at least 2 (a sweep compares rates), not 1'],
    [{ count: 2.5 }, 'count must be a positive whole number, not 2.5'],
    [{ steps: 0 }, 'steps must be a positive whole number, not 0'],
    [{ batchSize: -1 }, 'batchSize must be a positive whole number, not -1'],
    [{ seed: -1 }, 'seed must be a whole number from 0 to 2³² − 1, not -1'],
  ] as Array<[LearningRateSweepOptions, string]>)('%o', (options, message) => {
    expect(() => lrSweep(adamNet, spiral.x, spiral.y, options)).toThrow(new ScratchnetError('lrSweep', message));
  });

  it('refuses a build that ignores the rate, or returns no model, naming the rate', () => {
    expect(() => sweep(() => adamNet(0.01))).toThrow(/^lrSweep: build\(0\.00001\) returned a model whose optimizer's learningRate is 0\.01: pass the rate on/);
    expect(() => sweep((() => undefined) as unknown as typeof adamNet)).toThrow(/^lrSweep: build\(0\.00001\) must return a Sequential with a loss and an optimizer, not undefined$/);
  });

  it('refuses data that does not fit, before training', () => {
    expect(() => lrSweep(adamNet, spiral.x, spiral.y.subarray(1))).toThrow(/^lrSweep: y must hold one target per sample: x has 150 rows but y has 149$/);
    expect(() => lrSweep((rate) => mlp([3, 4, 3], { optimizer: new Adam({ learningRate: rate }) }), spiral.x, spiral.y)).toThrow(/^lrSweep: x has 2 values per sample/);
  });

  it('says so when every rate diverged', () => {
    expect(() => sweep(sgdNet, { from: 1e7, to: 1e9, count: 2, steps: 60 })).toThrow(/^lrSweep: training diverged at every rate from 10000000 to 1000000000: try smaller rates/);
  });
});
