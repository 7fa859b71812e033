// Early stopping and augmentation in Sequential.train(): on a small spiral that a wide network
// overfits, training stops `patience` epochs after the best validation loss and the model ends with
// that epoch's weights; the options are checked by name; augment reshapes every batch and is checked.
import { describe, expect, it } from 'vitest';
import { Random } from '../../lib/random.ts';
import { mlp } from '../../lib/mlp.ts';
import { Adam } from '../../lib/optimizers.ts';
import { spiralData } from '../../lib/data.ts';
import { Matrix } from '../../lib/matrix.ts';
import { EarlyStopping } from '../../lib/stopping.ts';
import { Dense } from '../../lib/layers.ts';
import { ScratchnetError } from '../../lib/errors.ts';
import type { Sequential } from '../../lib/model.ts';
import { thrown } from '../support/expect.ts';

/** The message of what `attempt` threw. */
const messageOf = (attempt: () => unknown): string => (thrown(attempt) as Error).message;

// 30 points per arm is too few for a 2 → 256 → 256 → 3 network: it learns them and the validation loss turns up.
const train = spiralData(30, 3, new Random(1));
const validation = spiralData(100, 3, new Random(2));
const network = (): Sequential => mlp([2, 256, 256, 3], { rng: new Random(3), optimizer: new Adam({ learningRate: 0.02 }) });

describe('EarlyStopping', () => {
  it('keeps the best figure and says stop once patience epochs have gone by without a better one', () => {
    const layer = new Dense(1, 1);
    const stopping = new EarlyStopping({ patience: 2 }, true);
    const stops = [0.9, 0.5, 0.6, 0.4, 0.45, 0.41].map((loss, i) => stopping.update(i + 1, loss, [layer]));
    expect(stops).toEqual([false, false, false, false, false, true]);
    expect(stopping.bestEpoch).toBe(4);
    expect(stopping.best).toBe(0.4);
  });

  it('treats a higher accuracy as better when it watches the validation accuracy', () => {
    const stopping = new EarlyStopping({ patience: 1, monitor: 'validationAccuracy' }, true);
    expect([0.5, 0.7, 0.6].map((accuracy, i) => stopping.update(i + 1, accuracy, []))).toEqual([false, false, true]);
    expect(stopping.bestEpoch).toBe(2);
  });

  it('puts the best epoch weights back', () => {
    const layer = new Dense(2, 1);
    layer.weights = [[1], [2]];
    const stopping = new EarlyStopping({ patience: 5 }, true);
    stopping.update(1, 0.3, [layer]);
    layer.weights.data.set([7, 8]);
    stopping.update(2, 0.4, [layer]);
    stopping.restore([layer]);
    expect(Array.from(layer.weights.data)).toEqual([1, 2]);
  });
});

describe('Sequential.train with earlyStopping', () => {
  it('stops patience epochs after the best validation loss and keeps that epoch weights', () => {
    const model = network();
    const history = model.train(train.x, train.y, { epochs: 200, batchSize: 90, rng: new Random(4), validation, earlyStopping: { patience: 5 } });
    const losses = history.validationLoss;
    const best = losses.indexOf(Math.min(...losses)) + 1;
    expect(history.bestEpoch).toBe(best);
    expect(history.stoppedEpoch).toBe(best + 5);
    expect(losses.length).toBe(best + 5);
    // The run stopped long before its 200 epochs because the validation loss turned up.
    expect(history.stoppedEpoch).toBeLessThan(200);
    expect(model.evaluate(validation.x, validation.y).loss).toBeCloseTo(losses[best - 1], 5);
  });

  it('keeps the last weights when restoreBest is false', () => {
    const model = network();
    const history = model.train(train.x, train.y, { epochs: 200, batchSize: 90, rng: new Random(4), validation, earlyStopping: { patience: 5, restoreBest: false } });
    expect(model.evaluate(validation.x, validation.y).loss).toBeCloseTo(history.validationLoss.at(-1)!, 5);
    expect(history.validationLoss.at(-1)).toBeGreaterThan(history.validationLoss[history.bestEpoch! - 1]);
  });

  it('records the best epoch but no stop when every epoch runs', () => {
    const history = network().train(train.x, train.y, { epochs: 3, batchSize: 90, rng: new Random(4), validation, earlyStopping: { patience: 10 } });
    expect(history.stoppedEpoch).toBeUndefined();
    expect(history.bestEpoch).toBeGreaterThanOrEqual(1);
  });

  it('needs validation data, a whole patience and a known figure, each named', () => {
    expect(messageOf(() => network().train(train.x, train.y, { earlyStopping: { patience: 3 } }))).toMatch(/earlyStopping watches the validation data, so it needs the validation option too/);
    expect(messageOf(() => network().train(train.x, train.y, { validation, earlyStopping: { patience: 0 } }))).toMatch(/earlyStopping.patience must be a positive whole number of epochs, not 0/);
    const monitor = 'accuracy' as 'validationAccuracy';
    const error = thrown(() => network().train(train.x, train.y, { validation, earlyStopping: { patience: 2, monitor } })) as Error;
    expect(error).toBeInstanceOf(ScratchnetError);
    expect(error.message).toMatch(/earlyStopping.monitor must be 'validationLoss' or 'validationAccuracy', not "accuracy"/);
  });
});

describe('Sequential.train with augment', () => {
  it('trains every batch on the inputs augment makes, drawing from train()s generator', () => {
    const seen: number[] = [];
    const flipped = (inputs: Matrix, rng: Random): Matrix => {
      seen.push(inputs.rows);
      expect(rng).toBeInstanceOf(Random);
      return new Matrix(inputs.rows, inputs.cols, inputs.data.map((value) => -value));
    };
    network().train(train.x, train.y, { epochs: 2, batchSize: 40, rng: new Random(4), augment: flipped });
    expect(seen).toEqual([40, 40, 10, 40, 40, 10]);
  });

  it('names augment and the batch shape when it returns something else', () => {
    const error = thrown(() => network().train(train.x, train.y, { batchSize: 40, augment: () => Matrix.zeros(40, 3) })) as Error;
    expect(error).toBeInstanceOf(ScratchnetError);
    expect(error.message).toMatch(/augment must return a Matrix shaped like the batch it was given, \(40×2\), not \(40×3\)/);
  });
});
