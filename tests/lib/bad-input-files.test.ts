// A corpus of bad sizes and damaged model files, one table per class, each entry checked the same
// way: the right error class and operation, a message that names the layer, field or size and says
// what to fix, and nothing lost: no allocation above 64 MB is even attempted (the guard below
// refuses and records any), and a model given a bad file keeps every weight byte for byte. IDX
// files are held to the count their header claims.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../lib/matrix.ts';
import { add, matmul } from '../../lib/ops.ts';
import { Random } from '../../lib/random.ts';
import { Dropout } from '../../lib/dropout.ts';
import { Dense, isTrainable } from '../../lib/layers.ts';
import { ReLU, Softmax } from '../../lib/activations.ts';
import { CategoricalCrossEntropy } from '../../lib/losses.ts';
import { Sequential } from '../../lib/model.ts';
import { mlp } from '../../lib/mlp.ts';
import { labelledImages, readIDX } from '../../lib/idx.ts';
import { gzip, idxBytes } from '../support/idx-fixtures.ts';
import { oneHot } from '../../lib/targets.ts';
import { decodeModel, deserializeModel, encodeModel, loadWeights, serializeModel } from '../../lib/serialize.ts';
import type { ModelJSON } from '../../lib/schema.ts';
import { FormatError, ScratchnetError, SizeError } from '../../lib/errors.ts';
import { thrown } from '../support/expect.ts';


const GUARD_BYTES = 64e6;

/**
 * Runs `attempt` with Float32Array and Float64Array watched: every request for more than 64 MB is
 * recorded and refused (so none happens, even against a library that would try), and the rest pass.
 */
function guarded(attempt: () => unknown): { error: unknown; attempted: number[] } {
  const attempted: number[] = [];
  const names = ['Float32Array', 'Float64Array'] as const;
  const originals = names.map((name) => globalThis[name]);
  names.forEach((name, i) => {
    const original = originals[i];
    (globalThis as Record<string, unknown>)[name] = new Proxy(original, {
      construct(target, args, newTarget) {
        const first: unknown = args[0];
        const length = typeof first === 'number' ? first : typeof (first as { length?: unknown })?.length === 'number' ? (first as { length: number }).length : 0;
        const bytes = length * target.BYTES_PER_ELEMENT;
        if (bytes > GUARD_BYTES) {
          attempted.push(bytes);
          throw new RangeError(`the test refused an allocation of ${bytes} bytes`);
        }
        return Reflect.construct(target, args, newTarget);
      },
    });
  });
  try {
    return { error: thrown(attempt), attempted };
  } finally {
    names.forEach((name, i) => ((globalThis as Record<string, unknown>)[name] = originals[i]));
  }
}

/** Asserts that `attempt` throws `type` with `message` and asks for no large allocation on the way. */
function expectRefusedUnallocated(attempt: () => unknown, type: new (...args: never[]) => ScratchnetError, message: RegExp): void {
  const { error, attempted } = guarded(attempt);
  expect(attempted, 'allocations attempted').toEqual([]);
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(message);
}

describe('the allocation guard of this corpus', () => {
  it('records and refuses a large allocation, and lets small ones and instanceof through', () => {
    const { error, attempted } = guarded(() => new Float32Array(1e8));
    expect(attempted).toEqual([4e8]);
    expect(error).toBeInstanceOf(RangeError);
    expect(guarded(() => Matrix.zeros(2, 2).data instanceof Float32Array)).toEqual({ error: new Error('nothing was thrown'), attempted: [] });
  });
});

