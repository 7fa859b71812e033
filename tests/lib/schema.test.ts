// The one check both model forms pass through: checkModelJSON reads every field but the weights
// (sizes, settings, the chain of layers, the loss) and ignores fields it does not know,
// checkWeightValues names the first weight that is not finite, and buildModel builds the layers.
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../lib/errors.ts';
import { Dense } from '../../lib/layers.ts';
import { Dropout } from '../../lib/dropout.ts';
import { MeanSquaredError } from '../../lib/losses.ts';
import { MODEL_FORMAT, SAVED_ACTIVATIONS, SAVED_LOSSES, buildModel, checkModelJSON, checkWeightValues, type ModelJSON } from '../../lib/schema.ts';

const header: ModelJSON = {
  format: 'scratchnet-model',
  version: 1,
  layers: [{ type: 'Dense', nInputs: 2, nOutputs: 3, weightRegularizerL2: 0.01 }, { type: 'ReLU' }, { type: 'Dropout', rate: 0.2 }, { type: 'Dense', nInputs: 3, nOutputs: 1 }, { type: 'Linear' }],
  loss: 'MeanSquaredError',
};

describe('checkModelJSON', () => {
  it('returns the layers that hold values with their sizes and arrays, and the parameter count, from an object or its text', () => {
    const arrays = (nInputs: number, nOutputs: number) => [{ field: 'weights', length: nInputs * nOutputs }, { field: 'biases', length: nOutputs }];
    const expected = { weighted: [{ index: 0, nInputs: 2, nOutputs: 3, arrays: arrays(2, 3) }, { index: 3, nInputs: 3, nOutputs: 1, arrays: arrays(3, 1) }], parameters: 9 + 4 };
    expect(checkModelJSON('op', header)).toMatchObject(expected);
    expect(checkModelJSON('op', JSON.stringify(header))).toMatchObject(expected);
    expect(MODEL_FORMAT).toEqual({ name: 'scratchnet-model', version: 1 });
  });

  it('counts four arrays of `size` values for a BatchNormalization layer: γ, β, the running mean and the running variance', () => {
    const layers = [{ type: 'Dense', nInputs: 2, nOutputs: 3 }, { type: 'BatchNormalization', size: 3, momentum: 0.9, epsilon: 1e-5 }, { type: 'ReLU' }, { type: 'Dense', nInputs: 3, nOutputs: 1 }];
    const checked = checkModelJSON('op', { ...header, layers });
    expect(checked.weighted[1]).toEqual({ index: 1, nInputs: 3, nOutputs: 3, arrays: ['weights', 'biases', 'runningMean', 'runningVariance'].map((field) => ({ field, length: 3 })) });
    expect(checked.parameters).toBe(9 + 12 + 4);
  });

  it('ignores fields it does not know, such as the metadata the CLI records', () => {
    expect(checkModelJSON('op', { ...header, metadata: { dataset: 'mnist' } }).parameters).toBe(13);
  });

  it.each([
    ['a layer that is not an object', { ...header, layers: [5] }, 'op: layers[0] must be an object'],
    ['a Dense layer without sizes', { ...header, layers: [{ type: 'Dense' }] }, 'op: layers[0].nInputs must be a positive whole number, not undefined'],
    ['a fractional size', { ...header, layers: [{ type: 'Dense', nInputs: 2, nOutputs: 1.5 }] }, 'op: layers[0].nOutputs must be a positive whole number, not 1.5'],
    ['a dropout rate of 1', { ...header, layers: [{ type: 'Dropout', rate: 1 }] }, 'op: layers[0].rate must be a number in [0, 1), not 1'],
    ['an unknown layer', { ...header, layers: [{ type: 'Conv2D' }] }, 'op: layers[0].type "Conv2D" is not a layer scratchnet knows (Dense, BatchNormalization, Dropout, ReLU, Softmax, Sigmoid, Linear)'],
    ['a BatchNormalization layer without a size', { ...header, layers: [{ type: 'BatchNormalization' }] }, 'op: layers[0].size must be a positive whole number of features, not undefined'],
    ['a BatchNormalization momentum of 1', { ...header, layers: [{ type: 'BatchNormalization', size: 2, momentum: 1 }] }, 'op: layers[0].momentum must be a number in [0, 1), not 1'],
    ['a BatchNormalization layer that does not fit the one before', { ...header, layers: [{ type: 'Dense', nInputs: 2, nOutputs: 3 }, { type: 'BatchNormalization', size: 4 }] }, 'op: the layers do not fit together: layers[1] takes 4 inputs but layers[0] gives 3 outputs'],
    ['a loss that is a number', { ...header, loss: 3 }, 'op: loss 3 is not one scratchnet knows (CategoricalCrossEntropy, BinaryCrossEntropy, MeanSquaredError, MeanAbsoluteError)'],
    ['text that is not JSON', '{"format": "scratchnet-model", "layers": [', /^op: the model is not valid JSON \(.*\); the file may be truncated$/],
  ])('refuses %s with a FormatError naming the field', (_, source, message) => {
    expect(() => checkModelJSON('op', source)).toThrow(FormatError);
    expect(() => checkModelJSON('op', source)).toThrow(message);
  });
});

