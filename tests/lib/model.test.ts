// Sequential end to end: it learns the spiral, the sine wave and a binary problem, repeats
// bit for bit from a seed, trains one batch at a time exactly as train() does, reports every step
// and epoch to its callbacks, predicts and evaluates in inference mode, refuses bad input with a
// clear error before any weight changes, and stops a diverging run (tests/lib/bad-input.test.ts has the corpus).
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../lib/matrix.ts';
import { argmax, gatherRows, map, sliceRows } from '../../lib/ops.ts';
import { Random, seed } from '../../lib/random.ts';
import { Dropout } from '../../lib/dropout.ts';
import { Dense, isTrainable, type ForwardOptions, type Layer } from '../../lib/layers.ts';
import { Linear, ReLU, Sigmoid, Softmax } from '../../lib/activations.ts';
import { BinaryCrossEntropy, CategoricalCrossEntropy, MeanSquaredError } from '../../lib/losses.ts';
import { accuracy as accuracyOf, countWithin } from '../../lib/metrics.ts';
import { regularizationLoss } from '../../lib/regularization.ts';
import { Adam, SGD, type Optimizer } from '../../lib/optimizers.ts';
import { Sequential } from '../../lib/model.ts';
import type { BatchInfo, EpochInfo } from '../../lib/training.ts';
import { oneHot } from '../../lib/targets.ts';
import { sineData, spiralData } from '../../lib/data.ts';
import { ScratchnetError, ShapeError, TrainingError } from '../../lib/errors.ts';
import { thrown } from '../support/expect.ts';

/** The book's spiral classifier, 2 → 64 → 3, with its own generator for weights and dropout. */
function spiralModel(weightSeed: number, options: { optimizer?: Optimizer; dropout?: number } = {}): Sequential {
  const rng = new Random(weightSeed);
  const layers: Layer[] = [new Dense(2, 64, { initializer: 'heNormal', rng }), new ReLU()];
  if (options.dropout !== undefined) layers.push(new Dropout(options.dropout, { rng }));
  layers.push(new Dense(64, 3, { initializer: 'heNormal', rng }), new Softmax());
  return new Sequential(layers, { loss: new CategoricalCrossEntropy(), optimizer: options.optimizer ?? new Adam({ learningRate: 0.05, decay: 5e-7 }) });
}

/** The book's sine regressor, 1 → 64 → 64 → 1. */
function sineModel(weightSeed: number, optimizer: Optimizer, penalty = 0): Sequential {
  const rng = new Random(weightSeed);
  const reg = { weightRegularizerL2: penalty, biasRegularizerL2: penalty };
  return new Sequential(
    [new Dense(1, 64, { initializer: 'heNormal', rng, ...reg }), new ReLU(), new Dense(64, 64, { initializer: 'heNormal', rng, ...reg }), new ReLU(), new Dense(64, 1, { initializer: 'heNormal', rng }), new Linear()],
    { loss: new MeanSquaredError(), optimizer },
  );
}

/** Every weight and bias of a model as raw bytes, for bit-exact comparison. */
function parameterBytes(model: Sequential): Uint8Array[] {
  return model.trainableLayers.flatMap((layer) => {
    if (!isTrainable(layer)) return [];
    return [layer.weights, layer.biases].map((m) => new Uint8Array(m.data.buffer.slice(m.data.byteOffset, m.data.byteOffset + m.data.byteLength)));
  });
}

/** A pass-through layer that records the size of every training batch it sees. */
class BatchRecorder implements Layer {
  readonly name = 'BatchRecorder';
  readonly sizes: number[] = [];
  output?: Matrix;
  dinputs?: Matrix;
  forward(inputs: Matrix, options: ForwardOptions = {}): Matrix {
    if (options.training) this.sizes.push(inputs.rows);
    this.output = inputs;
    return inputs;
  }
  backward(dvalues: Matrix): Matrix {
    this.dinputs = dvalues;
    return dvalues;
  }
}

/** The largest |a − b| relative to the largest |b|: float32 agreement of two gradients. */
function maxScaledDifference(a: Matrix, b: Matrix): number {
  expect(a.shape).toEqual(b.shape);
  const scale = Math.max(...Array.from(b.data, Math.abs));
  return Math.max(...Array.from(a.data, (v, i) => Math.abs(v - b.data[i]))) / scale;
}


/**
 * Asserts that `attempt` throws `type` with `message` (a substring or pattern), and that nothing was
 * lost: no optimizer step was taken and every weight and bias is byte for byte what it was.
 */
function expectRejected(model: Sequential, attempt: () => unknown, type: new (...args: never[]) => ScratchnetError, message: string | RegExp): void {
  const before = parameterBytes(model);
  const iterations = model.optimizer?.iterations ?? 0;
  const error = thrown(attempt);
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(message);
  expect(model.optimizer?.iterations ?? 0, 'optimizer steps taken').toBe(iterations);
  expect(parameterBytes(model)).toEqual(before);
}

const spiral = spiralData(100, 3, new Random(1));

