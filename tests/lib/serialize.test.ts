// Saving and loading models: the JSON and binary forms round-trip exactly, both keep what the run
// recorded (metadata), and damaged or mismatched files are rejected with messages that name the
// field, the layer or the byte count.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dropout } from '../../lib/dropout.ts';
import { Dense } from '../../lib/layers.ts';
import { Linear, ReLU, Sigmoid, Softmax } from '../../lib/activations.ts';
import { Matrix } from '../../lib/matrix.ts';
import { Random } from '../../lib/random.ts';
import { Sequential } from '../../lib/model.ts';
import { CategoricalCrossEntropy, MeanSquaredError } from '../../lib/losses.ts';
import { FormatError } from '../../lib/errors.ts';
import { decodeModel, deserializeModel, encodeModel, loadWeights, modelMetadata, serializeModel } from '../../lib/serialize.ts';
import type { ModelJSON } from '../../lib/schema.ts';
import { loadModel, loadWeightsFile, saveModel } from '../../lib/node.ts';

function classifier(seed = 3): Sequential {
  const rng = new Random(seed);
  return new Sequential(
    [new Dense(2, 8, { rng, initializer: 'heNormal', weightRegularizerL2: 5e-4 }), new ReLU(), new Dropout(0.1), new Dense(8, 3, { rng }), new Softmax()],
    { loss: new CategoricalCrossEntropy() },
  );
}

function weightsOf(model: Sequential): Float32Array[] {
  return model.layers.flatMap((layer) => (layer instanceof Dense ? [layer.weights.data as Float32Array, layer.biases.data as Float32Array] : []));
}

function expectSameWeights(a: Sequential, b: Sequential): void {
  const left = weightsOf(a);
  const right = weightsOf(b);
  expect(right.length).toBe(left.length);
  left.forEach((values, i) => expect(Array.from(right[i])).toEqual(Array.from(values)));
}

describe('serializeModel and deserializeModel', () => {
  it('round-trips a model through JSON text with bit-identical weights', () => {
    const model = classifier();
    const copy = deserializeModel(JSON.stringify(serializeModel(model)));
    expectSameWeights(model, copy);
    const x = new Random(9).randn(6, 2);
    expect(Array.from(copy.predict(x).data)).toEqual(Array.from(model.predict(x).data));
  });

  it('keeps the layer types, the dropout rate, the regularizers and the loss', () => {
    const json = serializeModel(classifier());
    expect(json.layers.map((layer) => layer.type)).toEqual(['Dense', 'ReLU', 'Dropout', 'Dense', 'Softmax']);
    expect(json.layers[2]).toEqual({ type: 'Dropout', rate: 0.1 });
    expect(json.layers[0]).toMatchObject({ nInputs: 2, nOutputs: 8, weightRegularizerL2: 5e-4 });
    expect(json.loss).toBe('CategoricalCrossEntropy');
    const copy = deserializeModel(json);
    expect((copy.layers[0] as Dense).weightRegularizerL2).toBe(5e-4);
    expect(copy.loss).toBeInstanceOf(CategoricalCrossEntropy);
  });

  it('saves Sigmoid, Linear and a regression loss too', () => {
    const model = new Sequential([new Dense(1, 4, { rng: new Random(1) }), new Sigmoid(), new Dense(4, 1, { rng: new Random(2) }), new Linear()], { loss: new MeanSquaredError() });
    const copy = deserializeModel(serializeModel(model));
    expect(copy.layers.map((layer) => layer.name)).toEqual(['Dense', 'Sigmoid', 'Dense', 'Linear']);
    expect(copy.loss).toBeInstanceOf(MeanSquaredError);
    expectSameWeights(model, copy);
  });

  it('rejects text that is not JSON, saying the file may be truncated', () => {
    const text = JSON.stringify(serializeModel(classifier()));
    expect(() => deserializeModel(text.slice(0, 80))).toThrow(/deserializeModel: the model is not valid JSON .*truncated/);
  });

  it('rejects a weight array of the wrong length, naming the field and both counts', () => {
    const json = serializeModel(classifier());
    (json.layers[3] as { weights: number[] }).weights.pop();
    expect(() => deserializeModel(json)).toThrow('deserializeModel: layers[3].weights has 23 numbers but needs 24');
  });

  it('rejects a weight that is not a finite number, naming its index', () => {
    const json = JSON.parse(JSON.stringify(serializeModel(classifier()))) as ModelJSON;
    (json.layers[0] as { biases: unknown[] }).biases[5] = null;
    expect(() => deserializeModel(json)).toThrow('deserializeModel: layers[0].biases[5] is null, not a finite number');
  });

  it('rejects unknown formats, versions, layer types and losses', () => {
    const good = serializeModel(classifier());
    expect(() => deserializeModel({ ...good, format: 'keras' } as unknown as ModelJSON)).toThrow(/format is "keras"/);
    expect(() => deserializeModel({ ...good, version: 2 } as unknown as ModelJSON)).toThrow(/version is 2/);
    const badLayer = { ...good, layers: [...good.layers, { type: 'Conv2D' }] } as unknown as ModelJSON;
    expect(() => deserializeModel(badLayer)).toThrow('deserializeModel: layers[5].type "Conv2D" is not a layer scratchnet knows');
    expect(() => deserializeModel({ ...good, loss: 'Hinge' })).toThrow(/loss "Hinge" is not one scratchnet knows/);
    const badSize = JSON.parse(JSON.stringify(good)) as ModelJSON;
    (badSize.layers[0] as { nInputs: unknown }).nInputs = 'two';
    expect(() => deserializeModel(badSize)).toThrow('deserializeModel: layers[0].nInputs must be a positive whole number, not "two"');
  });

  it('rejects layers that do not chain', () => {
    const json = serializeModel(classifier());
    json.layers.splice(3, 2);
    json.layers.push({ type: 'Dense', nInputs: 5, nOutputs: 1, weights: [1, 2, 3, 4, 5], biases: [0] });
    expect(() => deserializeModel(json)).toThrow(/the layers do not fit together: .*takes 5 inputs .* gives 8 outputs/);
  });

  it('refuses to save a layer it cannot describe', () => {
    const custom = { name: 'Custom', forward: (x: Matrix) => x, backward: (d: Matrix) => d };
    expect(() => serializeModel(new Sequential([custom]))).toThrow('serializeModel: layer 0 (Custom) cannot be saved');
  });
});