describe('checkWeightValues', () => {
  it('passes finite numbers in arrays and typed arrays, and names the first value that is not one', () => {
    expect(() => checkWeightValues('op', 'w', [1, -2.5, 0])).not.toThrow();
    expect(() => checkWeightValues('op', 'w', new Float32Array([1, 2]))).not.toThrow();
    expect(() => checkWeightValues('op', 'w', new Float32Array([1, Number.NEGATIVE_INFINITY]))).toThrow(/^op: w\[1\] is -Infinity, not a finite number; /);
    expect(() => checkWeightValues('op', 'w', [1, '2'])).toThrow(/^op: w\[1\] is "2", not a finite number; /);
  });
});

describe('buildModel', () => {
  it('builds every layer, with its settings, weights, biases and the loss', () => {
    const values = new Map([
      [0, { weights: new Float32Array([1, 2, 3, 4, 5, 6]), biases: [0.1, 0.2, 0.3] }],
      [3, { weights: [7, 8, 9], biases: [0.5] }],
    ]);
    const model = buildModel('op', checkModelJSON('op', header), (index) => values.get(index)!);
    expect(model.layers.map((layer) => layer.name)).toEqual(['Dense', 'ReLU', 'Dropout', 'Dense', 'Linear']);
    const [first, dropout, last] = [model.layers[0] as Dense, model.layers[2] as Dropout, model.layers[3] as Dense];
    expect(first.weights.toRows()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(first.weights.data).toBe(values.get(0)!.weights); // a float32 array is used as it is, not copied
    expect(first.weightRegularizerL2).toBe(0.01);
    expect(dropout.rate).toBe(0.2);
    expect(Array.from(last.biases.data)).toEqual([0.5]);
    expect(model.loss).toBeInstanceOf(MeanSquaredError);
  });

  it('refuses a weight that is not finite before building the layer', () => {
    const checked = checkModelJSON('op', header);
    expect(() => buildModel('op', checked, (index) => (index === 0 ? { weights: [1, 2, 3, Number.NaN, 5, 6], biases: [0, 0, 0] } : { weights: [0, 0, 0], biases: [0] }))).toThrow(
      /^op: layers\[0\]\.weights\[3\] is NaN, not a finite number/,
    );
  });

  it('knows every activation and loss by the name it is saved under', () => {
    for (const [name, Kind] of Object.entries(SAVED_ACTIVATIONS)) expect(new Kind().name).toBe(name);
    for (const [name, make] of Object.entries(SAVED_LOSSES)) expect(make().name).toBe(name);
  });
});
