// What train() takes and reports: its epochs and batchSize defaults and checks, the history, and
// how divergence is told and explained: a loss that is no longer finite, weights that are NaN or
// past the limit, an epoch's loss far above the start, the advice, and how often weights are checked.
import { describe, expect, it } from 'vitest';
import { ScratchnetError, TrainingError } from '../../lib/errors.ts';
import { Dense, type Layer } from '../../lib/layers.ts';
import { ReLU } from '../../lib/activations.ts';
import type { Optimizer } from '../../lib/optimizers.ts';
import { Random } from '../../lib/random.ts';
import {
  DIVERGENCE,
  checkParameters,
  checkTrainOptions,
  divergedError,
  divergenceAdvice,
  emptyHistory,
  findDivergedParameter,
  lossHasRisen,
  parameterError,
  recordEpoch,
  risingLossError,
  type History,
} from '../../lib/training.ts';

describe('checkTrainOptions', () => {
  it('defaults to one epoch of batches of 32', () => {
    expect(checkTrainOptions({})).toEqual({ epochs: 1, batchSize: 32 });
    expect(checkTrainOptions({ epochs: 4, batchSize: 128 })).toEqual({ epochs: 4, batchSize: 128 });
  });

  it('refuses epochs and batch sizes that are not positive whole numbers, naming Sequential.train', () => {
    expect(() => checkTrainOptions({ epochs: 0 })).toThrow(ScratchnetError);
    expect(() => checkTrainOptions({ epochs: 0 })).toThrow('Sequential.train: epochs must be a positive whole number, not 0');
    expect(() => checkTrainOptions({ batchSize: 2.5 })).toThrow('Sequential.train: batchSize must be a positive whole number, not 2.5');
  });
});

describe('divergedError', () => {
  it('names the epoch, step and steps, and suggests a learning rate ten times smaller', () => {
    const error = divergedError(Number.NaN, 0.5, { epoch: 2, step: 3, steps: 10 });
    expect(error).toBeInstanceOf(TrainingError);
    expect([error.epoch, error.step]).toEqual([2, 3]);
    expect(error.message).toBe(
      "Sequential.train: training diverged at epoch 2, step 3 of 10: the loss became NaN. The learning rate (0.5) is probably too high: try 0.05, ten times smaller. If smaller ones diverge too, check how the first weights are drawn (an initializer that suits the activation, such as 'heNormal' for ReLU) and scale the inputs and targets to about −1…1.",
    );
  });

  it('says no place, and gives epoch and step 0, when it is not told one', () => {
    const error = divergedError(Number.POSITIVE_INFINITY, 0.001, {});
    expect(error.message).toMatch(/^Sequential\.train: training diverged: the loss became Infinity\. The learning rate \(0\.001\)/);
    expect([error.epoch, error.step]).toEqual([0, 0]);
  });
});

describe('recordEpoch', () => {
  it('appends the loss and accuracy, and the validation figures only when there are some', () => {
    const history: History = emptyHistory();
    recordEpoch(history, { epoch: 1, epochs: 2, loss: 0.5, accuracy: 0.8, learningRate: 0.1, seconds: 1 });
    recordEpoch(history, { epoch: 2, epochs: 2, loss: 0.4, accuracy: 0.9, validationLoss: 0.45, validationAccuracy: 0.85, learningRate: 0.1, seconds: 1 });
    expect(history).toEqual({ loss: [0.5, 0.4], accuracy: [0.8, 0.9], validationLoss: [0.45], validationAccuracy: [0.85], batchLoss: [] });
  });
});

describe('divergenceAdvice', () => {
  it('suggests a learning rate ten times smaller first, then the first weights and the scale of the data', () => {
    expect(divergenceAdvice(0.001)).toBe(
      "The learning rate (0.001) is probably too high: try 0.0001, ten times smaller. If smaller ones diverge too, check how the first weights are drawn (an initializer that suits the activation, such as 'heNormal' for ReLU) and scale the inputs and targets to about −1…1.",
    );
  });

  it('says the same without a number when the rate is not known', () => {
    expect(divergenceAdvice()).toMatch(/^The learning rate is probably too high: try one ten times smaller\. If smaller ones diverge too, /);
  });
});

describe('the TrainingError of a diverged run', () => {
  it('carries the learning rate and the evidence, for a diagnosis to use', () => {
    const error = divergedError(Number.NaN, 0.5, { epoch: 2, step: 3, steps: 10 });
    expect(error).toMatchObject({ sign: 'non-finite-loss', learningRate: 0.5, evidence: 'the loss became NaN' });
  });
});

