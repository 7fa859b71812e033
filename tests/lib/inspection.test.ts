// Looking inside a network on cases checked by hand: a small Dense + ReLU whose every output is
// known, ReLU layers killed by very negative biases, a deep 0.01 · randn network whose spread
// shrinks by the factor the variance formula predicts at every layer (and a He one whose does not),
// gradients against the ones computed directly, and nothing changed by looking.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../lib/matrix.ts';
import { Random } from '../../lib/random.ts';
import { Dense, isTrainable, type Initializer, type Layer } from '../../lib/layers.ts';
import { ReLU, Softmax } from '../../lib/activations.ts';
import { Dropout } from '../../lib/dropout.ts';
import { CategoricalCrossEntropy } from '../../lib/losses.ts';
import { Adam } from '../../lib/optimizers.ts';
import { Sequential } from '../../lib/model.ts';
import { standardDeviation } from '../../lib/metrics.ts';
import { subtract } from '../../lib/ops.ts';
import { oneHot } from '../../lib/targets.ts';
import { spiralData } from '../../lib/data.ts';
import { ScratchnetError, ShapeError } from '../../lib/errors.ts';
import { deadReLUs, layerStatistics } from '../../lib/inspection.ts';

/** x = 1, 2, 3 through one Dense layer with weights [1, −1] and a ReLU: outputs (1, −1), (2, −2), (3, −3), then (1, 0), (2, 0), (3, 0). */
function handChecked(): Sequential {
  const dense = new Dense(1, 2);
  dense.weights = [[1, -1]];
  return new Sequential([dense, new ReLU()]);
}
const column = Matrix.fromRows([[1], [2], [3]]);

/** A deep stack of `depth` Dense(width, width) + ReLU layers started with `initializer`. */
function deepNetwork(initializer: Initializer, depth: number, width: number, seed = 1): Sequential {
  const rng = new Random(seed);
  const layers: Layer[] = [];
  for (let i = 0; i < depth; i++) layers.push(new Dense(width, width, { initializer, rng }), new ReLU());
  return new Sequential(layers);
}

/** A 2 → 16 → 3 spiral classifier with cross-entropy, and `dropout` after the ReLU when given. */
function classifier(dropout = 0): Sequential {
  const rng = new Random(5);
  const layers: Layer[] = [new Dense(2, 16, { initializer: 'heNormal', rng }), new ReLU(), ...(dropout ? [new Dropout(dropout, { rng })] : []), new Dense(16, 3, { rng }), new Softmax()];
  return new Sequential(layers, { loss: new CategoricalCrossEntropy(), optimizer: new Adam({ learningRate: 0.01 }) });
}
const spiral = spiralData(50, 3, new Random(2));