describe('sizes too big to allocate are refused before any memory is asked for', () => {
  let called = 0;
  const initializer = (): Matrix => {
    called += 1;
    return Matrix.zeros(1, 1);
  };
  it.each([
    ['new Dense(1e6, 1e6)', () => new Dense(1e6, 1e6), /^Dense: a 1000000→1000000 layer needs 4 TB of float32 weights, more than this library allocates for one matrix \(limit 1 GB\); use fewer inputs or outputs$/],
    ['new Dense(50000, 50000)', () => new Dense(50_000, 50_000), /^Dense: a 50000→50000 layer needs 10 GB of float32 weights/],
    ['a float64 Dense(20000, 20000)', () => new Dense(20_000, 20_000, { dtype: 'float64' }), /^Dense: a 20000→20000 layer needs 3\.2 GB of float64 weights/],
    ['a Dense(1e6, 1e6) with its own initializer, which is never called', () => new Dense(1e6, 1e6, { initializer }), /^Dense: a 1000000→1000000 layer needs 4 TB/],
    ['Matrix.zeros(1e6, 1e6)', () => Matrix.zeros(1e6, 1e6), /^Matrix: a 1000000×1000000 matrix needs 4 TB of float32 values, more than this library allocates for one matrix \(limit 1 GB\); use smaller sizes, or split the work into batches$/],
    ['Matrix.full(1e5, 1e5, 1) in float64', () => Matrix.full(1e5, 1e5, 1, { dtype: 'float64' }), /^Matrix: a 100000×100000 matrix needs 80 GB of float64 values/],
    ['a 3 × 1e300 matrix', () => new Matrix(3, 1e300), /^Matrix: a 3×1e\+300 matrix needs .* PB of float32 values/],
    ['the 100000 × 100000 product of a column and a row', () => matmul(Matrix.zeros(100_000, 1), Matrix.zeros(1, 100_000)), /^matmul: \(100000×1\) · \(1×100000\) gives a 100000×100000 matrix, which needs 40 GB of float32 values, more than this library allocates for one matrix \(limit 1 GB\); multiply fewer rows at a time$/],
    ['a column plus a row, broadcast to 100000 × 100000', () => add(Matrix.zeros(100_000, 1), Matrix.zeros(1, 100_000)), /^add: \(100000×1\) \+ \(1×100000\) gives a 100000×100000 matrix, which needs 40 GB of float32 values/],
    ['mlp([784, 100000, 100000, 10]), whose first layer alone would fit', () => mlp([784, 100_000, 100_000, 10]), /^mlp: the 100000→100000 layer \(Dense layer 2 of 3\) needs 40 GB of float32 weights, more than this library allocates for one matrix \(limit 1 GB\); use narrower layers \(nothing was built\)$/],
    ['one-hot rows for 1e9 classes', () => oneHot([0, 1, 2], 1e9), /^Matrix: a 3×1000000000 matrix needs 12 GB/],
  ] as const)('refuses %s, naming it and its size in bytes', (_, attempt, message) => {
    called = 0;
    expectRefusedUnallocated(attempt, SizeError, message);
    expect(called, 'initializer calls').toBe(0);
  });
});

/** A small classifier with a Dropout layer, an L2 penalty and a loss, so a file has every field. */
function classifier(seed = 3): Sequential {
  const rng = new Random(seed);
  return new Sequential(
    [new Dense(2, 8, { rng, initializer: 'heNormal', weightRegularizerL2: 5e-4 }), new ReLU(), new Dropout(0.1), new Dense(8, 3, { rng }), new Softmax()],
    { loss: new CategoricalCrossEntropy() },
  );
}

/** Every weight and bias of a model as plain numbers. */
function parameters(model: Sequential): number[][] {
  return model.layers.filter(isTrainable).flatMap((layer) => [Array.from(layer.weights.data), Array.from(layer.biases.data)]);
}

/** A binary model file with `header` (a model's JSON without its weights) followed by `values` as float32. */
function binaryFile(header: object, values: ArrayLike<number>): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(text.length / 4) * 4;
  const bytes = new Uint8Array(12 + headerLength + values.length * 4);
  const view = new DataView(bytes.buffer);
  bytes.set([0x53, 0x4e, 0x45, 0x54]); // 'SNET'
  view.setUint32(4, 1, true);
  view.setUint32(8, headerLength, true);
  bytes.fill(0x20, 12, 12 + headerLength);
  bytes.set(text, 12);
  for (let i = 0; i < values.length; i++) view.setFloat32(12 + headerLength + i * 4, values[i], true);
  return bytes;
}

/** The same saved model in both forms: JSON, and a binary file whose header and floats carry exactly what the JSON says. */
function bothForms(json: ModelJSON): { json: ModelJSON; binary: Uint8Array } {
  const floats: number[] = [];
  const header = {
    ...json,
    layers: json.layers.map((layer) => {
      if (layer.type !== 'Dense') return layer;
      const { weights = [], biases = [], ...rest } = layer;
      floats.push(...weights, ...biases);
      return rest;
    }),
  };
  return { json, binary: binaryFile(header, floats) };
}

