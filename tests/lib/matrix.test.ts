// Checks the Matrix class: building matrices (fromRows, vectors, zeros, full, the constructor),
// reading and writing elements in row-major storage, copies versus shared storage, dtypes,
// the allocation limit and its SizeError, and the ShapeError each bad input raises, with the exact
// text a reader will see.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ScratchnetError, ShapeError, SizeError } from '../../lib/errors.ts';
import { MAX_MATRIX_BYTES, Matrix, exceedsAllocationLimit, formatBytes, sizeError } from '../../lib/matrix.ts';

/** Runs `f`, expects it to throw a ShapeError, and returns that error for closer checks. */
function shapeErrorFrom(f: () => unknown): ShapeError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ShapeError);
    return error as ShapeError;
  }
  throw new Error('expected a ShapeError, but nothing was thrown');
}

// 0.1 is not a float32: the nearest one is 13421773 · 2⁻²⁷ = 0.100000001490116119384765625.
const FLOAT32_TENTH = 0.100000001490116119384765625;

describe('Matrix.fromRows', () => {
  it('builds a (2×3) matrix whose toRows gives back the same rows', () => {
    const rows = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const m = Matrix.fromRows(rows);
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(m.toRows()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('stores element (r, c) at data[r · cols + c]', () => {
    const m = Matrix.fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.toArray()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('accepts typed arrays as rows', () => {
    const m = Matrix.fromRows([new Float64Array([1.5, -2]), new Int32Array([3, 4])]);
    expect(m.toRows()).toEqual([
      [1.5, -2],
      [3, 4],
    ]);
  });

  it('builds an empty (0×0) matrix from no rows', () => {
    const m = Matrix.fromRows([]);
    expect(m.shape).toEqual([0, 0]);
    expect(m.toRows()).toEqual([]);
  });

  it('rounds values to float32 by default', () => {
    expect(Matrix.fromRows([[0.1]]).get(0, 0)).toBe(FLOAT32_TENTH);
  });

  it('keeps values exact with { dtype: "float64" }', () => {
    const m = Matrix.fromRows([[0.1]], { dtype: 'float64' });
    expect(m.dtype).toBe('float64');
    expect(m.get(0, 0)).toBe(0.1);
  });

  it('refuses ragged rows, naming the row and both lengths', () => {
    const error = shapeErrorFrom(() => Matrix.fromRows([[1, 2, 3], [4, 5]]));
    expect(error.message).toBe('Matrix.fromRows: row 1 has 2 values but row 0 has 3');
    expect(error.op).toBe('Matrix.fromRows');
  });

  it('refuses a value that is not a number, naming its row and column', () => {
    const rows = [[1, '2']] as unknown as number[][];
    const error = shapeErrorFrom(() => Matrix.fromRows(rows));
    expect(error.message).toBe('Matrix.fromRows: row 0, column 1 is "2", not a number');
  });

  it('refuses something that is not an array of rows', () => {
    const error = shapeErrorFrom(() => Matrix.fromRows('1 2 3' as unknown as number[][]));
    expect(error.message).toBe('Matrix.fromRows: expects an array of rows, e.g. [[1, 2], [3, 4]]');
  });

  // Rough edge: forgetting the inner brackets, Matrix.fromRows([1, 2, 3]), currently reports
  // "Matrix: cols must be a whole number of at least 0, not undefined", and a null row throws
  // a bare TypeError. Both should be a ShapeError from Matrix.fromRows about the row.
  it('refuses a flat array of numbers (missing inner brackets), naming Matrix.fromRows and row 0', () => {
    const error = shapeErrorFrom(() => Matrix.fromRows([1, 2, 3] as unknown as number[][]));
    expect(error.message).toMatch(/^Matrix\.fromRows: row 0 /);
  });

  it('refuses a row that is null with a ShapeError rather than a TypeError', () => {
    const error = shapeErrorFrom(() => Matrix.fromRows([[1], null] as unknown as number[][]));
    expect(error.message).toMatch(/^Matrix\.fromRows: row 1 /);
  });
});

describe('Matrix.rowVector and Matrix.columnVector', () => {
  it('builds a (1×3) row vector: the shape of a bias vector', () => {
    const v = Matrix.rowVector([2, 3, 0.5]);
    expect(v.shape).toEqual([1, 3]);
    expect(v.toRows()).toEqual([[2, 3, 0.5]]);
  });

  it('builds a (3×1) column vector', () => {
    const v = Matrix.columnVector(new Float32Array([2, 3, 0.5]));
    expect(v.shape).toEqual([3, 1]);
    expect(v.toRows()).toEqual([[2], [3], [0.5]]);
  });

  it('copies its values rather than sharing them', () => {
    const values = new Float32Array([1, 2]);
    const v = Matrix.rowVector(values);
    values[0] = 99;
    expect(v.get(0, 0)).toBe(1);
  });

  it('honours the dtype option', () => {
    expect(Matrix.rowVector([1], { dtype: 'float64' }).dtype).toBe('float64');
    expect(Matrix.columnVector([1], { dtype: 'float64' }).dtype).toBe('float64');
  });
});

describe('Matrix.zeros and Matrix.full', () => {
  it('fills a (2×3) matrix with zeros', () => {
    const m = Matrix.zeros(2, 3);
    expect(m.shape).toEqual([2, 3]);
    expect(m.toArray()).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('fills a (3×2) matrix with one value', () => {
    const m = Matrix.full(3, 2, 7.5);
    expect(m.shape).toEqual([3, 2]);
    expect(m.toArray()).toEqual([7.5, 7.5, 7.5, 7.5, 7.5, 7.5]);
  });

  it('allows zero rows or zero columns', () => {
    expect(Matrix.zeros(0, 4).shape).toEqual([0, 4]);
    expect(Matrix.zeros(4, 0).size).toBe(0);
  });

  it('refuses negative, fractional or NaN dimensions, naming which one', () => {
    expect(shapeErrorFrom(() => Matrix.zeros(-1, 2)).message).toBe('Matrix: rows must be a whole number of at least 0, not -1');
    expect(shapeErrorFrom(() => Matrix.zeros(2, 1.5)).message).toBe('Matrix: cols must be a whole number of at least 0, not 1.5');
    expect(shapeErrorFrom(() => Matrix.full(Number.NaN, 2, 0)).message).toBe('Matrix: rows must be a whole number of at least 0, not NaN');
  });
});

describe('the Matrix constructor', () => {
  it('allocates zeros when no data is given', () => {
    const m = new Matrix(2, 2);
    expect(m.toArray()).toEqual([0, 0, 0, 0]);
    expect(m.dtype).toBe('float32');
  });

  it('shares a Float32Array rather than copying it', () => {
    const data = new Float32Array([1, 2, 3, 4]);
    const m = new Matrix(2, 2, data);
    expect(m.data).toBe(data);
    data[3] = 40;
    expect(m.get(1, 1)).toBe(40);
  });

  it('shares a Float64Array and takes float64 as its dtype', () => {
    const data = new Float64Array([0.1, 0.2]);
    const m = new Matrix(1, 2, data);
    expect(m.data).toBe(data);
    expect(m.dtype).toBe('float64');
    expect(m.get(0, 0)).toBe(0.1);
  });

  it('copies a plain array', () => {
    const data = [1, 2, 3, 4];
    const m = new Matrix(2, 2, data);
    data[0] = 10;
    expect(m.get(0, 0)).toBe(1);
    expect(m.data).toBeInstanceOf(Float32Array);
  });

  it('copies a typed array of the other dtype when a dtype is asked for', () => {
    const data = new Float32Array([1, 2]);
    const m = new Matrix(1, 2, data, { dtype: 'float64' });
    expect(m.data).not.toBe(data);
    expect(m.data).toBeInstanceOf(Float64Array);
    data[0] = 5;
    expect(m.get(0, 0)).toBe(1);
  });

  it('refuses data of the wrong length, naming both counts and the shape', () => {
    const error = shapeErrorFrom(() => new Matrix(2, 3, [1, 2, 3, 4, 5]));
    expect(error.message).toBe('Matrix: 5 values cannot fill a 2×3 matrix, which needs 6');
    expect(error).toBeInstanceOf(ScratchnetError);
    expect(error.name).toBe('ShapeError');
  });
});

describe('shape, size, shapeText and dtype', () => {
  const m = Matrix.zeros(3, 4);

  it('reports the shape as [rows, cols]', () => {
    expect(m.shape).toEqual([3, 4]);
  });

  it('reports the size as rows × cols', () => {
    expect(m.size).toBe(12);
  });

  it('writes the shape as text with a multiplication sign', () => {
    expect(m.shapeText).toBe('3×4');
  });

  it('defaults to float32', () => {
    expect(m.dtype).toBe('float32');
    expect(m.data).toBeInstanceOf(Float32Array);
  });
});

describe('get, set and row', () => {
  it('reads and writes element (1, 2) of a (2×3) matrix in row-major order', () => {
    const m = Matrix.zeros(2, 3);
    m.set(1, 2, 9);
    m.set(0, 1, -4);
    expect(m.get(1, 2)).toBe(9);
    expect(m.get(0, 1)).toBe(-4);
    expect(m.data[1 * 3 + 2]).toBe(9);
    expect(m.data[0 * 3 + 1]).toBe(-4);
  });

  it('returns a row as a plain array that does not share storage', () => {
    const m = Matrix.fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const row = m.row(1);
    expect(Array.isArray(row)).toBe(true);
    expect(row).toEqual([4, 5, 6]);
    row[0] = 40;
    expect(m.get(1, 0)).toBe(4);
  });

  it('refuses get outside the matrix, naming the index and the shape', () => {
    const m = Matrix.zeros(2, 3);
    expect(shapeErrorFrom(() => m.get(2, 0)).message).toBe('Matrix.get: index (2, 0) is outside a 2×3 matrix');
    expect(shapeErrorFrom(() => m.get(0, 3)).message).toBe('Matrix.get: index (0, 3) is outside a 2×3 matrix');
    expect(shapeErrorFrom(() => m.get(0, 1.5)).message).toBe('Matrix.get: index (0, 1.5) is outside a 2×3 matrix');
  });

  it('refuses set outside the matrix, naming the index and the shape', () => {
    const m = Matrix.zeros(2, 3);
    expect(shapeErrorFrom(() => m.set(-1, 0, 1)).message).toBe('Matrix.set: index (-1, 0) is outside a 2×3 matrix');
  });

  it('refuses a row outside the matrix', () => {
    const m = Matrix.zeros(2, 3);
    expect(shapeErrorFrom(() => m.row(2)).message).toContain('Matrix.row');
    expect(shapeErrorFrom(() => m.row(2)).message).toContain('2×3');
  });

  // Rough edge: row() checks index (r, 0), so every row of an (n×0) matrix is "outside" it,
  // although toRows() happily returns [[], []].
  it('returns an empty row from a matrix with no columns', () => {
    expect(Matrix.zeros(2, 0).row(1)).toEqual([]);
  });
});

describe('clone and astype', () => {
  it('clones into independent storage', () => {
    const m = Matrix.fromRows([[1, 2]]);
    const copy = m.clone();
    copy.set(0, 0, 100);
    expect(m.get(0, 0)).toBe(1);
    expect(copy.get(0, 0)).toBe(100);
    expect(copy.data).not.toBe(m.data);
  });

  it('keeps the dtype when cloning', () => {
    expect(Matrix.zeros(1, 1, { dtype: 'float64' }).clone().dtype).toBe('float64');
    expect(Matrix.zeros(1, 1).clone().dtype).toBe('float32');
  });

  it('converts float32 to float64 into new storage', () => {
    const m = Matrix.fromRows([[0.5, 0.1]]);
    const wide = m.astype('float64');
    expect(wide.dtype).toBe('float64');
    expect(wide.data).not.toBe(m.data);
    expect(wide.toArray()).toEqual([0.5, FLOAT32_TENTH]);
  });

  it('rounds float64 to float32', () => {
    const m = Matrix.fromRows([[0.1]], { dtype: 'float64' }).astype('float32');
    expect(m.dtype).toBe('float32');
    expect(m.get(0, 0)).toBe(FLOAT32_TENTH);
  });

  it('returns the matrix itself when it already has the dtype', () => {
    const m = Matrix.zeros(1, 1);
    expect(m.astype('float32')).toBe(m);
  });
});

describe('printing a matrix', () => {
  it('prints an empty matrix with its shape', () => {
    expect(Matrix.zeros(0, 3).toString()).toBe('[] (0×3)');
  });

  it('prints an aligned table', () => {
    expect(
      Matrix.fromRows([
        [1, -2.5],
        [10, 0.25],
      ]).toString(),
    ).toBe('[[ 1  -2.5 ]\n [10   0.25]]');
  });

  it('shows shape, dtype and table in console.log', () => {
    expect(inspect(Matrix.fromRows([[1, 2]], { dtype: 'float64' }))).toBe('Matrix 1×2 float64\n[[1  2]]');
  });
});

describe('the allocation limit', () => {
  it('is 1 GB for one matrix: 250 million float32 values or 125 million float64 values', () => {
    expect(MAX_MATRIX_BYTES).toBe(1e9);
    expect(exceedsAllocationLimit(250e6)).toBe(false);
    expect(exceedsAllocationLimit(250e6 + 1)).toBe(true);
    expect(exceedsAllocationLimit(125e6, 'float64')).toBe(false);
    expect(exceedsAllocationLimit(125e6 + 1, 'float64')).toBe(true);
    expect(exceedsAllocationLimit(Number.POSITIVE_INFINITY)).toBe(true);
  });

  it('prints byte counts in the units a reader expects', () => {
    expect([12, 1500, 188e6, 1e9, 4e12, 8e16].map(formatBytes)).toEqual(['12 bytes', '1.5 kB', '188 MB', '1 GB', '4 TB', '80 PB']);
  });

  it('makes a SizeError naming the subject, the size, the element type, the limit and the fix', () => {
    const error = sizeError('op', 1e12, 'float32', 'a big thing', 'values', 'make it smaller');
    expect(error).toBeInstanceOf(SizeError);
    expect(error).toBeInstanceOf(ScratchnetError);
    expect(error.message).toBe('op: a big thing needs 4 TB of float32 values, more than this library allocates for one matrix (limit 1 GB); make it smaller');
  });

  it('refuses a matrix over the limit in the constructor, but wraps existing storage of any size', () => {
    expect(() => new Matrix(1e5, 1e5)).toThrow('Matrix: a 100000×100000 matrix needs 40 GB of float32 values, more than this library allocates for one matrix (limit 1 GB); use smaller sizes, or split the work into batches');
    // Wrapping a typed array allocates nothing, so only a copy into another dtype is checked.
    expect(new Matrix(2, 3, new Float32Array(6)).size).toBe(6);
  });
});
