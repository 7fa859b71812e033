// What train() takes and reports: its epochs and batchSize defaults and checks, and the
// TrainingError for a loss that is no longer finite, with and without the batch's place.
import { describe, expect, it } from 'vitest';
import { ScratchnetError, TrainingError } from '../../lib/errors.ts';
import { checkTrainOptions, divergedError } from '../../lib/training.ts';

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
      'Sequential.train: the loss became NaN at epoch 2, step 3 of 10. The weights have diverged: the learning rate (0.5) may be too high (try 0.05), or the inputs or targets too large (scale them to about −1…1).',
    );
  });

  it('says no place, and gives epoch and step 0, when it is not told one', () => {
    const error = divergedError(Number.POSITIVE_INFINITY, 0.001, {});
    expect(error.message).toMatch(/^Sequential\.train: the loss became Infinity\. The weights have diverged: the learning rate \(0\.001\)/);
    expect([error.epoch, error.step]).toEqual([0, 0]);
  });
});