describe('encodeModel and decodeModel', () => {
  it('round-trips a model through the binary form with bit-identical weights', () => {
    const model = classifier();
    const copy = decodeModel(encodeModel(model));
    expectSameWeights(model, copy);
    expect(copy.layers.map((layer) => layer.name)).toEqual(model.layers.map((layer) => layer.name));
  });

  it('is compact: 4 bytes per parameter plus a small header', () => {
    const model = classifier();
    const bytes = encodeModel(model);
    expect(model.parameterCount).toBe(2 * 8 + 8 + 8 * 3 + 3);
    expect(bytes.length - model.parameterCount * 4).toBeLessThan(400);
    expect(bytes.length).toBeLessThan(JSON.stringify(serializeModel(model)).length);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('SNET');
  });

  it('rejects a truncated file, saying how many bytes it needs and has', () => {
    const bytes = encodeModel(classifier());
    expect(() => decodeModel(bytes.subarray(0, bytes.length - 10))).toThrow(
      `decodeModel: the file is truncated: its header describes 51 weights and biases, so a complete file is ${bytes.length} bytes, and this one is ${bytes.length - 10}`,
    );
    expect(() => decodeModel(bytes.subarray(0, 20))).toThrow(/decodeModel: the file is truncated: its header needs \d+ bytes but only 8 follow/);
    expect(() => decodeModel(bytes.subarray(0, 5))).toThrow('decodeModel: the file is 5 bytes, too short to be a scratchnet model');
  });

  it('rejects a file with the wrong magic number, a newer version, or bytes left over', () => {
    const bytes = encodeModel(classifier());
    const wrongMagic = bytes.slice();
    wrongMagic.set([0x50, 0x4b, 0x03, 0x04]); // a zip file's signature
    expect(() => decodeModel(wrongMagic)).toThrow('decodeModel: not a scratchnet model file: it starts with "PK\\u0003\\u0004", not "SNET"');
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(4, 9, true);
    expect(() => decodeModel(newer)).toThrow('decodeModel: the file is format version 9, but this library reads version 1');
    const longer = new Uint8Array(bytes.length + 8);
    longer.set(bytes);
    expect(() => decodeModel(longer)).toThrow('decodeModel: the file has 8 bytes after the last layer\'s weights');
  });
});

