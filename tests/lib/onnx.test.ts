// exportONNX: the bytes of a tiny model read back by a small protobuf reader written here (field
// numbers of onnx.proto, the nodes in order, the initializers bit for bit), the errors it gives, and
// onnxruntime-node as the oracle: tiny models, then the shipped MNIST and Fashion-MNIST networks on
// their 10,000 official test images, predicting what scratchnet's predict() does.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Linear, ReLU, Sigmoid, Softmax } from '../../lib/activations.ts';
import { DATASETS } from '../../lib/datasets.ts';
import { Dropout } from '../../lib/dropout.ts';
import { ScratchnetError } from '../../lib/errors.ts';
import { labelledImages, readIDX, type LabelledImages } from '../../lib/idx.ts';
import { Dense, type Layer } from '../../lib/layers.ts';
import { BatchNormalization } from '../../lib/normalization.ts';
import { Matrix, type DType } from '../../lib/matrix.ts';
import { Sequential } from '../../lib/model.ts';
import { argmax } from '../../lib/ops.ts';
import { ONNX_IR_VERSION, ONNX_OPSETS, exportONNX } from '../../lib/onnx.ts';
import { Random } from '../../lib/random.ts';
import { IDX_FILES, datasetFolders, findIDXFile, loadModel, saveONNX } from '../../lib/node.ts';

