// Checks the operations on vectors and matrices against the book's worked examples
// (a neuron, a layer, a batch) and small products worked out by hand, the ShapeError
// each mismatch raises, and that float64 operands keep their precision.
import { describe, expect, it } from 'vitest';
import { shapeErrorMessage } from '../support/expect.ts';
import { ScratchnetError, ShapeError } from '../../lib/errors.ts';
import { Matrix } from '../../lib/matrix.ts';
import {
  add,
  addRowVector,
  argmax,
  assertSameShape,
  clip,
  divide,
  dot,
  findNonFinite,
  gatherRows,
  map,
  matmul,
  max,
  mean,
  multiply,
  sameShape,
  shapeOf,
  sliceRows,
  subtract,
  sum,
  transpose,
} from '../../lib/ops.ts';

/** Expects each value to match within float32 tolerance: 1e-5, relative to values above 1. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    if (!(error <= tolerance * Math.max(1, Math.abs(expected[i])))) {
      throw new Error(`element ${i} is ${actual[i]}, expected ${expected[i]} (±${tolerance})`);
    }
  }
}

/** Expects a matrix of the given rows, within float32 tolerance. */
function expectRows(m: Matrix, rows: number[][]): void {
  expect(m.shape).toEqual([rows.length, rows.length === 0 ? 0 : rows[0].length]);
  expectClose(m.data, rows.flat());
}


// The book's worked examples (chapters 1 to 3).
const inputs = [1, 2, 3, 2.5];
const weightRows = [
  [0.2, 0.8, -0.5, 1],
  [0.5, -0.91, 0.26, -0.5],
  [-0.26, -0.27, 0.17, 0.87],
];
const biases = [2, 3, 0.5];
const batch = [
  [1, 2, 3, 2.5],
  [2, 5, -1, 2],
  [-1.5, 2.7, 3.3, -0.8],
];
// Worked by hand, one neuron per column:
//   row 0:  0.2+1.6−1.5+2.5+2 = 4.8     0.5−1.82+0.78−1.25+3 = 1.21     −0.26−0.54+0.51+2.175+0.5 = 2.385
//   row 1:  0.4+4+0.5+2+2 = 8.9         1−4.55−0.26−1+3 = −1.81          −0.52−1.35−0.17+1.74+0.5 = 0.2
//   row 2:  −0.3+2.16−1.65−0.8+2 = 1.41  −0.75−2.457+0.858+0.4+3 = 1.051  0.39−0.729+0.561−0.696+0.5 = 0.026
const batchOutputs = [
  [4.8, 1.21, 2.385],
  [8.9, -1.81, 0.2],
  [1.41, 1.051, 0.026],
];

// Small integer matrices, exact in float32:
//   A · B = [[1·7+2·9+3·11, 1·8+2·10+3·12], [4·7+5·9+6·11, 4·8+5·10+6·12]] = [[58, 64], [139, 154]]
const A = Matrix.fromRows([
  [1, 2, 3],
  [4, 5, 6],
]);
const B = Matrix.fromRows([
  [7, 8],
  [9, 10],
  [11, 12],
]);
const AB = [
  [58, 64],
  [139, 154],
];

describe('dot', () => {
  it('computes the book\'s single neuron: inputs · weights + bias = 4.8', () => {
    // 1·0.2 + 2·0.8 + 3·(−0.5) + 2.5·1.0 = 2.8, plus the bias 2.
    expect(dot([1, 2, 3, 2.5], [0.2, 0.8, -0.5, 1.0]) + 2).toBeCloseTo(4.8, 12);
  });

  it('computes a layer of three neurons, one dot product per neuron', () => {
    const outputs = weightRows.map((w, i) => dot(inputs, w) + biases[i]);
    expectClose(outputs, [4.8, 1.21, 2.385], 1e-12);
  });

  it('takes typed arrays', () => {
    // 1·4 + 2·5 + 3·6 = 32
    expect(dot(new Float32Array([1, 2, 3]), new Int32Array([4, 5, 6]))).toBe(32);
  });

  it('gives 0 for two empty vectors', () => {
    expect(dot([], [])).toBe(0);
  });

  it('refuses vectors of different lengths, naming both lengths', () => {
    expect(shapeErrorMessage(() => dot([1, 2, 3, 2.5], [0.2, 0.8, -0.5]))).toBe('dot: vectors of length 4 and 3 differ in length');
  });
});