describe('Sequential training', () => {
  it('learns the spiral to more than 90% accuracy with Adam', () => {
    const model = spiralModel(2);
    // Full-batch training, as in the book's chapter 10, but with He-normal weights: 1500 epochs
    // take about 2 s and reach 96.0% training accuracy by model.accuracy (95.7% averaged over the
    // last epoch's batch in the history), while the loss falls from 1.16 to 0.124.
    const history = model.train(spiral.x, spiral.y, { epochs: 1500, batchSize: 300, rng: new Random(3) });
    expect(history.loss).toHaveLength(1500);
    expect(history.accuracy).toHaveLength(1500);
    expect(model.accuracy(spiral.x, spiral.y)).toBeGreaterThan(0.9);
    expect(history.accuracy[1499]).toBeGreaterThan(0.9);
    // The loss starts near ln 3 ≈ 1.1 (a guess among three classes) and goes down.
    expect(history.loss[0]).toBeGreaterThan(1);
    expect(history.loss[1499]).toBeLessThan(0.25);
    expect(history.accuracy[0]).toBeLessThan(0.6);
    // Not just at the end: the mean loss of each stretch of 300 epochs is lower than the one before
    // (single epochs may wobble: Adam with a large learning rate overshoots now and then).
    const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
    for (let start = 300; start < 1500; start += 300) {
      expect(mean(history.loss.slice(start, start + 300)), `epochs ${start + 1}–${start + 300}`).toBeLessThan(mean(history.loss.slice(start - 300, start)));
    }
  });

  it('gives bit-identical weights from the same seed and different weights from another', () => {
    const run = (weightSeed: number): Uint8Array[] => {
      const model = spiralModel(weightSeed, { dropout: 0.1 });
      model.train(spiral.x, spiral.y, { epochs: 5, batchSize: 32, rng: new Random(weightSeed + 100) });
      return parameterBytes(model);
    };
    const first = run(7);
    const again = run(7);
    const other = run(8);
    expect(first).toHaveLength(4);
    first.forEach((bytes, i) => expect(Buffer.compare(Buffer.from(bytes), Buffer.from(again[i])), `tensor ${i}`).toBe(0));
    first.forEach((bytes, i) => expect(Buffer.compare(Buffer.from(bytes), Buffer.from(other[i])), `tensor ${i}`).not.toBe(0));
  });

  it('shuffles with the shared generator reset by seed() when no rng is passed', () => {
    const run = (): Uint8Array[] => {
      const model = spiralModel(9);
      seed(123);
      model.train(spiral.x, spiral.y, { epochs: 3, batchSize: 32 });
      return parameterBytes(model);
    };
    expect(run()).toEqual(run());
  });

  it('depends on the shuffling generator: the same weights shuffled by another seed end elsewhere', () => {
    const a = spiralModel(7);
    const b = spiralModel(7);
    a.train(spiral.x, spiral.y, { epochs: 2, batchSize: 32, rng: new Random(1) });
    b.train(spiral.x, spiral.y, { epochs: 2, batchSize: 32, rng: new Random(2) });
    expect(parameterBytes(a)).not.toEqual(parameterBytes(b));
  });

  it('fits the sine wave with mean squared error, cutting the loss by far more than 100×', () => {
    const data = sineData(200);
    const model = sineModel(3, new Adam({ learningRate: 0.01, decay: 1e-3 }));
    const before = model.evaluate(data.x, data.y);
    const history = model.train(data.x, data.y, { epochs: 150, batchSize: 32, rng: new Random(4) });
    const after = model.evaluate(data.x, data.y);
    // sin(2πx) has mean square 0.5; the untrained model is about that far off.
    expect(before.loss).toBeGreaterThan(0.3);
    expect(after.loss).toBeLessThan(before.loss / 100);
    expect(history.loss[history.loss.length - 1]).toBeLessThan(history.loss[0] / 100);
    // Regression accuracy (within std/250 of the target) starts near 0 and rises.
    expect(after.accuracy).toBeGreaterThan(before.accuracy + 0.05);
  });

  it('learns a separable yes/no problem with Sigmoid and binary cross-entropy', () => {
    const rng = new Random(5);
    const x = rng.rand(200, 2, -1, 1);
    // Class 1 above the line y = 0.5·x, class 0 below it.
    const y = Int32Array.from({ length: 200 }, (_, i) => (x.data[2 * i + 1] > 0.5 * x.data[2 * i] ? 1 : 0));
    const model = new Sequential([new Dense(2, 8, { initializer: 'heNormal', rng }), new ReLU(), new Dense(8, 1, { rng }), new Sigmoid()], {
      loss: new BinaryCrossEntropy(),
      optimizer: new Adam({ learningRate: 0.02 }),
    });
    const before = model.evaluate(x, y);
    const history = model.train(x, y, { epochs: 60, batchSize: 32, rng });
    const after = model.evaluate(x, y);
    expect(after.accuracy).toBeGreaterThan(0.95);
    expect(after.loss).toBeLessThan(before.loss / 2);
    expect(history.accuracy[history.accuracy.length - 1]).toBeGreaterThan(0.9);
    // Binary accuracy by hand: the output is on the right side of 0.5.
    const p = model.predict(x);
    const byHand = Array.from(p.data).filter((v, i) => (v > 0.5 ? 1 : 0) === y[i]).length / 200;
    expect(after.accuracy).toBe(byHand);
  });
});

