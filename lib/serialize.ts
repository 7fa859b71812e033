// Saving and loading models: a readable JSON form and a compact binary form (a small JSON
// header, then every weight as little-endian float32). Loading checks the file thoroughly and
// names the field or layer at fault. Used by the MNIST chapter and the CLI (chapter 10).
import { FormatError } from './errors.ts';
import { Matrix } from './matrix.ts';
import { Dropout } from './dropout.ts';
import { Dense, isTrainable, type Layer } from './layers.ts';
import { Linear, ReLU, Sigmoid, Softmax } from './activations.ts';
import { BinaryCrossEntropy, CategoricalCrossEntropy, Loss, MeanAbsoluteError, MeanSquaredError } from './losses.ts';
import { Sequential } from './model.ts';

/** One layer in a saved model. */
export type LayerJSON =
  | {
      type: 'Dense';
      nInputs: number;
      nOutputs: number;
      /** nInputs × nOutputs values, row by row (omitted in the binary form's header). */
      weights?: number[];
      /** nOutputs values (omitted in the binary form's header). */
      biases?: number[];
      weightRegularizerL1?: number;
      weightRegularizerL2?: number;
      biasRegularizerL1?: number;
      biasRegularizerL2?: number;
    }
  | { type: 'Dropout'; rate: number }
  | { type: 'ReLU' | 'Softmax' | 'Sigmoid' | 'Linear' };

/** A saved model: its layers with their weights, and the name of its loss. */
export interface ModelJSON {
  format: 'scratchnet-model';
  version: 1;
  layers: LayerJSON[];
  loss?: string;
}

const FORMAT = 'scratchnet-model';
const VERSION = 1;
const MAGIC = 'SNET';
const HEADER_BYTES = 12; // magic, version, header length

const activations = { ReLU, Softmax, Sigmoid, Linear } as const;
const losses: Record<string, () => Loss> = {
  CategoricalCrossEntropy: () => new CategoricalCrossEntropy(),
  BinaryCrossEntropy: () => new BinaryCrossEntropy(),
  MeanSquaredError: () => new MeanSquaredError(),
  MeanAbsoluteError: () => new MeanAbsoluteError(),
};

/** Float32 weights need at most 9 significant digits to come back bit for bit. */
function toNumbers(m: Matrix): number[] {
  const out = Array.from(m.data);
  return m.dtype === 'float32' ? out.map((v) => Number(v.toPrecision(9))) : out;
}

/** Describes a model's layers, weights and loss as plain JSON-ready data. */
export function serializeModel(model: Sequential, options: { weights?: boolean } = {}): ModelJSON {
  const withWeights = options.weights ?? true;
  const layers = model.layers.map((layer, index): LayerJSON => {
    if (layer instanceof Dense) {
      const json: LayerJSON = { type: 'Dense', nInputs: layer.nInputs, nOutputs: layer.nOutputs };
      if (withWeights) {
        json.weights = toNumbers(layer.weights);
        json.biases = toNumbers(layer.biases);
      }
      for (const key of ['weightRegularizerL1', 'weightRegularizerL2', 'biasRegularizerL1', 'biasRegularizerL2'] as const) {
        if (layer[key] !== 0) json[key] = layer[key];
      }
      return json;
    }
    if (layer instanceof Dropout) return { type: 'Dropout', rate: layer.rate };
    for (const [name, Kind] of Object.entries(activations)) {
      if (layer instanceof Kind) return { type: name as keyof typeof activations };
    }
    throw new FormatError('serializeModel', `layer ${index} (${layer.name}) cannot be saved: only Dense, Dropout, ReLU, Softmax, Sigmoid and Linear layers can`);
  });
  const json: ModelJSON = { format: FORMAT, version: VERSION, layers };
  if (model.loss) json.loss = model.loss.name;
  return json;
}

