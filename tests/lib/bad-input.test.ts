// A corpus of bad training input, one table per class, each entry checked the same way: the right
// error class and operation, a message that names the row, column or layer and says what to fix,
// and nothing lost (no optimizer step, every weight byte for byte as it was, or the history kept).
// Data: every target and input is checked before the first step, by train() over the whole
// dataset and by trainBatch() over its batch. Divergence: runs the clipped loss hides are stopped.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../lib/matrix.ts';
import { sliceRows } from '../../lib/ops.ts';
import { Random } from '../../lib/random.ts';
import { Dense, isTrainable, type TrainableLayer } from '../../lib/layers.ts';
import { Linear, ReLU, Sigmoid, Softmax } from '../../lib/activations.ts';
import { BinaryCrossEntropy, CategoricalCrossEntropy, MeanSquaredError, SoftmaxCrossEntropy } from '../../lib/losses.ts';
import { Adam, SGD, type Optimizer } from '../../lib/optimizers.ts';
import { Sequential } from '../../lib/model.ts';
import { oneHot, type Targets } from '../../lib/targets.ts';
import { sineData, spiralData } from '../../lib/data.ts';
import { ScratchnetError, ShapeError, TrainingError } from '../../lib/errors.ts';
import { DIVERGENCE } from '../../lib/training.ts';
import { gatherRows } from '../../lib/ops.ts';
import { thrown } from '../support/expect.ts';

const spiral = spiralData(100, 3, new Random(1));
const sine = sineData(60);

/** A 2 → 16 → 3 softmax classifier with cross-entropy, its weights drawn from `seed`. */
function classifier(optimizer: Optimizer = new Adam({ learningRate: 0.05 }), seed = 7): Sequential {
  const rng = new Random(seed);
  return new Sequential([new Dense(2, 16, { rng, initializer: 'heNormal' }), new ReLU(), new Dense(16, 3, { rng }), new Softmax()], { loss: new CategoricalCrossEntropy(), optimizer });
}

/** A 2 → 4 → 1 yes/no model with a Sigmoid and binary cross-entropy. */
function yesNo(optimizer: Optimizer = new Adam()): Sequential {
  const rng = new Random(8);
  return new Sequential([new Dense(2, 4, { rng }), new ReLU(), new Dense(4, 1, { rng }), new Sigmoid()], { loss: new BinaryCrossEntropy(), optimizer });
}

/** A 1 → 8 → 1 regressor with mean squared error. */
function regressor(): Sequential {
  const rng = new Random(9);
  return new Sequential([new Dense(1, 8, { rng, initializer: 'heNormal' }), new ReLU(), new Dense(8, 1, { rng }), new Linear()], { loss: new MeanSquaredError(), optimizer: new Adam() });
}

/** Every weight and bias of a model as raw bytes, for bit-exact comparison. */
function parameterBytes(model: Sequential): Uint8Array[] {
  return model.layers.filter(isTrainable).flatMap((layer) => [layer.weights, layer.biases].map((m) => new Uint8Array(m.data.buffer.slice(m.data.byteOffset, m.data.byteOffset + m.data.byteLength))));
}


/** Asserts that `attempt` throws `type` with `message`, and that no step was taken and no weight changed. */
function expectRefused(model: Sequential, attempt: () => unknown, type: new (...args: never[]) => ScratchnetError, message: RegExp): void {
  const before = parameterBytes(model);
  const iterations = model.optimizer?.iterations ?? 0;
  const error = thrown(attempt);
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(message);
  expect(model.optimizer?.iterations ?? 0, 'optimizer steps taken').toBe(iterations);
  expect(parameterBytes(model), 'weights changed').toEqual(before);
}

/** The spiral's one-hot targets with row `row` replaced by `values`. */
function oneHotWith(row: number, values: number[]): Matrix {
  const y = oneHot(spiral.y, 3);
  y.data.set(values, row * 3);
  return y;
}

interface TrainCase {
  input: string;
  model: () => Sequential;
  x: Matrix;
  y: unknown;
  validation?: { x: Matrix; y: Targets };
  type: new (...args: never[]) => ScratchnetError;
  message: RegExp;
}

