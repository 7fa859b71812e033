// The training lab's fields, checked as the reader types and before anything downloads: hidden
// layer sizes, optimizer, learning rate, batch size and epochs. Each field either gives its value
// or a message saying what is wrong with it; the lab marks the field and keeps Train disabled.
import type { LabSettings } from './protocol.ts';

/** The lab's text and choice fields, by their `name` in MnistLab.astro. */
export type LabField = 'hidden' | 'optimizer' | 'learningRate' | 'batchSize' | 'epochs';
/** The fields in the order the lab shows them. */
export const LAB_FIELDS: readonly LabField[] = ['hidden', 'optimizer', 'learningRate', 'batchSize', 'epochs'];

/** The limits each field is held to, and why. */
export const LAB_LIMITS = {
  /** Up to four hidden layers: more trains no better on MNIST in the few epochs a page runs. */
  layers: 4,
  /** Up to 2,048 neurons a layer: 784 × 2,048 weights is already 6 MB, trained in the reader's browser. */
  neurons: 2048,
  /** The lab holds out 5,000 of MNIST's 60,000 training images: a batch of more is the whole set. */
  batchSize: 55_000,
  /** A page trains one epoch in seconds; fifty is minutes. */
  epochs: 50,
  /** Past 10 every optimizer here diverges at once. */
  learningRate: 10,
} as const;

const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;

/** The raw text of every field, as the form holds it. */
export type LabInput = Record<LabField, string>;

/** What checking the fields gives: the settings when every field is fine, and a message for each field that is not. */
export interface LabCheck {
  settings?: LabSettings;
  errors: Partial<Record<LabField, string>>;
}

const quoted = (text: string): string => `“${text.length > 20 ? `${text.slice(0, 20)}…` : text}”`;

/** A whole number from `min` to `max`, or a message naming `what`. */
function wholeNumber(text: string, what: string, min: number, max: number): number | string {
  const trimmed = text.trim();
  const What = `${what[0].toUpperCase()}${what.slice(1)}`;
  if (trimmed === '') return `Give ${what}.`;
  const value = Number(trimmed);
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed) || !Number.isFinite(value)) return `${quoted(trimmed)} is not a number.`;
  if (!Number.isInteger(value)) return `${What} must be a whole number, not ${trimmed}.`;
  if (value < min || value > max) return `${What} must be from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}.`;
  return value;
}

/** The hidden layer sizes, "128,64" or "128, 64", or a message. */
function hiddenSizes(text: string): number[] | string {
  const parts = text.split(',').map((part) => part.trim());
  if (text.trim() === '') return 'Give at least one hidden layer size, e.g. 128,64.';
  if (parts.some((part) => part === '')) return 'Separate the sizes with single commas, e.g. 128,64.';
  if (parts.length > LAB_LIMITS.layers) return `At most ${LAB_LIMITS.layers} hidden layers.`;
  const sizes: number[] = [];
  for (const part of parts) {
    const size = wholeNumber(part, 'each size', 1, LAB_LIMITS.neurons);
    if (typeof size === 'string') return /is not a number/.test(size) ? `${quoted(part)} is not a layer size: give whole numbers separated by commas, e.g. 128,64.` : size;
    sizes.push(size);
  }
  return sizes;
}

/** The learning rate: a number above 0, at most LAB_LIMITS.learningRate, or a message. */
function learningRate(text: string): number | string {
  const trimmed = text.trim();
  if (trimmed === '') return 'Give a learning rate, e.g. 0.001.';
  if (!/^[+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) return /^-/.test(trimmed) ? 'The learning rate must be above 0.' : `${quoted(trimmed)} is not a number: give a learning rate such as 0.001 or 1e-3.`;
  const value = Number(trimmed);
  if (!(value > 0)) return 'The learning rate must be above 0.';
  if (value > LAB_LIMITS.learningRate) return `The learning rate must be at most ${LAB_LIMITS.learningRate}.`;
  return value;
}

/** Checks every field; `settings` is there only when all of them are fine. */
export function checkLabInput(input: LabInput, seed = 1): LabCheck {
  const errors: LabCheck['errors'] = {};
  const hidden = hiddenSizes(input.hidden);
  if (typeof hidden === 'string') errors.hidden = hidden;
  const optimizer = (OPTIMIZERS as readonly string[]).includes(input.optimizer) ? (input.optimizer as LabSettings['optimizer']) : undefined;
  if (!optimizer) errors.optimizer = `Choose Adam, SGD + momentum or RMSProp, not ${quoted(input.optimizer)}.`;
  const rate = learningRate(input.learningRate);
  if (typeof rate === 'string') errors.learningRate = rate;
  const batchSize = wholeNumber(input.batchSize, 'the batch size', 1, LAB_LIMITS.batchSize);
  if (typeof batchSize === 'string') errors.batchSize = batchSize;
  const epochs = wholeNumber(input.epochs, 'the number of epochs', 1, LAB_LIMITS.epochs);
  if (typeof epochs === 'string') errors.epochs = epochs;
  if (Object.keys(errors).length > 0) return { errors };
  return { errors, settings: { hidden: hidden as number[], optimizer: optimizer!, learningRate: rate as number, batchSize: batchSize as number, epochs: epochs as number, seed } };
}
