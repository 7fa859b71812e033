// Saving and loading models: a readable JSON form and a compact binary form (a small JSON
// header, then every weight as little-endian float32). Both forms are loaded through the same
// checks (lib/schema.ts), which name the field or layer at fault; both can record how the model
// was made (metadata). Used by the chapter on real data and the CLI.
import { FormatError } from './errors.ts';
import { Matrix } from './matrix.ts';
import { Dropout } from './dropout.ts';
import { Dense, isTrainable } from './layers.ts';
import { BatchNormalization } from './normalization.ts';
import type { Sequential } from './model.ts';
import { MODEL_FORMAT, SAVED_ACTIVATIONS, buildModel, checkModelJSON, checkWeightValues, type CheckedModel, type LayerJSON, type ModelJSON, type SavedField, type SavedWeights } from './schema.ts';

const MAGIC = 'SNET';
const HEADER_BYTES = 12; // magic, version, header length

/** Float32 weights need at most 9 significant digits to come back bit for bit. */
function toNumbers(m: Matrix): number[] {
  const out = Array.from(m.data);
  return m.dtype === 'float32' ? out.map((v) => Number(v.toPrecision(9))) : out;
}

/** The arrays a layer stores, by field, in the order the binary form writes them (schema.ts's checkLayer reads them in the same order). */
function storedArrays(layer: Dense | BatchNormalization): Array<[SavedField, Matrix]> {
  const arrays: Array<[SavedField, Matrix]> = [['weights', layer.weights], ['biases', layer.biases]];
  if (layer instanceof BatchNormalization) arrays.push(['runningMean', layer.runningMean], ['runningVariance', layer.runningVariance]);
  return arrays;
}

/** What the saving functions take besides the model. */
export interface SaveOptions {
  /** What to record about the run that made the model (npm run train records the dataset and its settings); read it back with modelMetadata(). */
  metadata?: Record<string, unknown>;
}

/** Describes a model's layers, weights and loss as plain JSON-ready data; refuses weights that are NaN or ±Infinity, which no load accepts. */
export function serializeModel(model: Sequential, options: SaveOptions & { weights?: boolean } = {}): ModelJSON {
  const withWeights = options.weights ?? true;
  const layers = model.layers.map((layer, index): LayerJSON => {
    if (layer instanceof Dense) {
      const json: LayerJSON = { type: 'Dense', nInputs: layer.nInputs, nOutputs: layer.nOutputs };
      if (withWeights) {
        checkWeightValues('serializeModel', `layers[${index}].weights`, layer.weights.data);
        checkWeightValues('serializeModel', `layers[${index}].biases`, layer.biases.data);
        json.weights = toNumbers(layer.weights);
        json.biases = toNumbers(layer.biases);
      }
      for (const key of ['weightRegularizerL1', 'weightRegularizerL2', 'biasRegularizerL1', 'biasRegularizerL2'] as const) {
        if (layer[key] !== 0) json[key] = layer[key];
      }
      return json;
    }
    if (layer instanceof BatchNormalization) {
      const json: Extract<LayerJSON, { type: 'BatchNormalization' }> = { type: 'BatchNormalization', size: layer.nInputs, momentum: layer.momentum, epsilon: layer.epsilon };
      if (!withWeights) return json;
      for (const [field, values] of storedArrays(layer)) {
        checkWeightValues('serializeModel', `layers[${index}].${field}`, values.data);
        json[field] = toNumbers(values);
      }
      return json;
    }
    if (layer instanceof Dropout) return { type: 'Dropout', rate: layer.rate };
    for (const [name, Kind] of Object.entries(SAVED_ACTIVATIONS)) {
      if (layer instanceof Kind) return { type: name as keyof typeof SAVED_ACTIVATIONS };
    }
    throw new FormatError('serializeModel', `layer ${index} (${layer.name}) cannot be saved: only Dense, BatchNormalization, Dropout, ReLU, Softmax, Sigmoid and Linear layers can`);
  });
  const json: ModelJSON = { format: MODEL_FORMAT.name, version: MODEL_FORMAT.version, layers };
  if (model.loss) json.loss = model.loss.name;
  if (options.metadata !== undefined) json.metadata = options.metadata;
  return json;
}

/** Rebuilds a model (layers, weights and loss; not the optimizer) from serializeModel's output or its JSON text. */
export function deserializeModel(source: ModelJSON | string): Sequential {
  const op = 'deserializeModel';
  const checked = checkModelJSON(op, source);
  // Every array's length is checked before any layer is built, so a damaged file allocates nothing.
  const arrays = new Map(
    checked.weighted.map(({ index, arrays: stored }) => {
      const layer = checked.json.layers[index] as Partial<Record<SavedField, unknown>>;
      return [index, Object.fromEntries(stored.map(({ field, length }) => [field, savedArray(op, `layers[${index}].${field}`, layer[field], length)])) as SavedWeights];
    }),
  );
  return buildModel(op, checked, (index) => arrays.get(index)!);
}

/** A JSON weight array, checked to be an array of `length` values (checkWeightValues then checks the values). */
function savedArray(op: string, field: string, values: unknown, length: number): unknown[] {
  if (!Array.isArray(values)) throw new FormatError(op, `${field} is missing: this file has no weights`);
  if (values.length !== length) {
    throw new FormatError(op, `${field} has ${values.length} numbers but needs ${length}; the file may be truncated or belong to another model`);
  }
  return values;
}