const root = join(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'scratchnet-onnx-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// ---- A protobuf reader, just enough to check what the writer wrote ----

/** One field of a message: its number, wire type, and a varint (as a bigint) or the bytes of a fixed or length-delimited value. */
interface Field {
  field: number;
  wire: number;
  value: bigint | Uint8Array;
}

function readVarint(bytes: Uint8Array, at: { offset: number }): bigint {
  let value = 0n;
  for (let shift = 0n; ; shift += 7n) {
    if (at.offset >= bytes.length) throw new Error('varint runs past the end');
    const byte = bytes[at.offset++];
    value |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return value;
  }
}

/** Every field of a message, in the order written. */
function fields(bytes: Uint8Array): Field[] {
  const out: Field[] = [];
  const at = { offset: 0 };
  while (at.offset < bytes.length) {
    const tag = Number(readVarint(bytes, at));
    const [field, wire] = [tag >> 3, tag & 7];
    if (wire === 0) out.push({ field, wire, value: readVarint(bytes, at) });
    else if (wire === 2 || wire === 5) {
      const length = wire === 5 ? 4 : Number(readVarint(bytes, at));
      if (at.offset + length > bytes.length) throw new Error(`field ${field} runs past the end`);
      out.push({ field, wire, value: bytes.subarray(at.offset, at.offset + length) });
      at.offset += length;
    } else throw new Error(`unexpected wire type ${wire} for field ${field}`);
  }
  return out;
}

const numbered = (message: Uint8Array, field: number): Field[] => fields(message).filter((entry) => entry.field === field);
const messages = (message: Uint8Array, field: number): Uint8Array[] => numbered(message, field).map((entry) => entry.value as Uint8Array);
const strings = (message: Uint8Array, field: number): string[] => messages(message, field).map((value) => new TextDecoder().decode(value));
/** Varint fields read as int64, two's complement. */
const ints = (message: Uint8Array, field: number): number[] => numbered(message, field).map((entry) => Number(BigInt.asIntN(64, entry.value as bigint)));
const one = <T>(values: T[]): T => {
  expect(values).toHaveLength(1);
  return values[0];
};

// ModelProto 7 graph; GraphProto 1 node, 5 initializer, 11 input, 12 output; NodeProto 1 input, 2 output, 4 op_type, 5 attribute.
const graphOf = (model: Uint8Array): Uint8Array => one(messages(model, 7));
const nodesOf = (model: Uint8Array) =>
  messages(graphOf(model), 1).map((node) => ({ inputs: strings(node, 1), outputs: strings(node, 2), op: one(strings(node, 4)), attributes: messages(node, 5) }));

/** AttributeProto: name 1, f 2 (float), i 3 (int64), type 20 (1 FLOAT, 2 INT). */
function attribute(node: { attributes: Uint8Array[] }, name: string): { type: number; value: number } {
  const found = one(node.attributes.filter((bytes) => one(strings(bytes, 1)) === name));
  const type = one(ints(found, 20));
  const value = type === 1 ? new DataView(one(messages(found, 2)).slice().buffer).getFloat32(0, true) : one(ints(found, 3));
  return { type, value };
}

/** TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian float32). */
function initializers(model: Uint8Array): Map<string, { dims: number[]; dataType: number; raw: Uint8Array }> {
  return new Map(messages(graphOf(model), 5).map((tensor) => [one(strings(tensor, 8)), { dims: ints(tensor, 1), dataType: one(ints(tensor, 2)), raw: one(messages(tensor, 9)) }]));
}

/** ValueInfoProto name 1, type 2 → TypeProto tensor_type 1 → elem_type 1, shape 2 → dim 1 → dim_value 1 or dim_param 2. */
function valueInfo(message: Uint8Array): { name: string; elemType: number; dims: Array<number | string> } {
  const tensorType = one(messages(one(messages(message, 2)), 1));
  const dims = messages(one(messages(tensorType, 2)), 1).map((dim) => (numbered(dim, 1).length ? one(ints(dim, 1)) : one(strings(dim, 2))));
  return { name: one(strings(message, 1)), elemType: one(ints(tensorType, 1)), dims };
}

// ---- Models ----

/** A Dense layer with random weights and random (non-zero) biases, so the runtime's bias add is checked too. */
function dense(nInputs: number, nOutputs: number, rng: Random, dtype: DType = 'float32'): Dense {
  const layer = new Dense(nInputs, nOutputs, { rng, initializer: 'heNormal', dtype });
  layer.biases = Matrix.rowVector(Array.from({ length: nOutputs }, () => rng.uniform(-0.5, 0.5)), { dtype });
  return layer;
}

function classifier(rng = new Random(7)): Sequential {
  return new Sequential([dense(4, 6, rng), new ReLU(), new Dropout(0.3), dense(6, 3, rng), new Softmax()]);
}

/** A classifier whose BatchNormalization layer has a scale, shift, mean and variance far from 1, 0, 0 and 1, so each reaches the runtime. */
function normalizedClassifier(rng: Random): Sequential {
  const normalization = new BatchNormalization(6, { epsilon: 1e-3 });
  const row = (low: number, high: number) => Matrix.rowVector(Array.from({ length: 6 }, () => rng.uniform(low, high)));
  [normalization.weights, normalization.biases, normalization.runningMean, normalization.runningVariance] = [row(0.5, 2), row(-1, 1), row(-1, 1), row(0.2, 3)];
  return new Sequential([dense(4, 6, rng), normalization, new ReLU(), dense(6, 3, rng), new Softmax()]);
}

function randomInputs(rows: number, cols: number, rng: Random): Matrix {
  return new Matrix(rows, cols, Float32Array.from({ length: rows * cols }, () => rng.uniform(-2, 2)));
}

const bits = (values: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float32Array.from(values).buffer));
const rawBits = (raw: Uint8Array): number[] => Array.from(new Uint32Array(raw.slice().buffer));

