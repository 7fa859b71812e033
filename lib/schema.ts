// What a saved model may hold (the chapter "Training on real data"), and the one check both of its forms pass through: the
// JSON form and the binary form's header are checked field by field, sizes and all, before any
// layer is built or any weight allocated, and every weight, from either form, must be finite.
import { FormatError } from './errors.ts';
import { BYTES_PER_VALUE, MAX_MATRIX_BYTES, Matrix, exceedsAllocationLimit, formatBytes } from './matrix.ts';
import { Dropout } from './dropout.ts';
import { Dense, type Layer } from './layers.ts';
import { BatchNormalization } from './normalization.ts';
import { Linear, ReLU, Sigmoid, Softmax } from './activations.ts';
import { BinaryCrossEntropy, CategoricalCrossEntropy, MeanAbsoluteError, MeanSquaredError, type Loss } from './losses.ts';
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
  | {
      type: 'BatchNormalization';
      size: number;
      momentum?: number;
      epsilon?: number;
      /** γ and β, then the running statistics: size values each (omitted in the binary form's header). */
      weights?: number[];
      biases?: number[];
      runningMean?: number[];
      runningVariance?: number[];
    }
  | { type: 'Dropout'; rate: number }
  | { type: 'ReLU' | 'Softmax' | 'Sigmoid' | 'Linear' };

/** A saved model: its layers with their weights, the name of its loss, and what the run recorded (other fields are kept by the file but ignored). */
export interface ModelJSON {
  format: 'scratchnet-model';
  version: 1;
  layers: LayerJSON[];
  loss?: string;
  /** What the run that made it recorded, e.g. npm run train's dataset and settings; both forms keep it. */
  metadata?: Record<string, unknown>;
}

/** The format name and version every saved model carries. */
export const MODEL_FORMAT = { name: 'scratchnet-model', version: 1 } as const;

/** The activation layers a saved model may hold, by name. */
export const SAVED_ACTIVATIONS = { ReLU, Softmax, Sigmoid, Linear } as const;

/** The losses a saved model may name. */
export const SAVED_LOSSES: Readonly<Record<string, () => Loss>> = {
  CategoricalCrossEntropy: () => new CategoricalCrossEntropy(),
  BinaryCrossEntropy: () => new BinaryCrossEntropy(),
  MeanSquaredError: () => new MeanSquaredError(),
  MeanAbsoluteError: () => new MeanAbsoluteError(),
};

const REGULARIZERS = ['weightRegularizerL1', 'weightRegularizerL2', 'biasRegularizerL1', 'biasRegularizerL2'] as const;
const DAMAGED = 'the file is damaged or was not written by scratchnet';

/** A layer that holds values, as checkModelJSON found it: where it is, its sizes, and the arrays it stores, in the order the binary form writes them. */
export interface WeightedLayer {
  index: number;
  nInputs: number;
  nOutputs: number;
  /** Each stored array's field and length: a Dense layer's weights and biases; BatchNormalization's also its runningMean and runningVariance. */
  arrays: Array<{ field: SavedField; length: number }>;
}

/** The names of the arrays a saved layer can hold. */
export type SavedField = 'weights' | 'biases' | 'runningMean' | 'runningVariance';

/** A saved model whose fields have been checked: the model JSON and the layers that hold values, each with its value counts. */
export interface CheckedModel {
  json: ModelJSON;
  weighted: WeightedLayer[];
  /** The number of values (weights, biases and statistics) the layers hold together. */
  parameters: number;
}