describe('Sequential.trainBatch', () => {
  const batch = { x: sliceRows(spiral.x, 80, 140), y: spiral.y.subarray(80, 140) };

  it("returns the batch's loss, data loss, regularization loss and accuracy, from the outputs before the update", () => {
    const rng = new Random(50);
    const model = new Sequential([new Dense(2, 16, { initializer: 'heNormal', rng, weightRegularizerL2: 1e-3 }), new ReLU(), new Dense(16, 3, { rng }), new Softmax()], {
      loss: new CategoricalCrossEntropy(),
      optimizer: new SGD({ learningRate: 0.5, decay: 0.1 }),
    });
    // Worked out beforehand from the same weights (no dropout, so training and inference agree).
    const output = model.forward(batch.x, { training: true });
    const dataLoss = new CategoricalCrossEntropy().calculate(output, batch.y);
    const penalty = regularizationLoss(model.layers);
    const expectedAccuracy = accuracyOf(output, batch.y);
    const before = parameterBytes(model);

    const result = model.trainBatch(batch.x, batch.y);
    expect(result).toEqual({ loss: dataLoss + penalty, dataLoss, regularizationLoss: penalty, accuracy: expectedAccuracy, correct: expectedAccuracy * 60, learningRate: 0.5 });
    expect(penalty).toBeGreaterThan(0);
    expect(model.optimizer!.iterations).toBe(1);
    expect(parameterBytes(model)).not.toEqual(before);
    // The second step uses the decayed rate 0.5 / (1 + 0.1 · 1).
    expect(model.trainBatch(batch.x, batch.y).learningRate).toBeCloseTo(0.5 / 1.1, 12);
  });

  it('changes the weights exactly as one step of train() with shuffling off', () => {
    const viaTrain = spiralModel(51);
    const viaBatch = spiralModel(51);
    viaTrain.train(batch.x, batch.y, { epochs: 1, batchSize: 60, shuffle: false });
    viaBatch.trainBatch(batch.x, batch.y);
    expect(parameterBytes(viaBatch)).toEqual(parameterBytes(viaTrain));
    expect(parameterBytes(viaBatch)).not.toEqual(parameterBytes(spiralModel(51)));
  });

  it('makes train() the same, bit for bit, as a loop of trainBatch over the shuffled batches', () => {
    const viaTrain = spiralModel(52, { dropout: 0.2 });
    const viaBatch = spiralModel(52, { dropout: 0.2 });
    const reported: number[] = [];
    const history = viaTrain.train(spiral.x, spiral.y, { epochs: 3, batchSize: 64, rng: new Random(53), onBatch: (info) => void reported.push(info.loss) });

    const rng = new Random(53);
    const order = Int32Array.from({ length: 300 }, (_, i) => i);
    const losses: number[] = [];
    const epochLosses: number[] = [];
    for (let epoch = 1; epoch <= 3; epoch++) {
      rng.shuffle(order);
      let total = 0;
      for (let start = 0; start < 300; start += 64) {
        const indices = order.subarray(start, start + 64);
        const result = viaBatch.trainBatch(gatherRows(spiral.x, indices), Int32Array.from(indices, (i) => spiral.y[i]));
        losses.push(result.loss);
        total += result.loss * indices.length;
      }
      epochLosses.push(total / 300);
    }
    expect(parameterBytes(viaBatch)).toEqual(parameterBytes(viaTrain));
    expect(losses).toEqual(reported);
    expect(history.batchLoss).toEqual(losses);
    expect(epochLosses).toEqual(history.loss);
    expect(viaBatch.optimizer!.iterations).toBe(15);
  });

  it('names the epoch and step it is given when the loss is not finite, and changes nothing', () => {
    const model = spiralModel(54);
    const first = model.layers[0] as Dense;
    first.weights.data[0] = Number.NaN;
    expectRejected(model, () => model.trainBatch(batch.x, batch.y, { epoch: 3, step: 7, steps: 9 }), TrainingError, /^Sequential\.train: training diverged at epoch 3, step 7 of 9: the loss became NaN\. The learning rate \(0\.05\) is probably too high/);
    const error = thrown(() => model.trainBatch(batch.x, batch.y, { epoch: 3, step: 7, steps: 9 })) as TrainingError;
    expect([error.epoch, error.step]).toEqual([3, 7]);
  });

  it('leaves the place out of the TrainingError when it is not given one', () => {
    const model = spiralModel(55);
    (model.layers[0] as Dense).weights.data[0] = Number.POSITIVE_INFINITY;
    const error = thrown(() => model.trainBatch(batch.x, batch.y)) as TrainingError;
    expect(error).toBeInstanceOf(TrainingError);
    expect(error.message).toMatch(/^Sequential\.train: training diverged: the loss became NaN\. The learning rate \(0\.05\) is probably too high/);
    expect([error.epoch, error.step]).toEqual([0, 0]);
  });

  it('scores regression on the batch alone unless given the whole dataset\'s scorer', () => {
    const data = sineData(200);
    const model = sineModel(56, new SGD({ learningRate: 0.1 }));
    const x = sliceRows(data.x, 0, 40);
    // Targets equal to the outputs for the first 20 samples and 1 away for the rest, so exactly
    // 20 outputs lie within std/250 of this batch's own targets.
    const y = map(model.forward(x, { training: true }), (v, r) => (r < 20 ? v : v + 1));
    const own = model.trainBatch(x, y);
    expect(own.correct).toBe(20);
    expect(own.accuracy).toBe(0.5);
    expect(countWithin(model.forward(x), y)).toBeLessThan(20); // the update moved the outputs: it was scored before it
    // With a scorer, that scorer decides.
    const scorer = { correct: (output: Matrix) => output.size / 4, outputsPerSample: 1 };
    expect(model.trainBatch(x, y, { scorer })).toMatchObject({ correct: 10, accuracy: 0.25 });
  });

  it('checks the targets even when given a scorer', () => {
    const model = spiralModel(57);
    const scorer = { correct: () => 0, outputsPerSample: 1 };
    expectRejected(model, () => model.trainBatch(batch.x, Int32Array.from(batch.y, () => 7), { scorer }), ShapeError, 'Sequential.trainBatch: label 7 at position 0 is outside 0…2');
  });

  it('refuses to train without a loss or an optimizer, naming trainBatch', () => {
    const noOptimizer = new Sequential([new Dense(2, 3), new Softmax()], { loss: new CategoricalCrossEntropy() });
    expect(() => noOptimizer.trainBatch(batch.x, batch.y)).toThrow('Sequential.trainBatch: the model has no optimizer');
    const noLoss = new Sequential([new Dense(2, 3), new Softmax()], { optimizer: new Adam() });
    expectRejected(noLoss, () => noLoss.trainBatch(batch.x, batch.y), ScratchnetError, 'Sequential.trainBatch: the model has no loss');
  });
});