describe('exportONNX writes onnx.proto messages', () => {
  it('writes a ModelProto with IR version 8, producer scratchnet, opset 13 and a graph', () => {
    const bytes = exportONNX(classifier());
    expect([...new Set(fields(bytes).map((entry) => entry.field))].sort((a, b) => a - b)).toEqual([1, 2, 7, 8]);
    expect(one(ints(bytes, 1))).toBe(ONNX_IR_VERSION);
    expect(ONNX_IR_VERSION).toBe(8);
    expect(one(strings(bytes, 2))).toBe('scratchnet');
    const opset = one(messages(bytes, 8)); // OperatorSetIdProto: version 2, no domain (the default ai.onnx)
    expect(ints(opset, 2)).toEqual([13]);
    expect(strings(opset, 1)).toEqual([]);
    expect(one(strings(exportONNX(classifier(), { producerVersion: '0.1.0' }), 3))).toBe('0.1.0');
  });

  it('writes one node per layer that computes, in order, chained from the input to the output', () => {
    const nodes = nodesOf(exportONNX(classifier()));
    expect(nodes.map((node) => node.op)).toEqual(['Gemm', 'Relu', 'Gemm', 'Softmax']); // Dropout writes nothing
    expect(nodes[0].inputs).toEqual(['input', 'layer0.weights', 'layer0.biases']);
    expect(nodes[2].inputs.slice(1)).toEqual(['layer3.weights', 'layer3.biases']);
    nodes.slice(1).forEach((node, i) => expect(node.inputs[0]).toBe(one(nodes[i].outputs)));
    expect(one(nodes.at(-1)!.outputs)).toBe('output');
  });

  it('writes Gemm with transB = 0, since the weights are stored inputs × outputs, and Softmax over axis -1', () => {
    const [gemm, , , softmax] = nodesOf(exportONNX(classifier()));
    expect(attribute(gemm, 'transA')).toEqual({ type: 2, value: 0 });
    expect(attribute(gemm, 'transB')).toEqual({ type: 2, value: 0 });
    expect(attribute(gemm, 'alpha')).toEqual({ type: 1, value: 1 });
    expect(attribute(gemm, 'beta')).toEqual({ type: 1, value: 1 });
    expect(attribute(softmax, 'axis')).toEqual({ type: 2, value: -1 }); // a negative int64: ten varint bytes
  });

  it('writes every weight and bias as a float32 initializer, bit for bit', () => {
    const model = classifier();
    const tensors = initializers(exportONNX(model));
    expect([...tensors.keys()]).toEqual(['layer0.weights', 'layer0.biases', 'layer3.weights', 'layer3.biases']);
    for (const index of [0, 3]) {
      const layer = model.layers[index] as Dense;
      const weights = tensors.get(`layer${index}.weights`)!;
      expect(weights).toMatchObject({ dims: [layer.nInputs, layer.nOutputs], dataType: 1 });
      expect(rawBits(weights.raw)).toEqual(bits(layer.weights.data));
      const biases = tensors.get(`layer${index}.biases`)!;
      expect(biases).toMatchObject({ dims: [layer.nOutputs], dataType: 1 });
      expect(rawBits(biases.raw)).toEqual(bits(layer.biases.data));
    }
  });

  it('rounds a float64 model\'s weights to float32', () => {
    const layer = dense(3, 2, new Random(2), 'float64');
    const raw = initializers(exportONNX(new Sequential([layer]))).get('layer0.weights')!.raw;
    expect(rawBits(raw)).toEqual(bits(Float32Array.from(layer.weights.data)));
    expect(Array.from(layer.weights.data)).not.toEqual(Array.from(Float32Array.from(layer.weights.data))); // so rounding did happen
  });

  it('declares a float32 input (batch × nInputs) and output (batch × nOutputs) with a symbolic batch size', () => {
    const rng = new Random(1);
    const graph = graphOf(exportONNX(new Sequential([dense(200, 5, rng), new Sigmoid()]), { inputName: 'pixels', outputName: 'scores' }));
    expect(valueInfo(one(messages(graph, 11)))).toEqual({ name: 'pixels', elemType: 1, dims: ['batch', 200] }); // 200: a two-byte varint
    expect(valueInfo(one(messages(graph, 12)))).toEqual({ name: 'scores', elemType: 1, dims: ['batch', 5] });
    expect(one(nodesOf(exportONNX(new Sequential([dense(200, 5, rng)]))).map((node) => node.op))).toBe('Gemm');
  });

  it('imports the operator set asked for', () => {
    expect(ints(one(messages(exportONNX(classifier(), { opset: 17 }), 8)), 2)).toEqual([17]);
  });

  it('writes an Identity node for a model of only Linear and Dropout layers', () => {
    const nodes = nodesOf(exportONNX(new Sequential([new Linear(), new Dropout(0.5)])));
    expect(nodes).toEqual([{ inputs: ['input'], outputs: ['output'], op: 'Identity', attributes: [] }]);
  });
});