describe('modelMetadata', () => {
  const metadata = { dataset: 'fashion-mnist', epochs: 15, hidden: [256, 128] };

  it('reads back what either form recorded about the run, and undefined from a model that recorded nothing', () => {
    const model = classifier();
    expect(modelMetadata(serializeModel(model, { metadata }))).toEqual(metadata);
    expect(modelMetadata(JSON.stringify(serializeModel(model, { metadata })))).toEqual(metadata);
    expect(modelMetadata(encodeModel(model, { metadata }))).toEqual(metadata);
    expect(modelMetadata(encodeModel(model))).toBeUndefined();
    expect(modelMetadata(serializeModel(model))).toBeUndefined();
  });

  it('leaves the weights and the model they load as they were', () => {
    const model = classifier();
    expectSameWeights(model, decodeModel(encodeModel(model, { metadata })));
    expectSameWeights(model, deserializeModel(serializeModel(model, { metadata })));
  });

  it('refuses metadata that is not an object, in either form', () => {
    const json = { ...serializeModel(classifier()), metadata: 'mnist' } as unknown as ModelJSON;
    expect(() => modelMetadata(json)).toThrow('modelMetadata: metadata must be an object, not "mnist"');
    expect(() => deserializeModel(json)).toThrow('deserializeModel: metadata must be an object, not "mnist"');
    expect(() => modelMetadata(encodeModel(classifier()).subarray(0, 6))).toThrow(/^modelMetadata: the file is 6 bytes, too short/);
  });
});

describe('loadWeights', () => {
  it('copies weights into a model of the same shape', () => {
    const source = classifier(3);
    const target = classifier(4);
    loadWeights(target, encodeModel(source));
    expectSameWeights(source, target);
    const other = classifier(5);
    loadWeights(other, JSON.stringify(serializeModel(source)));
    expectSameWeights(source, other);
  });

  it('rejects weights that do not fit and leaves the model untouched', () => {
    const source = classifier();
    const rng = new Random(8);
    const target = new Sequential([new Dense(2, 8, { rng }), new ReLU(), new Dense(8, 4, { rng }), new Softmax()]);
    const before = weightsOf(target).map((values) => Array.from(values));
    expect(() => loadWeights(target, encodeModel(source))).toThrow(FormatError);
    expect(() => loadWeights(target, encodeModel(source))).toThrow('loadWeights: layer 2 (Dense) has weights 8×4 in the model but 8×3 in the file');
    expect(weightsOf(target).map((values) => Array.from(values))).toEqual(before);
    const shallow = new Sequential([new Dense(2, 3, { rng }), new Softmax()]);
    expect(() => loadWeights(shallow, serializeModel(source))).toThrow('loadWeights: the file has 2 layers with weights but the model has 1');
  });
});

describe('saveModel and loadModel (scratchnet/node)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'scratchnet-serialize-'));

  it('saves and loads both forms by file extension', async () => {
    const model = classifier();
    await saveModel(model, join(folder, 'model.json'));
    await saveModel(model, join(folder, 'model.snet'));
    expect(JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')).format).toBe('scratchnet-model');
    expect(readFileSync(join(folder, 'model.snet')).subarray(0, 4).toString()).toBe('SNET');
    expectSameWeights(model, await loadModel(join(folder, 'model.json')));
    expectSameWeights(model, await loadModel(join(folder, 'model.snet')));
    const target = classifier(11);
    await loadWeightsFile(target, join(folder, 'model.snet'));
    expectSameWeights(model, target);
  });

  it('names the file when it is missing or damaged', async () => {
    const missing = join(folder, 'missing.json');
    await expect(loadModel(missing)).rejects.toThrow(`loadModel: ${missing}: no such file`);
    const damaged = join(folder, 'damaged.snet');
    writeFileSync(damaged, encodeModel(classifier()).subarray(0, 100));
    await expect(loadModel(damaged)).rejects.toThrow(`${damaged}: decodeModel: the file is truncated`);
  });
});
