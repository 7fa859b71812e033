// Operations on vectors and matrices: the dot product (chapter 2), the matrix product and
// transpose (chapter 3), broadcasting a bias row, sums along an axis, and element-wise maps.
// Every op checks shapes first and names itself and both shapes when they do not fit.
import { ScratchnetError, ShapeError } from './errors.ts';
import { Matrix, exceedsAllocationLimit, sizeError, type DType } from './matrix.ts';
import { kernels } from './kernels/kernels.ts';

/** Formats a shape for error messages, e.g. `(3×4)`. */
export function shapeOf(m: Matrix): string {
  return `(${m.rows}×${m.cols})`;
}

/** float64 when either operand is float64, so a gradient check never drops precision. */
function widest(a: Matrix, b?: Matrix): DType {
  return a.dtype === 'float64' || b?.dtype === 'float64' ? 'float64' : 'float32';
}

function checkMatrix(op: string, name: string, m: unknown): asserts m is Matrix {
  if (!(m instanceof Matrix)) throw new ShapeError(op, `${name} must be a Matrix (build one with Matrix.fromRows([[...]])), not ${describe(m)}`);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? (value.constructor?.name ?? 'an object') : typeof value;
}

/** The dot product of two equally long vectors: the sum of their element-wise products. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new ShapeError('dot', `vectors of length ${a.length} and ${b.length} differ in length`);
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i] * b[i];
  return total;
}

/** The SizeError for an op whose result, rows × cols, is too big to allocate: it names the op, the operands and the bytes. */
const productTooLarge = (op: string, operands: string, rows: number, cols: number, dtype: DType): Error =>
  sizeError(op, rows * cols, dtype, `${operands} gives a ${rows}×${cols} matrix, which`, 'values', 'multiply fewer rows at a time');

/** Options for matmul: multiply by a transpose without building it. */
export interface MatmulOptions {
  /** Use aᵀ in place of a. */
  transposeA?: boolean;
  /** Use bᵀ in place of b. */
  transposeB?: boolean;
}

/** The matrix product a · b: (n×k) · (k×m) gives (n×m); each element is a row-column dot product. */
export function matmul(a: Matrix, b: Matrix, options: MatmulOptions = {}): Matrix {
  checkMatrix('matmul', 'the left operand', a);
  checkMatrix('matmul', 'the right operand', b);
  const { transposeA = false, transposeB = false } = options;
  const n = transposeA ? a.cols : a.rows;
  const k = transposeA ? a.rows : a.cols;
  const kB = transposeB ? b.cols : b.rows;
  const m = transposeB ? b.rows : b.cols;
  if (k !== kB) {
    const left = shapeOf(a) + (transposeA ? 'ᵀ' : '');
    const right = shapeOf(b) + (transposeB ? 'ᵀ' : '');
    throw new ShapeError('matmul', `${left} · ${right}: inner dimensions ${k} and ${kB} differ`);
  }
  const dtype = widest(a, b);
  if (exceedsAllocationLimit(n * m, dtype)) throw productTooLarge('matmul', `${shapeOf(a)}${transposeA ? 'ᵀ' : ''} · ${shapeOf(b)}${transposeB ? 'ᵀ' : ''}`, n, m, dtype);
  const out = new Matrix(n, m, undefined, { dtype });
  // The kernels in use do the arithmetic (lib/kernels/). The readable loops add up in float64 and round
  // once; the fast path, for large float32 products, adds up in float32, so its last digits can differ.
  kernels().matmul(a.data, b.data, out.data, n, k, m, transposeA, transposeB);
  return out;
}

/** The transpose: rows become columns, so (n×m) becomes (m×n). */
export function transpose(a: Matrix): Matrix {
  checkMatrix('transpose', 'its argument', a);
  const out = new Matrix(a.cols, a.rows, undefined, { dtype: a.dtype });
  for (let r = 0; r < a.rows; r++) for (let c = 0; c < a.cols; c++) out.data[c * a.rows + r] = a.data[r * a.cols + c];
  return out;
}

/** Adds a (1×m) row vector to every row of an (n×m) matrix: how a layer adds its biases. */
export function addRowVector(a: Matrix, row: Matrix): Matrix {
  checkMatrix('addRowVector', 'the matrix', a);
  checkMatrix('addRowVector', 'the row vector', row);
  if (row.rows !== 1 || row.cols !== a.cols) throw new ShapeError('addRowVector', `${shapeOf(a)} + ${shapeOf(row)}: needs a (1×${a.cols}) row vector`);
  const out = new Matrix(a.rows, a.cols, undefined, { dtype: widest(a, row) });
  for (let r = 0; r < a.rows; r++) {
    const base = r * a.cols;
    for (let c = 0; c < a.cols; c++) out.data[base + c] = a.data[base + c] + row.data[c];
  }
  return out;
}

