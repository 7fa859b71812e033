// Checks the book's datasets: spiral and vertical points (shapes, label layout, geometry,
// determinism by seed), linspace, and the sine wave's exact values at known samples.
import { describe, expect, it } from 'vitest';
import { ScratchnetError } from '../../lib/errors.ts';
import { linspace, sineData, spiralData, verticalData } from '../../lib/data.ts';
import { Random, defaultRandom, seed } from '../../lib/random.ts';

function labelsOf(y: Int32Array): number[] {
  return Array.from(y);
}

describe('linspace', () => {
  it('gives 5 evenly spaced numbers from 0 to 1 inclusive', () => {
    expect(linspace(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('gives 3 numbers from 4 to 8', () => {
    expect(linspace(4, 8, 3)).toEqual([4, 6, 8]);
  });

  it('counts down when end is below start', () => {
    expect(linspace(1, 0, 3)).toEqual([1, 0.5, 0]);
  });

  it('gives just the start for n = 1 and nothing for n = 0, like NumPy', () => {
    expect(linspace(3, 7, 1)).toEqual([3]);
    expect(linspace(3, 7, 0)).toEqual([]);
  });

  // Rough edge: the last value is computed as start + (end − start)·(n−1)/(n−1), which can miss
  // `end` by one rounding step: linspace(0, 0.05, 7) ends at 0.05000000000000001. NumPy sets it to end.
  it('ends exactly at end, like NumPy', () => {
    expect(linspace(0, 0.05, 7)[6]).toBe(0.05);
  });

  // Rough edge: n is not checked, so linspace(0, 1, 2.5) quietly returns [0, 0.666…] and
  // linspace(0, 1, -1) throws a bare RangeError.
  it('refuses a count that is not a whole number', () => {
    expect(() => linspace(0, 1, 2.5)).toThrow(ScratchnetError);
    expect(() => linspace(0, 1, -1)).toThrow(ScratchnetError);
  });
});

describe('spiralData', () => {
  it('gives (samples · classes) × 2 float32 points and as many labels', () => {
    const { x, y } = spiralData(100, 3, new Random(0));
    expect(x.shape).toEqual([300, 2]);
    expect(x.dtype).toBe('float32');
    expect(y).toBeInstanceOf(Int32Array);
    expect(y.length).toBe(300);
  });

  it('labels the first `samples` rows class 0, the next class 1, and so on', () => {
    const { y } = spiralData(4, 3, new Random(0));
    expect(labelsOf(y)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  });

  it('keeps every point within the unit disc', () => {
    const { x } = spiralData(200, 4, new Random(1));
    for (let r = 0; r < x.rows; r++) expect(Math.hypot(x.get(r, 0), x.get(r, 1))).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('puts point i of each arm at radius i / (samples − 1): 0 at the centre, 1 at the tip', () => {
    const samples = 11;
    const { x } = spiralData(samples, 3, new Random(2));
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < samples; i++) {
        const row = k * samples + i;
        expect(Math.hypot(x.get(row, 0), x.get(row, 1))).toBeCloseTo(i / 10, 6);
      }
    }
  });

  it('places each point as the book does: (r·sin 2.5t, r·cos 2.5t) with t = linspace(4k, 4k+4) + 0.2·gaussian', () => {
    // The book: t = np.linspace(k*4, (k+1)*4, samples) + np.random.randn(samples)*0.2,
    // drawing one Gaussian per point, arm by arm.
    const samples = 5;
    const { x } = spiralData(samples, 2, new Random(3));
    const rng = new Random(3);
    for (let k = 0; k < 2; k++) {
      for (let i = 0; i < samples; i++) {
        const r = i / 4; // 0, 0.25, 0.5, 0.75, 1
        const t = 4 * k + i + 0.2 * rng.gaussian(); // linspace(4k, 4k + 4, 5) steps by 1
        const row = k * samples + i;
        expect(x.get(row, 0)).toBeCloseTo(r * Math.sin(2.5 * t), 6);
        expect(x.get(row, 1)).toBeCloseTo(r * Math.cos(2.5 * t), 6);
      }
    }
  });

  it('repeats exactly for the same seed', () => {
    const a = spiralData(50, 3, new Random(7));
    const b = spiralData(50, 3, new Random(7));
    expect(Array.from(a.x.data)).toEqual(Array.from(b.x.data));
    expect(labelsOf(a.y)).toEqual(labelsOf(b.y));
  });

  it('differs for different seeds', () => {
    const a = spiralData(50, 3, new Random(7));
    const b = spiralData(50, 3, new Random(8));
    expect(Array.from(a.x.data)).not.toEqual(Array.from(b.x.data));
  });

  it('draws from the shared generator reset by seed() when none is given', () => {
    seed(5);
    const a = spiralData(20, 2);
    seed(5);
    const b = spiralData(20, 2);
    expect(Array.from(a.x.data)).toEqual(Array.from(b.x.data));
    expect(Array.from(a.x.data)).toEqual(Array.from(spiralData(20, 2, new Random(5)).x.data));
  });

  it('advances the shared generator, so a second call gives new points', () => {
    seed(6);
    const a = spiralData(20, 2);
    const b = spiralData(20, 2, defaultRandom);
    expect(Array.from(a.x.data)).not.toEqual(Array.from(b.x.data));
  });

  it('refuses counts that are not positive whole numbers', () => {
    expect(() => spiralData(0, 3)).toThrow('spiralData: samples must be a positive whole number, not 0');
    expect(() => spiralData(10, 1.5)).toThrow('spiralData: classes must be a positive whole number, not 1.5');
    expect(() => spiralData(-5, 3)).toThrow(ScratchnetError);
  });
});

describe('verticalData', () => {
  it('gives (samples · classes) × 2 float32 points and labels in blocks', () => {
    const { x, y } = verticalData(3, 2, new Random(0));
    expect(x.shape).toEqual([6, 2]);
    expect(x.dtype).toBe('float32');
    expect(labelsOf(y)).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('centres class k near (k/3, 0.5) with a spread of about 0.1', () => {
    const samples = 2000;
    const { x } = verticalData(samples, 3, new Random(1));
    for (let k = 0; k < 3; k++) {
      const xs: number[] = [];
      const ys: number[] = [];
      for (let i = 0; i < samples; i++) {
        xs.push(x.get(k * samples + i, 0));
        ys.push(x.get(k * samples + i, 1));
      }
      const mx = xs.reduce((a, b) => a + b, 0) / samples;
      const my = ys.reduce((a, b) => a + b, 0) / samples;
      const sx = Math.sqrt(xs.reduce((a, b) => a + (b - mx) ** 2, 0) / samples);
      // The standard error of each mean is 0.1 / √2000 ≈ 0.002.
      expect(Math.abs(mx - k / 3)).toBeLessThan(0.01);
      expect(Math.abs(my - 0.5)).toBeLessThan(0.01);
      expect(Math.abs(sx - 0.1)).toBeLessThan(0.01);
    }
  });

  it('draws the first column, then the second, for each class, as NumPy does', () => {
    const { x } = verticalData(2, 1, new Random(4));
    const rng = new Random(4);
    const [g0, g1, g2, g3] = [rng.gaussian(), rng.gaussian(), rng.gaussian(), rng.gaussian()];
    expect(x.get(0, 0)).toBeCloseTo(0.1 * g0, 6);
    expect(x.get(1, 0)).toBeCloseTo(0.1 * g1, 6);
    expect(x.get(0, 1)).toBeCloseTo(0.1 * g2 + 0.5, 6);
    expect(x.get(1, 1)).toBeCloseTo(0.1 * g3 + 0.5, 6);
  });

  it('repeats exactly for the same seed and differs for another', () => {
    const a = verticalData(30, 3, new Random(9));
    const b = verticalData(30, 3, new Random(9));
    const c = verticalData(30, 3, new Random(10));
    expect(Array.from(a.x.data)).toEqual(Array.from(b.x.data));
    expect(Array.from(a.x.data)).not.toEqual(Array.from(c.x.data));
  });

  it('refuses counts that are not positive whole numbers', () => {
    expect(() => verticalData(10, 0)).toThrow('verticalData: classes must be a positive whole number, not 0');
  });
});

describe('sineData', () => {
  const { x, y } = sineData(1000);

  it('gives (samples × 1) inputs and targets', () => {
    expect(x.shape).toEqual([1000, 1]);
    expect(y.shape).toEqual([1000, 1]);
  });

  it('spaces x as i / samples, from 0 up to but not including 1', () => {
    expect(x.get(0, 0)).toBe(0);
    expect(x.get(250, 0)).toBe(0.25);
    expect(x.get(500, 0)).toBe(0.5);
    expect(x.get(999, 0)).toBeCloseTo(0.999, 6);
  });

  it('gives y = sin(2πx): 1 at sample 250 of 1000, −1 at 750, 0 at 0 and about 0 at 500', () => {
    expect(y.get(0, 0)).toBe(0);
    expect(y.get(250, 0)).toBe(1); // sin(π/2)
    expect(y.get(750, 0)).toBe(-1); // sin(3π/2)
    expect(y.get(500, 0)).toBeCloseTo(0, 6); // sin(π), which floating point leaves near 1.2e−16
  });

  it('gives y = √2/2 at sample 125 of 1000, where x = 1/8', () => {
    expect(y.get(125, 0)).toBeCloseTo(0.70710678, 6);
  });

  it('defaults to 1000 samples', () => {
    expect(sineData().x.rows).toBe(1000);
  });

  it('refuses a sample count that is not a positive whole number', () => {
    expect(() => sineData(0)).toThrow('sineData: samples must be a positive whole number, not 0');
    expect(() => sineData(2.5)).toThrow(ScratchnetError);
  });
});
