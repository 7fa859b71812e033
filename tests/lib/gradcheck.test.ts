// gradientCheck: every layer, activation and loss passes a float64 finite-difference check
// (relative error < 1e-6), a deliberately wrong backward is caught and located, and the
// check leaves float32 layers, their values and the random generators as it found them.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../lib/matrix.ts';
import { map, multiply } from '../../lib/ops.ts';
import { Random, defaultRandom } from '../../lib/random.ts';
import { Dropout } from '../../lib/dropout.ts';
import { Dense, type DenseOptions, type Layer } from '../../lib/layers.ts';
import { Linear, ReLU, Sigmoid, Softmax } from '../../lib/activations.ts';
import { BinaryCrossEntropy, CategoricalCrossEntropy, MeanAbsoluteError, MeanSquaredError, type Loss } from '../../lib/losses.ts';
import { Adam } from '../../lib/optimizers.ts';
import { Sequential } from '../../lib/model.ts';
import { oneHot } from '../../lib/targets.ts';
import { ScratchnetError } from '../../lib/errors.ts';
import { gradientCheck, relativeError, type GradientCheckReport } from '../../lib/gradcheck.ts';

const TOLERANCE = 1e-6;

/** A Dense layer with He-normal weights and random (non-zero) biases, so no gradient is tiny and L1 never sits on its kink at 0. */
function dense(nInputs: number, nOutputs: number, seed: number, options: DenseOptions = {}): Dense {
  const layer = new Dense(nInputs, nOutputs, { initializer: 'heNormal', rng: new Random(seed), dtype: 'float64', ...options });
  layer.biases = new Random(seed + 1000).randn(1, nOutputs, { dtype: options.dtype ?? 'float64' });
  return layer;
}

/** Five samples of three features. */
function inputs(seed = 1): Matrix {
  return new Random(seed).randn(5, 3, { dtype: 'float64' });
}

/** Labels 0…classes−1 for five samples, every class used. */
const labels = Int32Array.from([0, 1, 2, 3, 1]);

/** The (layer, parameter) pairs a report covers, in order. */
function entries(report: GradientCheckReport): string[] {
  return report.checks.map((check) => `${check.layer} ${check.layerName} ${check.parameter}`);
}

/** Every check in the report is within tolerance and looked at a gradient that is not trivially zero. */
function expectPasses(report: GradientCheckReport): void {
  for (const check of report.checks) {
    expect(check.maxRelativeError, `${check.layerName} ${check.parameter} (layer ${check.layer})`).toBeLessThan(TOLERANCE);
  }
  expect(report.maxRelativeError).toBeLessThan(TOLERANCE);
  expect(report.maxRelativeError).toBe(Math.max(...report.checks.map((check) => check.maxRelativeError)));
  // A check of gradients that are all zero would prove nothing.
  for (const check of report.checks) expect(Math.abs(check.worst.numeric) + Math.abs(check.worst.analytic), `${check.parameter} of layer ${check.layer}`).toBeGreaterThan(0);
}

/** The smallest |value| in a matrix: how far a ReLU's inputs are from its kink at 0. */
function distanceFromZero(m: Matrix): number {
  return Math.min(...Array.from(m.data, Math.abs));
}

function network(layers: Layer[], loss: Loss): { layers: Layer[]; loss: Loss } {
  return { layers, loss };
}