/** Rebuilds a model (layers, weights and loss; not the optimizer) from serializeModel's output or its JSON text. */
export function deserializeModel(source: ModelJSON | string): Sequential {
  const op = 'deserializeModel';
  return build(op, parseJSON(op, source), (field, length, values) => {
    if (!Array.isArray(values)) throw new FormatError(op, `${field} is missing: this file has no weights`);
    if (values.length !== length) {
      throw new FormatError(op, `${field} has ${values.length} numbers but needs ${length}; the file may be truncated or belong to another model`);
    }
    values.forEach((value, i) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new FormatError(op, `${field}[${i}] is ${JSON.stringify(value)}, not a finite number`);
      }
    });
    return values as number[];
  });
}

/** Copies the weights in `source` (JSON, JSON text or the binary form) into `model`, which must have the same shapes. */
export function loadWeights(model: Sequential, source: ModelJSON | string | Uint8Array): void {
  const saved = source instanceof Uint8Array ? decodeModel(source) : deserializeModel(source);
  const targets = model.layers.filter(isTrainable);
  const sources = saved.layers.filter(isTrainable);
  if (targets.length !== sources.length) {
    throw new FormatError('loadWeights', `the file has ${sources.length} layers with weights but the model has ${targets.length}`);
  }
  // Check every layer before changing any, so a file that does not fit leaves the model untouched.
  targets.forEach((target, i) => {
    const from = sources[i];
    if (target.weights.rows !== from.weights.rows || target.weights.cols !== from.weights.cols) {
      const index = model.layers.indexOf(target);
      throw new FormatError('loadWeights', `layer ${index} (${target.name}) has weights ${target.weights.shapeText} in the model but ${from.weights.shapeText} in the file`);
    }
  });
  targets.forEach((target, i) => {
    target.weights = sources[i].weights.astype(target.weights.dtype);
    target.biases = sources[i].biases.astype(target.biases.dtype);
  });
}

/** The compact binary form: 'SNET', version, header length, JSON header, then float32 weights. */
export function encodeModel(model: Sequential): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify(serializeModel(model, { weights: false })));
  const headerLength = Math.ceil(header.length / 4) * 4; // pad so the floats start 4-byte aligned
  const values: Matrix[] = [];
  for (const layer of model.layers) if (layer instanceof Dense) values.push(layer.weights, layer.biases);
  const floatCount = values.reduce((total, m) => total + m.size, 0);
  const bytes = new Uint8Array(HEADER_BYTES + headerLength + floatCount * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, headerLength, true);
  bytes.fill(0x20, HEADER_BYTES, HEADER_BYTES + headerLength); // JSON ignores trailing spaces
  bytes.set(header, HEADER_BYTES);
  let offset = HEADER_BYTES + headerLength;
  for (const m of values) {
    for (let i = 0; i < m.size; i++, offset += 4) view.setFloat32(offset, m.data[i], true);
  }
  return bytes;
}

/** Rebuilds a model from encodeModel's bytes, rejecting files that are truncated or malformed. */
export function decodeModel(bytes: Uint8Array): Sequential {
  const op = 'decodeModel';
  if (!(bytes instanceof Uint8Array)) throw new FormatError(op, 'expects the file as a Uint8Array of bytes');
  if (bytes.length < HEADER_BYTES) throw new FormatError(op, `the file is ${bytes.length} bytes, too short to be a scratchnet model (the header alone is ${HEADER_BYTES})`);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== MAGIC) throw new FormatError(op, `not a scratchnet model file: it starts with ${JSON.stringify(magic)}, not "${MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw new FormatError(op, `the file is format version ${version}, but this library reads version ${VERSION}`);
  const headerLength = view.getUint32(8, true);
  if (HEADER_BYTES + headerLength > bytes.length) {
    throw new FormatError(op, `the file is truncated: its header needs ${headerLength} bytes but only ${bytes.length - HEADER_BYTES} follow`);
  }
  const header = parseJSON(op, new TextDecoder().decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + headerLength)));
  let offset = HEADER_BYTES + headerLength;
  const expected = offset + 4 * header.layers.reduce((total, layer) => total + (layer.type === 'Dense' && validSize(layer) ? (layer.nInputs + 1) * layer.nOutputs : 0), 0);
  const model = build(op, header, (field, length) => {
    if (offset + length * 4 > bytes.length) {
      throw new FormatError(op, `the file is truncated: ${field} needs ${length * 4} bytes but only ${bytes.length - offset} remain (a complete file is ${expected} bytes, this one is ${bytes.length})`);
    }
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++, offset += 4) out[i] = view.getFloat32(offset, true);
    return out;
  });
  if (offset !== bytes.length) throw new FormatError(op, `the file has ${bytes.length - offset} bytes after the last layer's weights; it may be damaged`);
  return model;
}

