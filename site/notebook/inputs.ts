// Inputs a cell declares: slider(), choice(), checkbox() and numberField() return the value the
// reader has set (the default at build time and in the tests) and record what the page must show
// as a form control. The page sends the values back with each run; a value from outside is checked
// like any other input, so a stale or tampered value falls back to the nearest valid one.
import { formatNumber } from '../../lib/format.ts';

/** A value an input can hold. */
export type InputValue = number | string | boolean;

/** Options for slider: its range, its default, its step, and whether it moves by powers of ten. */
export interface SliderOptions {
  min: number;
  max: number;
  /** The default: what the build runs with. */
  value: number;
  /** The gap between values on a linear slider; a hundredth of the range by default. */
  step?: number;
  /** Spaces the slider by powers of ten (a learning rate from 0.001 to 10), showing three significant digits. */
  log?: boolean;
}

/** Options for numberField: its default and, optionally, its bounds and step. */
export interface NumberFieldOptions {
  value: number;
  min?: number;
  max?: number;
  step?: number;
}

/** What the page needs to draw one input, and the value it holds now. */
export type InputSpec =
  | { kind: 'slider'; label: string; min: number; max: number; step: number; log: boolean; initial: number; value: number }
  | { kind: 'choice'; label: string; options: string[]; initial: string; value: string }
  | { kind: 'checkbox'; label: string; initial: boolean; value: boolean }
  | { kind: 'number'; label: string; min?: number; max?: number; step?: number; initial: number; value: number };

/** How many positions a log slider has between its ends. */
export const LOG_POSITIONS = 120;

/** An input's error, naming the kind of input and its label. */
export class InputError extends Error {
  constructor(kind: string, label: string, message: string) {
    super(`${kind}(${JSON.stringify(label)}): ${message}`);
    this.name = 'InputError';
  }
}

/** `value` rounded to three significant digits, the precision a log slider shows and runs with. */
export function roundSignificant(value: number, digits = 3): number {
  return value === 0 ? 0 : Number(value.toPrecision(digits));
}

/** A log slider's value at `position` (0 … LOG_POSITIONS), rounded as the page shows it. */
export function logValue(spec: { min: number; max: number }, position: number): number {
  const low = Math.log10(spec.min);
  const high = Math.log10(spec.max);
  return roundSignificant(10 ** (low + ((high - low) * position) / LOG_POSITIONS));
}

/** The position (0 … LOG_POSITIONS) of a log slider nearest to `value`. */
export function logPosition(spec: { min: number; max: number }, value: number): number {
  const low = Math.log10(spec.min);
  const high = Math.log10(spec.max);
  return Math.round(((Math.log10(value) - low) / (high - low)) * LOG_POSITIONS);
}

/** An input's value as the page shows it beside the control. */
export function inputText(spec: InputSpec): string {
  if (spec.kind === 'checkbox') return spec.value ? 'on' : 'off';
  if (spec.kind === 'choice') return spec.value;
  return formatNumber(spec.value);
}

/** Snaps `value` to a linear slider's steps counted from its min, within its range. */
function snap(value: number, min: number, max: number, step: number): number {
  const snapped = min + Math.round((value - min) / step) * step;
  // Rounding away the float noise of the multiplication (0.1 · 3 = 0.30000000000000004).
  return Math.min(max, Math.max(min, Number(snapped.toPrecision(12))));
}

function finite(kind: string, label: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(kind, label, `${name} must be a finite number, not ${JSON.stringify(value) ?? String(value)}`);
  return value;
}

/** The inputs of one run of one cell: each declaration checks its options and answers with the value to use. */
export class CellInputs {
  readonly specs: InputSpec[] = [];
  private readonly given: Record<string, InputValue>;

  /** `given` holds the values the page sent for this cell, by label. */
  constructor(given: Record<string, InputValue> = {}) {
    this.given = given;
  }

  private claim(kind: string, label: unknown): string {
    if (typeof label !== 'string' || label.trim() === '') throw new InputError(kind, String(label), 'the first argument must be a label (a non-empty string) naming the input on the page');
    if (this.specs.some((spec) => spec.label === label)) throw new InputError(kind, label, 'another input of this cell has the same label; each input needs its own (an input inside a loop declares it again each turn)');
    return label;
  }