describe('Sequential.train callbacks', () => {
  it('calls onBatch after every step with epoch, step, steps, loss, accuracy and learning rate', () => {
    const recorder = new BatchRecorder();
    const rng = new Random(11);
    const model = new Sequential([new Dense(2, 16, { initializer: 'heNormal', rng, weightRegularizerL2: 1e-3 }), new ReLU(), recorder, new Dense(16, 3, { rng }), new Softmax()], {
      loss: new CategoricalCrossEntropy(),
      optimizer: new SGD({ learningRate: 1, decay: 0.5 }),
    });
    const batches: BatchInfo[] = [];
    const epochs: EpochInfo[] = [];
    const history = model.train(spiral.x, spiral.y, { epochs: 2, batchSize: 128, rng, onBatch: (info) => void batches.push(info), onEpoch: (info) => void epochs.push(info) });

    // 300 samples in batches of 128: 128, 128 and a last batch of 44, twice.
    expect(recorder.sizes).toEqual([128, 128, 44, 128, 128, 44]);
    expect(batches.map((b) => [b.epoch, b.step, b.steps])).toEqual([
      [1, 1, 3],
      [1, 2, 3],
      [1, 3, 3],
      [2, 1, 3],
      [2, 2, 3],
      [2, 3, 3],
    ]);
    // The rate each step used: 1 / (1 + 0.5·t) for t = 0, 1, 2, … across epochs.
    batches.forEach((b, t) => expect(b.learningRate).toBeCloseTo(1 / (1 + 0.5 * t), 12));
    for (const b of batches) {
      expect(b.regularizationLoss).toBeGreaterThan(0);
      expect(b.loss).toBe(b.dataLoss + b.regularizationLoss);
      expect(b.accuracy).toBeGreaterThanOrEqual(0);
      expect(b.accuracy).toBeLessThanOrEqual(1);
      // Accuracy is a count over the batch: a multiple of 1/128 or 1/44.
      const size = b.step === 3 ? 44 : 128;
      expect(Math.abs(b.accuracy * size - Math.round(b.accuracy * size))).toBeLessThan(1e-9);
      expect(b.correct).toBe(Math.round(b.accuracy * size));
    }
    // The epoch's figures are the batch figures weighted by batch size.
    const sizes = [128, 128, 44];
    for (const epoch of [1, 2]) {
      const own = batches.filter((b) => b.epoch === epoch);
      const loss = own.reduce((total, b, i) => total + b.loss * sizes[i], 0) / 300;
      const accuracy = own.reduce((total, b, i) => total + b.accuracy * sizes[i], 0) / 300;
      expect(history.loss[epoch - 1]).toBeCloseTo(loss, 10);
      expect(history.accuracy[epoch - 1]).toBeCloseTo(accuracy, 10);
      expect(epochs[epoch - 1].loss).toBe(history.loss[epoch - 1]);
      expect(epochs[epoch - 1].accuracy).toBe(history.accuracy[epoch - 1]);
    }
    expect(epochs.map((e) => [e.epoch, e.epochs])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(epochs[1].learningRate).toBe(batches[5].learningRate);
    for (const e of epochs) {
      expect(e.seconds).toBeGreaterThanOrEqual(0);
      expect(e.validationLoss).toBeUndefined();
      expect(e.validationAccuracy).toBeUndefined();
    }
    expect(history.validationLoss).toEqual([]);
    expect(history.validationAccuracy).toEqual([]);
    expect(model.optimizer!.iterations).toBe(6);
  });

  it('gives onEpoch and the history validation figures when validation data is passed', () => {
    const model = spiralModel(12);
    const validation = spiralData(30, 3, new Random(13));
    const seen: EpochInfo[] = [];
    const history = model.train(spiral.x, spiral.y, { epochs: 3, batchSize: 64, rng: new Random(14), validation, onEpoch: (info) => void seen.push(info) });
    expect(history.validationLoss).toHaveLength(3);
    expect(history.validationAccuracy).toHaveLength(3);
    expect(seen.map((e) => e.validationLoss)).toEqual(history.validationLoss);
    expect(seen.map((e) => e.validationAccuracy)).toEqual(history.validationAccuracy);
    // The last epoch's figures are those of the trained model on the validation data.
    const last = model.evaluate(validation.x, validation.y);
    expect(history.validationLoss[2]).toBeCloseTo(last.loss, 10);
    expect(history.validationAccuracy[2]).toBe(last.accuracy);
    // Validation data is scored, never trained on: the figures differ from the training ones.
    expect(history.validationLoss[2]).not.toBe(history.loss[2]);
  });

  it('stops when onBatch returns false, keeping only the finished epochs in the history', () => {
    const model = spiralModel(15);
    const calls: Array<[number, number]> = [];
    const onEpoch: number[] = [];
    const history = model.train(spiral.x, spiral.y, {
      epochs: 10,
      batchSize: 128,
      rng: new Random(16),
      onBatch: (info) => {
        calls.push([info.epoch, info.step]);
        return !(info.epoch === 2 && info.step === 2);
      },
      onEpoch: (info) => void onEpoch.push(info.epoch),
    });
    expect(calls).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
      [2, 1],
      [2, 2],
    ]);
    expect(onEpoch).toEqual([1]);
    expect(history.loss).toHaveLength(1);
    expect(history.accuracy).toHaveLength(1);
    // The step that returned false was taken; no step after it was.
    expect(model.optimizer!.iterations).toBe(5);
  });

  it('stops when onEpoch returns false, with one history entry per epoch run', () => {
    const model = spiralModel(17);
    let batches = 0;
    const history = model.train(spiral.x, spiral.y, {
      epochs: 10,
      batchSize: 100,
      rng: new Random(18),
      validation: spiral,
      onBatch: () => {
        batches += 1;
      },
      onEpoch: (info) => info.epoch < 3,
    });
    expect(history.loss).toHaveLength(3);
    expect(history.accuracy).toHaveLength(3);
    expect(history.validationLoss).toHaveLength(3);
    expect(history.validationAccuracy).toHaveLength(3);
    expect(batches).toBe(9);
    expect(model.optimizer!.iterations).toBe(9);
  });

  it('keeps training when the callbacks return nothing or true', () => {
    const model = spiralModel(19);
    const history = model.train(spiral.x, spiral.y, { epochs: 3, batchSize: 300, rng: new Random(20), onBatch: () => true, onEpoch: () => undefined });
    expect(history.loss).toHaveLength(3);
    expect(model.optimizer!.iterations).toBe(3);
  });
});