describe('gradientCheck on each layer', () => {
  it('passes for a Dense layer, with entries for its weights, biases and the inputs', () => {
    const net = network([dense(3, 2, 10), new Linear()], new MeanSquaredError());
    const report = gradientCheck(net, inputs(), new Random(2).randn(5, 2, { dtype: 'float64' }));
    expect(entries(report)).toEqual(['0 Dense weights', '0 Dense biases', '-1 inputs inputs']);
    expectPasses(report);
  });

  it.each([
    ['L1 on the weights', { weightRegularizerL1: 0.01 }],
    ['L2 on the weights', { weightRegularizerL2: 0.01 }],
    ['L1 on the biases', { biasRegularizerL1: 0.01 }],
    ['L2 on the biases', { biasRegularizerL2: 0.01 }],
    ['all four penalties at once', { weightRegularizerL1: 0.005, weightRegularizerL2: 0.02, biasRegularizerL1: 0.005, biasRegularizerL2: 0.02 }],
  ] as const)('passes for a Dense layer with %s', (_name, penalties) => {
    const first = dense(3, 4, 11, penalties);
    const net = network([first, new Sigmoid(), dense(4, 2, 12, penalties), new Linear()], new MeanSquaredError());
    const x = inputs();
    const y = new Random(3).randn(5, 2, { dtype: 'float64' });
    // The penalty is part of the loss being differentiated.
    expect(first.regularizationLoss()).toBeGreaterThan(0);
    const report = gradientCheck(net, x, y);
    expect(entries(report)).toEqual(['0 Dense weights', '0 Dense biases', '2 Dense weights', '2 Dense biases', '-1 inputs inputs']);
    expectPasses(report);

    // The penalty's gradient is large enough to matter: the same layer without it has a gradient
    // that differs by far more than the tolerance, so a missing or wrong penalty term would fail.
    const plainReport = gradientCheck(network([dense(3, 4, 11), new Sigmoid(), dense(4, 2, 12), new Linear()], new MeanSquaredError()), x, y);
    const penalized = 'weightRegularizerL1' in penalties || 'weightRegularizerL2' in penalties ? 0 : 1; // checks[0] is weights, [1] biases
    const a = report.checks[penalized].analytic.toArray();
    const b = plainReport.checks[penalized].analytic.toArray();
    expect(Math.max(...a.map((v, i) => relativeError(v, b[i])))).toBeGreaterThan(1e-3);
  });

  it('passes through ReLU when no input sits near the kink at 0', () => {
    const first = dense(3, 6, 20);
    const relu = new ReLU();
    const net = network([first, relu, dense(6, 2, 21), new Linear()], new MeanSquaredError());
    const x = inputs(4);
    const report = gradientCheck(net, x, new Random(5).randn(5, 2, { dtype: 'float64' }));
    // The pre-activations are far from 0 compared with ε = 1e-5, so no nudge crosses the kink,
    // and some are negative, so the check covers both sides of it.
    const pre = first.forward(x);
    expect(distanceFromZero(pre)).toBeGreaterThan(1e-3);
    expect(pre.toArray().some((v) => v < 0)).toBe(true);
    expect(pre.toArray().some((v) => v > 0)).toBe(true);
    expectPasses(report);
  });

  it('passes through Softmax followed by categorical cross-entropy', () => {
    const report = gradientCheck(network([dense(3, 4, 30), new Softmax()], new CategoricalCrossEntropy()), inputs(), labels);
    expectPasses(report);
  });

  it('passes through Sigmoid in a hidden layer', () => {
    const net = network([dense(3, 4, 40), new Sigmoid(), dense(4, 2, 41), new Linear()], new MeanSquaredError());
    expectPasses(gradientCheck(net, inputs(), new Random(6).randn(5, 2, { dtype: 'float64' })));
  });

  it('passes through Linear', () => {
    const net = network([dense(3, 3, 50), new Linear(), dense(3, 2, 51), new Linear()], new MeanSquaredError());
    expectPasses(gradientCheck(net, inputs(), new Random(7).randn(5, 2, { dtype: 'float64' })));
  });

  /** A Dropout that remembers the mask of every training pass, to see what the check replayed. */
  class RecordingDropout extends Dropout {
    masks: number[][] = [];
    override forward(inputs: Matrix, options?: { training?: boolean }): Matrix {
      const output = super.forward(inputs, options);
      if (this.mask) this.masks.push(this.mask.toArray());
      return output;
    }
  }

  it('passes through Dropout in training mode, replaying the same mask for every nudge', () => {
    const dropout = new RecordingDropout(0.4, { rng: new Random(8) });
    const net = network([dense(3, 8, 60), new Sigmoid(), dropout, dense(8, 4, 61), new Softmax()], new CategoricalCrossEntropy());
    const before = dropout.rng!.getState();
    const report = gradientCheck(net, inputs(), labels, { training: true });
    expectPasses(report);
    // Every evaluation saw the same mask, and it really dropped some units and kept others.
    expect(dropout.masks.length).toBeGreaterThan(100);
    expect(new Set(dropout.masks.map((m) => m.join())).size).toBe(1);
    const mask = dropout.masks[0];
    expect(mask.filter((v) => v === 0).length).toBeGreaterThan(0);
    expect(mask.filter((v) => v > 1).length).toBeGreaterThan(0);
    // The generator is left where it was, so the check does not change later training.
    expect(dropout.rng!.getState()).toEqual(before);
  });

  it('replays the shared default generator for a Dropout layer without its own', () => {
    const dropout = new RecordingDropout(0.5);
    const net = network([dense(3, 8, 62), new Sigmoid(), dropout, dense(8, 2, 63), new Linear()], new MeanSquaredError());
    const before = defaultRandom.getState();
    expectPasses(gradientCheck(net, inputs(), new Random(9).randn(5, 2, { dtype: 'float64' }), { training: true }));
    expect(new Set(dropout.masks.map((m) => m.join())).size).toBe(1);
    expect(dropout.masks[0]).toContain(0);
    expect(defaultRandom.getState()).toEqual(before);
  });
});