// Without shuffling, row 299 is in the tenth and last batch of 32: today's checks must find it before the first.
const trainCases: TrainCase[] = [
  { input: 'a one-hot row of zeros in the last batch', model: () => classifier(), x: spiral.x, y: oneHotWith(299, [0, 0, 0]), type: ShapeError, message: /^Sequential\.train: one-hot row 299 is all zeros, so it names no class; give the sample's class a 1 \(oneHot\(labels, 3\) builds such rows\)$/ },
  { input: 'a negative one-hot entry whose row still adds up to 1', model: () => classifier(), x: spiral.x, y: oneHotWith(250, [-1, 2, 0]), type: ShapeError, message: /^Sequential\.train: one-hot row 250 holds -1 at column 0; targets are class probabilities, which cannot be negative$/ },
  { input: 'a one-hot row with two 1s', model: () => classifier(), x: spiral.x, y: oneHotWith(290, [1, 1, 0]), type: ShapeError, message: /^Sequential\.train: one-hot row 290 adds up to 2 \(\[1, 1, 0\]\), not 1; .*use a Sigmoid output with BinaryCrossEntropy\)$/ },
  { input: 'percentages instead of probabilities', model: () => classifier(), x: spiral.x, y: oneHotWith(10, [20, 50, 30]), type: ShapeError, message: /one-hot row 10 adds up to 100 \(\[20, 50, 30\]\), not 1; give each sample's class a 1, or soft labels that add up to 1/ },
  { input: 'a one-hot row of zeros in the validation targets', model: () => classifier(), x: spiral.x, y: spiral.y, validation: { x: spiral.x, y: oneHotWith(5, [0, 0, 0]) }, type: ShapeError, message: /^Sequential\.train \(validation\): one-hot row 5 is all zeros/ },
  { input: 'a one-hot row with two 1s in the validation targets', model: () => classifier(), x: spiral.x, y: spiral.y, validation: { x: spiral.x, y: oneHotWith(7, [0, 1, 1]) }, type: ShapeError, message: /^Sequential\.train \(validation\): one-hot row 7 adds up to 2/ },
  { input: 'one-hot rows as nested arrays rather than a Matrix', model: () => classifier(), x: spiral.x, y: oneHot(spiral.y, 3).toRows(), type: ShapeError, message: /^Sequential\.train: label \[1,0,0\] at position 0 is not a whole number; .*make them a Matrix: Matrix\.fromRows\(rows\)$/ },
  { input: 'regression targets left undefined', model: regressor, x: sine.x, y: undefined, type: ShapeError, message: /^Sequential\.train: targets must be a Matrix with one row per sample, or an array of numbers for a single output, not undefined$/ },
  { input: 'binary targets given as a string', model: () => yesNo(), x: spiral.x, y: 'yes', type: ShapeError, message: /^Sequential\.train: targets must be a Matrix with one row per sample, or an array of numbers for a single output, not yes$/ },
];

describe('train() checks every target, of the training and the validation data, before the first step', () => {
  it.each(trainCases.map((c) => [c.input, c] as const))('refuses %s, naming the row and what to fix', (_, c) => {
    const model = c.model();
    let steps = 0;
    expectRefused(model, () => model.train(c.x, c.y as Targets, { epochs: 2, shuffle: false, validation: c.validation, onBatch: () => void (steps += 1) }), c.type, c.message);
    expect(steps, 'batches trained').toBe(0);
  });
});

interface BatchCase {
  input: string;
  model: () => Sequential;
  x: Matrix;
  y: Targets;
  type: new (...args: never[]) => ScratchnetError;
  message: RegExp;
}

const batchX = sliceRows(spiral.x, 0, 8);
const withValue = (m: Matrix, row: number, col: number, value: number): Matrix => {
  const copy = m.clone();
  copy.set(row, col, value);
  return copy;
};
const batchOneHot = (row: number, values: number[]): Matrix => {
  const y = oneHot(spiral.y.subarray(0, 8), 3);
  y.data.set(values, row * 3);
  return y;
};

const batchCases: BatchCase[] = [
  { input: 'NaN in x', model: () => classifier(), x: withValue(batchX, 3, 1, Number.NaN), y: spiral.y.subarray(0, 8), type: ScratchnetError, message: /^Sequential\.trainBatch: x holds NaN at row 3, column 1; inputs must be finite numbers$/ },
  { input: '-Infinity in x', model: () => classifier(), x: withValue(batchX, 6, 0, Number.NEGATIVE_INFINITY), y: spiral.y.subarray(0, 8), type: ScratchnetError, message: /^Sequential\.trainBatch: x holds -Infinity at row 6, column 0; inputs must be finite numbers$/ },
  { input: 'a one-hot row of zeros', model: () => classifier(), x: batchX, y: batchOneHot(2, [0, 0, 0]), type: ShapeError, message: /^Sequential\.trainBatch: one-hot row 2 is all zeros, so it names no class/ },
  { input: 'a one-hot row with two 1s', model: () => classifier(), x: batchX, y: batchOneHot(4, [1, 0, 1]), type: ShapeError, message: /^Sequential\.trainBatch: one-hot row 4 adds up to 2 \(\[1, 0, 1\]\), not 1/ },
  { input: 'a negative one-hot entry', model: () => classifier(), x: batchX, y: batchOneHot(1, [0.5, -0.5, 1]), type: ShapeError, message: /^Sequential\.trainBatch: one-hot row 1 holds -0\.5 at column 1; targets are class probabilities, which cannot be negative$/ },
  { input: 'a label outside the classes', model: () => classifier(), x: batchX, y: Int32Array.from([0, 1, 2, 0, 1, 3, 0, 1]), type: ShapeError, message: /^Sequential\.trainBatch: label 3 at position 5 is outside 0…2/ },
  { input: 'a binary target of 2', model: () => yesNo(), x: batchX, y: withValue(Matrix.zeros(8, 1), 1, 0, 2), type: ScratchnetError, message: /^Sequential\.trainBatch: y holds 2 at row 1, column 0; binary targets must lie in \[0, 1\]$/ },
  { input: 'a regression target of NaN', model: regressor, x: sliceRows(sine.x, 0, 8), y: withValue(sliceRows(sine.y, 0, 8), 4, 0, Number.NaN), type: ScratchnetError, message: /^Sequential\.trainBatch: y holds NaN at row 4, column 0; targets must be finite numbers$/ },
];

describe('trainBatch() checks its batch before the update, as train() checks a dataset', () => {
  it.each(batchCases.map((c) => [c.input, c] as const))('refuses %s, naming the row, not blaming the learning rate', (_, c) => {
    const model = c.model();
    expectRefused(model, () => model.trainBatch(c.x, c.y, { epoch: 1, step: 1, steps: 1 }), c.type, c.message);
  });
});

describe('the losses and the scoring methods refuse one-hot rows that are not class probabilities', () => {
  const p = Matrix.fromRows([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]], { dtype: 'float64' });
  const rows = (second: number[]): Matrix => Matrix.fromRows([[1, 0, 0], second]);
  it.each([
    ['CategoricalCrossEntropy.forward, a row of zeros', () => new CategoricalCrossEntropy().forward(p, rows([0, 0, 0])), /^CategoricalCrossEntropy: one-hot row 1 is all zeros/],
    ['CategoricalCrossEntropy.backward, a row with two 1s', () => new CategoricalCrossEntropy().backward(p, rows([0, 1, 1])), /^CategoricalCrossEntropy\.backward: one-hot row 1 adds up to 2/],
    ['SoftmaxCrossEntropy.backward, a negative entry', () => new SoftmaxCrossEntropy().backward(p, rows([-1, 1, 1])), /^SoftmaxCrossEntropy\.backward: one-hot row 1 holds -1 at column 0/],
    ['Sequential.evaluate, a row with two 1s', () => classifier().evaluate(spiral.x, oneHotWith(42, [1, 1, 0])), /^Sequential\.evaluate: one-hot row 42 adds up to 2/],
    ['Sequential.accuracy, a row of zeros', () => classifier().accuracy(spiral.x, oneHotWith(42, [0, 0, 0])), /^Sequential\.accuracy: one-hot row 42 is all zeros/],
  ] as const)('%s', (_, attempt, message) => {
    const error = thrown(attempt);
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as Error).message).toMatch(message);
  });
});