describe('Sequential.backward', () => {
  it.each([
    ['sparse labels', (labels: Int32Array): Int32Array | Matrix => labels],
    ['one-hot targets', (labels: Int32Array): Int32Array | Matrix => oneHot(labels, 3)],
  ])('combines Softmax with cross-entropy into the same gradients as the two run separately (%s)', (_name, targetsOf) => {
    const model = spiralModel(21);
    const x = sliceRows(spiral.x, 90, 130); // points from two classes
    const targets = targetsOf(spiral.y.subarray(90, 130));
    const [first, relu, second, softmax] = model.layers as [Dense, ReLU, Dense, Softmax];

    const output = model.forward(x, { training: true });
    model.backward(output, targets);
    const combined = { softmax: softmax.dinputs!, dw2: second.dweights!, db2: second.dbiases!, dw1: first.dweights!, db1: first.dbiases!, dx: first.dinputs! };

    // The chain the book starts with: the loss's gradient, then Softmax's Jacobian, then the rest.
    const loss = new CategoricalCrossEntropy();
    const separate = softmax.backward(loss.backward(output, targets));
    const dw2Input = second.backward(separate);
    first.backward(relu.backward(dw2Input));

    expect(maxScaledDifference(combined.softmax, separate)).toBeLessThan(1e-5);
    expect(maxScaledDifference(combined.dw2, second.dweights!)).toBeLessThan(1e-5);
    expect(maxScaledDifference(combined.db2, second.dbiases!)).toBeLessThan(1e-5);
    expect(maxScaledDifference(combined.dw1, first.dweights!)).toBeLessThan(1e-5);
    expect(maxScaledDifference(combined.db1, first.dbiases!)).toBeLessThan(1e-5);
    expect(maxScaledDifference(combined.dx, first.dinputs!)).toBeLessThan(1e-5);
    // And both are (ŷ − y) / n, the formula the combination uses.
    const labels = spiral.y.subarray(90, 130);
    const expected = map(output, (p, r, c) => (p - (labels[r] === c ? 1 : 0)) / 40);
    expect(maxScaledDifference(combined.softmax, expected)).toBeLessThan(1e-6);
  });
});