/** A fresh copy of a good classifier's JSON, changed by `damage`. */
function damaged(damage: (json: ModelJSON & { layers: Array<Record<string, unknown>> }) => void): ModelJSON {
  const json = JSON.parse(JSON.stringify(serializeModel(classifier()))) as ModelJSON & { layers: Array<Record<string, unknown>> };
  damage(json);
  return json;
}

// Each damage reaches both forms through the one check they share, so both refuse it with the same words.
const damages = [
  ['a NaN weight', damaged((json) => ((json.layers[0].weights as number[])[5] = Number.NaN)), /^layers\[0\]\.weights\[5\] is NaN, not a finite number; a model whose training diverged cannot be saved or loaded/],
  ['an infinite bias', damaged((json) => ((json.layers[3].biases as number[])[2] = Number.POSITIVE_INFINITY)), /^layers\[3\]\.biases\[2\] is Infinity, not a finite number/],
  ['a negative L2 penalty', damaged((json) => (json.layers[0].weightRegularizerL2 = -1)), /^layers\[0\]\.weightRegularizerL2 must be a number of at least 0, not -1$/],
  ['an L1 penalty that is a string', damaged((json) => (json.layers[3].biasRegularizerL1 = 'big')), /^layers\[3\]\.biasRegularizerL1 must be a number of at least 0, not "big"$/],
  ['a loss named after a property every object has', damaged((json) => (json.loss = 'constructor')), /^loss "constructor" is not one scratchnet knows \(CategoricalCrossEntropy, BinaryCrossEntropy, MeanSquaredError, MeanAbsoluteError\)$/],
  ['a claim of 100000 × 100000 weights', damaged((json) => Object.assign(json.layers[0], { nInputs: 100_000, nOutputs: 100_000 })), /^layers\[0\] claims 100000×100000 weights, 40 GB of float32 values, more than this library allocates for one matrix \(limit 1 GB\); the file is damaged/],
  ['layers that do not chain', damaged((json) => Object.assign(json.layers[3], { nInputs: 5 })), /^the layers do not fit together: layers\[3\] takes 5 inputs but layers\[0\] gives 8 outputs; the file is damaged/],
] as const;

describe('both model forms check the same things, before building a layer or allocating a weight', () => {
  it.each(damages)('refuses %s in the JSON and the binary form alike', (_, json, message) => {
    const forms = bothForms(json);
    const errors = [guarded(() => deserializeModel(forms.json)), guarded(() => decodeModel(forms.binary))];
    for (const { error, attempted } of errors) {
      expect(attempted, 'allocations attempted').toEqual([]);
      expect(error).toBeInstanceOf(FormatError);
    }
    const [fromJSON, fromBinary] = errors.map(({ error }) => (error as Error).message);
    expect(fromJSON.replace(/^deserializeModel: /, '')).toMatch(message);
    expect(fromBinary.replace(/^decodeModel: /, '')).toBe(fromJSON.replace(/^deserializeModel: /, ''));
  });
});

describe('damaged files are measured against what they claim before anything is allocated', () => {
  const claim = (nInputs: number, nOutputs: number): ModelJSON => ({ format: 'scratchnet-model', version: 1, layers: [{ type: 'Dense', nInputs, nOutputs, weights: [1, 2, 3, 4, 5, 6], biases: [0, 0] }] });
  it.each([
    ['JSON that claims 10000 × 10000 weights but holds 6', () => deserializeModel(JSON.stringify(claim(10_000, 10_000))), /^deserializeModel: layers\[0\]\.weights has 6 numbers but needs 100000000; the file may be truncated or belong to another model$/],
    ['a binary file whose header claims 10000 × 10000 weights in 56 bytes of floats', () => decodeModel(binaryFile({ format: 'scratchnet-model', version: 1, layers: [{ type: 'Dense', nInputs: 10_000, nOutputs: 10_000 }] }, new Float32Array(14))), /^decodeModel: the file is truncated: its header describes 100010000 weights and biases, so a complete file is 400040\d+ bytes, and this one is \d+; it may be damaged$/],
    ['a binary file whose header claims 100000 × 100000 weights', () => decodeModel(binaryFile({ format: 'scratchnet-model', version: 1, layers: [{ type: 'Dense', nInputs: 100_000, nOutputs: 100_000 }] }, [])), /^decodeModel: layers\[0\] claims 100000×100000 weights, 40 GB of float32 values/],
    ['a JSON object with a NaN weight, named as NaN rather than null', () => deserializeModel(damaged((json) => ((json.layers[3].weights as number[])[0] = Number.NaN))), /^deserializeModel: layers\[3\]\.weights\[0\] is NaN, not a finite number/],
  ] as const)('refuses %s', (_, attempt, message) => {
    expectRefusedUnallocated(attempt, FormatError, message);
  });
});