/** Parses `source` (a model object or its JSON text) and checks every field but the weights: format, version, each layer's type, sizes and settings, how the layers chain, and the loss. */
export function checkModelJSON(op: string, source: unknown): CheckedModel {
  let json = source;
  if (typeof source === 'string') {
    try {
      json = JSON.parse(source);
    } catch (error) {
      throw new FormatError(op, `the model is not valid JSON (${(error as Error).message}); the file may be truncated`);
    }
  }
  if (typeof json !== 'object' || json === null) throw new FormatError(op, 'the model must be a JSON object');
  const model = json as Partial<ModelJSON>;
  if (model.format !== MODEL_FORMAT.name) throw new FormatError(op, `format is ${JSON.stringify(model.format)}, not "${MODEL_FORMAT.name}"; this is not a scratchnet model`);
  if (model.version !== MODEL_FORMAT.version) throw new FormatError(op, `version is ${JSON.stringify(model.version)}, but this library reads version ${MODEL_FORMAT.version}`);
  if (!Array.isArray(model.layers)) throw new FormatError(op, 'layers must be an array');
  const weighted: WeightedLayer[] = [];
  let previous: { index: number; nOutputs: number } | undefined;
  model.layers.forEach((layer: unknown, index) => {
    const sizes = checkLayer(op, layer, `layers[${index}]`);
    if (!sizes) return;
    if (previous && previous.nOutputs !== sizes.nInputs) {
      throw new FormatError(op, `the layers do not fit together: layers[${index}] takes ${sizes.nInputs} inputs but layers[${previous.index}] gives ${previous.nOutputs} outputs; ${DAMAGED}`);
    }
    weighted.push({ index, ...sizes });
    previous = { index, nOutputs: sizes.nOutputs };
  });
  if (model.loss !== undefined && !(typeof model.loss === 'string' && Object.hasOwn(SAVED_LOSSES, model.loss))) {
    throw new FormatError(op, `loss ${JSON.stringify(model.loss)} is not one scratchnet knows (${Object.keys(SAVED_LOSSES).join(', ')})`);
  }
  const { metadata } = model;
  if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) throw new FormatError(op, `metadata must be an object, not ${JSON.stringify(metadata)}`);
  return { json: model as ModelJSON, weighted, parameters: weighted.reduce((total, layer) => total + layer.arrays.reduce((sum, array) => sum + array.length, 0), 0) };
}

/** Checks one saved layer's type and settings; returns the sizes and arrays of a layer that holds values, undefined for the others. */
function checkLayer(op: string, layer: unknown, at: string): Omit<WeightedLayer, 'index'> | undefined {
  if (typeof layer !== 'object' || layer === null) throw new FormatError(op, `${at} must be an object`);
  const fields = layer as Record<string, unknown>;
  if (fields.type === 'Dropout') {
    if (typeof fields.rate !== 'number' || !(fields.rate >= 0 && fields.rate < 1)) throw new FormatError(op, `${at}.rate must be a number in [0, 1), not ${JSON.stringify(fields.rate)}`);
    return undefined;
  }
  if (typeof fields.type === 'string' && Object.hasOwn(SAVED_ACTIVATIONS, fields.type)) return undefined;
  if (fields.type === 'BatchNormalization') return checkBatchNormalization(op, fields, at);
  if (fields.type !== 'Dense') {
    throw new FormatError(op, `${at}.type ${JSON.stringify(fields.type)} is not a layer scratchnet knows (Dense, BatchNormalization, Dropout, ${Object.keys(SAVED_ACTIVATIONS).join(', ')})`);
  }
  for (const key of ['nInputs', 'nOutputs']) {
    const n = fields[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new FormatError(op, `${at}.${key} must be a positive whole number, not ${JSON.stringify(n)}`);
  }
  const { nInputs, nOutputs } = fields as { nInputs: number; nOutputs: number };
  if (exceedsAllocationLimit(nInputs * nOutputs)) {
    const bytes = formatBytes(nInputs * nOutputs * BYTES_PER_VALUE.float32);
    throw new FormatError(op, `${at} claims ${nInputs}×${nOutputs} weights, ${bytes} of float32 values, more than this library allocates for one matrix (limit ${formatBytes(MAX_MATRIX_BYTES)}); ${DAMAGED}`);
  }
  for (const key of REGULARIZERS) {
    const value = fields[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) throw new FormatError(op, `${at}.${key} must be a number of at least 0, not ${JSON.stringify(value)}`);
  }
  return { nInputs, nOutputs, arrays: [{ field: 'weights', length: nInputs * nOutputs }, { field: 'biases', length: nOutputs }] };
}

/** Checks a saved BatchNormalization layer's size and settings; it holds four arrays of `size` values. */
function checkBatchNormalization(op: string, fields: Record<string, unknown>, at: string): Omit<WeightedLayer, 'index'> {
  const { size, momentum, epsilon } = fields;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || exceedsAllocationLimit(size)) throw new FormatError(op, `${at}.size must be a positive whole number of features, not ${JSON.stringify(size)}`);
  if (momentum !== undefined && !(typeof momentum === 'number' && momentum >= 0 && momentum < 1)) throw new FormatError(op, `${at}.momentum must be a number in [0, 1), not ${JSON.stringify(momentum)}`);
  if (epsilon !== undefined && !(typeof epsilon === 'number' && epsilon > 0 && Number.isFinite(epsilon))) throw new FormatError(op, `${at}.epsilon must be a positive number, not ${JSON.stringify(epsilon)}`);
  return { nInputs: size, nOutputs: size, arrays: (['weights', 'biases', 'runningMean', 'runningVariance'] as const).map((field) => ({ field, length: size })) };
}