describe('Sequential inference', () => {
  it('predicts in inference mode, so a Dropout layer is inactive and the output repeatable', () => {
    const model = spiralModel(22, { dropout: 0.5 });
    const a = model.predict(spiral.x);
    const b = model.predict(spiral.x);
    expect(a.shape).toEqual([300, 3]);
    expect(a.data).toEqual(b.data);
    // The same as running the layers with Dropout skipped altogether.
    const [first, relu, , second, softmax] = model.layers;
    const without = softmax.forward(second.forward(relu.forward(first.forward(spiral.x))));
    expect(a.data).toEqual(without.data);
    // While training, dropout does change the output.
    expect(model.forward(spiral.x, { training: true }).data).not.toEqual(a.data);
  });

  it('predicts the same in small batches as in one', () => {
    const model = spiralModel(23);
    const whole = model.predict(spiral.x);
    for (const batchSize of [1, 7, 128, 299, 300, 5000]) {
      const parts = model.predict(spiral.x, { batchSize });
      expect(parts.shape, `batchSize ${batchSize}`).toEqual([300, 3]);
      expect(parts.data, `batchSize ${batchSize}`).toEqual(whole.data);
    }
  });

  it('evaluates to the loss and accuracy computed by hand from predict, and accuracy() agrees', () => {
    const model = spiralModel(24);
    model.train(spiral.x, spiral.y, { epochs: 20, batchSize: 64, rng: new Random(25) });
    const p = model.predict(spiral.x);
    let loss = 0;
    for (let r = 0; r < 300; r++) loss -= Math.log(Math.min(Math.max(p.get(r, spiral.y[r]), 1e-7), 1 - 1e-7));
    loss /= 300;
    const predicted = argmax(p);
    const accuracy = predicted.filter((c, r) => c === spiral.y[r]).length / 300;

    const result = model.evaluate(spiral.x, spiral.y);
    expect(Object.keys(result).sort()).toEqual(['accuracy', 'loss']);
    expect(result.loss).toBeCloseTo(loss, 10);
    expect(result.accuracy).toBe(accuracy);
    expect(model.accuracy(spiral.x, spiral.y)).toBe(accuracy);
    expect(model.evaluate(spiral.x, spiral.y, { batchSize: 17 })).toEqual(result);
    // Training improved it from a guess, so the figures are not trivially 1/3.
    expect(accuracy).toBeGreaterThan(0.45);
  });
});

describe('Sequential.summary and parameterCount', () => {
  it('counts the weights and biases of each layer', () => {
    const model = spiralModel(26, { dropout: 0.1 });
    // 2·64 + 64 and 64·3 + 3.
    expect(model.parameterCount).toBe(192 + 195);
    expect(model.trainableLayers).toHaveLength(2);
    expect(new Sequential([new ReLU()]).parameterCount).toBe(0);
  });

  it('prints a table of layers, output sizes and parameters with the total', () => {
    const model = spiralModel(27, { dropout: 0.1 });
    expect(model.summary()).toBe(
      [
        'layer            outputs   parameters',
        '0 Dense          64        192',
        '1 ReLU           64        0',
        '2 Dropout        64        0',
        '3 Dense          3         195',
        '4 Softmax        3         0',
        'total parameters: 387',
      ].join('\n'),
    );
  });
});

