// Dense, checked against the book's worked examples (chapters 2, 3, 9, 14): forward passes of
// one neuron, one layer and two layers, backward passes worked by hand, initializers, L1/L2
// regularization as a layer applies it, layer sizes, and the errors for misuse.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../lib/matrix.ts';
import { Random, seed } from '../../lib/random.ts';
import { Dense, describeLayer, isTrainable, layerSizes, layerTable } from '../../lib/layers.ts';
import { ReLU } from '../../lib/activations.ts';
import { ShapeError, SizeError } from '../../lib/errors.ts';
import { expectMatrixClose } from '../support/expect.ts';

// The book's three neurons (chapter 2), each row one neuron's weights over four inputs.
// This library stores weights inputs × neurons, so the tests assign their transpose.
const bookWeights = [
  [0.2, 0.8, -0.5, 1],
  [0.5, -0.91, 0.26, -0.5],
  [-0.26, -0.27, 0.17, 0.87],
];
const bookWeightsT = [
  [0.2, 0.5, -0.26],
  [0.8, -0.91, -0.27],
  [-0.5, 0.26, 0.17],
  [1, -0.5, 0.87],
];
const bookBiases = [2, 3, 0.5];
const bookBatch = [
  [1, 2, 3, 2.5],
  [2, 5, -1, 2],
  [-1.5, 2.7, 3.3, -0.8],
];

function bookLayer(): Dense {
  const layer = new Dense(4, 3);
  layer.weights = bookWeightsT;
  layer.biases = bookBiases;
  return layer;
}

/** Mean and population standard deviation of a matrix's elements. */
function stats(m: Matrix): { mean: number; std: number } {
  let mean = 0;
  for (const x of m.data) mean += x;
  mean /= m.size;
  let squares = 0;
  for (const x of m.data) squares += (x - mean) ** 2;
  return { mean, std: Math.sqrt(squares / m.size) };
}

describe('Dense forward', () => {
  it("gives the book's 4.8 for one neuron with inputs [1, 2, 3, 2.5]", () => {
    const neuron = new Dense(4, 1);
    neuron.weights = [[0.2], [0.8], [-0.5], [1.0]];
    neuron.biases = [2];
    // 1·0.2 + 2·0.8 + 3·(−0.5) + 2.5·1.0 + 2 = 0.2 + 1.6 − 1.5 + 2.5 + 2 = 4.8
    expectMatrixClose(neuron.forward(Matrix.fromRows([[1, 2, 3, 2.5]])), [[4.8]]);
  });

  it("gives the book's [4.8, 1.21, 2.385] for a layer of three neurons", () => {
    // neuron 2: 1·0.5 + 2·(−0.91) + 3·0.26 + 2.5·(−0.5) + 3 = 0.5 − 1.82 + 0.78 − 1.25 + 3 = 1.21
    // neuron 3: 1·(−0.26) + 2·(−0.27) + 3·0.17 + 2.5·0.87 + 0.5 = −0.26 − 0.54 + 0.51 + 2.175 + 0.5 = 2.385
    expectMatrixClose(bookLayer().forward(Matrix.fromRows([[1, 2, 3, 2.5]])), [[4.8, 1.21, 2.385]]);
  });

  it("gives the book's chapter 3 output for a batch of three samples through two layers", () => {
    const layer1 = bookLayer();
    const layer2 = new Dense(3, 3);
    // The book's layer 2 weights [[0.1, −0.14, 0.5], [−0.5, 0.12, −0.33], [−0.44, 0.73, −0.13]], transposed.
    layer2.weights = [
      [0.1, -0.5, -0.44],
      [-0.14, 0.12, 0.73],
      [0.5, -0.33, -0.13],
    ];
    layer2.biases = [-1, 2, -0.5];
    const hidden = layer1.forward(Matrix.fromRows(bookBatch));
    expectMatrixClose(hidden, [
      [4.8, 1.21, 2.385],
      [8.9, -1.81, 0.2],
      [1.41, 1.051, 0.026],
    ]);
    expectMatrixClose(
      layer2.forward(hidden),
      [
        [0.5031, -1.04185, -2.03875],
        [0.2434, -2.7332, -5.7633],
        [-0.99314, 1.41254, -0.35655],
      ],
      1e-5,
    );
  });

  it('keeps its inputs and output for the backward pass', () => {
    const layer = bookLayer();
    const inputs = Matrix.fromRows([[1, 2, 3, 2.5]]);
    const output = layer.forward(inputs);
    expect(layer.inputs).toBe(inputs);
    expect(layer.output).toBe(output);
  });

  it('counts nInputs × nOutputs weights plus nOutputs biases as its parameters', () => {
    // 4·3 + 3 = 15
    expect(new Dense(4, 3).parameterCount).toBe(15);
  });

  it('names Dense.forward and both shapes when a sample has the wrong number of values', () => {
    const layer = new Dense(4, 3);
    const act = () => layer.forward(Matrix.fromRows([[1, 2, 3]]));
    expect(act).toThrow(ShapeError);
    expect(act).toThrow(/^Dense\.forward: .*\(1×3\).*\(4×3\)/);
  });

  it('refuses an empty batch', () => {
    expect(() => new Dense(4, 3).forward(Matrix.zeros(0, 4))).toThrow(/Dense\.forward: empty batch/);
  });

  it('refuses nested arrays in place of a Matrix', () => {
    const layer = new Dense(2, 1);
    expect(() => layer.forward([[1, 2]] as unknown as Matrix)).toThrow(/Dense\.forward: inputs must be a Matrix/);
  });
});

