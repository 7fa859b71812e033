// The optimizers (book chapter 10): one or two steps of SGD, SGD with momentum, AdaGrad,
// RMSProp and Adam worked by hand on a Dense(2, 1) with assigned weights and gradients,
// the learning-rate decay formula, step()'s handling of layers, option checks, and making an
// optimizer by name.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../lib/matrix.ts';
import { Dropout } from '../../lib/dropout.ts';
import { Dense } from '../../lib/layers.ts';
import { ReLU } from '../../lib/activations.ts';
import { AdaGrad, Adam, OPTIMIZER_DEFAULTS, RMSProp, SGD, createOptimizer } from '../../lib/optimizers.ts';
import { ScratchnetError } from '../../lib/errors.ts';
import { expectMatrixClose } from '../support/expect.ts';

// w = [0.5, −1], b = 0.25 throughout; the first gradient is g1 = [0.3, −0.4], b 0.5,
// the second (where a test takes two steps) g2 = [0.4, 0.3], b 1.2.
function tinyLayer(): Dense {
  const layer = new Dense(2, 1);
  layer.weights = [[0.5], [-1]];
  layer.biases = [0.25];
  setGradients(layer, [0.3, -0.4], 0.5);
  return layer;
}

function setGradients(layer: Dense, dweights: [number, number], dbias: number): void {
  layer.dweights = Matrix.columnVector(dweights);
  layer.dbiases = Matrix.fromRows([[dbias]]);
}

describe('SGD', () => {
  it('moves each parameter by −learningRate · gradient', () => {
    const layer = tinyLayer();
    new SGD({ learningRate: 0.5 }).step([layer]);
    // 0.5 − 0.5·0.3 = 0.35; −1 + 0.5·0.4 = −0.8; 0.25 − 0.5·0.5 = 0
    expectMatrixClose(layer.weights, [[0.35], [-0.8]]);
    expectMatrixClose(layer.biases, [[0]]);
  });

  it('uses the book\'s learning rate of 1 by default', () => {
    const layer = tinyLayer();
    const sgd = new SGD();
    expect(sgd.learningRate).toBe(1);
    sgd.step([layer]);
    // 0.5 − 0.3 = 0.2; −1 + 0.4 = −0.6; 0.25 − 0.5 = −0.25
    expectMatrixClose(layer.weights, [[0.2], [-0.6]]);
    expectMatrixClose(layer.biases, [[-0.25]]);
  });

  it('keeps a velocity with momentum, v ← momentum·v − lr·g, and adds it to the parameters, over two steps', () => {
    const layer = tinyLayer();
    const sgd = new SGD({ learningRate: 0.5, momentum: 0.9 });
    sgd.step([layer]);
    // step 1: v = −0.5·[0.3, −0.4] = [−0.15, 0.2], bias −0.25; w = [0.35, −0.8], b = 0
    const state = sgd.stateOf(layer);
    expectMatrixClose(state.weightMomentums!, [[-0.15], [0.2]]);
    expectMatrixClose(state.biasMomentums!, [[-0.25]]);
    expectMatrixClose(layer.weights, [[0.35], [-0.8]]);
    expectMatrixClose(layer.biases, [[0]]);

    setGradients(layer, [0.4, 0.3], 1.2);
    sgd.step([layer]);
    // step 2: v = 0.9·[−0.15, 0.2] − 0.5·[0.4, 0.3] = [−0.135 − 0.2, 0.18 − 0.15] = [−0.335, 0.03]
    //         bias: 0.9·(−0.25) − 0.5·1.2 = −0.225 − 0.6 = −0.825
    expectMatrixClose(state.weightMomentums!, [[-0.335], [0.03]]);
    expectMatrixClose(state.biasMomentums!, [[-0.825]]);
    // w = [0.35 − 0.335, −0.8 + 0.03] = [0.015, −0.77]; b = 0 − 0.825
    expectMatrixClose(layer.weights, [[0.015], [-0.77]]);
    expectMatrixClose(layer.biases, [[-0.825]]);
  });

  it('keeps no state without momentum', () => {
    const layer = tinyLayer();
    const sgd = new SGD({ learningRate: 0.5 });
    sgd.step([layer]);
    expect(sgd.stateOf(layer)).toEqual({});
  });
});