describe('Sequential refusing bad input', () => {
  it('refuses layers whose sizes do not chain, naming both layers and sizes', () => {
    const build = (): Sequential => new Sequential([new Dense(2, 64), new ReLU(), new Dense(32, 3), new Softmax()]);
    expect(build).toThrow(ShapeError);
    expect(build).toThrow('Sequential: layer 2 (Dense) takes 32 inputs but layer 0 (Dense) gives 64 outputs');
    const model = new Sequential([new Dense(2, 64)]);
    expect(() => model.add(new Dense(63, 1))).toThrow('layer 1 (Dense) takes 63 inputs but layer 0 (Dense) gives 64 outputs');
    expect(model.layers).toHaveLength(1);
  });

  it('refuses x with the wrong number of columns', () => {
    const model = spiralModel(30);
    const x = new Random(1).randn(300, 3);
    expectRejected(model, () => model.train(x, spiral.y), ShapeError, 'Sequential.train: x has 3 values per sample (300×3) but the first layer takes 2');
    expect(() => model.predict(x)).toThrow('Sequential.predict: x has 3 values per sample (300×3) but the first layer takes 2');
    expect(() => model.evaluate(x, spiral.y)).toThrow('Sequential.evaluate: x has 3 values per sample');
  });

  it('refuses a label outside the classes before any step, even when it is in the last batch', () => {
    const model = spiralModel(31);
    const y = Int32Array.from(spiral.y);
    y[299] = 3;
    let steps = 0;
    // Without shuffling, sample 299 is in the tenth and last batch of 32.
    expectRejected(model, () => model.train(spiral.x, y, { epochs: 3, shuffle: false, onBatch: () => void (steps += 1) }), ShapeError, 'Sequential.train: label 3 at position 299 is outside 0…2 (the predictions have 3 classes)');
    expect(steps).toBe(0);
    y[299] = -1;
    expectRejected(model, () => model.train(spiral.x, y), ShapeError, 'label -1 at position 299 is outside 0…2');
  });

  it('refuses labels that are not whole numbers', () => {
    const model = spiralModel(32);
    const y = Array.from(spiral.y) as number[];
    y[150] = 1.5;
    expectRejected(model, () => model.train(spiral.x, y), ShapeError, 'Sequential.train: label 1.5 at position 150 is not a whole number');
    y[150] = Number.NaN;
    expectRejected(model, () => model.train(spiral.x, y), ShapeError, 'label NaN at position 150 is not a whole number');
  });

  it('refuses a different number of labels than samples', () => {
    const model = spiralModel(33);
    expectRejected(model, () => model.train(spiral.x, spiral.y.subarray(0, 299)), ShapeError, 'Sequential.train: 299 labels for a batch of 300 samples');
    expectRejected(model, () => model.evaluate(spiral.x, spiral.y.subarray(0, 299)), ShapeError, 'Sequential.evaluate: 299 labels for a batch of 300 samples');
  });

  // A one-hot Matrix once skipped the row check, so 299 rows failed in gatherRows after several
  // steps had changed the weights, and 301 rows trained without complaint.
  it.each([299, 301])('refuses one-hot targets with %i rows for 300 samples before any step', (rows) => {
    const model = spiralModel(34);
    const full = oneHot(spiral.y, 3);
    const y = new Matrix(rows, 3);
    y.data.set(full.data.subarray(0, Math.min(rows, 300) * 3));
    expectRejected(model, () => model.train(spiral.x, y, { epochs: 1 }), ShapeError, `Sequential.train: one-hot targets (${rows}×3) do not match predictions (300×3)`);
  });

  it('refuses an empty x', () => {
    const model = spiralModel(35);
    expectRejected(model, () => model.train(new Matrix(0, 2), new Int32Array(0)), ShapeError, 'Sequential.train: x is empty (0×2): there are no samples');
    expect(() => model.predict(new Matrix(0, 2))).toThrow('Sequential.predict: x is empty (0×2)');
  });

  it.each([
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
  ])('refuses %s in x, naming its row and column', (value, text) => {
    const model = spiralModel(36);
    const x = spiral.x.clone();
    x.set(287, 1, value);
    expectRejected(model, () => model.train(x, spiral.y), ScratchnetError, `Sequential.train: x holds ${text} at row 287, column 1; inputs must be finite numbers`);
    expect(() => model.predict(x)).toThrow(`Sequential.predict: x holds ${text} at row 287, column 1`);
  });

  it('refuses non-finite values in the validation data before training', () => {
    const model = spiralModel(37);
    const validation = { x: spiral.x.clone(), y: spiral.y };
    validation.x.set(3, 0, Number.NaN);
    expectRejected(model, () => model.train(spiral.x, spiral.y, { validation }), ScratchnetError, 'Sequential.train (validation): x holds NaN at row 3, column 0');
  });

  it.each([
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
  ])('refuses %s among regression targets, naming its row and column', (value, text) => {
    const data = sineData(100);
    const model = sineModel(38, new Adam());
    const y = data.y.clone();
    y.set(99, 0, value);
    expectRejected(model, () => model.train(data.x, y, { batchSize: 10 }), ScratchnetError, `Sequential.train: y holds ${text} at row 99, column 0; targets must be finite numbers`);
  });

  it('refuses binary targets outside [0, 1], naming the row and column', () => {
    const rng = new Random(40);
    const x = rng.rand(20, 2, -1, 1);
    const y = Matrix.zeros(20, 1);
    y.set(7, 0, 2);
    const model = new Sequential([new Dense(2, 4, { rng }), new Dense(4, 1, { rng }), new Sigmoid()], { loss: new BinaryCrossEntropy(), optimizer: new Adam() });
    expectRejected(model, () => model.train(x, y), ScratchnetError, 'Sequential.train: y holds 2 at row 7, column 0; binary targets must lie in [0, 1]');
  });

  // A NaN in one-hot targets was once let through, and training stopped steps later with a
  // TrainingError that wrongly blamed the learning rate.
  it('refuses NaN in one-hot targets, naming its row and column, before any step', () => {
    const model = spiralModel(39);
    const y = oneHot(spiral.y, 3);
    y.set(250, 2, Number.NaN);
    expectRejected(model, () => model.train(spiral.x, y, { shuffle: false }), ScratchnetError, /y holds NaN at row 250, column 2/);
  });

  it.each([
    [{ epochs: 0 }, 'epochs must be a positive whole number, not 0'],
    [{ epochs: -2 }, 'epochs must be a positive whole number, not -2'],
    [{ epochs: 1.5 }, 'epochs must be a positive whole number, not 1.5'],
    [{ epochs: Number.NaN }, 'epochs must be a positive whole number, not NaN'],
    [{ epochs: Number.POSITIVE_INFINITY }, 'epochs must be a positive whole number, not Infinity'],
    [{ batchSize: 0 }, 'batchSize must be a positive whole number, not 0'],
    [{ batchSize: 2.5 }, 'batchSize must be a positive whole number, not 2.5'],
    [{ batchSize: -32 }, 'batchSize must be a positive whole number, not -32'],
  ])('refuses train options %o', (options, message) => {
    const model = spiralModel(40);
    expectRejected(model, () => model.train(spiral.x, spiral.y, options), ScratchnetError, `Sequential.train: ${message}`);
  });

  it('refuses to train without a loss or without an optimizer', () => {
    const layers = (): Layer[] => [new Dense(2, 3), new Softmax()];
    const noLoss = new Sequential(layers(), { optimizer: new Adam() });
    expectRejected(noLoss, () => noLoss.train(spiral.x, spiral.y), ScratchnetError, 'Sequential.train: the model has no loss; pass one: new Sequential(layers, { loss, optimizer })');
    expect(() => noLoss.evaluate(spiral.x, spiral.y)).toThrow('Sequential.evaluate: the model has no loss');
    const noOptimizer = new Sequential(layers(), { loss: new CategoricalCrossEntropy() });
    expectRejected(noOptimizer, () => noOptimizer.train(spiral.x, spiral.y), ScratchnetError, 'Sequential.train: the model has no optimizer; pass one: new Sequential(layers, { loss, optimizer })');
    // Once both are set, the same model trains.
    noOptimizer.optimizer = new Adam();
    expect(noOptimizer.train(spiral.x, spiral.y).loss).toHaveLength(1);
  });

  it('refuses to run a model without layers', () => {
    const model = new Sequential([], { loss: new CategoricalCrossEntropy(), optimizer: new Adam() });
    expect(() => model.predict(spiral.x)).toThrow('Sequential.predict: the model has no layers; add some with model.add(layer)');
    expect(() => model.train(spiral.x, spiral.y)).toThrow('Sequential.train: the model has no layers');
  });
});

