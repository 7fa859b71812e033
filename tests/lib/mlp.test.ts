// The MLP builder: Dense and ReLU (and Dropout) per hidden width, then Dense and Softmax, with
// categorical cross-entropy; the layers draw their weights from the generator in order, exactly
// as building them by hand does, so the CLI, the lab and the bench keep their numbers.
import { describe, expect, it } from 'vitest';
import { ReLU, Softmax } from '../../lib/activations.ts';
import { Dropout } from '../../lib/dropout.ts';
import { ScratchnetError } from '../../lib/errors.ts';
import { Dense, isTrainable, type Layer } from '../../lib/layers.ts';
import { CategoricalCrossEntropy } from '../../lib/losses.ts';
import { mlp } from '../../lib/mlp.ts';
import { Adam } from '../../lib/optimizers.ts';
import { Random, seed } from '../../lib/random.ts';

const weightsOf = (layers: Layer[]): number[][] => layers.flatMap((layer) => (isTrainable(layer) ? [Array.from(layer.weights.data)] : []));

describe('mlp', () => {
  it('stacks Dense and ReLU for every hidden width, then Dense and Softmax, with cross-entropy and the optimizer given', () => {
    const optimizer = new Adam();
    const model = mlp([6, 5, 4, 3], { optimizer, rng: new Random(1) });
    expect(model.layers.map((layer) => layer.name)).toEqual(['Dense', 'ReLU', 'Dense', 'ReLU', 'Dense', 'Softmax']);
    expect(model.layers.filter((layer) => layer instanceof Dense).map((layer) => [(layer as Dense).nInputs, (layer as Dense).nOutputs])).toEqual([
      [6, 5],
      [5, 4],
      [4, 3],
    ]);
    expect(model.loss).toBeInstanceOf(CategoricalCrossEntropy);
    expect(model.optimizer).toBe(optimizer);
    expect(mlp([6, 3]).optimizer).toBeUndefined();
  });

  it('draws the same weights as He-normal hidden layers and a Glorot-uniform output layer built by hand', () => {
    const rng = new Random(7);
    const byHand = [new Dense(6, 5, { initializer: 'heNormal', rng }), new Dense(5, 4, { initializer: 'heNormal', rng }), new Dense(4, 3, { initializer: 'glorotUniform', rng })];
    expect(weightsOf(mlp([6, 5, 4, 3], { rng: new Random(7) }).layers)).toEqual(weightsOf(byHand));
  });

  it('adds a Dropout after every hidden ReLU when asked, sharing the generator, without changing the weights drawn', () => {
    const rng = new Random(8);
    const model = mlp([6, 5, 4, 3], { dropout: 0.25, rng });
    expect(model.layers.map((layer) => layer.name)).toEqual(['Dense', 'ReLU', 'Dropout', 'Dense', 'ReLU', 'Dropout', 'Dense', 'Softmax']);
    const dropouts = model.layers.filter((layer): layer is Dropout => layer instanceof Dropout);
    expect(dropouts.map((layer) => [layer.rate, layer.rng])).toEqual([
      [0.25, rng],
      [0.25, rng],
    ]);
    expect(weightsOf(model.layers)).toEqual(weightsOf(mlp([6, 5, 4, 3], { rng: new Random(8) }).layers));
  });

  it('drops input pixels with a Dropout first when asked, and puts an L2 penalty on every Dense layer', () => {
    const model = mlp([6, 5, 3], { inputDropout: 0.2, l2: 1e-3, rng: new Random(1) });
    expect(model.layers.map((layer) => layer.name)).toEqual(['Dropout', 'Dense', 'ReLU', 'Dense', 'Softmax']);
    expect((model.layers[0] as Dropout).rate).toBe(0.2);
    const dense = model.layers.filter((layer): layer is Dense => layer instanceof Dense);
    expect(dense.map((layer) => layer.weightRegularizerL2)).toEqual([1e-3, 1e-3]);
    // The penalty is λ·Σw² over both layers' weights.
    const squares = dense.reduce((total, layer) => total + Array.from(layer.weights.data).reduce((sum, w) => sum + w * w, 0), 0);
    expect(dense.reduce((total, layer) => total + layer.regularizationLoss(), 0)).toBeCloseTo(1e-3 * squares, 6);
  });

  it('takes other initializers for the hidden and output layers', () => {
    const rng = new Random(9);
    const byHand = [new Dense(6, 5, { initializer: 'randomNormal', rng }), new Dense(5, 3, { initializer: 'heNormal', rng })];
    const model = mlp([6, 5, 3], { rng: new Random(9), hiddenInitializer: 'randomNormal', outputInitializer: 'heNormal' });
    expect(weightsOf(model.layers)).toEqual(weightsOf(byHand));
  });

  it('draws from the shared generator reset by seed() when no rng is given', () => {
    seed(10);
    const first = weightsOf(mlp([4, 3, 2]).layers);
    seed(10);
    expect(weightsOf(mlp([4, 3, 2]).layers)).toEqual(first);
    expect(weightsOf(mlp([4, 3, 2]).layers)).not.toEqual(first);
  });

  it('builds a plain softmax classifier from two sizes, and refuses fewer', () => {
    expect(mlp([4, 2]).layers.map((layer) => layer.name)).toEqual(['Dense', 'Softmax']);
    expect(() => mlp([4])).toThrow(ScratchnetError);
    expect(() => mlp([4])).toThrow('mlp: sizes needs at least the inputs and the classes, e.g. [784, 128, 10], not [4]');
  });

  it('checks every size before building any layer, and leaves checking rates to the layers', () => {
    expect(() => mlp([4, 0, 2])).toThrow(/^mlp: every size must be a positive whole number, not 0 in \[4, 0, 2\]$/);
    expect(() => mlp([4, 3, 2.5])).toThrow(/^mlp: every size must be a positive whole number, not 2\.5/);
    expect(() => mlp([4, 3, 2], { dropout: 1 })).toThrow(/^Dropout: rate/);
  });

  it('gives layers that ReLU and Softmax really are', () => {
    const [, relu, , softmax] = mlp([3, 2, 2]).layers;
    expect(relu).toBeInstanceOf(ReLU);
    expect(softmax).toBeInstanceOf(Softmax);
  });
});
