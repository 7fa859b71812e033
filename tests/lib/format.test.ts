// Checks that numbers and matrices print the way a reader expects: 4.8 rather than
// 4.800000000000001 or the float32 4.800000190734863, special values spelled out, and
// table columns aligned on the decimal point.
import { describe, expect, it } from 'vitest';
import { formatNumber, formatTable } from '../../lib/format.ts';
import { Matrix } from '../../lib/matrix.ts';
import { addRowVector, matmul } from '../../lib/ops.ts';

// The float32 nearest 0.1 is 13421773 · 2⁻²⁷ and the one nearest 4.8 is 10066330 · 2⁻²¹.
const FLOAT32_TENTH = 0.100000001490116119384765625;
const FLOAT32_FOUR_POINT_EIGHT = 4.80000019073486328125;

// The book's layer of three neurons, weights stored inputs × outputs (the transpose of the book's rows),
// and its batch of three samples.
const weightRows = [
  [0.2, 0.5, -0.26],
  [0.8, -0.91, -0.27],
  [-0.5, 0.26, 0.17],
  [1, -0.5, 0.87],
];
const batchRows = [
  [1, 2, 3, 2.5],
  [2, 5, -1, 2],
  [-1.5, 2.7, 3.3, -0.8],
];
const weights = Matrix.fromRows(weightRows);
const biases = Matrix.rowVector([2, 3, 0.5]);
const batch = Matrix.fromRows(batchRows);

describe('formatNumber', () => {
  it('prints 4.800000000000001 as 4.8', () => {
    expect(formatNumber(4.800000000000001)).toBe('4.8');
  });

  it('prints 0.1 + 0.2 as 0.3', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
  });

  it('prints the float32 nearest 0.1 as 0.1 when told it is float32', () => {
    expect(formatNumber(FLOAT32_TENTH, { dtype: 'float32' })).toBe('0.1');
  });

  it('prints the float32 nearest 4.8 as 4.8 when told it is float32', () => {
    expect(formatNumber(FLOAT32_FOUR_POINT_EIGHT, { dtype: 'float32' })).toBe('4.8');
  });

  it('shows the float32 error when the value is treated as float64 (12 significant digits)', () => {
    // 0.100000001490116… to 12 significant digits is 0.100000001490; the trailing zero goes.
    expect(formatNumber(FLOAT32_TENTH)).toBe('0.10000000149');
  });

  it('keeps 12 significant digits for float64 and fewer for float32', () => {
    expect(formatNumber(2 / 3)).toBe('0.666666666667');
    const short = formatNumber(Math.fround(2 / 3), { dtype: 'float32' });
    expect(short).toMatch(/^0\.6{5,6}7$/); // 0.666667 or 0.6666667: float32 holds about 7 digits
  });

  it('prints zero and negative zero as 0', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-0)).toBe('0');
  });

  it('spells out NaN and the infinities', () => {
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(Infinity)).toBe('Infinity');
    expect(formatNumber(-Infinity)).toBe('-Infinity');
  });

  it('prints numbers below 1e−6 in exponent form without a plus sign', () => {
    expect(formatNumber(1e-7)).toBe('1e-7');
    expect(formatNumber(-1e-7)).toBe('-1e-7');
    expect(formatNumber(1.5e-7)).toBe('1.5e-7');
    expect(formatNumber(1e-7, { dtype: 'float32' })).toBe('1e-7');
  });

  it('prints 1e−6 and small numbers above it in plain decimals', () => {
    expect(formatNumber(1e-6)).toBe('0.000001');
    expect(formatNumber(0.000123)).toBe('0.000123');
  });

  it('prints numbers of 1e21 and above in exponent form without a plus sign', () => {
    expect(formatNumber(1e21)).toBe('1e21');
    expect(formatNumber(-2.5e21)).toBe('-2.5e21');
  });

  it('prints large numbers below 1e21 in plain digits', () => {
    expect(formatNumber(123456.789)).toBe('123456.789');
    expect(formatNumber(1e20)).toBe('100000000000000000000');
  });

  it('prints negative numbers with a minus sign', () => {
    expect(formatNumber(-2.385)).toBe('-2.385');
    expect(formatNumber(-1.81)).toBe('-1.81');
  });

  it('rounds to the digits option, which wins over dtype', () => {
    expect(formatNumber(Math.PI, { digits: 3 })).toBe('3.14');
    expect(formatNumber(Math.PI, { digits: 4, dtype: 'float32' })).toBe('3.142');
    expect(formatNumber(0.00012345, { digits: 2 })).toBe('0.00012');
  });

  // Bug: rounding every number to 12 (or 7) significant digits also rounds whole numbers that
  // need more digits: 1234567890123 prints as 1234567890120, and the float32 12345678
  // (exact, being below 2²⁴) prints as 12345680.
  it('prints a whole number with all its digits', () => {
    expect(formatNumber(1234567890123)).toBe('1234567890123');
  });

  it('prints a whole float32 number below 2²⁴ with all its digits', () => {
    expect(formatNumber(12345678, { dtype: 'float32' })).toBe('12345678');
  });
});

