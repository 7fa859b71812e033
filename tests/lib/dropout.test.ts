// Dropout (the book's chapter 15): masks that drop about `rate` of the values while training and
// scale the rest, the same mask in backward, pass-through at inference, seeded repeatability,
// and the errors for misuse.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../lib/matrix.ts';
import { Random } from '../../lib/random.ts';
import { Dropout } from '../../lib/dropout.ts';
import { Dense, isTrainable } from '../../lib/layers.ts';

describe('Dropout', () => {
  it('zeroes about `rate` of the values while training and scales the rest by 1/(1 − rate)', () => {
    const dropout = new Dropout(0.3, { rng: new Random(5) });
    const inputs = Matrix.full(100, 100, 2);
    const output = dropout.forward(inputs);
    const kept = 2 / 0.7; // 2.857142857
    let zeros = 0;
    let total = 0;
    const others: number[] = [];
    for (const value of output.data) {
      if (value === 0) zeros += 1;
      else if (Math.abs(value - kept) > 1e-6) others.push(value);
      total += value;
    }
    expect(others).toEqual([]);
    expect(zeros / output.size).toBeGreaterThan(0.28);
    expect(zeros / output.size).toBeLessThan(0.32);
    // Scaling keeps the expected total: 10000 · 2 = 20000, within sampling noise.
    expect(total / output.size).toBeCloseTo(2, 1);
  });

  it('keeps each value or zeroes it, element by element, with the mask it records', () => {
    const dropout = new Dropout(0.5, { rng: new Random(6) });
    const inputs = Matrix.fromRows([
      [1, -2, 3, -4],
      [5, -6, 7, -8],
    ]);
    const output = dropout.forward(inputs);
    const mask = dropout.mask!;
    expect(mask.shape).toEqual([2, 4]);
    for (let i = 0; i < inputs.size; i++) {
      expect([0, 2]).toContain(mask.data[i]); // 1 / (1 − 0.5) = 2
      expect(output.data[i]).toBe(inputs.data[i] * mask.data[i]);
    }
    expect(mask.toArray()).toContain(0);
    expect(mask.toArray()).toContain(2);
  });

  it('passes inputs through untouched when not training, and then passes gradients through too', () => {
    const dropout = new Dropout(0.5, { rng: new Random(6) });
    const inputs = Matrix.fromRows([[1, 2, 3]]);
    expect(dropout.forward(inputs, { training: false })).toBe(inputs);
    expect(dropout.mask).toBeUndefined();
    const dvalues = Matrix.fromRows([[4, 5, 6]]);
    expect(dropout.backward(dvalues).toRows()).toEqual([[4, 5, 6]]);
  });

  it('multiplies the gradient by the same mask in backward', () => {
    const dropout = new Dropout(0.25, { rng: new Random(7) });
    dropout.forward(Matrix.full(4, 5, 1));
    const mask = dropout.mask!.toArray();
    const dvalues = Matrix.fromRows([
      [1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10],
      [11, 12, 13, 14, 15],
      [16, 17, 18, 19, 20],
    ]);
    const dinputs = dropout.backward(dvalues);
    expect(dinputs.toArray()).toEqual(dvalues.toArray().map((d, i) => Math.fround(d * mask[i])));
    expect(mask.some((m) => m === 0)).toBe(true);
  });

  it('draws the same masks from generators with the same seed, and a fresh mask on each pass', () => {
    const a = new Dropout(0.5, { rng: new Random(9) });
    const b = new Dropout(0.5, { rng: new Random(9) });
    const inputs = Matrix.full(4, 8, 1);
    const first = a.forward(inputs).toArray();
    expect(b.forward(inputs).toArray()).toEqual(first);
    expect(a.forward(inputs).toArray()).not.toEqual(first);
  });

  it('drops nothing at rate 0', () => {
    const inputs = Matrix.fromRows([[1, 2, 3]]);
    expect(new Dropout(0, { rng: new Random(1) }).forward(inputs).toRows()).toEqual([[1, 2, 3]]);
  });

  it('refuses rates outside [0, 1)', () => {
    for (const rate of [-0.1, 1, 1.5, Number.NaN]) {
      expect(() => new Dropout(rate)).toThrow(/Dropout: rate .* must be in \[0, 1\)/);
    }
  });

  // Exposes a bug: backward multiplies by the mask with broadcasting, so a 1×3 gradient for a
  // 2×3 output silently becomes 2×3 instead of being refused like Dense.backward refuses it.
  it('refuses dvalues shaped unlike its output, naming Dropout.backward', () => {
    const dropout = new Dropout(0.5, { rng: new Random(1) });
    dropout.forward(Matrix.full(2, 3, 1));
    expect(() => dropout.backward(Matrix.fromRows([[1, 1, 1]]))).toThrow(/Dropout\.backward/);
  });

  it('has no weights, so optimizers skip it', () => {
    expect(isTrainable(new Dropout(0.1))).toBe(false);
    expect(isTrainable(new Dense(2, 2))).toBe(true);
  });
});