describe('Sequential.train with checkDivergence: false', () => {
  it('goes on through a run whose loss rises far above where it started, which it otherwise stops', () => {
    const run = (checkDivergence?: boolean): unknown => thrown(() => spiralModel(45, { optimizer: new SGD({ learningRate: 100 }) }).train(spiral.x, spiral.y, { epochs: 3, rng: new Random(46), checkDivergence }));
    expect(run()).toBeInstanceOf(TrainingError);
    const history = spiralModel(45, { optimizer: new SGD({ learningRate: 100 }) }).train(spiral.x, spiral.y, { epochs: 3, rng: new Random(46), checkDivergence: false });
    expect(history.loss).toHaveLength(3);
    expect(history.loss[0]).toBeGreaterThan(4);
  });
});

describe('Sequential stopping on a diverging loss', () => {
  /** Trains, recording each successful step, and returns the TrainingError it must end with. */
  function diverge(model: Sequential, x: Matrix, y: Int32Array | Matrix, batchSize: number): { error: TrainingError; steps: Array<[number, number]> } {
    const steps: Array<[number, number]> = [];
    const error = thrown(() => model.train(x, y, { epochs: 50, batchSize, rng: new Random(41), onBatch: (info) => void steps.push([info.epoch, info.step]) }));
    expect(error).toBeInstanceOf(TrainingError);
    return { error: error as TrainingError, steps };
  }

  /** The step after [epoch, step] in an epoch of `perEpoch` steps. */
  function next([epoch, step]: [number, number], perEpoch: number): [number, number] {
    return step === perEpoch ? [epoch + 1, 1] : [epoch, step + 1];
  }

  it('stops with the epoch and step when the loss turns NaN under a huge learning rate', () => {
    // At 1e12 the float32 activations overflow within a few steps, so the loss itself turns NaN. (At
    // 1e6 clipped cross-entropy keeps the loss near 11 and the weights give it away: bad-input.test.ts.)
    const model = spiralModel(42, { optimizer: new SGD({ learningRate: 1e12 }) });
    const { error, steps } = diverge(model, spiral.x, spiral.y, 32);
    expect(error.name).toBe('TrainingError');
    expect(error.op).toBe('Sequential.train');
    expect(error.message).toMatch(/^Sequential\.train: training diverged at epoch 1, step \d+ of 10: the loss became NaN\./);
    expect(error.sign).toBe('non-finite-loss');
    const expected = steps.length === 0 ? [1, 1] : next(steps[steps.length - 1], 10);
    expect([error.epoch, error.step]).toEqual(expected);
    expect(error.message).toContain(`at epoch ${error.epoch}, step ${error.step} of 10:`);
    expect(error.message).toContain('The learning rate (1000000000000) is probably too high: try 100000000000, ten times smaller.');
    expect(error.message).toContain('scale the inputs and targets to about −1…1');
    // It diverged within the first epoch, not after a long run.
    expect(error.epoch).toBe(1);
  });

  it('stops with the epoch and step when mean squared error becomes Infinity on huge targets', () => {
    // Targets of ±1e10: the first steps' gradients are so large that the float32 outputs overflow.
    const data = sineData(200);
    const y = map(data.y, (v) => v * 1e10);
    const model = sineModel(43, new SGD({ learningRate: 1e-3 }));
    const { error, steps } = diverge(model, data.x, y, 32);
    expect(error.message).toMatch(/the loss became (Infinity|NaN)/);
    const expected = steps.length === 0 ? [1, 1] : next(steps[steps.length - 1], 7);
    expect([error.epoch, error.step]).toEqual(expected);
    expect(error.message).toContain(`at epoch ${error.epoch}, step ${error.step} of 7:`);
    expect(error.message).toContain('The learning rate (0.001) is probably too high: try 0.0001, ten times smaller.');
    expect(error.epoch).toBe(1);
  });

  // Targets of ±1e6 with SGD at 0.1 overflow the float32 gradients to NaN weights while the loss
  // is still finite. regularizationLoss() once threw its own ScratchnetError on the NaN penalty
  // before train() checked the loss, so the error had no epoch or step and no learning rate.
  it('stops with a TrainingError also when the model has L2 regularization', () => {
    const data = sineData(200);
    const y = map(data.y, (v) => v * 1e6);
    const model = sineModel(44, new SGD({ learningRate: 0.1 }), 5e-4);
    const { error, steps } = diverge(model, data.x, y, 32);
    const expected = steps.length === 0 ? [1, 1] : next(steps[steps.length - 1], 7);
    expect([error.epoch, error.step]).toEqual(expected);
    expect(error.message).toContain('The learning rate (0.1) is probably too high');
  });
});