type Operand = Matrix | number;

/** Applies `f` element by element, broadcasting a scalar, a (1×m) row or an (n×1) column over b's partner. */
function broadcast(op: string, symbol: string, a: Operand, b: Operand, f: (x: number, y: number) => number): Matrix {
  if (typeof a === 'number' && typeof b === 'number') throw new ShapeError(op, 'needs at least one Matrix; for two numbers use plain arithmetic');
  if (typeof a !== 'number') checkMatrix(op, 'the left operand', a);
  if (typeof b !== 'number') checkMatrix(op, 'the right operand', b);
  const [ra, ca] = typeof a === 'number' ? [1, 1] : [a.rows, a.cols];
  const [rb, cb] = typeof b === 'number' ? [1, 1] : [b.rows, b.cols];
  const rows = ra === 1 ? rb : ra;
  const cols = ca === 1 ? cb : ca;
  const index = (x: Operand): ((r: number, c: number) => number) => {
    if (typeof x === 'number') return () => x;
    if (x.rows === rows && x.cols === cols) return (r, c) => x.data[r * cols + c];
    if (x.rows === 1 && x.cols === cols) return (_r, c) => x.data[c];
    if (x.cols === 1 && x.rows === rows) return (r) => x.data[r];
    if (x.rows === 1 && x.cols === 1) return () => x.data[0];
    const left = typeof a === 'number' ? String(a) : shapeOf(a);
    const right = typeof b === 'number' ? String(b) : shapeOf(b);
    throw new ShapeError(op, `${left} ${symbol} ${right}: shapes do not match, and neither is a row, a column or a scalar that can be broadcast`);
  };
  const left = index(a);
  const right = index(b);
  const dtype = (typeof a !== 'number' && a.dtype === 'float64') || (typeof b !== 'number' && b.dtype === 'float64') ? 'float64' : 'float32';
  if (exceedsAllocationLimit(rows * cols, dtype)) throw productTooLarge(op, `${typeof a === 'number' ? a : shapeOf(a)} ${symbol} ${typeof b === 'number' ? b : shapeOf(b)}`, rows, cols, dtype);
  const out = new Matrix(rows, cols, undefined, { dtype });
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out.data[r * cols + c] = f(left(r, c), right(r, c));
  return out;
}

/** Element-wise a + b, broadcasting scalars, rows and columns. */
export function add(a: Operand, b: Operand): Matrix {
  return broadcast('add', '+', a, b, (x, y) => x + y);
}

/** Element-wise a − b, broadcasting scalars, rows and columns. */
export function subtract(a: Operand, b: Operand): Matrix {
  return broadcast('subtract', '−', a, b, (x, y) => x - y);
}

/** Element-wise a × b (not the matrix product), broadcasting scalars, rows and columns. */
export function multiply(a: Operand, b: Operand): Matrix {
  return broadcast('multiply', '×', a, b, (x, y) => x * y);
}

/** Element-wise a ÷ b, broadcasting scalars, rows and columns. */
export function divide(a: Operand, b: Operand): Matrix {
  return broadcast('divide', '÷', a, b, (x, y) => x / y);
}

/** Applies `f(value, row, col)` to every element. */
export function map(a: Matrix, f: (value: number, row: number, col: number) => number): Matrix {
  checkMatrix('map', 'its argument', a);
  const out = new Matrix(a.rows, a.cols, undefined, { dtype: a.dtype });
  for (let r = 0; r < a.rows; r++) for (let c = 0; c < a.cols; c++) out.data[r * a.cols + c] = f(a.data[r * a.cols + c], r, c);
  return out;
}

/** Limits every element to [low, high]. */
export function clip(a: Matrix, low: number, high: number): Matrix {
  if (!(low <= high)) throw new ScratchnetError('clip', `the lower bound ${low} is above the upper bound ${high}`);
  return map(a, (x) => (x < low ? low : x > high ? high : x));
}

/** Sums every element (no axis), each column (axis 0, giving 1×m) or each row (axis 1, giving n×1). */
export function sum(a: Matrix): number;
export function sum(a: Matrix, axis: 0 | 1): Matrix;
export function sum(a: Matrix, axis?: 0 | 1): number | Matrix {
  return reduce('sum', a, axis, 0, (total, x) => total + x);
}

