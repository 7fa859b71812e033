// Printing numbers and matrices the way a reader expects: 4.8, not 4.800000000000001.
// Taught in chapter 1 (a single neuron), used by every cell that prints a value.

/**
 * Significant digits kept when printing. Float32 holds about 7, so all 7 are shown. Float64 holds
 * 15 to 17, but each rounding in a sum or product can disturb the last few, so 12 are shown:
 * enough to show a float32 value's rounding error, few enough that 4.800000000000001 prints as 4.8.
 */
const DIGITS = { float32: 7, float64: 12 } as const;

/** Formats a number with as few digits as show its value, e.g. `4.8` or `1e-7`. */
export function formatNumber(x: number, options: { digits?: number; dtype?: 'float32' | 'float64' } = {}): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return '0'; // also turns -0 into 0
  const dtype = options.dtype ?? 'float64';
  // A whole number the dtype holds exactly prints with all its digits.
  if (options.digits === undefined && Number.isInteger(x) && Math.abs(x) <= (dtype === 'float32' ? 2 ** 24 : 2 ** 53)) return String(x);
  const digits = options.digits ?? DIGITS[dtype];
  if (!Number.isInteger(digits) || digits < 1 || digits > 100) throw new RangeError(`formatNumber: digits must be a whole number from 1 to 100, not ${String(digits)}`);
  // toPrecision rounds away float noise; Number() then String() drops the trailing zeros.
  const rounded = Number(x.toPrecision(digits));
  const magnitude = Math.abs(rounded);
  if (magnitude >= 1e-6 && magnitude < 1e21) return String(rounded);
  return rounded.toExponential().replace('e+', 'e');
}

/** Formats a list of rows as an aligned table, like NumPy prints an array. */
export function formatTable(rows: ReadonlyArray<ReadonlyArray<number>>, options: { digits?: number; dtype?: 'float32' | 'float64' } = {}): string {
  if (rows.length === 0) return '[]';
  const cells = rows.map((row) => row.map((value) => formatNumber(value, options)));
  const columns = cells[0].length;
  // Align each column on its decimal point: pad the integer part left, the fraction right.
  const intWidth = new Array<number>(columns).fill(0);
  const fracWidth = new Array<number>(columns).fill(0);
  for (const row of cells) {
    row.forEach((text, c) => {
      const [integer, fraction] = splitDecimal(text);
      intWidth[c] = Math.max(intWidth[c], integer.length);
      fracWidth[c] = Math.max(fracWidth[c], fraction.length);
    });
  }
  const lines = cells.map((row, r) => {
    const body = row
      .map((text, c) => {
        const [integer, fraction] = splitDecimal(text);
        return integer.padStart(intWidth[c]) + fraction.padEnd(fracWidth[c]);
      })
      .join('  ');
    const open = r === 0 ? '[[' : ' [';
    const close = r === cells.length - 1 ? ']]' : ']';
    return `${open}${body}${close}`;
  });
  return lines.join('\n');
}

/** Splits "12.5e-3" into ["12", ".5e-3"] so columns line up on the point. */
function splitDecimal(text: string): [string, string] {
  const match = /^(-?(?:\d+|NaN|Infinity))(.*)$/.exec(text);
  return match ? [match[1], match[2]] : [text, ''];
}