/** An SGD whose update leaves a NaN in the last layer's weights, as an overflowing float32 update would, while the loss was still finite. */
class OverflowingSGD extends SGD {
  override updateParams(layer: TrainableLayer): void {
    super.updateParams(layer);
    if (layer.weights.cols === 3) layer.weights.data[4] = Number.NaN;
  }
}

describe('training stops when it diverges, even while the clipped loss stays finite', () => {
  /** Trains for 30 epochs, expecting a TrainingError; returns it and the epochs onEpoch heard. */
  function diverge(model: Sequential, x: Matrix, y: Targets): { error: TrainingError; epochs: number } {
    let epochs = 0;
    const error = thrown(() => model.train(x, y, { epochs: 30, rng: new Random(3), onEpoch: () => void (epochs += 1) }));
    expect(error).toBeInstanceOf(TrainingError);
    return { error: error as TrainingError, epochs };
  }

  const advice = /The learning rate \(\d+\) is probably too high: try \d+, ten times smaller\. If smaller ones diverge too, check how the first weights are drawn .*'heNormal' for ReLU\) and scale the inputs and targets to about −1…1\.$/m;

  it('stops SGD at learning rate 1e6 on cross-entropy within the first epoch, naming the layer and the weight that exploded', () => {
    const { error, epochs } = diverge(classifier(new SGD({ learningRate: 1e6 })), spiral.x, spiral.y);
    expect(error.sign).toBe('exploding-parameters');
    expect([error.epoch, error.step, epochs]).toEqual([1, 10, 0]);
    expect(error.message).toMatch(/^Sequential\.train: training diverged at epoch 1, step 10 of 10: layer [02] \(Dense\) has a weight of -?\d(\.\d+)?e\d+ \(at row \d+, column \d+\), past 1e5, though the loss \([\d.]+\) is still a finite number\. /);
    expect(error.message).toMatch(advice);
    expect(error.message).toContain('The learning rate (1000000) is probably too high: try 100000');
    // No epoch finished; the nine steps before the one that exploded are kept, each a finite loss.
    expect(error.history).toMatchObject({ loss: [], accuracy: [], validationLoss: [], validationAccuracy: [] });
    expect(error.history!.batchLoss).toHaveLength(9);
    expect(error.history!.batchLoss.every(Number.isFinite)).toBe(true);
  });

  it.each([
    ['SGD at learning rate 100', () => new SGD({ learningRate: 100 })],
    ['Adam at learning rate 1000', () => new Adam({ learningRate: 1000 })],
  ])('stops %s when the epoch loss rises far above where it started, keeping the history', (_, optimizer) => {
    const { error, epochs } = diverge(classifier(optimizer()), spiral.x, spiral.y);
    expect(error.sign).toBe('rising-loss');
    expect([error.epoch, error.step, epochs]).toEqual([1, 10, 1]);
    expect(error.message).toMatch(/^Sequential\.train: training diverged at epoch 1, step 10 of 10: the mean loss of epoch 1 \(\d+(\.\d+)?\) is more than 4 times the first batch's \(1\.\d+\)\. /);
    expect(error.message).toMatch(advice);
    // The steps that made the loss rise also killed every ReLU, and the message adds what the diagnosis saw.
    expect(error.message).toContain('\nThe run so far also shows:\n- dead-relu: 16 of the 16 neurons of layer 1 (ReLU), 100%, are dead: they output 0 for all 300 inputs');
    expect(error.history?.loss).toHaveLength(1);
    expect(error.history!.loss[0]).toBeGreaterThan(4 * 1.1);
  });

  it('stops the binary cross-entropy of a Sigmoid at learning rate 1e6 too', () => {
    const y = Matrix.columnVector(Array.from(spiral.y, (label) => (label === 0 ? 1 : 0)));
    const { error } = diverge(yesNo(new SGD({ learningRate: 1e6 })), spiral.x, y);
    expect(error.sign).toBe('rising-loss');
    expect(error.epoch).toBe(1);
    expect(error.message).toMatch(/the mean loss of epoch 1 \([\d.]+\) is more than 4 times the first batch's \(0\.\d+\)/);
  });

  it('stops a loop of trainBatch calls, as the training lab runs, naming the epoch and step it was told', () => {
    const model = classifier(new SGD({ learningRate: 1e6 }));
    let steps = 0;
    const error = thrown(() => {
      for (let step = 1; step <= 30; step++, steps++) {
        const indices = Int32Array.from({ length: 10 }, (_, i) => (step * 10 + i) % 300);
        model.trainBatch(gatherRows(spiral.x, indices), Int32Array.from(indices, (i) => spiral.y[i]), { epoch: 1, step, steps: 30 });
      }
    }) as TrainingError;
    expect(error).toBeInstanceOf(TrainingError);
    // The weights are checked after the epoch's last step at the latest.
    expect([error.epoch, error.step, steps]).toEqual([1, 30, 29]);
    expect(error.message).toMatch(/^Sequential\.train: training diverged at epoch 1, step 30 of 30: layer \d \(Dense\) has a weight of/);
  });

  it(`stops a loop of trainBatch calls given no place, as the benchmark runs, within ${DIVERGENCE.checkEvery} steps`, () => {
    const model = classifier(new SGD({ learningRate: 1e6 }));
    const error = thrown(() => {
      for (let step = 0; step < 2 * DIVERGENCE.checkEvery; step++) {
        const indices = Int32Array.from({ length: 32 }, (_, i) => (step * 97 + i * 7) % 300);
        model.trainBatch(gatherRows(spiral.x, indices), Int32Array.from(indices, (i) => spiral.y[i]));
      }
    }) as TrainingError;
    expect(error).toBeInstanceOf(TrainingError);
    expect(model.optimizer!.iterations).toBe(DIVERGENCE.checkEvery);
    expect(error.message).toMatch(/^Sequential\.train: training diverged: layer \d \(Dense\) has a weight of/);
  });

  it('stops when an update leaves a weight that is NaN while the loss was finite, naming where it is', () => {
    const model = classifier(new OverflowingSGD({ learningRate: 0.1 }));
    const error = thrown(() => model.trainBatch(batchX, spiral.y.subarray(0, 8), { epoch: 2, step: 5, steps: 5 })) as TrainingError;
    expect(error).toBeInstanceOf(TrainingError);
    expect(error.sign).toBe('non-finite-parameters');
    expect(error.message).toMatch(/^Sequential\.train: training diverged at epoch 2, step 5 of 5: layer 2 \(Dense\) has NaN among its weights \(at row 1, column 1\)\. The learning rate \(0\.1\) is probably too high: try 0\.01/);
  });
});