describe('AdaGrad', () => {
  it('divides by the root of the running sum of squared gradients, over two steps', () => {
    const layer = tinyLayer();
    const adagrad = new AdaGrad({ learningRate: 0.1 });
    adagrad.step([layer]);
    // step 1: cache = g² = [0.09, 0.16], bias 0.25; step −0.1·g / (|g| + 1e-7) ≈ −0.1·sign(g)
    const state = adagrad.stateOf(layer);
    expectMatrixClose(state.weightCache!, [[0.09], [0.16]]);
    expectMatrixClose(state.biasCache!, [[0.25]]);
    // 0.5 − 0.1·0.3/(0.3 + 1e-7) = 0.400000033; −1 + 0.1·0.4/(0.4 + 1e-7) = −0.900000025; 0.25 − 0.1·0.5/(0.5 + 1e-7) = 0.15000002
    expectMatrixClose(layer.weights, [[0.400000033], [-0.900000025]]);
    expectMatrixClose(layer.biases, [[0.15000002]]);

    setGradients(layer, [0.4, 0.3], 1.2);
    adagrad.step([layer]);
    // step 2: cache = [0.09 + 0.16, 0.16 + 0.09] = [0.25, 0.25], bias 0.25 + 1.44 = 1.69
    expectMatrixClose(state.weightCache!, [[0.25], [0.25]]);
    expectMatrixClose(state.biasCache!, [[1.69]]);
    // w −= 0.1·[0.4, 0.3] / 0.5 = [0.08, 0.06]; b −= 0.1·1.2 / 1.3 = 0.09230769
    expectMatrixClose(layer.weights, [[0.32000005], [-0.96000001]]);
    expectMatrixClose(layer.biases, [[0.05769233]]);
  });

  it("uses the book's defaults: learning rate 1 and epsilon 1e-7", () => {
    const adagrad = new AdaGrad();
    expect(adagrad.learningRate).toBe(1);
    expect(adagrad.epsilon).toBe(1e-7);
  });
});

describe('RMSProp', () => {
  it('divides by the root of a moving average of squared gradients, cache ← ρ·cache + (1 − ρ)·g², over two steps', () => {
    const layer = tinyLayer();
    const rmsprop = new RMSProp({ learningRate: 0.01 });
    rmsprop.step([layer]);
    // step 1: cache = 0.1·g² = [0.009, 0.016], bias 0.025
    const state = rmsprop.stateOf(layer);
    expectMatrixClose(state.weightCache!, [[0.009], [0.016]]);
    expectMatrixClose(state.biasCache!, [[0.025]]);
    // each moves by 0.01·|g| / (sqrt(0.1)·|g|) = 0.01 / 0.31622777 = 0.03162278, against the gradient's sign
    expectMatrixClose(layer.weights, [[0.46837726], [-0.96837725]]);
    expectMatrixClose(layer.biases, [[0.21837724]]);

    setGradients(layer, [0.4, 0.3], 1.2);
    rmsprop.step([layer]);
    // step 2: cache = 0.9·[0.009, 0.016] + 0.1·[0.16, 0.09] = [0.0241, 0.0234], bias 0.0225 + 0.144 = 0.1665
    expectMatrixClose(state.weightCache!, [[0.0241], [0.0234]]);
    expectMatrixClose(state.biasCache!, [[0.1665]]);
    // w −= 0.01·[0.4/sqrt(0.0241), 0.3/sqrt(0.0234)] = [0.02576627, 0.01961161]; b −= 0.01·1.2/sqrt(0.1665) = 0.02940858
    expectMatrixClose(layer.weights, [[0.44261101], [-0.98798885]]);
    expectMatrixClose(layer.biases, [[0.18896867]]);
  });

  it("uses the book's defaults: learning rate 0.001, epsilon 1e-7 and rho 0.9", () => {
    const rmsprop = new RMSProp();
    expect([rmsprop.learningRate, rmsprop.epsilon, rmsprop.rho]).toEqual([0.001, 1e-7, 0.9]);
  });
});