/** The largest element overall, of each column (axis 0) or of each row (axis 1). */
export function max(a: Matrix): number;
export function max(a: Matrix, axis: 0 | 1): Matrix;
export function max(a: Matrix, axis?: 0 | 1): number | Matrix {
  if (a instanceof Matrix && a.size === 0) throw new ShapeError('max', `${shapeOf(a)}: an empty matrix has no largest element`);
  return reduce('max', a, axis, -Infinity, (best, x) => (x > best || Number.isNaN(x) ? x : best));
}

/** The mean of every element, of each column (axis 0) or of each row (axis 1). */
export function mean(a: Matrix): number;
export function mean(a: Matrix, axis: 0 | 1): Matrix;
export function mean(a: Matrix, axis?: 0 | 1): number | Matrix {
  if (a instanceof Matrix && a.size === 0) throw new ShapeError('mean', `${shapeOf(a)}: an empty matrix has no mean`);
  if (axis === undefined) return sum(a) / a.size;
  const totals = reduce('mean', a, axis, 0, (total, x) => total + x) as Matrix;
  const count = axis === 0 ? a.rows : a.cols;
  for (let i = 0; i < totals.size; i++) totals.data[i] /= count;
  return totals;
}

function reduce(op: string, a: Matrix, axis: 0 | 1 | undefined, start: number, f: (acc: number, x: number) => number): number | Matrix {
  checkMatrix(op, 'its argument', a);
  if (axis === undefined) {
    let acc = start;
    for (let i = 0; i < a.size; i++) acc = f(acc, a.data[i]);
    return acc;
  }
  if (axis !== 0 && axis !== 1) throw new ShapeError(op, `axis must be 0 (down the columns) or 1 (along the rows), not ${String(axis)}`);
  const out = axis === 0 ? new Matrix(1, a.cols, undefined, { dtype: a.dtype }) : new Matrix(a.rows, 1, undefined, { dtype: a.dtype });
  out.data.fill(start);
  for (let r = 0; r < a.rows; r++) {
    for (let c = 0; c < a.cols; c++) {
      const i = axis === 0 ? c : r;
      out.data[i] = f(out.data[i], a.data[r * a.cols + c]);
    }
  }
  return out;
}

/** The column index of the largest value in each row: a class prediction per sample. */
export function argmax(a: Matrix): Int32Array {
  checkMatrix('argmax', 'its argument', a);
  if (a.cols === 0) throw new ShapeError('argmax', `${shapeOf(a)}: rows with no columns have no largest value`);
  const out = new Int32Array(a.rows);
  for (let r = 0; r < a.rows; r++) {
    let best = 0;
    for (let c = 1; c < a.cols; c++) if (a.data[r * a.cols + c] > a.data[r * a.cols + best]) best = c;
    out[r] = best;
  }
  return out;
}

/** Rows start (inclusive) to end (exclusive) as a new matrix. */
export function sliceRows(a: Matrix, start: number, end: number): Matrix {
  checkMatrix('sliceRows', 'its argument', a);
  const inside = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= a.rows && start <= end;
  if (!inside) throw new ShapeError('sliceRows', `rows ${start} to ${end} are not a range inside ${shapeOf(a)}`);
  return new Matrix(end - start, a.cols, a.data.slice(start * a.cols, end * a.cols));
}

/** The rows at `indices`, in that order, as a new matrix: how a shuffled batch is gathered. */
export function gatherRows(a: Matrix, indices: ArrayLike<number>): Matrix {
  checkMatrix('gatherRows', 'its argument', a);
  const out = new Matrix(indices.length, a.cols, undefined, { dtype: a.dtype });
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= a.rows) throw new ShapeError('gatherRows', `row index ${r} is outside ${shapeOf(a)}`);
    out.data.set(a.data.subarray(r * a.cols, (r + 1) * a.cols), i * a.cols);
  }
  return out;
}

/** The position of the first NaN or ±Infinity, or undefined when every element is finite. */
export function findNonFinite(a: Matrix): { row: number; col: number; value: number } | undefined {
  for (let i = 0; i < a.size; i++) if (!Number.isFinite(a.data[i])) return { row: Math.floor(i / a.cols), col: i % a.cols, value: a.data[i] };
  return undefined;
}

/** True when both matrices have the same shape. */
export function sameShape(a: Matrix, b: Matrix): boolean {
  return a.rows === b.rows && a.cols === b.cols;
}

/** Throws a ShapeError naming `op` unless a and b have the same shape. */
export function assertSameShape(op: string, a: Matrix, b: Matrix, what = 'shapes'): void {
  if (!sameShape(a, b)) throw new ShapeError(op, `${shapeOf(a)} and ${shapeOf(b)}: ${what} differ`);
}