describe('formatTable', () => {
  it('aligns each column on its decimal point', () => {
    expect(
      formatTable([
        [1, -2.5],
        [10, 0.25],
      ]),
    ).toBe('[[ 1  -2.5 ]\n [10   0.25]]');
  });

  it('prints one row on one line', () => {
    expect(formatTable([[4.8, 1.21, 2.385]])).toBe('[[4.8  1.21  2.385]]');
  });

  it('aligns exponent forms and NaN by their integer part', () => {
    expect(formatTable([[1e-7], [-1.5]])).toBe('[[ 1e-7]\n [-1.5 ]]');
    expect(formatTable([[Number.NaN], [1.25]])).toBe('[[NaN   ]\n [  1.25]]');
  });

  it('prints no rows as []', () => {
    expect(formatTable([])).toBe('[]');
  });

  it('passes the dtype on to every number', () => {
    expect(formatTable([[FLOAT32_TENTH, FLOAT32_FOUR_POINT_EIGHT]], { dtype: 'float32' })).toBe('[[0.1  4.8]]');
  });
});

describe('Matrix.toString', () => {
  it('prints the book\'s layer output, computed in float32 by matmul, as 4.8, 1.21 and 2.385', () => {
    const output = addRowVector(matmul(Matrix.rowVector([1, 2, 3, 2.5]), weights), biases);
    expect(output.dtype).toBe('float32');
    expect(output.get(0, 0)).not.toBe(4.8); // no float32 is exactly 4.8
    expect(output.toString()).toBe('[[4.8  1.21  2.385]]');
  });

  it('prints a float64 matrix with 12 significant digits', () => {
    expect(Matrix.fromRows([[0.1 + 0.2, 2 / 3]], { dtype: 'float64' }).toString()).toBe('[[0.3  0.666666666667]]');
  });

  it('prints the book\'s batch of three samples, computed in float64, with the book\'s figures', () => {
    const wide = { dtype: 'float64' } as const;
    const output = addRowVector(matmul(Matrix.fromRows(batchRows, wide), Matrix.fromRows(weightRows, wide)), Matrix.rowVector([2, 3, 0.5], wide));
    expect(output.dtype).toBe('float64');
    expect(output.toString()).toBe('[[4.8    1.21   2.385]\n [8.9   -1.81   0.2  ]\n [1.41   1.051  0.026]]');
  });

  it('prints the book\'s batch of three samples, computed in float32, within float32 noise of the book\'s figures', () => {
    // In float32 the last entry, −0.474 + 0.5, loses digits to cancellation: it prints as
    // 0.02599993 rather than 0.026. The other eight entries print exactly as in the book.
    const output = addRowVector(matmul(batch, weights), biases);
    const printed = output
      .toString()
      .replace(/[[\]]/g, ' ')
      .trim()
      .split(/\s+/)
      .map(Number);
    const book = [4.8, 1.21, 2.385, 8.9, -1.81, 0.2, 1.41, 1.051, 0.026];
    expect(printed.slice(0, 8)).toEqual(book.slice(0, 8));
    expect(printed[8]).toBeCloseTo(0.026, 6);
  });
});
