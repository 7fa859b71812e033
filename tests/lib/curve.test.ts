// describeLossCurve on curves worked out by hand: the means of the first, last and lowest tenth,
// where the lowest tenth ends, the second half's level, swing and drop, and a curve cut short by NaN.
import { describe, expect, it } from 'vitest';
import { describeLossCurve } from '../../lib/curve.ts';

describe('describeLossCurve', () => {
  it('summarises a falling curve of 20 values in tenths of 2', () => {
    const losses = Array.from({ length: 20 }, (_, i) => 20 - i); // 20, 19, …, 1
    const curve = describeLossCurve(losses);
    expect(curve).toMatchObject({ start: 19.5, end: 1.5, lowest: 1.5, lowestAt: 20, firstNonFinite: undefined });
    expect(curve.windows).toEqual([19.5, 17.5, 15.5, 13.5, 11.5, 9.5, 7.5, 5.5, 3.5, 1.5]);
    // The second half is 10, 9, …, 1: it falls by 1 every step; its first three average 9, its last three 2.
    expect(curve).toMatchObject({ secondHalfLevel: 5.5, secondHalfSwing: 1, secondHalfDrop: 7 });
  });

  it('finds the lowest tenth of a curve that falls and rises again, and where it ends', () => {
    const curve = describeLossCurve([4, 4, 3, 3, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7]);
    expect(curve).toMatchObject({ start: 4, end: 7, lowest: 1, lowestAt: 8 });
  });

  it('measures the swing of a curve that jumps up and down without falling', () => {
    const curve = describeLossCurve(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 1 : 3)));
    expect(curve).toMatchObject({ secondHalfLevel: 2, secondHalfSwing: 2 });
    expect(Math.abs(curve.secondHalfDrop)).toBeLessThan(0.5);
  });

  it('keeps only the values before the first that is not finite', () => {
    const curve = describeLossCurve([3, 2, Number.POSITIVE_INFINITY, 1]);
    expect(curve.values).toEqual([3, 2]);
    expect(curve.firstNonFinite).toBe(2);
    expect(describeLossCurve([]).values).toEqual([]);
  });
});