describe('transpose', () => {
  it('turns a (2×3) matrix into a (3×2) matrix', () => {
    const t = transpose(A);
    expect(t.shape).toEqual([3, 2]);
    expect(t.toRows()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });

  it('returns a new matrix and leaves its argument alone', () => {
    const t = transpose(A);
    t.set(0, 0, 100);
    expect(A.get(0, 0)).toBe(1);
  });

  it('turns a row vector into a column vector', () => {
    expect(transpose(Matrix.rowVector([1, 2, 3])).toRows()).toEqual([[1], [2], [3]]);
  });

  it('keeps float64', () => {
    expect(transpose(Matrix.zeros(2, 3, { dtype: 'float64' })).dtype).toBe('float64');
  });

  it('refuses something that is not a Matrix', () => {
    expect(shapeErrorMessage(() => transpose([[1, 2]] as unknown as Matrix))).toBe(
      'transpose: its argument must be a Matrix (build one with Matrix.fromRows([[...]])), not an array',
    );
  });
});

describe('matmul', () => {
  it('multiplies a (2×3) by a (3×2) matrix into a (2×2) matrix', () => {
    const product = matmul(A, B);
    expect(product.shape).toEqual([2, 2]);
    expect(product.toRows()).toEqual(AB);
  });

  it('multiplies a (3×2) by a (2×3) matrix into a (3×3) matrix', () => {
    // B · A: row i of B against column j of A, e.g. 7·1 + 8·4 = 39, 11·3 + 12·6 = 105.
    expect(matmul(B, A).toRows()).toEqual([
      [39, 54, 69],
      [49, 68, 87],
      [59, 82, 105],
    ]);
  });

  it('skips zeros in the left operand without changing the result', () => {
    // [[0, 2, 0], [4, 0, 6]] · B = [[2·9, 2·10], [4·7+6·11, 4·8+6·12]] = [[18, 20], [94, 104]]
    const sparse = Matrix.fromRows([
      [0, 2, 0],
      [4, 0, 6],
    ]);
    expect(matmul(sparse, B).toRows()).toEqual([
      [18, 20],
      [94, 104],
    ]);
    expect(matmul(transpose(sparse), B, { transposeA: true }).toRows()).toEqual([
      [18, 20],
      [94, 104],
    ]);
  });

  it('computes the book\'s layer of three neurons as inputs · weightsᵀ + biases', () => {
    // In scratchnet weights are shaped inputs × outputs, so the book's rows-per-neuron are transposed.
    const weights = transpose(Matrix.fromRows(weightRows));
    expect(weights.shape).toEqual([4, 3]);
    const output = addRowVector(matmul(Matrix.rowVector(inputs), weights), Matrix.rowVector(biases));
    expectRows(output, [[4.8, 1.21, 2.385]]);
  });

  it('computes the book\'s batch of three samples through that layer', () => {
    const weights = transpose(Matrix.fromRows(weightRows));
    const output = addRowVector(matmul(Matrix.fromRows(batch), weights), Matrix.rowVector(biases));
    expectRows(output, batchOutputs);
  });

  it('agrees with the per-neuron dot products on the batch', () => {
    const viaDot = batch.map((x) => weightRows.map((w, j) => dot(x, w) + biases[j]));
    expectClose(viaDot.flat(), batchOutputs.flat(), 1e-12);
  });

  it('uses aᵀ with { transposeA: true }, agreeing with an explicit transpose', () => {
    const At = transpose(A); // stored (3×2)
    expect(matmul(At, B, { transposeA: true }).toRows()).toEqual(AB);
    expect(matmul(At, B, { transposeA: true }).toRows()).toEqual(matmul(transpose(At), B).toRows());
  });

  it('uses bᵀ with { transposeB: true }, agreeing with an explicit transpose', () => {
    const Bt = transpose(B); // stored (2×3)
    expect(matmul(A, Bt, { transposeB: true }).toRows()).toEqual(AB);
    expect(matmul(A, Bt, { transposeB: true }).toRows()).toEqual(matmul(A, transpose(Bt)).toRows());
  });

  it('uses both transposes together', () => {
    expect(matmul(transpose(A), transpose(B), { transposeA: true, transposeB: true }).toRows()).toEqual(AB);
  });

  it('computes the book\'s batch with the weights in the book\'s layout and { transposeB: true }', () => {
    const output = addRowVector(matmul(Matrix.fromRows(batch), Matrix.fromRows(weightRows), { transposeB: true }), Matrix.rowVector(biases));
    expectRows(output, batchOutputs);
  });

  it('multiplies an empty batch into an empty result', () => {
    expect(matmul(Matrix.zeros(0, 3), B).shape).toEqual([0, 2]);
  });

  it('refuses inner dimensions that differ, naming both shapes', () => {
    const x = Matrix.fromRows(batch); // (3×4)
    expect(shapeErrorMessage(() => matmul(x, Matrix.zeros(3, 3)))).toBe('matmul: (3×4) · (3×3): inner dimensions 4 and 3 differ');
  });

  it('marks a transposed operand with ᵀ in the error', () => {
    expect(shapeErrorMessage(() => matmul(A, B, { transposeB: true }))).toBe('matmul: (2×3) · (3×2)ᵀ: inner dimensions 3 and 2 differ');
    expect(shapeErrorMessage(() => matmul(A, B, { transposeA: true }))).toBe('matmul: (2×3)ᵀ · (3×2): inner dimensions 2 and 3 differ');
  });

  it('refuses an operand that is not a Matrix', () => {
    const message = shapeErrorMessage(() => matmul([[1, 2]] as unknown as Matrix, B));
    expect(message).toBe('matmul: the left operand must be a Matrix (build one with Matrix.fromRows([[...]])), not an array');
    expect(shapeErrorMessage(() => matmul(A, null as unknown as Matrix))).toContain('the right operand must be a Matrix');
  });
});

describe('addRowVector', () => {
  it('adds the biases to every row of a batch', () => {
    // [[1, 2, 3], [4, 5, 6]] + [10, 20, 30] = [[11, 22, 33], [14, 25, 36]]
    expect(addRowVector(A, Matrix.rowVector([10, 20, 30])).toRows()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
  });

  it('leaves both arguments alone', () => {
    const row = Matrix.rowVector([10, 20, 30]);
    addRowVector(A, row);
    expect(A.row(0)).toEqual([1, 2, 3]);
    expect(row.row(0)).toEqual([10, 20, 30]);
  });

  it('refuses a row vector of the wrong length, naming both shapes and the one it needs', () => {
    expect(shapeErrorMessage(() => addRowVector(Matrix.zeros(3, 3), Matrix.rowVector([1, 2])))).toBe(
      'addRowVector: (3×3) + (1×2): needs a (1×3) row vector',
    );
  });

  it('refuses a column vector even when its length matches', () => {
    expect(shapeErrorMessage(() => addRowVector(Matrix.zeros(3, 3), Matrix.columnVector([1, 2, 3])))).toBe(
      'addRowVector: (3×3) + (3×1): needs a (1×3) row vector',
    );
  });
});

describe('add, subtract, multiply and divide', () => {
  const C = Matrix.fromRows([
    [10, 20, 30],
    [40, 50, 60],
  ]);
  const row = Matrix.rowVector([10, 20, 30]);
  const column = Matrix.columnVector([1, 10]);

  it('combine a matrix with a scalar on either side', () => {
    expect(add(A, 10).toRows()).toEqual([
      [11, 12, 13],
      [14, 15, 16],
    ]);
    expect(subtract(10, A).toRows()).toEqual([
      [9, 8, 7],
      [6, 5, 4],
    ]);
    expect(multiply(2, A).toRows()).toEqual([
      [2, 4, 6],
      [8, 10, 12],
    ]);
    expect(divide(A, 4).toRows()).toEqual([
      [0.25, 0.5, 0.75],
      [1, 1.25, 1.5],
    ]);
  });

  it('combine two matrices of the same shape element by element', () => {
    expect(add(A, C).toRows()).toEqual([
      [11, 22, 33],
      [44, 55, 66],
    ]);
    expect(subtract(A, C).toRows()).toEqual([
      [-9, -18, -27],
      [-36, -45, -54],
    ]);
    expect(multiply(A, C).toRows()).toEqual([
      [10, 40, 90],
      [160, 250, 360],
    ]);
    expect(divide(C, A).toRows()).toEqual([
      [10, 10, 10],
      [10, 10, 10],
    ]);
  });

  it('broadcast a (1×3) row over every row, on either side', () => {
    expect(add(A, row).toRows()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect(subtract(row, A).toRows()).toEqual([
      [9, 18, 27],
      [6, 15, 24],
    ]);
  });

  it('broadcast a (2×1) column over every column, on either side', () => {
    expect(multiply(A, column).toRows()).toEqual([
      [1, 2, 3],
      [40, 50, 60],
    ]);
    expect(divide(Matrix.columnVector([6, 60]), Matrix.fromRows([[1, 2, 3], [4, 5, 6]])).toRows()).toEqual([
      [6, 3, 2],
      [15, 12, 10],
    ]);
  });

  it('broadcast a (1×1) matrix like a scalar', () => {
    expect(subtract(A, Matrix.full(1, 1, 1)).toRows()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  it('divide by zero into ±Infinity and NaN, as floating point does', () => {
    expect(divide(Matrix.rowVector([1, -1, 0]), 0).toArray()).toEqual([Infinity, -Infinity, NaN]);
  });

  it('leave their operands alone', () => {
    add(A, C);
    expect(A.toRows()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('refuse two matrices that cannot be broadcast, naming the op and both shapes', () => {
    const tall = Matrix.zeros(3, 2);
    expect(shapeErrorMessage(() => add(A, tall))).toBe(
      'add: (2×3) + (3×2): shapes do not match, and neither is a row, a column or a scalar that can be broadcast',
    );
    expect(shapeErrorMessage(() => subtract(A, tall))).toMatch(/^subtract: \(2×3\) − \(3×2\): /);
    expect(shapeErrorMessage(() => multiply(A, Matrix.rowVector([1, 2])))).toMatch(/^multiply: \(2×3\) × \(1×2\): /);
    expect(shapeErrorMessage(() => divide(A, Matrix.columnVector([1, 2, 3])))).toMatch(/^divide: \(2×3\) ÷ \(3×1\): /);
  });

  it('refuse two plain numbers', () => {
    expect(shapeErrorMessage(() => add(1, 2))).toBe('add: needs at least one Matrix; for two numbers use plain arithmetic');
  });

  it('refuse an array in place of a Matrix', () => {
    expect(shapeErrorMessage(() => multiply(A, [[1, 2, 3]] as unknown as Matrix))).toBe(
      'multiply: the right operand must be a Matrix (build one with Matrix.fromRows([[...]])), not an array',
    );
  });

  // Rough edge: the output shape is taken from the operand with more elements, so an empty
  // batch (0×3) loses to the (1×3) row and the row then fails to broadcast over itself.
  it('broadcast a (1×3) row over an empty (0×3) batch into a (0×3) result', () => {
    expect(add(Matrix.zeros(0, 3), row).shape).toEqual([0, 3]);
  });
});

describe('float64 propagation', () => {
  const wide = Matrix.fromRows([[0.1, 0.2]], { dtype: 'float64' });
  const narrow = Matrix.fromRows([[0.1, 0.2]]);

  it('gives float32 when every operand is float32', () => {
    expect(add(narrow, narrow).dtype).toBe('float32');
    expect(matmul(narrow, transpose(narrow)).dtype).toBe('float32');
  });

  it('gives float64 when either operand of a broadcasting op is float64', () => {
    expect(add(narrow, wide).dtype).toBe('float64');
    expect(multiply(wide, narrow).dtype).toBe('float64');
    expect(subtract(1, wide).dtype).toBe('float64');
  });

  it('gives float64 from matmul and addRowVector with one float64 operand', () => {
    expect(matmul(narrow, transpose(wide)).dtype).toBe('float64');
    expect(matmul(wide, narrow, { transposeB: true }).dtype).toBe('float64');
    expect(addRowVector(narrow, wide).dtype).toBe('float64');
    expect(addRowVector(wide, narrow).dtype).toBe('float64');
  });

  it('keeps float64 precision: 0.1 + 0.2 is the double 0.30000000000000004', () => {
    expect(add(wide, 0.2).get(0, 0)).toBe(0.30000000000000004);
  });

  it('rounds a float32 result to the float32 nearest 0.3, 10066330 · 2⁻²⁵', () => {
    // 0.3 · 2²⁵ = 10066329.6, so the nearest float32 is 10066330 / 33554432 = 0.300000011920928955078125.
    expect(add(narrow, 0.2).get(0, 0)).toBe(0.300000011920928955078125);
  });

  it('keeps float64 through map, clip, sum along an axis, sliceRows and gatherRows', () => {
    expect(map(wide, (x) => x).dtype).toBe('float64');
    expect(clip(wide, 0, 1).dtype).toBe('float64');
    expect(sum(wide, 0).dtype).toBe('float64');
    expect(mean(wide, 1).dtype).toBe('float64');
    expect(sliceRows(wide, 0, 1).dtype).toBe('float64');
    expect(gatherRows(wide, [0]).dtype).toBe('float64');
  });
});

describe('sum, mean and max', () => {
  const M = Matrix.fromRows([
    [1, -2, 3],
    [4, 5, -6],
  ]);

  it('sum every element with no axis', () => {
    // 1 − 2 + 3 + 4 + 5 − 6 = 5
    expect(sum(M)).toBe(5);
  });

  it('sum down the columns with axis 0, giving (1×3)', () => {
    expect(sum(M, 0).toRows()).toEqual([[5, 3, -3]]);
  });

  it('sum along the rows with axis 1, giving (2×1)', () => {
    expect(sum(M, 1).toRows()).toEqual([[2], [3]]);
  });

  it('sum an empty matrix to 0', () => {
    expect(sum(Matrix.zeros(0, 3))).toBe(0);
  });

  it('average every element with no axis', () => {
    // 5 / 6
    expect(mean(M)).toBeCloseTo(0.8333333333, 9);
  });

  it('average down the columns with axis 0', () => {
    expect(mean(M, 0).toRows()).toEqual([[2.5, 1.5, -1.5]]);
  });

  it('average along the rows with axis 1', () => {
    // 2 / 3 and 3 / 3
    expectRows(mean(M, 1), [[0.6666667], [1]]);
  });

  it('find the largest element with no axis', () => {
    expect(max(M)).toBe(5);
  });

  it('find the largest of each column with axis 0 and of each row with axis 1', () => {
    expect(max(M, 0).toRows()).toEqual([[4, 5, 3]]);
    expect(max(M, 1).toRows()).toEqual([[3], [5]]);
  });

  it('find the largest element when every element is negative', () => {
    const negative = Matrix.fromRows([
      [-3, -1],
      [-2, -7],
    ]);
    expect(max(negative)).toBe(-1);
    expect(max(negative, 1).toRows()).toEqual([[-1], [-2]]);
  });

  it('let NaN win max, as NumPy does, so a diverged value is not hidden', () => {
    expect(max(Matrix.rowVector([1, Number.NaN, 3]))).toBeNaN();
    expect(max(Matrix.rowVector([Number.NaN, 1, 3]))).toBeNaN();
  });

  it('refuse an axis other than 0 or 1', () => {
    expect(shapeErrorMessage(() => sum(M, 2 as 0))).toBe('sum: axis must be 0 (down the columns) or 1 (along the rows), not 2');
    expect(shapeErrorMessage(() => max(M, -1 as 0))).toMatch(/^max: axis must be 0/);
  });

  // Rough edge: mean delegates to sum, so the error names `sum`, an op the reader never called.
  it('name mean, not sum, when mean gets a bad axis', () => {
    expect(shapeErrorMessage(() => mean(M, 2 as 0))).toMatch(/^mean: axis must be 0/);
  });

  it('refuse an empty matrix for max and mean, naming the shape', () => {
    expect(shapeErrorMessage(() => max(Matrix.zeros(0, 3)))).toBe('max: (0×3): an empty matrix has no largest element');
    expect(shapeErrorMessage(() => mean(Matrix.zeros(2, 0)))).toBe('mean: (2×0): an empty matrix has no mean');
    expect(shapeErrorMessage(() => mean(Matrix.zeros(0, 2), 0))).toBe('mean: (0×2): an empty matrix has no mean');
  });
});

describe('argmax', () => {
  it('gives the column of the largest value in each row: a class prediction per sample', () => {
    const scores = Matrix.fromRows([
      [0.1, 0.7, 0.2],
      [0.5, 0.1, 0.4],
      [0.2, 0.2, 0.6],
    ]);
    const predictions = argmax(scores);
    expect(predictions).toBeInstanceOf(Int32Array);
    expect(Array.from(predictions)).toEqual([1, 0, 2]);
  });

  it('picks the first of equal largest values, as NumPy does', () => {
    expect(Array.from(argmax(Matrix.fromRows([[0.3, 0.3, 0.1], [-1, -1, -1]])))).toEqual([0, 0]);
  });

  it('gives no predictions for no rows', () => {
    expect(argmax(Matrix.zeros(0, 3)).length).toBe(0);
  });

  it('refuses rows with no columns, naming the shape', () => {
    expect(shapeErrorMessage(() => argmax(Matrix.zeros(2, 0)))).toBe('argmax: (2×0): rows with no columns have no largest value');
  });
});

describe('clip', () => {
  it('limits every element to [low, high]', () => {
    expect(clip(Matrix.fromRows([[-2, 0.5, 3], [0, 1, 1.5]]), 0, 1).toRows()).toEqual([
      [0, 0.5, 1],
      [0, 1, 1],
    ]);
  });

  it('keeps predictions inside the book\'s [1e−7, 1 − 1e−7] before a log', () => {
    const clipped = clip(Matrix.rowVector([0, 0.5, 1]), 1e-7, 1 - 1e-7);
    expect(clipped.get(0, 0)).toBeGreaterThan(0);
    expect(clipped.get(0, 0)).toBeCloseTo(1e-7, 12);
    expect(clipped.get(0, 1)).toBe(0.5);
    expect(clipped.get(0, 2)).toBeLessThan(1);
    expect(clipped.get(0, 2)).toBeCloseTo(0.9999999, 7);
  });

  it('refuses a lower bound above the upper bound', () => {
    // Not a shape problem, so a plain ScratchnetError rather than a ShapeError.
    expect(() => clip(A, 1, 0)).toThrow(new ScratchnetError('clip', 'the lower bound 1 is above the upper bound 0'));
    expect(() => clip(A, 1, 0)).not.toThrow(ShapeError);
  });
});

describe('map', () => {
  it('applies a function of (value, row, col) to every element', () => {
    // value + 10·row + 100·col
    const m = map(
      Matrix.fromRows([
        [1, 2],
        [3, 4],
      ]),
      (value, row, col) => value + 10 * row + 100 * col,
    );
    expect(m.toRows()).toEqual([
      [1, 102],
      [13, 114],
    ]);
  });

  it('returns a new matrix and leaves its argument alone', () => {
    const m = map(A, (x) => -x);
    expect(m.toRows()).toEqual([
      [-1, -2, -3],
      [-4, -5, -6],
    ]);
    expect(A.get(0, 0)).toBe(1);
  });

  it('refuses something that is not a Matrix', () => {
    expect(shapeErrorMessage(() => map(3 as unknown as Matrix, (x) => x))).toBe(
      'map: its argument must be a Matrix (build one with Matrix.fromRows([[...]])), not number',
    );
  });
});

describe('sliceRows and gatherRows', () => {
  const M = Matrix.fromRows([
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8],
  ]);

  it('slices rows 1 to 3 (end exclusive) of a (4×2) matrix into a (2×2) matrix', () => {
    expect(sliceRows(M, 1, 3).toRows()).toEqual([
      [3, 4],
      [5, 6],
    ]);
  });

  it('slices into independent storage', () => {
    const slice = sliceRows(M, 0, 1);
    slice.set(0, 0, 100);
    expect(M.get(0, 0)).toBe(1);
  });

  it('slices an empty range into a (0×2) matrix', () => {
    expect(sliceRows(M, 2, 2).shape).toEqual([0, 2]);
  });

  it('refuses a range outside the matrix, naming it and the shape', () => {
    expect(shapeErrorMessage(() => sliceRows(M, 3, 5))).toBe('sliceRows: rows 3 to 5 are not a range inside (4×2)');
    expect(shapeErrorMessage(() => sliceRows(M, 2, 1))).toBe('sliceRows: rows 2 to 1 are not a range inside (4×2)');
    expect(shapeErrorMessage(() => sliceRows(M, -1, 2))).toBe('sliceRows: rows -1 to 2 are not a range inside (4×2)');
    expect(shapeErrorMessage(() => sliceRows(M, 0.5, 2))).toBe('sliceRows: rows 0.5 to 2 are not a range inside (4×2)');
  });

  it('gathers rows in the order given, repeats allowed', () => {
    expect(gatherRows(M, [3, 0, 0]).toRows()).toEqual([
      [7, 8],
      [1, 2],
      [1, 2],
    ]);
  });

  it('gathers rows by a typed array of indices', () => {
    expect(gatherRows(M, new Int32Array([2, 1])).toRows()).toEqual([
      [5, 6],
      [3, 4],
    ]);
  });

  it('gathers no rows into a (0×2) matrix', () => {
    expect(gatherRows(M, []).shape).toEqual([0, 2]);
  });

  it('refuses a row index outside the matrix, naming it and the shape', () => {
    expect(shapeErrorMessage(() => gatherRows(M, [0, 4]))).toBe('gatherRows: row index 4 is outside (4×2)');
    expect(shapeErrorMessage(() => gatherRows(M, [-1]))).toBe('gatherRows: row index -1 is outside (4×2)');
    expect(shapeErrorMessage(() => gatherRows(M, [1.5]))).toBe('gatherRows: row index 1.5 is outside (4×2)');
  });
});

describe('findNonFinite', () => {
  it('finds the first NaN, with its row and column', () => {
    const found = findNonFinite(
      Matrix.fromRows([
        [1, 2],
        [3, Number.NaN],
      ]),
    );
    expect(found?.row).toBe(1);
    expect(found?.col).toBe(1);
    expect(found?.value).toBeNaN();
  });

  it('finds the first infinity in row-major order', () => {
    expect(
      findNonFinite(
        Matrix.fromRows([
          [1, -Infinity],
          [Infinity, 4],
        ]),
      ),
    ).toEqual({ row: 0, col: 1, value: -Infinity });
  });

  it('finds a value too large for float32, which overflows to Infinity', () => {
    // float32 tops out near 3.4e38
    expect(findNonFinite(Matrix.fromRows([[1, 2, 1e39]]))).toEqual({ row: 0, col: 2, value: Infinity });
  });

  it('gives undefined when every element is finite', () => {
    expect(findNonFinite(A)).toBeUndefined();
  });
});

describe('shapeOf, sameShape and assertSameShape', () => {
  it('writes a shape in parentheses', () => {
    expect(shapeOf(Matrix.zeros(3, 4))).toBe('(3×4)');
  });

  it('compares shapes, not values', () => {
    expect(sameShape(A, Matrix.zeros(2, 3))).toBe(true);
    expect(sameShape(A, Matrix.zeros(3, 2))).toBe(false);
  });

  it('throws a ShapeError naming the caller and both shapes', () => {
    expect(shapeErrorMessage(() => assertSameShape('loss', A, B))).toBe('loss: (2×3) and (3×2): shapes differ');
    expect(shapeErrorMessage(() => assertSameShape('loss', A, B, 'predictions and targets'))).toBe(
      'loss: (2×3) and (3×2): predictions and targets differ',
    );
    expect(() => assertSameShape('loss', A, Matrix.zeros(2, 3))).not.toThrow();
  });
});
