// Shared pieces of the command-line tools: argument parsing with clear errors, a progress bar
// that redraws in place on a terminal and prints a line every 10% when piped (CI, logs), and the
// confusion matrix table.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { confusionMatrix } from '../lib/index.ts';

/** Parses argv with node:util, turning its errors into one line that names the option. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(options: T, usage: string) {
  try {
    return parseArgs({ options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`);
  }
}

/** Prints an error and exits with status 1. */
export function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

/** A positive whole number from an option, or a clear error naming it. */
export function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive whole number, not "${value}"`);
  return n;
}

/** A number ≥ 0 from an option, or a clear error naming it. */
export function nonNegative(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) fail(`--${name} must be a number of at least 0, not "${value}"`);
  return n;
}

/** Reports progress through a run of `total` steps. */
export class Progress {
  private readonly tty = Boolean(process.stdout.isTTY);
  private lastDecile = -1;
  private readonly started = performance.now();
  private readonly total: number;
  private readonly label: string;

  constructor(label: string, total: number) {
    this.label = label;
    this.total = total;
  }

  /** Shows step `done` of the total, with a short status after the bar. */
  update(done: number, status: string): void {
    const fraction = done / this.total;
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    if (this.tty) {
      const width = 28;
      const filled = Math.round(fraction * width);
      process.stdout.write(`\r${this.label} [${'█'.repeat(filled)}${'·'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${seconds} s ${status}\x1b[K`);
      return;
    }
    // Without a terminal, a line every 10% keeps logs short and still shows that work goes on.
    const decile = Math.floor(fraction * 10);
    if (decile > this.lastDecile && decile < 10) {
      this.lastDecile = decile;
      process.stdout.write(`${this.label} ${decile * 10}% ${seconds} s ${status}\n`);
    }
  }

  /** Clears the bar on a terminal, so the epoch's summary line replaces it. */
  done(): void {
    if (this.tty) process.stdout.write('\r\x1b[K');
  }
}

/** The confusion matrix as an aligned table with class names; rows are the true class. */
export function confusionTable(predicted: ArrayLike<number>, actual: ArrayLike<number>, classes: string[]): string {
  const counts = confusionMatrix(predicted, actual, classes.length);
  const names = classes.map((name) => (name.length > 11 ? `${name.slice(0, 10)}…` : name));
  const nameWidth = Math.max(...names.map((name) => name.length), 'true \\ predicted'.length);
  const cellWidth = Math.max(5, ...counts.flat().map((n) => String(n).length + 1));
  const header = `${'true \\ predicted'.padEnd(nameWidth)} ${counts.map((_, j) => String(j).padStart(cellWidth)).join('')}`;
  const rows = counts.map((row, i) => `${`${i} ${names[i]}`.padEnd(nameWidth)} ${row.map((n) => String(n).padStart(cellWidth)).join('')}`);
  return [header, ...rows].join('\n');
}