describe('Dense weights and biases', () => {
  it('stores weights inputs × outputs and biases 1 × outputs, the biases starting at zero', () => {
    const layer = new Dense(3, 5, { rng: new Random(1) });
    expect(layer.weights.shape).toEqual([3, 5]);
    expect(layer.biases.shape).toEqual([1, 5]);
    expect(layer.biases.toArray()).toEqual([0, 0, 0, 0, 0]);
    expect(layer.weights.toArray().some((w) => w !== 0)).toBe(true);
  });

  it('accepts weights and biases as Matrices or nested arrays, in the layer dtype', () => {
    const layer = new Dense(2, 2, { dtype: 'float64' });
    layer.weights = [
      [0.1, 0.2],
      [0.3, 0.4],
    ];
    layer.biases = [[1, 2]];
    expect(layer.weights.dtype).toBe('float64');
    expect(layer.weights.toRows()).toEqual([
      [0.1, 0.2],
      [0.3, 0.4],
    ]);
    expect(layer.biases.toRows()).toEqual([[1, 2]]);
    const biases = Matrix.rowVector([5, 6], { dtype: 'float64' });
    layer.biases = biases;
    expect(layer.biases).toBe(biases);
  });

  it('names both shapes when assigned weights of the wrong shape, such as the book\'s neurons × inputs', () => {
    const layer = new Dense(4, 3);
    const act = () => {
      layer.weights = bookWeights; // 3×4, the book's layout
    };
    expect(act).toThrow(ShapeError);
    expect(act).toThrow(/Dense\.weights: .*4×3.*3×4/);
  });

  it('names both shapes when assigned biases of the wrong shape', () => {
    const layer = new Dense(4, 3);
    expect(() => {
      layer.biases = [1, 2];
    }).toThrow(/Dense\.biases: .*1×3.*1×2/);
  });

  it('refuses a layer with no inputs or a fractional number of outputs', () => {
    expect(() => new Dense(0, 3)).toThrow(/Dense: nInputs must be a positive whole number, not 0/);
    expect(() => new Dense(3, 1.5)).toThrow(/Dense: nOutputs must be a positive whole number, not 1\.5/);
  });
});