/** A 2 → 3 → 2 network whose weights are all 0.5 but for `value` at one place. */
function layersWith(parameter: 'weights' | 'biases', layer: 0 | 2, index: number, value: number): Layer[] {
  const layers: Layer[] = [new Dense(2, 3, { rng: new Random(1) }), new ReLU(), new Dense(3, 2, { rng: new Random(2) })];
  for (const dense of [layers[0], layers[2]] as Dense[]) {
    dense.weights.data.fill(0.5);
    dense.biases.data.fill(0.5);
  }
  (layers[layer] as Dense)[parameter].data[index] = value;
  return layers;
}

describe('findDivergedParameter and parameterError', () => {
  it('finds nothing in healthy weights, nor at the limit itself', () => {
    expect(findDivergedParameter(layersWith('weights', 0, 0, 0.5))).toBeUndefined();
    expect(findDivergedParameter(layersWith('weights', 2, 5, -DIVERGENCE.parameterLimit))).toBeUndefined();
  });

  it('finds the first weight past the limit, with its layer, row and column', () => {
    const found = findDivergedParameter(layersWith('weights', 2, 5, -2.5e7));
    expect(found).toEqual({ layer: 2, name: 'Dense', parameter: 'weights', row: 2, col: 1, value: -2.5e7 });
    const error = parameterError(found!, 1.25, 0.1, { epoch: 3, step: 50, steps: 100 });
    expect(error).toBeInstanceOf(TrainingError);
    expect([error.epoch, error.step, error.sign]).toEqual([3, 50, 'exploding-parameters']);
    expect(error.message).toMatch(/^Sequential\.train: training diverged at epoch 3, step 50 of 100: layer 2 \(Dense\) has a weight of -2\.5e7 \(at row 2, column 1\), past 1e5, though the loss \(1\.25\) is still a finite number\. The learning rate \(0\.1\) is probably too high/);
  });

  it('finds a bias that is NaN or Infinity, by its column', () => {
    const found = findDivergedParameter(layersWith('biases', 0, 1, Number.NaN));
    expect(found).toMatchObject({ layer: 0, parameter: 'biases', col: 1 });
    const error = parameterError(found!, 2, 0.5, {});
    expect(error.sign).toBe('non-finite-parameters');
    expect(error.message).toMatch(/^Sequential\.train: training diverged: layer 0 \(Dense\) has NaN among its biases \(at column 1\)\. The learning rate \(0\.5\)/);
    expect(findDivergedParameter(layersWith('biases', 2, 0, Number.POSITIVE_INFINITY))).toMatchObject({ layer: 2, value: Number.POSITIVE_INFINITY });
  });
});

describe('checkParameters', () => {
  const diverged = layersWith('weights', 0, 0, Number.NaN);
  const after = (iterations: number): Optimizer => ({ iterations, learningRate: 0.01 }) as Optimizer;

  it(`looks at the weights after every ${DIVERGENCE.checkEvery}th step and after an epoch's last step, and not between`, () => {
    expect(() => checkParameters(diverged, after(DIVERGENCE.checkEvery - 1), 1, {})).not.toThrow();
    expect(() => checkParameters(diverged, after(DIVERGENCE.checkEvery - 1), 1, { step: 3, steps: 4 })).not.toThrow();
    expect(() => checkParameters(diverged, after(DIVERGENCE.checkEvery), 1, {})).toThrow(TrainingError);
    expect(() => checkParameters(diverged, after(7), 1, { epoch: 1, step: 4, steps: 4 })).toThrow('training diverged at epoch 1, step 4 of 4: layer 0 (Dense) has NaN among its weights (at row 0, column 0)');
  });

  it('looks at nothing when told checkDivergence: false, and passes healthy weights', () => {
    expect(() => checkParameters(diverged, after(DIVERGENCE.checkEvery), 1, { checkDivergence: false })).not.toThrow();
    expect(() => checkParameters(layersWith('weights', 0, 0, 0.5), after(DIVERGENCE.checkEvery), 1, {})).not.toThrow();
  });
});

describe('lossHasRisen and risingLossError', () => {
  it.each([
    [1.1, 4.5, true],
    [1.1, 4.3, false],
    [0.3, 1.5, true],
    [0.01, 0.2, false],
    [0, 0.5, false],
    [2.3, 2.2, false],
  ])('from a start of %f to an epoch loss of %f: %s', (start, epoch, risen) => {
    expect(lossHasRisen(start, epoch)).toBe(risen);
  });

  it('names the epoch and both losses', () => {
    const error = risingLossError(1.17, 9.2, 100, { epoch: 1, step: 10, steps: 10 });
    expect([error.epoch, error.step, error.sign]).toEqual([1, 10, 'rising-loss']);
    expect(error.message).toMatch(/^Sequential\.train: training diverged at epoch 1, step 10 of 10: the mean loss of epoch 1 \(9\.2\) is more than 4 times the first batch's \(1\.17\)\. The learning rate \(100\) is probably too high: try 10,/);
  });
});
