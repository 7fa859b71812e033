// The Matrix: numbers in rows and columns, stored row-major in one flat typed array,
// so element (r, c) lives at data[r * cols + c]. Introduced in chapter 3 (batches).
// Float32 by default for training speed; Float64 for gradient checks.
import { ShapeError, SizeError } from './errors.ts';
import { formatNumber, formatTable } from './format.ts';

/** The element type of a matrix: 32-bit floats for speed, 64-bit for gradient checks. */
export type DType = 'float32' | 'float64';

/** The typed array behind a matrix. */
export type FloatArray = Float32Array | Float64Array;

/** Options shared by every function that creates a matrix. */
export interface MatrixOptions {
  /** Element type; defaults to 'float32'. */
  dtype?: DType;
}

/**
 * The most bytes one matrix may take (1 GB, 250 million float32 values; MNIST's 60,000 training
 * images take 188 MB). Larger sizes are refused with a SizeError before any memory is asked for,
 * rather than failing inside the engine with a bare "Array buffer allocation failed".
 */
export const MAX_MATRIX_BYTES = 1e9;

/** Bytes per value of each element type. */
export const BYTES_PER_VALUE = { float32: 4, float64: 8 } as const;

/** A byte count in the units a reader expects, e.g. `4 TB`, `188 MB` or `12 bytes`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let unit = 0;
  while (unit < units.length - 1 && bytes >= 1000 ** (unit + 1)) unit += 1;
  return `${formatNumber(bytes / 1000 ** unit, { digits: 3 })} ${units[unit]}`;
}

/** True when `count` values of `dtype` would take more than MAX_MATRIX_BYTES. */
export function exceedsAllocationLimit(count: number, dtype: DType = 'float32'): boolean {
  return !(count * BYTES_PER_VALUE[dtype] <= MAX_MATRIX_BYTES);
}

/** The SizeError for `count` values of `dtype`: "`subject` needs 4 TB of float32 `noun`, more than … (limit 1 GB); `fix`". */
export function sizeError(op: string, count: number, dtype: DType, subject: string, noun: string, fix: string): SizeError {
  const bytes = formatBytes(count * BYTES_PER_VALUE[dtype]);
  return new SizeError(op, `${subject} needs ${bytes} of ${dtype} ${noun}, more than this library allocates for one matrix (limit ${formatBytes(MAX_MATRIX_BYTES)}); ${fix}`);
}

/** Allocates a zeroed typed array of the given element type. */
export function allocate(length: number, dtype: DType = 'float32'): FloatArray {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

/** The element type of a typed array. */
export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

function checkDimension(op: string, name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new ShapeError(op, `${name} must be a whole number of at least 0, not ${String(n)}`);
  }
}