  /** A range slider; returns its value. */
  slider(label: string, options: SliderOptions): number {
    const name = this.claim('slider', label);
    if (typeof options !== 'object' || options === null) throw new InputError('slider', name, 'needs its options: { min, max, value }');
    const min = finite('slider', name, 'min', options.min);
    const max = finite('slider', name, 'max', options.max);
    const initial = finite('slider', name, 'value', options.value);
    if (!(min < max)) throw new InputError('slider', name, `min (${formatNumber(min)}) must be below max (${formatNumber(max)})`);
    if (initial < min || initial > max) throw new InputError('slider', name, `value ${formatNumber(initial)} is outside min ${formatNumber(min)} to max ${formatNumber(max)}`);
    const log = Boolean(options.log);
    if (log && min <= 0) throw new InputError('slider', name, `a log slider needs a min above 0, not ${formatNumber(min)}`);
    const step = options.step === undefined ? Number(((max - min) / 100).toPrecision(3)) : finite('slider', name, 'step', options.step);
    if (!(step > 0)) throw new InputError('slider', name, `step must be above 0, not ${formatNumber(step)}`);
    const given = this.given[name];
    let value = initial;
    if (typeof given === 'number' && Number.isFinite(given)) value = log ? Math.min(max, Math.max(min, given)) : snap(given, min, max, step);
    this.specs.push({ kind: 'slider', label: name, min, max, step, log, initial, value });
    return value;
  }

  /** A choice among named options (a select); returns the chosen option. */
  choice<T extends string>(label: string, options: readonly T[], settings: { value?: T } = {}): T {
    const name = this.claim('choice', label);
    if (!Array.isArray(options) || options.length === 0 || options.some((option) => typeof option !== 'string')) throw new InputError('choice', name, 'needs a list of options, as strings');
    if (new Set(options).size !== options.length) throw new InputError('choice', name, 'lists an option twice');
    const initial = settings.value ?? options[0];
    if (!options.includes(initial)) throw new InputError('choice', name, `value ${JSON.stringify(initial)} is not one of the options (${options.map((option) => JSON.stringify(option)).join(', ')})`);
    const given = this.given[name];
    const value = typeof given === 'string' && options.includes(given as T) ? (given as T) : initial;
    this.specs.push({ kind: 'choice', label: name, options: [...options], initial, value });
    return value;
  }

  /** A checkbox; returns whether it is ticked. */
  checkbox(label: string, settings: { value?: boolean } = {}): boolean {
    const name = this.claim('checkbox', label);
    const initial = Boolean(settings.value);
    const given = this.given[name];
    const value = typeof given === 'boolean' ? given : initial;
    this.specs.push({ kind: 'checkbox', label: name, initial, value });
    return value;
  }

  /** A number field; returns its value. */
  numberField(label: string, options: NumberFieldOptions): number {
    const name = this.claim('numberField', label);
    if (typeof options !== 'object' || options === null) throw new InputError('numberField', name, 'needs its options: { value }');
    const initial = finite('numberField', name, 'value', options.value);
    const min = options.min === undefined ? undefined : finite('numberField', name, 'min', options.min);
    const max = options.max === undefined ? undefined : finite('numberField', name, 'max', options.max);
    const step = options.step === undefined ? undefined : finite('numberField', name, 'step', options.step);
    if (min !== undefined && max !== undefined && !(min < max)) throw new InputError('numberField', name, `min (${formatNumber(min)}) must be below max (${formatNumber(max)})`);
    if ((min !== undefined && initial < min) || (max !== undefined && initial > max)) throw new InputError('numberField', name, `value ${formatNumber(initial)} is outside its bounds`);
    const given = this.given[name];
    let value = initial;
    if (typeof given === 'number' && Number.isFinite(given)) value = Math.min(max ?? Infinity, Math.max(min ?? -Infinity, given));
    this.specs.push({ kind: 'number', label: name, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }), ...(step === undefined ? {} : { step }), initial, value });
    return value;
  }
}