/** Copies the weights in `source` (JSON, JSON text or the binary form) into `model`, which must have the same shapes. */
export function loadWeights(model: Sequential, source: ModelJSON | string | Uint8Array): void {
  // The file is checked whole, through the same checks as loading it, before the model is touched.
  const saved = source instanceof Uint8Array ? decodeModel(source) : deserializeModel(source);
  const targets = model.layers.filter(isTrainable);
  const sources = saved.layers.filter(isTrainable);
  if (targets.length !== sources.length) {
    throw new FormatError('loadWeights', `the file has ${sources.length} layers with weights but the model has ${targets.length}`);
  }
  // Check every layer before changing any, so a file that does not fit leaves the model untouched.
  targets.forEach((target, i) => {
    const from = sources[i];
    if (target.name !== from.name) {
      const index = model.layers.indexOf(target);
      throw new FormatError('loadWeights', `layer ${index} (${target.name}) is a ${from.name} layer in the file; the file belongs to another model`);
    }
    if (target.weights.rows !== from.weights.rows || target.weights.cols !== from.weights.cols) {
      const index = model.layers.indexOf(target);
      throw new FormatError('loadWeights', `layer ${index} (${target.name}) has weights ${target.weights.shapeText} in the model but ${from.weights.shapeText} in the file`);
    }
  });
  targets.forEach((target, i) => {
    target.weights = sources[i].weights.astype(target.weights.dtype);
    target.biases = sources[i].biases.astype(target.biases.dtype);
    // BatchNormalization's running mean and variance come with its γ and β.
    const statistics = sources[i].statistics?.() ?? [];
    (target.statistics?.() ?? []).forEach((m, s) => m.data.set(statistics[s].data));
  });
}

/** The compact binary form: 'SNET', version, header length, JSON header (with any metadata), then float32 weights (refused when not finite, as serializeModel does). */
export function encodeModel(model: Sequential, options: SaveOptions = {}): Uint8Array {
  const values: Matrix[] = [];
  model.layers.forEach((layer, index) => {
    if (!(layer instanceof Dense || layer instanceof BatchNormalization)) return;
    for (const [field, matrix] of storedArrays(layer)) {
      checkWeightValues('encodeModel', `layers[${index}].${field}`, matrix.data);
      values.push(matrix);
    }
  });
  const header = new TextEncoder().encode(JSON.stringify(serializeModel(model, { weights: false, metadata: options.metadata })));
  const headerLength = Math.ceil(header.length / 4) * 4; // pad so the floats start 4-byte aligned
  const floatCount = values.reduce((total, m) => total + m.size, 0);
  const bytes = new Uint8Array(HEADER_BYTES + headerLength + floatCount * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(4, MODEL_FORMAT.version, true);
  view.setUint32(8, headerLength, true);
  bytes.fill(0x20, HEADER_BYTES, HEADER_BYTES + headerLength); // JSON ignores trailing spaces
  bytes.set(header, HEADER_BYTES);
  let offset = HEADER_BYTES + headerLength;
  for (const m of values) {
    for (let i = 0; i < m.size; i++, offset += 4) view.setFloat32(offset, m.data[i], true);
  }
  return bytes;
}

/** The binary form's header, checked: the model it describes and where its weights start. */
function binaryHeader(op: string, bytes: Uint8Array): { checked: CheckedModel; start: number; view: DataView } {
  if (!(bytes instanceof Uint8Array)) throw new FormatError(op, 'expects the file as a Uint8Array of bytes');
  if (bytes.length < HEADER_BYTES) throw new FormatError(op, `the file is ${bytes.length} bytes, too short to be a scratchnet model (the header alone is ${HEADER_BYTES})`);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== MAGIC) throw new FormatError(op, `not a scratchnet model file: it starts with ${JSON.stringify(magic)}, not "${MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== MODEL_FORMAT.version) throw new FormatError(op, `the file is format version ${version}, but this library reads version ${MODEL_FORMAT.version}`);
  const headerLength = view.getUint32(8, true);
  if (HEADER_BYTES + headerLength > bytes.length) {
    throw new FormatError(op, `the file is truncated: its header needs ${headerLength} bytes but only ${bytes.length - HEADER_BYTES} follow`);
  }
  const checked = checkModelJSON(op, new TextDecoder().decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + headerLength)));
  return { checked, start: HEADER_BYTES + headerLength, view };
}

/** Rebuilds a model from encodeModel's bytes, rejecting files that are truncated, malformed or hold weights that are not finite. */
export function decodeModel(bytes: Uint8Array): Sequential {
  const op = 'decodeModel';
  const { checked, start, view } = binaryHeader(op, bytes);
  // The header's sizes are checked against the file's length before any weight is allocated.
  const expected = start + 4 * checked.parameters;
  if (expected !== bytes.length) {
    const problem = expected > bytes.length ? 'is truncated' : `has ${bytes.length - expected} bytes after the last layer's weights`;
    throw new FormatError(op, `the file ${problem}: its header describes ${checked.parameters} weights and biases, so a complete file is ${expected} bytes, and this one is ${bytes.length}; it may be damaged`);
  }
  let offset = start;
  const read = (length: number): Float32Array => {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++, offset += 4) out[i] = view.getFloat32(offset, true);
    return out;
  };
  const arrays = new Map(checked.weighted.map(({ index, arrays: stored }) => [index, Object.fromEntries(stored.map(({ field, length }) => [field, read(length)])) as SavedWeights]));
  return buildModel(op, checked, (index) => arrays.get(index)!);
}

/** What a saved model (JSON, its text, or the binary form) records about the run that made it, or undefined when it records nothing. */
export function modelMetadata(source: ModelJSON | string | Uint8Array): Record<string, unknown> | undefined {
  const checked = source instanceof Uint8Array ? binaryHeader('modelMetadata', source).checked : checkModelJSON('modelMetadata', source);
  return checked.json.metadata;
}
