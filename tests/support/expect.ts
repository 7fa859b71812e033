// Comparison helpers for worked numerical examples: a matrix (or a plain array) against
// literal expected numbers, element by element, within a tolerance that is absolute below 1
// and relative above it, so float32 results of larger magnitude are judged fairly; and what a
// call threw, for the bad-input tests.
import { expect } from 'vitest';
import { ShapeError } from '../../lib/errors.ts';
import { Matrix } from '../../lib/matrix.ts';

/** |actual − expected| ≤ tolerance · max(1, |expected|); NaN never matches a number. */
function close(actual: number, expected: number, tolerance: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
}

/** Asserts that `actual` has the shape of `expectedRows` and that every element is close to it. */
export function expectMatrixClose(actual: Matrix | ReadonlyArray<ArrayLike<number>>, expectedRows: ReadonlyArray<ReadonlyArray<number>>, tolerance = 1e-6): void {
  const rows = actual instanceof Matrix ? actual.toRows() : actual.map((row) => Array.from(row));
  const shape = (m: ReadonlyArray<ArrayLike<number>>): string => `${m.length}×${m.length === 0 ? 0 : m[0].length}`;
  expect(shape(rows), 'shape').toBe(shape(expectedRows));
  const mismatches: string[] = [];
  expectedRows.forEach((expectedRow, r) => {
    expect(rows[r].length, `length of row ${r}`).toBe(expectedRow.length);
    expectedRow.forEach((expected, c) => {
      const value = rows[r][c];
      if (!close(value, expected, tolerance)) mismatches.push(`(${r}, ${c}): got ${value}, expected ${expected}`);
    });
  });
  expect(mismatches, `elements differing by more than ${tolerance}`).toEqual([]);
}

/** Asserts that a flat list of numbers matches `expected` element by element. */
export function expectArrayClose(actual: ArrayLike<number>, expected: ReadonlyArray<number>, tolerance = 1e-6): void {
  expectMatrixClose([Array.from(actual)], [expected], tolerance);
}

/** Runs `f`, expects it to throw a ShapeError, and returns its message. */
export function shapeErrorMessage(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ShapeError);
    return (error as ShapeError).message;
  }
  throw new Error('expected a ShapeError, but nothing was thrown');
}

/** What `attempt` threw, or a marker error when it threw nothing. */
export function thrown(attempt: () => unknown): unknown {
  try {
    attempt();
  } catch (error) {
    return error;
  }
  return new Error('nothing was thrown');
}