describe('Dense initializers', () => {
  it("draws 'randomNormal' weights, the default, with mean 0 and standard deviation 0.01", () => {
    const { mean, std } = stats(new Dense(100, 100, { rng: new Random(1) }).weights);
    expect(Math.abs(mean)).toBeLessThan(0.0005);
    expect(std).toBeGreaterThan(0.0097);
    expect(std).toBeLessThan(0.0103);
  });

  it("draws 'heNormal' weights with standard deviation sqrt(2 / nInputs)", () => {
    // sqrt(2 / 50) = 0.2
    const { mean, std } = stats(new Dense(50, 400, { initializer: 'heNormal', rng: new Random(2) }).weights);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(std).toBeGreaterThan(0.194);
    expect(std).toBeLessThan(0.206);
  });

  it("draws 'glorotUniform' weights spread evenly over ±sqrt(6 / (nInputs + nOutputs))", () => {
    const limit = 0.24494897; // sqrt(6 / (30 + 70)) = sqrt(0.06)
    const weights = new Dense(30, 70, { initializer: 'glorotUniform', rng: new Random(3) }).weights;
    const values = weights.toArray();
    expect(Math.max(...values)).toBeLessThanOrEqual(limit);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-limit);
    expect(Math.max(...values)).toBeGreaterThan(0.98 * limit);
    expect(Math.min(...values)).toBeLessThan(-0.98 * limit);
    // A uniform distribution on [−a, a] has standard deviation a / sqrt(3) = 0.14142136.
    expect(stats(weights).std).toBeCloseTo(0.14142136, 2);
  });

  it('calls a custom initializer with the layer size and generator and uses what it returns', () => {
    const rng = new Random(4);
    const calls: Array<[number, number, Random]> = [];
    const layer = new Dense(3, 2, {
      rng,
      initializer: (nInputs, nOutputs, r) => {
        calls.push([nInputs, nOutputs, r]);
        return Matrix.full(nInputs, nOutputs, 0.5, { dtype: 'float64' });
      },
    });
    expect(calls).toEqual([[3, 2, rng]]);
    expect(calls[0][2]).toBe(rng);
    expect(layer.weights.toRows()).toEqual([
      [0.5, 0.5],
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
    expect(layer.weights.dtype).toBe('float32');
  });

  it('refuses a custom initializer that returns the wrong shape', () => {
    expect(() => new Dense(3, 2, { initializer: () => Matrix.zeros(2, 3) })).toThrow(/Dense\.weights: .*3×2.*2×3/);
  });

  it('refuses an unknown initializer by name', () => {
    expect(() => new Dense(3, 2, { initializer: 'zeros' as 'heNormal' })).toThrow(/unknown initializer "zeros"/);
  });

  it('draws the same weights from generators with the same seed, and different ones from another seed', () => {
    const a = new Dense(5, 4, { rng: new Random(7) }).weights.toArray();
    const b = new Dense(5, 4, { rng: new Random(7) }).weights.toArray();
    const c = new Dense(5, 4, { rng: new Random(8) }).weights.toArray();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('draws from the shared generator, which seed() resets, when no rng is given', () => {
    seed(11);
    const a = new Dense(5, 4).weights.toArray();
    const b = new Dense(5, 4).weights.toArray();
    seed(11);
    const c = new Dense(5, 4).weights.toArray();
    expect(a).not.toEqual(b);
    expect(c).toEqual(a);
  });
});

describe('Dense backward', () => {
  it("gives the book's chapter 9 gradients for one neuron with x = [1, −2, 3], w = [−3, −1, 2], b = 1 and a ReLU", () => {
    const neuron = new Dense(3, 1);
    neuron.weights = [[-3], [-1], [2]];
    neuron.biases = [1];
    const relu = new ReLU();
    // z = 1·(−3) + (−2)·(−1) + 3·2 + 1 = −3 + 2 + 6 + 1 = 6; ReLU(6) = 6
    const z = neuron.forward(Matrix.fromRows([[1, -2, 3]]));
    expectMatrixClose(z, [[6]]);
    expectMatrixClose(relu.forward(z), [[6]]);
    // The next layer's gradient is 1; ReLU passes it since z > 0.
    const dz = relu.backward(Matrix.fromRows([[1]]));
    const dx = neuron.backward(dz);
    expectMatrixClose(neuron.dweights!, [[1], [-2], [3]]); // ∂z/∂w = x
    expectMatrixClose(neuron.dbiases!, [[1]]); // ∂z/∂b = 1
    expectMatrixClose(dx, [[-3, -1, 2]]); // ∂z/∂x = w
    expect(neuron.dinputs).toBe(dx);
  });

  it("gives the book's dinputs = dvalues · weightsᵀ for a layer of three neurons", () => {
    const layer = bookLayer();
    layer.forward(Matrix.fromRows(bookBatch));
    const dinputs = layer.backward(
      Matrix.fromRows([
        [1, 1, 1],
        [2, 2, 2],
        [3, 3, 3],
      ]),
    );
    // Row 1 sums the book's weight columns: 0.2 + 0.5 − 0.26 = 0.44, 0.8 − 0.91 − 0.27 = −0.38,
    // −0.5 + 0.26 + 0.17 = −0.07, 1 − 0.5 + 0.87 = 1.37; rows 2 and 3 are twice and three times that.
    expectMatrixClose(dinputs, [
      [0.44, -0.38, -0.07, 1.37],
      [0.88, -0.76, -0.14, 2.74],
      [1.32, -1.14, -0.21, 4.11],
    ]);
  });

  it("gives the book's dweights = inputsᵀ · dvalues and dbiases = column sums of dvalues", () => {
    const layer = bookLayer();
    layer.forward(Matrix.fromRows(bookBatch));
    layer.backward(
      Matrix.fromRows([
        [1, 1, 1],
        [2, 2, 2],
        [3, 3, 3],
      ]),
    );
    // Row 1: 1·1 + 2·2 + (−1.5)·3 = 0.5; row 2: 2 + 10 + 8.1 = 20.1; row 3: 3 − 2 + 9.9 = 10.9; row 4: 2.5 + 4 − 2.4 = 4.1
    expectMatrixClose(layer.dweights!, [
      [0.5, 0.5, 0.5],
      [20.1, 20.1, 20.1],
      [10.9, 10.9, 10.9],
      [4.1, 4.1, 4.1],
    ]);
    expectMatrixClose(layer.dbiases!, [[6, 6, 6]]); // 1 + 2 + 3
  });

  it('refuses backward before forward', () => {
    expect(() => new Dense(2, 2).backward(Matrix.zeros(1, 2))).toThrow(/Dense\.backward: call forward\(inputs\) before backward/);
  });

  it('names both shapes when dvalues do not match the output', () => {
    const layer = new Dense(4, 3);
    layer.forward(Matrix.fromRows(bookBatch));
    const act = () => layer.backward(Matrix.zeros(3, 2));
    expect(act).toThrow(ShapeError);
    expect(act).toThrow(/Dense\.backward: dvalues \(3×2\) must match the output \(3×3\)/);
    expect(() => layer.backward(Matrix.zeros(2, 3))).toThrow(/Dense\.backward/);
  });
});

describe('Dense regularization', () => {
  function regularized(): Dense {
    const layer = new Dense(2, 2, { weightRegularizerL1: 0.1, weightRegularizerL2: 0.01, biasRegularizerL1: 0.2, biasRegularizerL2: 0.5 });
    layer.weights = [
      [1, -2],
      [0.5, 0],
    ];
    layer.biases = [1, -0.5];
    return layer;
  }

  it('adds λ₁·Σ|w| + λ₂·Σw² for weights and biases to the loss', () => {
    // weights: 0.1·(1 + 2 + 0.5 + 0) + 0.01·(1 + 4 + 0.25 + 0) = 0.35 + 0.0525 = 0.4025
    // biases:  0.2·(1 + 0.5) + 0.5·(1 + 0.25) = 0.3 + 0.625 = 0.925
    expect(regularized().regularizationLoss()).toBeCloseTo(1.3275, 6);
  });

  it('adds nothing to the loss without regularizers', () => {
    const layer = new Dense(2, 2);
    layer.weights = [
      [1, -2],
      [0.5, 0],
    ];
    expect(layer.regularizationLoss()).toBe(0);
  });

  it('adds λ₁·sign(p) + 2λ₂·p to dweights and dbiases, counting sign(0) as +1 like the book', () => {
    const layer = regularized();
    layer.forward(Matrix.fromRows([[1, 1]]));
    layer.backward(Matrix.fromRows([[1, 2]]));
    // Without the penalty dweights = [[1], [1]] · [[1, 2]] = [[1, 2], [1, 2]] and dbiases = [[1, 2]].
    // w = 1: 1 + 0.1 + 0.02 = 1.12;  w = −2: 2 − 0.1 − 0.04 = 1.86
    // w = 0.5: 1 + 0.1 + 0.01 = 1.11; w = 0: 2 + 0.1 + 0 = 2.1
    expectMatrixClose(layer.dweights!, [
      [1.12, 1.86],
      [1.11, 2.1],
    ]);
    // b = 1: 1 + 0.2 + 2·0.5·1 = 2.2; b = −0.5: 2 − 0.2 − 2·0.5·0.5 = 1.3
    expectMatrixClose(layer.dbiases!, [[2.2, 1.3]]);
  });

  it('reports an infinite penalty, not NaN, when a weight has overflowed and only L2 is set', () => {
    const layer = new Dense(2, 1, { weightRegularizerL2: 0.01 });
    layer.weights = [[Infinity], [1]];
    expect(layer.regularizationLoss()).toBe(Infinity);
  });

  it('refuses a negative regularizer', () => {
    expect(() => new Dense(2, 2, { weightRegularizerL2: -0.1 })).toThrow(/Dense: weightRegularizerL2 must be a number of at least 0, not -0\.1/);
  });
});

describe('layerSizes and isTrainable', () => {
  it('reads the inputs and outputs a Dense layer declares, and nothing from a layer of any width', () => {
    expect(layerSizes(new Dense(4, 3))).toEqual({ nInputs: 4, nOutputs: 3 });
    expect(layerSizes(new ReLU())).toEqual({ nInputs: undefined, nOutputs: undefined });
  });

  it('calls a layer trainable when it has weights and biases', () => {
    expect(isTrainable(new Dense(2, 2))).toBe(true);
    expect(isTrainable(new ReLU())).toBe(false);
  });
});

describe('describeLayer and layerTable', () => {
  it('names a layer by its index and kind', () => {
    expect(describeLayer(new ReLU(), 3)).toBe('layer 3 (ReLU)');
  });

  it('tables each layer with the width it outputs and its parameters, and the total', () => {
    expect(layerTable([new Dense(2, 4), new ReLU(), new Dense(4, 3)])).toBe(
      ['layer            outputs   parameters', '0 Dense          4         12', '1 ReLU           4         0', '2 Dense          3         15', 'total parameters: 27'].join('\n'),
    );
  });
});

describe('Dense sizes too big to allocate', () => {
  it('refuses them before drawing a weight, naming the layer and the bytes', () => {
    let drawn = 0;
    const initializer = (): Matrix => {
      drawn += 1;
      return Matrix.zeros(1, 1);
    };
    expect(() => new Dense(1e6, 1e6, { initializer })).toThrow(SizeError);
    expect(() => new Dense(1e6, 1e6)).toThrow('Dense: a 1000000→1000000 layer needs 4 TB of float32 weights, more than this library allocates for one matrix (limit 1 GB); use fewer inputs or outputs');
    expect(drawn).toBe(0);
  });
});