describe('exportONNX refuses', () => {
  const error = (run: () => unknown): ScratchnetError => {
    try {
      run();
    } catch (caught) {
      expect(caught).toBeInstanceOf(ScratchnetError);
      return caught as ScratchnetError;
    }
    throw new Error('expected exportONNX to throw');
  };

  it('a layer with no ONNX counterpart, naming it, its index and what is supported', () => {
    const custom: Layer = { name: 'Conv2D', forward: (inputs) => inputs, backward: (dvalues) => dvalues };
    const model = new Sequential([dense(4, 4, new Random(1)), custom]);
    expect(error(() => exportONNX(model)).message).toBe('exportONNX: layer 1 (Conv2D) has no ONNX counterpart here; exportONNX supports Dense, BatchNormalization, ReLU, Sigmoid, Softmax, Linear and Dropout layers');
  });

  it('a model with no layers, weights that are not finite, and bad options', () => {
    expect(error(() => exportONNX(new Sequential())).message).toMatch(/^exportONNX: the model has no layers/);
    const model = classifier();
    (model.layers[3] as Dense).weights.data[4] = Number.NaN;
    expect(error(() => exportONNX(model)).message).toMatch(/^exportONNX: layers\[3\]\.weights\[4\] is NaN, not a finite number/);
    for (const opset of [12, ONNX_OPSETS.last + 1, 13.5]) {
      expect(error(() => exportONNX(classifier(), { opset })).message).toBe(`exportONNX: opset must be a whole number from 13 to 18 (the operator sets of ONNX IR version 8), not ${opset}`);
    }
    expect(error(() => exportONNX(classifier(), { inputName: '' })).message).toBe('exportONNX: inputName must be a non-empty string, not ""');
    expect(error(() => exportONNX(classifier(), { inputName: 'x', outputName: 'x' })).message).toBe('exportONNX: inputName and outputName must differ, not both "x"');
  });
});

// ---- onnxruntime-node as the oracle ----

/** The runtime's outputs for x, and the session's declared names. */
async function runtimeOutputs(bytes: Uint8Array | string, x: Matrix, names = { input: 'input', output: 'output' }): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes as Uint8Array, { executionProviders: ['cpu'] });
  try {
    expect([session.inputNames, session.outputNames]).toEqual([[names.input], [names.output]]);
    const results = await session.run({ [names.input]: new ort.Tensor('float32', Float32Array.from(x.data), [x.rows, x.cols]) });
    return results[names.output].data as Float32Array;
  } finally {
    await session.release();
  }
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('onnxruntime-node runs the exported model as scratchnet does', () => {
  const rng = new Random(11);
  const cases: Array<[string, () => Sequential, number]> = [
    ['Dense, ReLU, Dropout, Dense and Softmax', () => classifier(), 4],
    ['Dense, ReLU, Dense and Sigmoid', () => new Sequential([dense(3, 8, rng), new ReLU(), dense(8, 1, rng), new Sigmoid()]), 3],
    ['a Dense-only linear regression', () => new Sequential([dense(5, 1, rng), new Linear()]), 5],
    ['Dense, BatchNormalization (with learned statistics), ReLU, Dense and Softmax', () => normalizedClassifier(rng), 4],
    ['a float64 classifier', () => new Sequential([dense(4, 6, rng, 'float64'), new ReLU(), dense(6, 3, rng, 'float64'), new Softmax()]), 4],
  ];

  it.each(cases)('agrees within 1e-5 on %s, for a batch of 1 and of 64', async (_, build, nInputs) => {
    const model = build();
    const bytes = exportONNX(model);
    for (const rows of [1, 64]) {
      const x = randomInputs(rows, nInputs, rng);
      const ours = model.predict(x).data;
      const theirs = await runtimeOutputs(bytes, x);
      expect(maxDifference(ours, theirs)).toBeLessThan(1e-5);
      expect(Math.max(...Array.from(ours, Math.abs))).toBeGreaterThan(1e-3); // outputs worth comparing
    }
  });

  it('runs the file saveONNX writes, with the names asked for', async () => {
    const model = classifier();
    const path = join(work, 'classifier.onnx');
    await saveONNX(model, path, { inputName: 'features', outputName: 'probabilities' });
    const x = randomInputs(8, 4, rng);
    expect(maxDifference(model.predict(x).data, await runtimeOutputs(path, x, { input: 'features', output: 'probabilities' }))).toBeLessThan(1e-5);
  });

  it('saveONNX names the file it cannot write', async () => {
    const path = join(work, 'no-such-folder', 'model.onnx');
    await expect(saveONNX(classifier(), path)).rejects.toThrow(`saveONNX: cannot write ${path}: no such folder`);
    await expect(saveONNX(classifier(), work)).rejects.toThrow(`saveONNX: cannot write ${work}: it is a folder`);
  });
});