describe('Adam', () => {
  it('moves each parameter by about −lr·sign(g) on its first step, thanks to bias correction', () => {
    const layer = tinyLayer();
    const adam = new Adam({ learningRate: 0.01 });
    adam.step([layer]);
    // m = 0.1·g, v = 0.001·g²; m̂ = m / (1 − 0.9) = g, v̂ = v / (1 − 0.999) = g²; step = −0.01·g / (|g| + 1e-7)
    const state = adam.stateOf(layer);
    expectMatrixClose(state.weightMomentums!, [[0.03], [-0.04]]);
    expectMatrixClose(state.biasMomentums!, [[0.05]]);
    expectMatrixClose(state.weightCache!, [[0.00009], [0.00016]], 1e-9);
    expectMatrixClose(state.biasCache!, [[0.00025]], 1e-9);
    expectMatrixClose(layer.weights, [[0.49], [-0.99]]);
    expectMatrixClose(layer.biases, [[0.24]]);
  });

  it('keeps bias-correcting on its second step with a different gradient', () => {
    const layer = tinyLayer();
    const adam = new Adam({ learningRate: 0.01 });
    adam.step([layer]);
    setGradients(layer, [0.4, 0.3], 1.2);
    adam.step([layer]);
    const state = adam.stateOf(layer);
    // m = 0.9·[0.03, −0.04] + 0.1·[0.4, 0.3] = [0.067, −0.006]; bias 0.045 + 0.12 = 0.165
    expectMatrixClose(state.weightMomentums!, [[0.067], [-0.006]]);
    expectMatrixClose(state.biasMomentums!, [[0.165]]);
    // v = 0.999·[0.00009, 0.00016] + 0.001·[0.16, 0.09] = [0.00024991, 0.00024984]; bias 0.00024975 + 0.00144 = 0.00168975
    expectMatrixClose(state.weightCache!, [[0.00024991], [0.00024984]], 1e-9);
    expectMatrixClose(state.biasCache!, [[0.00168975]], 1e-9);
    // m̂ = m / (1 − 0.9²) = m / 0.19, v̂ = v / (1 − 0.999²) = v / 0.001999;
    // w1: 0.49 − 0.01·(0.067/0.19) / sqrt(0.00024991/0.001999) = 0.49 − 0.01·0.35263158/0.35357815 = 0.48002678
    expectMatrixClose(layer.weights, [[0.48002678], [-0.98910675]]);
    expectMatrixClose(layer.biases, [[0.23055449]]);
  });

  it('counts one iteration per step, not per layer, so two identical layers get identical updates', () => {
    const first = tinyLayer();
    const second = tinyLayer();
    const adam = new Adam({ learningRate: 0.01 });
    adam.step([first, second]);
    expect(adam.iterations).toBe(1);
    expect(second.weights.toRows()).toEqual(first.weights.toRows());
    setGradients(first, [0.4, 0.3], 1.2);
    setGradients(second, [0.4, 0.3], 1.2);
    adam.step([first, second]);
    expect(adam.iterations).toBe(2);
    expectMatrixClose(second.weights, [[0.48002678], [-0.98910675]]);
    expect(second.weights.toRows()).toEqual(first.weights.toRows());
  });

  it("uses the book's defaults: learning rate 0.001, epsilon 1e-7, beta1 0.9 and beta2 0.999", () => {
    const adam = new Adam();
    expect([adam.learningRate, adam.epsilon, adam.beta1, adam.beta2]).toEqual([0.001, 1e-7, 0.9, 0.999]);
  });
});