/** Checks that every one of `values` is a finite number, naming `field` and the index of the first that is not. */
export function checkWeightValues(op: string, field: string, values: ArrayLike<unknown>): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      const shown = typeof value === 'number' ? String(value) : JSON.stringify(value);
      throw new FormatError(op, `${field}[${i}] is ${shown}, not a finite number; a model whose training diverged cannot be saved or loaded, and a file with such a value is damaged`);
    }
  }
}

/** The arrays of one layer as read from a file (not yet checked): a Dense layer's weights and biases, and BatchNormalization's running statistics too. */
export type SavedWeights = Partial<Record<SavedField, ArrayLike<unknown>>>;

/** Builds the model `checked` describes, taking each weighted layer's values from `weightsOf` (given the layer's index) and checking that they are finite first. */
export function buildModel(op: string, checked: CheckedModel, weightsOf: (index: number) => SavedWeights): Sequential {
  const layers = checked.json.layers.map((saved, index): Layer => {
    if (saved.type === 'Dropout') return new Dropout(saved.rate);
    if (saved.type !== 'Dense' && saved.type !== 'BatchNormalization') return new SAVED_ACTIVATIONS[saved.type]();
    const values = weightsOf(index);
    for (const { field } of checked.weighted.find((layer) => layer.index === index)!.arrays) checkWeightValues(op, `layers[${index}].${field}`, values[field]!);
    if (saved.type === 'BatchNormalization') {
      const layer = new BatchNormalization(saved.size, { momentum: saved.momentum, epsilon: saved.epsilon });
      const row = (field: SavedField) => new Matrix(1, saved.size, values[field] as ArrayLike<number>);
      [layer.weights, layer.biases, layer.runningMean, layer.runningVariance] = [row('weights'), row('biases'), row('runningMean'), row('runningVariance')];
      const negative = layer.runningVariance.data.findIndex((value) => value < 0);
      if (negative >= 0) throw new FormatError(op, `layers[${index}].runningVariance[${negative}] is ${layer.runningVariance.data[negative]}, but a variance cannot be negative; ${DAMAGED}`);
      return layer;
    }
    const [weights, biases] = [values.weights!, values.biases!];
    const dense = new Dense(saved.nInputs, saved.nOutputs, {
      initializer: (rows, cols) => new Matrix(rows, cols, weights as ArrayLike<number>),
      ...Object.fromEntries(REGULARIZERS.map((key) => [key, saved[key]])),
    });
    dense.biases = new Matrix(1, saved.nOutputs, biases as ArrayLike<number>);
    return dense;
  });
  return new Sequential(layers, { loss: checked.json.loss === undefined ? undefined : SAVED_LOSSES[checked.json.loss]() });
}