describe('layerStatistics', () => {
  it('measures the spread and mean of every output and the spread of the weights on a case worked by hand', () => {
    const [dense, relu] = layerStatistics(handChecked(), column);
    expect(dense).toMatchObject({ layer: 0, name: 'Dense', outputMean: 0, weightsStd: 1 });
    expect(dense.outputStd).toBeCloseTo(Math.sqrt((1 + 1 + 4 + 4 + 9 + 9) / 6), 6);
    expect(relu).toMatchObject({ layer: 1, name: 'ReLU', outputMean: 1, deadFraction: 0.5 });
    expect(relu.outputStd).toBeCloseTo(Math.sqrt((0 + 1 + 1 + 1 + 4 + 1) / 6), 6);
    expect(dense.gradientStd).toBeUndefined();
    expect(dense.dweightsStd).toBeUndefined();
  });

  it('shows a 0.01 · randn start shrinking the signal at every layer by 0.01 · √(n/2), as Var(y) = n · Var(w) · E[x²] predicts', () => {
    const width = 256;
    const x = new Random(3).randn(400, width);
    const dense = layerStatistics(deepNetwork('randomNormal', 6, width), x).filter((entry) => entry.name === 'Dense');
    // The first layer sees inputs with E[x²] = 1; each later one sees ReLU outputs, with E[x²] = Var(z) / 2.
    expect(dense[0].outputStd / (0.01 * Math.sqrt(width))).toBeCloseTo(1, 1);
    const factor = 0.01 * Math.sqrt(width / 2); // 0.113
    for (let i = 1; i < dense.length; i++) expect(dense[i].outputStd / dense[i - 1].outputStd / factor, `layer ${dense[i].layer}`).toBeGreaterThan(0.9);
    for (let i = 1; i < dense.length; i++) expect(dense[i].outputStd / dense[i - 1].outputStd / factor, `layer ${dense[i].layer}`).toBeLessThan(1.1);
    expect(dense[5].outputStd).toBeLessThan(1e-4);
  });

  it("shows 'heNormal' keeping the spread steady layer after layer", () => {
    const x = new Random(3).randn(400, 256);
    const dense = layerStatistics(deepNetwork('heNormal', 6, 256), x).filter((entry) => entry.name === 'Dense');
    for (let i = 1; i < dense.length; i++) expect(dense[i].outputStd / dense[i - 1].outputStd).toBeCloseTo(1, 0);
    expect(dense[5].outputStd / dense[0].outputStd).toBeGreaterThan(0.6);
  });

  it('gives every layer the spread of the gradient arriving at it, and Dense layers that of dweights', () => {
    const model = classifier();
    const stats = layerStatistics(model, spiral.x, spiral.y);
    const probabilities = model.predict(spiral.x);
    // Softmax with cross-entropy hands the Dense layer before it (ŷ − y) / n.
    const combined = subtract(probabilities, oneHot(spiral.y, 3));
    expect(stats[2].gradientStd).toBeCloseTo(standardDeviation(combined.data) / spiral.x.rows, 6);
    // The Softmax layer itself receives the loss's own gradient, −y / ŷ / n.
    expect(stats[3].gradientStd).toBeCloseTo(standardDeviation(new CategoricalCrossEntropy().backward(probabilities, spiral.y).data), 6);
    for (const entry of stats) expect(entry.gradientStd, entry.name).toBeGreaterThan(0);
    expect(stats.filter((entry) => entry.dweightsStd !== undefined).map((entry) => entry.layer)).toEqual([0, 2]);
  });

  it('changes no weight, and puts back the gradients of a step in progress', () => {
    const model = classifier();
    model.forward(spiral.x);
    model.backward(model.layers[3].output!, spiral.y);
    const trainable = model.layers.filter(isTrainable);
    const before = trainable.map((layer) => [layer.weights.data.slice(), layer.biases.data.slice(), layer.dweights, layer.dbiases] as const);
    layerStatistics(model, Matrix.fromRows([[0.1, 0.2]]), [1]);
    trainable.forEach((layer, i) => {
      expect(layer.weights.data).toEqual(before[i][0]);
      expect(layer.biases.data).toEqual(before[i][1]);
      expect(layer.dweights).toBe(before[i][2]);
      expect(layer.dbiases).toBe(before[i][3]);
    });
  });

  it('runs in inference mode, so Dropout changes nothing and two looks agree', () => {
    const model = classifier(0.5);
    const [first, second] = [layerStatistics(model, spiral.x, spiral.y), layerStatistics(model, spiral.x, spiral.y)];
    expect(second).toEqual(first);
    expect(first[2].outputStd).toBe(first[1].outputStd);
  });

  it('refuses gradients without a loss, and inputs of the wrong width, naming itself', () => {
    expect(() => layerStatistics(handChecked(), column, [0, 1, 0])).toThrow(ScratchnetError);
    expect(() => layerStatistics(handChecked(), column, [0, 1, 0])).toThrow(/^layerStatistics: measuring gradients needs the model to have a loss/);
    expect(() => layerStatistics(handChecked(), Matrix.zeros(3, 2))).toThrow(ShapeError);
    expect(() => layerStatistics(handChecked(), Matrix.zeros(3, 2))).toThrow(/^layerStatistics: x has 2 values per sample/);
    expect(() => layerStatistics(classifier(), spiral.x, [0, 1])).toThrow(/^layerStatistics: /);
  });
});

describe('deadReLUs', () => {
  it('counts the neurons that output 0 for every input', () => {
    expect(deadReLUs(handChecked(), column)).toEqual([{ layer: 1, dead: 1, total: 2 }]);
  });

  it('finds a whole layer dead when its biases start far below anything the inputs can reach', () => {
    const model = classifier();
    (model.layers[0] as Dense).biases.data.fill(-100);
    expect(deadReLUs(model, spiral.x)).toEqual([{ layer: 1, dead: 16, total: 16 }]);
    expect(layerStatistics(model, spiral.x)[1].deadFraction).toBe(1);
  });

  it('counts every ReLU layer, and finds few dead in a He-started network', () => {
    const counts = deadReLUs(deepNetwork('heNormal', 3, 64), new Random(4).randn(200, 64));
    expect(counts.map(({ layer, total }) => [layer, total])).toEqual([
      [1, 64],
      [3, 64],
      [5, 64],
    ]);
    for (const { dead } of counts) expect(dead).toBeLessThan(6);
  });

  it('counts a neuron alive for one row only, whichever batch that row falls in', () => {
    const dense = new Dense(1, 1);
    dense.weights = [[1]];
    dense.biases = [-9.5];
    const model = new Sequential([dense, new ReLU()]);
    const rows = (n: number) => Matrix.fromRows(Array.from({ length: n }, (_, i) => [i + 1]));
    expect(deadReLUs(model, rows(10), { batchSize: 3 })).toEqual([{ layer: 1, dead: 0, total: 1 }]);
    expect(deadReLUs(model, rows(9), { batchSize: 3 })).toEqual([{ layer: 1, dead: 1, total: 1 }]);
    expect(() => deadReLUs(model, rows(9), { batchSize: 0 })).toThrow(/^deadReLUs: batchSize must be a positive whole number, not 0$/);
  });

  it('does not call a diverged network dead: NaN outputs are not 0', () => {
    const model = handChecked();
    (model.layers[0] as Dense).weights.data[1] = Number.NaN;
    expect(deadReLUs(model, column)).toEqual([{ layer: 1, dead: 0, total: 2 }]);
  });
});