describe('learning-rate decay', () => {
  it('sets currentLearningRate = learningRate / (1 + decay · iterations) in preUpdate: 1, 1/1.1, 1/1.2', () => {
    const sgd = new SGD({ learningRate: 1, decay: 0.1 });
    const rates: number[] = [];
    for (let i = 0; i < 4; i++) {
      sgd.preUpdate();
      rates.push(sgd.currentLearningRate);
      sgd.postUpdate();
    }
    // 1 / (1 + 0.1·t) for t = 0, 1, 2, 3
    expect(rates[0]).toBe(1);
    expect(rates[1]).toBeCloseTo(0.90909091, 8);
    expect(rates[2]).toBeCloseTo(0.83333333, 8);
    expect(rates[3]).toBeCloseTo(0.76923077, 8);
    expect(sgd.iterations).toBe(4);
  });

  it('applies the decayed rate to the step that follows', () => {
    const layer = new Dense(1, 1);
    layer.weights = [[0]];
    layer.dweights = Matrix.fromRows([[1]]);
    layer.dbiases = Matrix.fromRows([[0]]);
    const sgd = new SGD({ learningRate: 1, decay: 1 });
    sgd.step([layer]); // rate 1 / (1 + 0) = 1: w = −1
    sgd.step([layer]); // rate 1 / (1 + 1) = 0.5: w = −1.5
    sgd.step([layer]); // rate 1 / (1 + 2) = 1/3: w = −1.83333333
    expectMatrixClose(layer.weights, [[-1.83333333]]);
    expect(sgd.currentLearningRate).toBeCloseTo(1 / 3, 8);
  });

  it('leaves the learning rate alone without decay', () => {
    const adam = new Adam({ learningRate: 0.02 });
    adam.preUpdate();
    adam.postUpdate();
    adam.preUpdate();
    expect(adam.currentLearningRate).toBe(0.02);
  });
});

describe('Optimizer.step', () => {
  it('updates trainable layers and skips activations and dropout', () => {
    const layer = tinyLayer();
    const relu = new ReLU();
    const dropout = new Dropout(0.5);
    const sgd = new SGD({ learningRate: 0.5 });
    sgd.step([relu, layer, dropout]);
    expectMatrixClose(layer.weights, [[0.35], [-0.8]]);
    expect(sgd.iterations).toBe(1);
  });

  it('names the step and the layer when a trainable layer has no gradients yet', () => {
    const sgd = new SGD();
    expect(() => sgd.step([new ReLU(), new Dense(2, 1)])).toThrow(/^SGD\.step: layer 1 \(Dense\) has no gradients yet; call backward\(\) before step\(\)/);
    expect(() => new Adam().step([new Dense(2, 1)])).toThrow(/^Adam\.step: layer 0 \(Dense\)/);
  });

  it('changes nothing when any trainable layer lacks gradients, even a later one', () => {
    const ready = tinyLayer();
    const before = ready.weights.toRows();
    const sgd = new SGD({ learningRate: 0.5 });
    expect(() => sgd.step([ready, new Dense(2, 1)])).toThrow(/layer 1 \(Dense\) has no gradients yet/);
    expect(ready.weights.toRows()).toEqual(before);
    expect(sgd.iterations).toBe(0);
  });

  it('keeps only the state each rule uses, so a chapter can show it', () => {
    const layers = [tinyLayer(), tinyLayer(), tinyLayer(), tinyLayer()];
    const sgd = new SGD({ momentum: 0.5 });
    const adagrad = new AdaGrad();
    const rmsprop = new RMSProp();
    const adam = new Adam();
    sgd.step([layers[0]]);
    adagrad.step([layers[1]]);
    rmsprop.step([layers[2]]);
    adam.step([layers[3]]);
    const keys = (state: object): string[] => Object.keys(state).sort();
    expect(keys(sgd.stateOf(layers[0]))).toEqual(['biasMomentums', 'weightMomentums']);
    expect(keys(adagrad.stateOf(layers[1]))).toEqual(['biasCache', 'weightCache']);
    expect(keys(rmsprop.stateOf(layers[2]))).toEqual(['biasCache', 'weightCache']);
    expect(keys(adam.stateOf(layers[3]))).toEqual(['biasCache', 'biasMomentums', 'weightCache', 'weightMomentums']);
    expect(keys(new SGD().stateOf(layers[0]))).toEqual([]);
  });

  it('keeps separate state for each layer', () => {
    const first = tinyLayer();
    const second = tinyLayer();
    setGradients(second, [0.4, 0.3], 1.2);
    const adagrad = new AdaGrad({ learningRate: 0.1 });
    adagrad.step([first, second]);
    expectMatrixClose(adagrad.stateOf(first).weightCache!, [[0.09], [0.16]]);
    expectMatrixClose(adagrad.stateOf(second).weightCache!, [[0.16], [0.09]]);
  });
});