describe('loadWeights leaves the model untouched when the file is refused', () => {
  const nanBinary = (): Uint8Array => {
    const bytes = encodeModel(classifier(5));
    new DataView(bytes.buffer).setFloat32(bytes.length - 4, Number.NaN, true); // the last bias
    return bytes;
  };
  it.each([
    ['a binary file with a NaN bias', nanBinary, /^decodeModel: layers\[3\]\.biases\[2\] is NaN, not a finite number/],
    ['JSON that claims 100000 × 100000 weights', () => damaged((json) => Object.assign(json.layers[0], { nInputs: 100_000, nOutputs: 100_000 })), /^deserializeModel: layers\[0\] claims 100000×100000 weights/],
    ['a binary file with a negative L1 penalty', () => bothForms(damaged((json) => (json.layers[3].weightRegularizerL1 = -0.5))).binary, /^decodeModel: layers\[3\]\.weightRegularizerL1 must be a number of at least 0, not -0\.5$/],
  ] as const)('refuses %s', (_, file, message) => {
    const model = classifier(4);
    const before = parameters(model);
    expectRefusedUnallocated(() => loadWeights(model, file()), FormatError, message);
    expect(parameters(model)).toEqual(before);
  });
});

describe('a model whose weights are not finite is refused when saved, in either form', () => {
  const diverged = (): Sequential => {
    const model = classifier();
    (model.layers[3] as Dense).weights.data[7] = Number.NaN;
    return model;
  };
  it.each([
    ['serializeModel', () => serializeModel(diverged()), /^serializeModel: layers\[3\]\.weights\[7\] is NaN, not a finite number; a model whose training diverged cannot be saved or loaded/],
    ['encodeModel', () => encodeModel(diverged()), /^encodeModel: layers\[3\]\.weights\[7\] is NaN, not a finite number/],
  ] as const)('%s refuses it, naming the weight', (_, attempt, message) => {
    const error = thrown(attempt);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('IDX files are measured against the count their header claims', () => {
  // 60000 images of 28×28 pixels claimed, two and a bit held.
  const overclaiming = (): Uint8Array => idxBytes([60_000, 28, 28], new Uint8Array(2 * 784 + 100));
  const claim = 'the header claims 60000 images of 28×28 pixels, 47040016 bytes with the header, but the file has 1684 bytes, which hold only 2 of them; the file is truncated';

  it.each([
    ['raw', overclaiming],
    ['gzipped', () => gzip(overclaiming())],
  ])('readIDX refuses a %s file that holds fewer images than its header claims, naming the file, the claim and what the bytes hold', async (_, file) => {
    const error = await readIDX(file(), 'train-images-idx3-ubyte').catch((thrownError: unknown) => thrownError);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as Error).message).toBe(`parseIDX: train-images-idx3-ubyte: ${claim}`);
  });

  it('labelledImages refuses arrays that hold less than their dimensions claim, before allocating the images', () => {
    const images = { dims: [60_000, 28, 28], data: new Uint8Array(784) };
    const labels = { dims: [60_000], data: new Uint8Array(60_000) };
    const names = { images: 'train-images', labels: 'train-labels' };
    expectRefusedUnallocated(() => labelledImages(images, labels, names), FormatError, /^labelledImages: train-images: its dimensions claim 60000 images of 28×28 pixels, but it holds 784 values, only 1 of them$/);
    expectRefusedUnallocated(() => labelledImages({ ...images, data: new Uint8Array(60_000 * 784) }, { ...labels, data: new Uint8Array(10) }, names), FormatError, /^labelledImages: train-labels: its dimensions claim 60000 labels, but it holds 10$/);
  });
});
