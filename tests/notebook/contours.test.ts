// Checks the contour maps' numbers (site/notebook/contours.ts): marching squares finds a circle's
// iso-line at its radius, as one closed line; lines stop at holes and at the grid's edge; saddles
// and plateaus are drawn without gaps; levels are spaced evenly or geometrically; bands count levels.
import { describe, expect, it } from 'vitest';
import { bands, contourLevels, isoLines } from '../../site/notebook/contours.ts';

/** f on an n × n grid of points over [−2, 2]², row 0 at the top, and the map from grid units back to (x, y). */
function grid(f: (x: number, y: number) => number, n: number): { values: number[]; at: (point: [number, number]) => [number, number] } {
  const coordinate = (k: number): number => -2 + (4 * k) / (n - 1);
  const values = Array.from({ length: n * n }, (_, i) => f(coordinate(i % n), -coordinate(Math.floor(i / n))));
  return { values, at: ([col, row]) => [coordinate(col), -coordinate(row)] };
}

describe('isoLines', () => {
  it('finds a circle’s iso-line at its radius, as one closed line', () => {
    const { values, at } = grid((x, y) => x * x + y * y, 81);
    const lines = isoLines(values, 81, 81, 1);
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line.length).toBeGreaterThan(100);
    expect(line[0]).toEqual(line[line.length - 1]);
    for (const point of line) expect(Math.hypot(...at(point))).toBeCloseTo(1, 2);
  });

  it('finds two lines for two separate hills, and none for a level above every value', () => {
    const { values } = grid((x, y) => Math.exp(-((x - 1) ** 2 + y * y) * 4) + Math.exp(-((x + 1) ** 2 + y * y) * 4), 41);
    expect(isoLines(values, 41, 41, 0.5)).toHaveLength(2);
    expect(isoLines(values, 41, 41, 5)).toEqual([]);
  });

  it('leaves a line open where it meets the grid’s edge', () => {
    const { values } = grid((x) => x, 21);
    const lines = isoLines(values, 21, 21, 0.5);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toHaveLength(21); // one point per row: a straight line from top to bottom
    expect(new Set(lines[0].map(([col]) => col))).toEqual(new Set([12.5]));
  });

  it('joins a saddle’s corners by its centre: two lines either way, never crossing', () => {
    // Corners 1 0 / 0 1: the centre (0.5) is above a level of 0.4 and below 0.6.
    const values = [1, 0, 0, 1];
    for (const level of [0.4, 0.6]) {
      const lines = isoLines(values, 2, 2, level);
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line).toHaveLength(2);
    }
    // Below the centre, each line cuts off a corner under the level, (1, 0) or (0, 1): both its ends on one side of the diagonal col = row.
    const low = isoLines(values, 2, 2, 0.4);
    expect(low.flat().sort()).toEqual([[0, 0.6], [0.6, 0], [0.4, 1], [1, 0.4]].sort());
    for (const [a, b] of low) expect(Math.sign(a[0] - a[1])).toBe(Math.sign(b[0] - b[1]));
    // Above the centre, each cuts off a corner over the level, (0, 0) or (1, 1): both ends on one side of col + row = 1.
    for (const [a, b] of isoLines(values, 2, 2, 0.6)) expect(Math.sign(a[0] + a[1] - 1)).toBe(Math.sign(b[0] + b[1] - 1));
  });

  it('draws no line through a cell with a value that is not finite', () => {
    // The NaN at column 0, row 1 touches both cells of the left column; only the right column draws.
    const values = [0, 1, 0, NaN, 1, 0, 0, 1, 0];
    const points = isoLines(values, 3, 3, 0.5).flat();
    expect(points.length).toBeGreaterThan(0);
    expect(points.every(([col]) => col >= 1)).toBe(true);
    expect(isoLines([0, 1, 0, 0, 1, 0, 0, 1, 0], 3, 3, 0.5).flat().some(([col]) => col < 1)).toBe(true);
  });
});

describe('contourLevels', () => {
  it('spaces levels evenly strictly between the lowest and highest finite values', () => {
    expect(contourLevels([0, NaN, 10, Infinity], 4)).toEqual([2, 4, 6, 8]);
  });

  it('spaces log levels geometrically, from the smallest positive value but no lower than a millionth of the highest', () => {
    contourLevels([0.01, 100, 1], 3, true).forEach((level, i) => expect(level).toBeCloseTo([0.1, 1, 10][i], 9));
    const fromZero = contourLevels([0, 1e-12, 1], 5, true);
    expect(fromZero[0]).toBeCloseTo(1e-5, 12);
    fromZero.forEach((level, i) => expect(level).toBeCloseTo(10 ** (-5 + i), 12));
  });

  it('gives no levels for a flat function or one without positive values on a log scale', () => {
    expect(contourLevels([3, 3], 5)).toEqual([]);
    expect(contourLevels([-3, -1], 5, true)).toEqual([]);
  });
});

describe('bands', () => {
  it('counts the levels at or below each value, puts +Infinity in the top band and NaN in none', () => {
    expect(Array.from(bands([0, 1, 1.5, 3, Infinity, NaN, -Infinity], [1, 2], 9))).toEqual([0, 1, 1, 2, 2, 9, 0]);
  });
});