/** A rows × cols grid of numbers over a flat, row-major typed array. */
export class Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: FloatArray;

  /** Wraps `data` (a typed array is shared, not copied) or allocates zeros when it is omitted. */
  constructor(rows: number, cols: number, data?: FloatArray | ArrayLike<number>, options: MatrixOptions = {}) {
    checkDimension('Matrix', 'rows', rows);
    checkDimension('Matrix', 'cols', cols);
    this.rows = rows;
    this.cols = cols;
    const dtype = options.dtype ?? (data instanceof Float64Array ? 'float64' : 'float32');
    if (data !== undefined && data.length !== rows * cols) {
      throw new ShapeError('Matrix', `${data.length} values cannot fill a ${rows}×${cols} matrix, which needs ${rows * cols}`);
    }
    const shareable = (data instanceof Float32Array && dtype === 'float32') || (data instanceof Float64Array && dtype === 'float64');
    if (shareable) {
      this.data = data as FloatArray;
    } else {
      // Checked before asking for memory, so a huge size gets a message rather than a bare RangeError.
      if (exceedsAllocationLimit(rows * cols, dtype)) throw sizeError('Matrix', rows * cols, dtype, `a ${rows}×${cols} matrix`, 'values', 'use smaller sizes, or split the work into batches');
      this.data = data === undefined ? allocate(rows * cols, dtype) : copyInto(allocate(rows * cols, dtype), data);
    }
  }

  /** Builds a matrix from nested arrays, one inner array per row. */
  static fromRows(rows: ReadonlyArray<ArrayLike<number>>, options: MatrixOptions = {}): Matrix {
    if (!Array.isArray(rows)) throw new ShapeError('Matrix.fromRows', 'expects an array of rows, e.g. [[1, 2], [3, 4]]');
    rows.forEach((row, r) => {
      if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
        throw new ShapeError('Matrix.fromRows', `row ${r} is ${JSON.stringify(row)}, not an array of numbers; write one row as [[1, 2, 3]]`);
      }
    });
    const cols = rows.length === 0 ? 0 : rows[0].length;
    const out = new Matrix(rows.length, cols, undefined, options);
    rows.forEach((row, r) => {
      if (row.length !== cols) {
        throw new ShapeError('Matrix.fromRows', `row ${r} has ${row.length} values but row 0 has ${cols}`);
      }
      for (let c = 0; c < cols; c++) {
        const value = row[c];
        if (typeof value !== 'number') {
          throw new ShapeError('Matrix.fromRows', `row ${r}, column ${c} is ${JSON.stringify(value)}, not a number`);
        }
        out.data[r * cols + c] = value;
      }
    });
    return out;
  }

  /** A 1 × n matrix holding `values`: the shape of a bias vector. */
  static rowVector(values: ArrayLike<number>, options: MatrixOptions = {}): Matrix {
    return new Matrix(1, values.length, Array.from(values), options);
  }

  /** An n × 1 matrix holding `values`. */
  static columnVector(values: ArrayLike<number>, options: MatrixOptions = {}): Matrix {
    return new Matrix(values.length, 1, Array.from(values), options);
  }

  /** A rows × cols matrix of zeros. */
  static zeros(rows: number, cols: number, options: MatrixOptions = {}): Matrix {
    return new Matrix(rows, cols, undefined, options);
  }

  /** A rows × cols matrix with every element set to `value`. */
  static full(rows: number, cols: number, value: number, options: MatrixOptions = {}): Matrix {
    const out = new Matrix(rows, cols, undefined, options);
    out.data.fill(value);
    return out;
  }

  /** The element type: 'float32' or 'float64'. */
  get dtype(): DType {
    return dtypeOf(this.data);
  }

  /** The shape as [rows, cols]. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** The number of elements, rows × cols. */
  get size(): number {
    return this.data.length;
  }

  /** The element at row r, column c. */
  get(r: number, c: number): number {
    this.checkIndex('Matrix.get', r, c);
    return this.data[r * this.cols + c];
  }

  /** Sets the element at row r, column c. */
  set(r: number, c: number, value: number): void {
    this.checkIndex('Matrix.set', r, c);
    this.data[r * this.cols + c] = value;
  }

  /** Row r as a plain array. */
  row(r: number): number[] {
    if (!Number.isInteger(r) || r < 0 || r >= this.rows) throw new ShapeError('Matrix.row', `row ${r} is outside a ${this.shapeText} matrix`);
    return Array.from(this.data.subarray(r * this.cols, (r + 1) * this.cols));
  }

  /** The matrix as nested arrays, one per row. */
  toRows(): number[][] {
    const out: number[][] = [];
    for (let r = 0; r < this.rows; r++) out.push(Array.from(this.data.subarray(r * this.cols, (r + 1) * this.cols)));
    return out;
  }

  /** All elements, row after row, as a plain array. */
  toArray(): number[] {
    return Array.from(this.data);
  }

  /** A copy with its own storage. */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** A copy in another element type (or this matrix itself when it already has it). */
  astype(dtype: DType): Matrix {
    return dtype === this.dtype ? this : new Matrix(this.rows, this.cols, this.data, { dtype });
  }

  /** The shape as text, e.g. `3×4`. */
  get shapeText(): string {
    return `${this.rows}×${this.cols}`;
  }

  /** An aligned table of the values, like NumPy prints an array. */
  toString(): string {
    if (this.rows === 0 || this.cols === 0) return `[] (${this.shapeText})`;
    return formatTable(this.toRows(), { dtype: this.dtype });
  }

  /** Makes console.log in Node show the table rather than the object's fields. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Matrix ${this.shapeText} ${this.dtype}\n${this.toString()}`;
  }

  private checkIndex(op: string, r: number, c: number): void {
    if (!Number.isInteger(r) || !Number.isInteger(c) || r < 0 || c < 0 || r >= this.rows || c >= this.cols) {
      throw new ShapeError(op, `index (${r}, ${c}) is outside a ${this.shapeText} matrix`);
    }
  }
}

function copyInto(target: FloatArray, source: ArrayLike<number>): FloatArray {
  for (let i = 0; i < source.length; i++) target[i] = source[i];
  return target;
}