describe('gradientCheck on each loss', () => {
  it('passes for categorical cross-entropy with sparse labels', () => {
    expectPasses(gradientCheck(network([dense(3, 4, 70), new Softmax()], new CategoricalCrossEntropy()), inputs(10), labels));
  });

  it('passes for categorical cross-entropy with one-hot targets', () => {
    const sparse = gradientCheck(network([dense(3, 4, 71), new Softmax()], new CategoricalCrossEntropy()), inputs(11), labels);
    const report = gradientCheck(network([dense(3, 4, 71), new Softmax()], new CategoricalCrossEntropy()), inputs(11), oneHot(labels, 4));
    expectPasses(report);
    // Both forms describe the same targets, so the analytic gradients agree.
    expect(report.checks[0].analytic.toArray()).toEqual(sparse.checks[0].analytic.toArray());
    expect(report.checks[1].analytic.toArray()).toEqual(sparse.checks[1].analytic.toArray());
  });

  it('passes for binary cross-entropy after a Sigmoid', () => {
    const targets = Matrix.fromRows([[1, 0], [0, 0], [1, 1], [0, 1], [1, 0]], { dtype: 'float64' });
    expectPasses(gradientCheck(network([dense(3, 2, 72), new Sigmoid()], new BinaryCrossEntropy()), inputs(12), targets));
  });

  it('passes for mean squared error', () => {
    expectPasses(gradientCheck(network([dense(3, 2, 73), new Linear()], new MeanSquaredError()), inputs(13), new Random(14).randn(5, 2, { dtype: 'float64' })));
  });

  it('passes for mean absolute error away from its kink where prediction equals target', () => {
    const layer = dense(3, 2, 74);
    const x = inputs(15);
    const y = new Random(16).randn(5, 2, { dtype: 'float64' });
    const report = gradientCheck(network([layer, new Linear()], new MeanAbsoluteError()), x, y);
    const residuals = layer.forward(x).toArray().map((p, i) => Math.abs(p - y.data[i]));
    expect(Math.min(...residuals)).toBeGreaterThan(1e-3);
    expectPasses(report);
  });
});

/** A ReLU whose backward is 1% too large. */
class SloppyReLU extends ReLU {
  override backward(dvalues: Matrix): Matrix {
    this.dinputs = map(super.backward(dvalues), (v) => v * 1.01);
    return this.dinputs;
  }
}