describe('optimizer options', () => {
  it('refuses a learning rate that is not above 0', () => {
    expect(() => new SGD({ learningRate: -0.1 })).toThrow(/^SGD: learningRate must be a number above 0, not -0\.1/);
    expect(() => new Adam({ learningRate: 0 })).toThrow(/^Adam: learningRate must be a number above 0, not 0/);
    expect(() => new RMSProp({ learningRate: Number.NaN })).toThrow(/^RMSProp: learningRate/);
  });

  it('refuses momentum outside [0, 1)', () => {
    expect(() => new SGD({ momentum: 1 })).toThrow(/^SGD: momentum must be a number in \[0, 1\), not 1/);
    expect(() => new SGD({ momentum: -0.5 })).toThrow(/^SGD: momentum/);
    expect(() => new SGD({ momentum: 0.99 })).not.toThrow();
  });

  it('refuses a negative decay, a non-positive epsilon, and rho or betas outside [0, 1)', () => {
    expect(() => new SGD({ decay: -1 })).toThrow(/^SGD: decay must be a number at least 0, not -1/);
    expect(() => new AdaGrad({ epsilon: 0 })).toThrow(/^AdaGrad: epsilon must be a number above 0/);
    expect(() => new RMSProp({ rho: 1 })).toThrow(/^RMSProp: rho must be a number in \[0, 1\)/);
    expect(() => new Adam({ beta1: 1 })).toThrow(/^Adam: beta1/);
    expect(() => new Adam({ beta2: 1.5 })).toThrow(/^Adam: beta2/);
  });
});

describe('createOptimizer', () => {
  it.each([
    ['adam', Adam, 0.001],
    ['sgd', SGD, 0.1],
    ['rmsprop', RMSProp, 0.001],
    ['adagrad', AdaGrad, 0.05],
  ] as const)('makes %s with its default learning rate and no decay', (name, type, learningRate) => {
    const optimizer = createOptimizer(name);
    expect(optimizer).toBeInstanceOf(type);
    expect(optimizer.learningRate).toBe(learningRate);
    expect(optimizer.learningRate).toBe(OPTIMIZER_DEFAULTS[name].learningRate);
    expect(optimizer.decay).toBe(0);
  });

  it('gives SGD momentum 0.9', () => {
    expect((createOptimizer('sgd') as SGD).momentum).toBe(0.9);
  });

  it('takes the learning rate and decay from the options', () => {
    const optimizer = createOptimizer('adagrad', { learningRate: 0.2, decay: 1e-3 });
    expect([optimizer.learningRate, optimizer.decay]).toEqual([0.2, 1e-3]);
  });

  it('steps exactly like the optimizer built by hand', () => {
    const a = tinyLayer();
    const b = tinyLayer();
    const byName = createOptimizer('sgd', { learningRate: 0.5, decay: 0.1 });
    const byHand = new SGD({ learningRate: 0.5, decay: 0.1, momentum: 0.9 });
    for (let step = 0; step < 3; step++) {
      byName.step([a]);
      byHand.step([b]);
    }
    expect(a.weights.toArray()).not.toEqual(tinyLayer().weights.toArray());
    expect(a.weights.toArray()).toEqual(b.weights.toArray());
    expect(a.biases.toArray()).toEqual(b.biases.toArray());
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => createOptimizer('nadam')).toThrow(ScratchnetError);
    expect(() => createOptimizer('nadam')).toThrow('createOptimizer: unknown optimizer "nadam"; use one of adam, sgd, rmsprop, adagrad');
    expect(() => createOptimizer('toString')).toThrow('unknown optimizer "toString"');
  });

  it('leaves checking the settings to the optimizer', () => {
    expect(() => createOptimizer('adam', { learningRate: 0 })).toThrow(/^Adam: learningRate must be a number above 0, not 0/);
  });
});