/** A dataset's official test images and labels, or undefined when it is not installed. */
async function testSet(name: 'mnist' | 'fashion-mnist'): Promise<LabelledImages | undefined> {
  const folder = datasetFolders(DATASETS[name], root).find((candidate) => existsSync(candidate));
  const [images, labels] = folder ? await Promise.all([findIDXFile(folder, IDX_FILES.testImages), findIDXFile(folder, IDX_FILES.testLabels)]) : [];
  if (!images || !labels) return undefined;
  const [imageArray, labelArray] = await Promise.all([images, labels].map(async (path) => readIDX(new Uint8Array(await readFile(path)), path)));
  return labelledImages(imageArray, labelArray, { images, labels });
}

describe('the shipped networks in onnxruntime-node, on the official test images', () => {
  // fashion-mnist-augmented has BatchNormalization layers, with the running statistics of a real run.
  it.for([['mnist', 'mnist'], ['fashion-mnist', 'fashion-mnist'], ['fashion-mnist-augmented', 'fashion-mnist']] as const)('predict every one of the 10,000 test images as scratchnet does: %s', { timeout: 30_000 }, async ([name, dataset], context) => {
    const test = await testSet(dataset);
    if (!test) return context.skip(`${DATASETS[dataset].title} is not installed (${DATASETS[dataset].howToGet})`);
    const model = await loadModel(join(root, 'site/public/models', `${name}.snet`));
    const ours = model.predict(test.x);
    const theirs = await runtimeOutputs(exportONNX(model), test.x);
    expect(test.x.rows).toBe(10_000);
    // The README quotes the difference this prints (1.5e-6 for MNIST, 2.9e-6 for Fashion-MNIST when measured).
    const difference = maxDifference(ours.data, theirs);
    console.log(`${name}: the largest probability difference from onnxruntime on ${test.x.rows} test images is ${difference.toExponential(1)}`);
    expect(difference).toBeLessThan(1e-5);
    const predicted = argmax(ours);
    const runtimePredicted = argmax(new Matrix(test.x.rows, ours.cols, theirs));
    expect(predicted.filter((label, i) => label !== runtimePredicted[i]).length).toBe(0);
    // The runtime's accuracy is the shipped model's recorded one.
    const accuracy = runtimePredicted.filter((label, i) => label === test.y[i]).length / test.x.rows;
    const { testAccuracy } = JSON.parse(await readFile(join(root, 'site/public/models', `${name}.json`), 'utf8')) as { testAccuracy: number };
    expect(accuracy.toFixed(4)).toBe(testAccuracy.toFixed(4));
  });
});