/** A Dense layer that reports twice the bias gradient. */
class DoubledBiasDense extends Dense {
  override backward(dvalues: Matrix): Matrix {
    const dinputs = super.backward(dvalues);
    this.dbiases = multiply(this.dbiases!, 2);
    return dinputs;
  }
}

describe('gradientCheck catching a wrong backward', () => {
  it('flags the layers below a ReLU whose backward is 1% off, and clears the layers above it', () => {
    const net = network([dense(3, 6, 80), new SloppyReLU(), dense(6, 2, 81), new Linear()], new MeanSquaredError());
    const report = gradientCheck(net, inputs(17), new Random(18).randn(5, 2, { dtype: 'float64' }));
    expect(report.maxRelativeError).toBeGreaterThan(1e-3);
    const byName = Object.fromEntries(report.checks.map((check) => [`${check.layer} ${check.parameter}`, check.maxRelativeError]));
    // The gradient that leaves the ReLU is wrong, so everything it reaches is wrong by about 1%.
    for (const key of ['0 weights', '0 biases', '-1 inputs']) {
      expect(byName[key], key).toBeGreaterThan(1e-3);
      expect(byName[key], key).toBeLessThan(0.02);
    }
    // The layer after it gets its gradient before the ReLU's backward runs, so it is fine.
    expect(byName['2 weights']).toBeLessThan(TOLERANCE);
    expect(byName['2 biases']).toBeLessThan(TOLERANCE);
  });

  it('points at the biases of a Dense layer that doubles its bias gradient', () => {
    const bad = new DoubledBiasDense(3, 2, { initializer: 'heNormal', rng: new Random(82), dtype: 'float64' });
    const net = network([dense(3, 3, 83), new Sigmoid(), bad, new Linear()], new MeanSquaredError());
    const report = gradientCheck(net, inputs(19), new Random(20).randn(5, 2, { dtype: 'float64' }));
    const failing = report.checks.filter((check) => check.maxRelativeError > 1e-3);
    expect(failing.map((check) => `${check.layer} ${check.layerName} ${check.parameter}`)).toEqual(['2 Dense biases']);
    // Analytic 2g against numeric g: a relative error of exactly 1/2.
    expect(failing[0].maxRelativeError).toBeCloseTo(0.5, 6);
    expect(failing[0].worst.analytic).toBeCloseTo(2 * failing[0].worst.numeric, 6);
    expect(report.maxRelativeError).toBeCloseTo(0.5, 6);
  });
});