function validSize(layer: { nInputs: unknown; nOutputs: unknown }): layer is { nInputs: number; nOutputs: number } {
  return Number.isInteger(layer.nInputs) && Number.isInteger(layer.nOutputs);
}

function parseJSON(op: string, source: ModelJSON | string): ModelJSON {
  let json: unknown = source;
  if (typeof source === 'string') {
    try {
      json = JSON.parse(source);
    } catch (error) {
      throw new FormatError(op, `the model is not valid JSON (${(error as Error).message}); the file may be truncated`);
    }
  }
  if (typeof json !== 'object' || json === null) throw new FormatError(op, 'the model must be a JSON object');
  const model = json as Partial<ModelJSON>;
  if (model.format !== FORMAT) throw new FormatError(op, `format is ${JSON.stringify(model.format)}, not "${FORMAT}"; this is not a scratchnet model`);
  if (model.version !== VERSION) throw new FormatError(op, `version is ${JSON.stringify(model.version)}, but this library reads version ${VERSION}`);
  if (!Array.isArray(model.layers)) throw new FormatError(op, 'layers must be an array');
  return model as ModelJSON;
}

/** Supplies one weight array: `field` names it for errors, `values` is what the JSON holds there. */
type Reader = (field: string, length: number, values: unknown) => ArrayLike<number>;

/** Builds layers from validated JSON, taking each weight array from `read`. */
function build(op: string, json: ModelJSON, read: Reader): Sequential {
  const layers: Layer[] = json.layers.map((layer, i) => {
    const at = `layers[${i}]`;
    if (typeof layer !== 'object' || layer === null) throw new FormatError(op, `${at} must be an object`);
    switch (layer.type) {
      case 'Dense': {
        for (const key of ['nInputs', 'nOutputs'] as const) {
          if (!Number.isInteger(layer[key]) || layer[key] < 1) throw new FormatError(op, `${at}.${key} must be a positive whole number, not ${JSON.stringify(layer[key])}`);
        }
        const dense = new Dense(layer.nInputs, layer.nOutputs, {
          initializer: (rows, cols) => Matrix.zeros(rows, cols),
          weightRegularizerL1: layer.weightRegularizerL1,
          weightRegularizerL2: layer.weightRegularizerL2,
          biasRegularizerL1: layer.biasRegularizerL1,
          biasRegularizerL2: layer.biasRegularizerL2,
        });
        dense.weights = new Matrix(layer.nInputs, layer.nOutputs, read(`${at}.weights`, layer.nInputs * layer.nOutputs, layer.weights));
        dense.biases = new Matrix(1, layer.nOutputs, read(`${at}.biases`, layer.nOutputs, layer.biases));
        return dense;
      }
      case 'Dropout':
        if (typeof layer.rate !== 'number' || !(layer.rate >= 0 && layer.rate < 1)) throw new FormatError(op, `${at}.rate must be a number in [0, 1), not ${JSON.stringify(layer.rate)}`);
        return new Dropout(layer.rate);
      case 'ReLU':
      case 'Softmax':
      case 'Sigmoid':
      case 'Linear':
        return new activations[layer.type]();
      default:
        throw new FormatError(op, `${at}.type ${JSON.stringify((layer as { type: unknown }).type)} is not a layer scratchnet knows (Dense, Dropout, ReLU, Softmax, Sigmoid, Linear)`);
    }
  });
  let loss: Loss | undefined;
  if (json.loss !== undefined) {
    const make = losses[json.loss];
    if (!make) throw new FormatError(op, `loss ${JSON.stringify(json.loss)} is not one scratchnet knows (${Object.keys(losses).join(', ')})`);
    loss = make();
  }
  try {
    return new Sequential(layers, { loss });
  } catch (error) {
    throw new FormatError(op, `the layers do not fit together: ${(error as Error).message}`);
  }
}
