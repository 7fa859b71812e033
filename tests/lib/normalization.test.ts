// BatchNormalization: a worked batch by hand (the batch's statistics while training, the running
// ones at inference), gradients checked against finite differences, the running statistics kept
// through saving, loading, early stopping and gradient checks, and the errors for misuse.
import { describe, expect, it } from 'vitest';
import { ReLU, Softmax } from '../../lib/activations.ts';
import { ScratchnetError, ShapeError } from '../../lib/errors.ts';
import { gradientCheck } from '../../lib/gradcheck.ts';
import { Dense } from '../../lib/layers.ts';
import { CategoricalCrossEntropy } from '../../lib/losses.ts';
import { Matrix } from '../../lib/matrix.ts';
import { mlp } from '../../lib/mlp.ts';
import { Sequential } from '../../lib/model.ts';
import { BatchNormalization } from '../../lib/normalization.ts';
import { Adam } from '../../lib/optimizers.ts';
import { sum } from '../../lib/ops.ts';
import { Random } from '../../lib/random.ts';
import { decodeModel, deserializeModel, encodeModel, loadWeights, serializeModel } from '../../lib/serialize.ts';

const rows = (m: Matrix) => m.toRows().map((row) => row.map((v) => Number(v.toFixed(6))));

describe('BatchNormalization', () => {
  it('starts with scale 1, shift 0, running mean 0 and running variance 1, as many outputs as inputs', () => {
    const layer = new BatchNormalization(3);
    expect([layer.nInputs, layer.nOutputs, layer.momentum, layer.epsilon]).toEqual([3, 3, 0.9, 1e-5]);
    expect([layer.weights, layer.biases, layer.runningMean, layer.runningVariance].map((m) => Array.from(m.data))).toEqual([[1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]]);
  });

  it('normalises a training batch with its own mean and variance, then scales by γ and shifts by β', () => {
    // Feature 0 is 1 and 3 (mean 2, variance 1); feature 1 is 2 and 6 (mean 4, variance 4): both become −1 and 1.
    const layer = new BatchNormalization(2, { epsilon: 1e-8 });
    layer.weights = Matrix.rowVector([2, 1]);
    layer.biases = Matrix.rowVector([0.5, 0]);
    const output = layer.forward(Matrix.fromRows([[1, 2], [3, 6]]), { training: true });
    expect(rows(layer.normalized!)).toEqual([[-1, -1], [1, 1]]);
    expect(rows(output)).toEqual([[-1.5, -1], [2.5, 1]]);
    // The running statistics move a tenth of the way: the mean from 0 to the batch's [2, 4], the
    // variance from 1 to the unbiased estimate (over n − 1 = 1) [2, 8].
    expect(rows(layer.runningMean)).toEqual([[0.2, 0.4]]);
    expect(rows(layer.runningVariance)).toEqual([[1.1, 1.7]]);
  });

  it('normalises with the running statistics at inference, so one sample gives the same answer in any batch', () => {
    const layer = new BatchNormalization(2, { epsilon: 1e-8 });
    layer.runningMean = Matrix.rowVector([1, -2]);
    layer.runningVariance = Matrix.rowVector([4, 0.25]);
    layer.weights = Matrix.rowVector([3, 1]);
    layer.biases = Matrix.rowVector([0, 10]);
    const alone = layer.forward(Matrix.fromRows([[5, -1]]), { training: false });
    // (5 − 1) / 2 · 3 = 6 and (−1 + 2) / 0.5 · 1 + 10 = 12
    expect(rows(alone)).toEqual([[6, 12]]);
    const inBatch = layer.forward(Matrix.fromRows([[0, 0], [5, -1], [100, 100]]), { training: false });
    expect(rows(inBatch)[1]).toEqual([6, 12]);
    expect(rows(layer.runningMean)).toEqual([[1, -2]]); // inference leaves them alone
  });

  it('passes gradients that sum to zero over the batch for every feature, since shifting a whole feature changes nothing after normalising', () => {
    const rng = new Random(3);
    const layer = new BatchNormalization(4);
    const x = new Matrix(8, 4, Float32Array.from({ length: 32 }, () => rng.gaussian()));
    layer.forward(x, { training: true });
    const dinputs = layer.backward(new Matrix(8, 4, Float32Array.from({ length: 32 }, () => rng.gaussian())));
    for (const total of sum(dinputs, 0).data) expect(Math.abs(total)).toBeLessThan(1e-5);
  });

  it('has gradients for γ, β and its inputs that match finite differences, inside a network, in training mode', () => {
    const rng = new Random(21);
    const first = new Dense(3, 5, { rng, initializer: 'heNormal', dtype: 'float64' });
    const normalization = new BatchNormalization(5, { dtype: 'float64' });
    normalization.weights = Matrix.rowVector([1.5, 0.7, 1, 2, 0.4], { dtype: 'float64' });
    normalization.biases = Matrix.rowVector([0.3, -0.2, 0.5, 0.1, 0.6], { dtype: 'float64' });
    const model = new Sequential([first, normalization, new ReLU(), new Dense(5, 3, { rng, initializer: 'glorotUniform', dtype: 'float64' }), new Softmax()], { loss: new CategoricalCrossEntropy() });
    const x = new Matrix(6, 3, Float64Array.from({ length: 18 }, () => rng.uniform(-2, 2)), { dtype: 'float64' });
    const report = gradientCheck(model, x, [0, 1, 2, 0, 1, 2], { training: true });
    const checked = report.checks.filter((check) => check.layerName === 'BatchNormalization').map((check) => check.parameter);
    expect(checked).toEqual(['weights', 'biases']);
    for (const check of report.checks) {
      if (check.layer === 0 && check.parameter === 'biases') {
        // The Dense biases just before it get no gradient at all: normalising subtracts the batch's
        // mean, and with it any bias. Both slopes are 0 up to rounding, so the absolute error is the one to read.
        expect(check.maxAbsoluteError).toBeLessThan(1e-9);
        expect(Math.max(...Array.from(check.analytic.data, Math.abs))).toBeLessThan(1e-12);
      } else {
        expect(check.maxRelativeError, `${check.layerName} ${check.parameter}`).toBeLessThan(1e-6);
      }
    }
  });

  it('a wrong dinputs formula fails the same gradient check', () => {
    // Leaving out the mean's share of the gradient (the − Σ dvalues term) is the classic mistake.
    const rng = new Random(21);
    const normalization = new BatchNormalization(4, { dtype: 'float64' });
    const model = new Sequential([normalization, new Dense(4, 3, { rng, initializer: 'glorotUniform', dtype: 'float64' }), new Softmax()], { loss: new CategoricalCrossEntropy() });
    const honest = normalization.backward.bind(normalization);
    normalization.backward = (dvalues) => {
      const dinputs = honest(dvalues);
      const gamma = normalization.weights.data;
      const inverse = normalization.inverseDeviation!.data;
      const totals = sum(dvalues, 0).data;
      for (let i = 0; i < dinputs.size; i++) dinputs.data[i] += (gamma[i % 4] * inverse[i % 4] * totals[i % 4]) / dvalues.rows;
      return dinputs;
    };
    const x = new Matrix(5, 4, Float64Array.from({ length: 20 }, () => rng.uniform(-2, 2)), { dtype: 'float64' });
    expect(gradientCheck(model, x, [0, 1, 2, 0, 1], { training: true }).maxRelativeError).toBeGreaterThan(1e-3);
  });

  it('leaves its running statistics as they were after a gradient check, which runs many forward passes', () => {
    const rng = new Random(4);
    const normalization = new BatchNormalization(3, { dtype: 'float64' });
    const model = new Sequential([normalization, new Dense(3, 2, { rng, dtype: 'float64' }), new Softmax()], { loss: new CategoricalCrossEntropy() });
    const before = [normalization.runningMean, normalization.runningVariance];
    gradientCheck(model, Matrix.fromRows([[1, 2, 3], [0, -1, 4], [2, 2, 2]], { dtype: 'float64' }), [0, 1, 0], { training: true });
    expect([normalization.runningMean, normalization.runningVariance]).toEqual(before);
    expect(Array.from(normalization.runningMean.data)).toEqual([0, 0, 0]);
  });

  it('trains inside mlp() with batchNormalization, between each hidden Dense layer and its ReLU', () => {
    const rng = new Random(5);
    const model = mlp([2, 16, 8, 2], { batchNormalization: true, rng, optimizer: new Adam({ learningRate: 0.02 }) });
    expect(model.layers.map((layer) => layer.name)).toEqual(['Dense', 'BatchNormalization', 'ReLU', 'Dense', 'BatchNormalization', 'ReLU', 'Dense', 'Softmax']);
    // Two blobs, one on each side of the origin: easy for any working network.
    const x = new Matrix(64, 2, Float32Array.from({ length: 128 }, (_, i) => (Math.floor(i / 2) % 2 ? 1 : -1) + 0.3 * rng.gaussian()));
    const y = Int32Array.from({ length: 64 }, (_, i) => i % 2);
    const history = model.train(x, y, { epochs: 20, batchSize: 16, rng });
    expect(history.loss.at(-1)!).toBeLessThan(history.loss[0] / 3);
    expect(model.accuracy(x, y)).toBe(1);
    const normalization = model.layers[1] as BatchNormalization;
    expect(Array.from(normalization.weights.data).some((gamma) => gamma !== 1)).toBe(true); // γ learned
    expect(Array.from(normalization.runningVariance.data).some((variance) => variance !== 1)).toBe(true); // statistics kept
  });

  it('comes back from both saved forms with its γ, β, running statistics and settings, predicting the same', () => {
    const rng = new Random(6);
    const model = mlp([3, 4, 2], { batchNormalization: true, rng, optimizer: new Adam() });
    const x = new Matrix(10, 3, Float32Array.from({ length: 30 }, () => rng.gaussian() * 3 + 1));
    model.train(x, Int32Array.from({ length: 10 }, (_, i) => i % 2), { epochs: 3, batchSize: 5, rng });
    const expected = model.predict(x).data;
    const fromJSON = deserializeModel(JSON.stringify(serializeModel(model)));
    const fromBinary = decodeModel(encodeModel(model));
    for (const copy of [fromJSON, fromBinary]) {
      const normalization = copy.layers[1] as BatchNormalization;
      expect(normalization).toBeInstanceOf(BatchNormalization);
      expect(Array.from(normalization.runningMean.data)).toEqual(Array.from((model.layers[1] as BatchNormalization).runningMean.data));
      expect(Array.from(copy.predict(x).data)).toEqual(Array.from(expected));
    }
    const fresh = mlp([3, 4, 2], { batchNormalization: true, rng: new Random(99) });
    loadWeights(fresh, encodeModel(model));
    expect(Array.from(fresh.predict(x).data)).toEqual(Array.from(expected));
  });

  it('refuses a saved running variance below zero, and a file whose layer kinds differ from the model', () => {
    const model = mlp([2, 3, 2], { batchNormalization: true, rng: new Random(7) });
    const json = serializeModel(model);
    (json.layers[1] as { runningVariance: number[] }).runningVariance[2] = -0.5;
    expect(() => deserializeModel(json)).toThrow('deserializeModel: layers[1].runningVariance[2] is -0.5, but a variance cannot be negative');
    const plain = new Sequential([new Dense(2, 3), new Dense(3, 3), new Dense(3, 2)]);
    expect(() => loadWeights(plain, encodeModel(model))).toThrow('loadWeights: layer 1 (Dense) is a BatchNormalization layer in the file; the file belongs to another model');
  });

  it('puts back the best epoch\'s running statistics with its γ and β when early stopping restores weights', () => {
    const rng = new Random(8);
    const model = mlp([2, 8, 2], { batchNormalization: true, rng, optimizer: new Adam({ learningRate: 0.05 }) });
    const x = new Matrix(40, 2, Float32Array.from({ length: 80 }, () => rng.gaussian()));
    const y = Int32Array.from({ length: 40 }, (_, i) => (x.data[2 * i] > 0 ? 1 : 0));
    const normalization = model.layers[1] as BatchNormalization;
    const snapshots: number[][] = [];
    const history = model.train(x, y, {
      epochs: 30,
      batchSize: 8,
      rng,
      // Validation labels that disagree with the training ones make an early epoch the best.
      validation: { x, y: y.map((label) => 1 - label) },
      earlyStopping: { patience: 3 },
      onEpoch: () => void snapshots.push(Array.from(normalization.runningMean.data)),
    });
    expect(history.bestEpoch).toBeLessThan(snapshots.length);
    expect(Array.from(normalization.runningMean.data)).toEqual(snapshots[history.bestEpoch! - 1]);
  });

  it.each([
    ['a size of 0', () => new BatchNormalization(0), ShapeError, 'BatchNormalization: size must be a positive whole number of features, not 0'],
    ['a momentum of 1', () => new BatchNormalization(2, { momentum: 1 }), ScratchnetError, 'BatchNormalization: momentum must be in [0, 1), not 1'],
    ['an epsilon of 0', () => new BatchNormalization(2, { epsilon: 0 }), ScratchnetError, 'BatchNormalization: epsilon must be a positive number, not 0'],
    ['inputs of the wrong width', () => new BatchNormalization(2).forward(Matrix.zeros(3, 4)), ShapeError, 'BatchNormalization.forward: inputs (3×4) have 4 features per sample but this layer normalises 2'],
    ['a training batch of one sample', () => new BatchNormalization(2).forward(Matrix.zeros(1, 2), { training: true }), ShapeError, 'BatchNormalization.forward: a training batch of 1 sample has no variance to normalise by; train on batches of at least 2'],
    ['backward before a training pass', () => new BatchNormalization(2).backward(Matrix.zeros(3, 2)), ScratchnetError, 'BatchNormalization.backward: call forward(inputs) in training mode before backward(dvalues)'],
    ['a scale of the wrong shape', () => (new BatchNormalization(2).weights = Matrix.zeros(2, 2)), ShapeError, 'BatchNormalization.weights: a layer of 2 features needs weights of shape 1×2, not 2×2'],
  ])('refuses %s, naming the problem', (_, act, Kind, message) => {
    expect(act).toThrow(Kind);
    expect(act).toThrow(message);
  });
});