describe('gradientCheck on float32 layers and models', () => {
  it('checks float32 layers in float64 and restores the same float32 matrices with their values', () => {
    const first = new Dense(3, 5, { initializer: 'heNormal', rng: new Random(90) });
    first.biases = new Random(91).randn(1, 5);
    const second = new Dense(5, 4, { initializer: 'heNormal', rng: new Random(92) });
    const layers: Layer[] = [first, new Sigmoid(), second, new Softmax()];
    const weights = [first.weights, first.biases, second.weights, second.biases];
    const copies = weights.map((m) => m.data.slice());
    const x = new Random(93).randn(5, 3); // float32 inputs too
    const xCopy = x.data.slice();

    const report = gradientCheck(network(layers, new CategoricalCrossEntropy()), x, labels);
    expectPasses(report);

    const after = [first.weights, first.biases, second.weights, second.biases];
    after.forEach((m, i) => {
      expect(m).toBe(weights[i]);
      expect(m.dtype).toBe('float32');
      expect(m.data).toEqual(copies[i]);
    });
    expect(x.dtype).toBe('float32');
    expect(x.data).toEqual(xCopy);
  });

  it('leaves the gradients of the model\'s own last pass in place, so a following step is unaffected', () => {
    const model = new Sequential([dense(3, 6, 97, { dtype: 'float32' }), new Sigmoid(), dense(6, 4, 98, { dtype: 'float32' }), new Softmax()], { loss: new CategoricalCrossEntropy(), optimizer: new Adam() });
    const x = new Random(23).randn(5, 3); // float32, like real training
    model.backward(model.forward(x, { training: true }), labels);
    const first = model.layers[0] as Dense;
    const { dweights, dbiases, inputs: seen, output } = first;
    gradientCheck(model, new Random(24).randn(5, 3), labels);
    expect(first.dweights).toBe(dweights);
    expect(first.dbiases).toBe(dbiases);
    expect(first.inputs).toBe(seen);
    expect(first.output).toBe(output);
    expect(first.dweights!.dtype).toBe('float32');
  });

  it('checks a Sequential model passed as the network', () => {
    const model = new Sequential([dense(3, 6, 94), new Sigmoid(), dense(6, 4, 95), new Softmax()], { loss: new CategoricalCrossEntropy(), optimizer: new Adam() });
    const report = gradientCheck(model, inputs(21), labels);
    expect(entries(report)).toEqual(['0 Dense weights', '0 Dense biases', '2 Dense weights', '2 Dense biases', '-1 inputs inputs']);
    expectPasses(report);
  });

  it('checks what training runs: a Sequential model\'s own backward, softmax and cross-entropy combined', () => {
    let calls = 0;
    class Counting extends Sequential {
      override backward(output: Matrix, targets: Parameters<Sequential['backward']>[1]): void {
        calls += 1;
        super.backward(output, targets);
      }
    }
    const model = new Counting([dense(3, 6, 94), new Sigmoid(), dense(6, 4, 95), new Softmax()], { loss: new CategoricalCrossEntropy() });
    expectPasses(gradientCheck(model, inputs(21), labels));
    expect(calls).toBe(1);
    // A model whose backward goes wrong is caught, at the parameter it got wrong.
    class Doubling extends Sequential {
      override backward(output: Matrix, targets: Parameters<Sequential['backward']>[1]): void {
        super.backward(output, targets);
        const first = this.layers[0] as Dense;
        first.dbiases = multiply(first.dbiases!, 2);
      }
    }
    const wrong = gradientCheck(new Doubling([dense(3, 6, 94), new Sigmoid(), dense(6, 4, 95), new Softmax()], { loss: new CategoricalCrossEntropy() }), inputs(21), labels);
    expect(wrong.checks[1].parameter).toBe('biases');
    expect(wrong.checks[1].maxRelativeError).toBeGreaterThan(0.4);
    expect(wrong.checks[0].maxRelativeError).toBeLessThan(1e-6);
  });

  it('leaves out the inputs when checkInputs is false', () => {
    const report = gradientCheck(network([dense(3, 2, 96), new Linear()], new MeanSquaredError()), inputs(), new Random(22).randn(5, 2, { dtype: 'float64' }), { checkInputs: false });
    expect(entries(report)).toEqual(['0 Dense weights', '0 Dense biases']);
  });

  it('refuses a network without a loss and a non-positive epsilon', () => {
    expect(() => gradientCheck({ layers: [dense(3, 2, 97)] }, inputs(), labels)).toThrow(ScratchnetError);
    expect(() => gradientCheck({ layers: [dense(3, 2, 97)] }, inputs(), labels)).toThrow('gradientCheck: the network has no loss to differentiate');
    expect(() => gradientCheck(network([dense(3, 2, 97), new Linear()], new MeanSquaredError()), inputs(), new Matrix(5, 2), { epsilon: 0 })).toThrow('gradientCheck: epsilon must be positive, not 0');
  });
});

describe('relativeError', () => {
  it('is |a − n| / max(|a|, |n|)', () => {
    expect(relativeError(1, 1)).toBe(0);
    expect(relativeError(2, 1)).toBe(0.5);
    expect(relativeError(1, 2)).toBe(0.5);
    expect(relativeError(-1, 1)).toBe(2);
    expect(relativeError(3, 0)).toBe(1);
    expect(relativeError(1e-3, 1.001e-3)).toBeCloseTo(0.001 / 1.001, 12);
  });

  it('is 0 when both gradients are 0', () => {
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(-0, 0)).toBe(0);
  });
});
