// A seeded random number generator, so every page, test and training run repeats exactly.
// The algorithm is xoshiro128** (Blackman & Vigna, 2018), seeded through SplitMix32;
// Gaussian draws use the Box–Muller transform. Used from chapter 3 on (initial weights).
import { ScratchnetError } from './errors.ts';
import { Matrix, type MatrixOptions } from './matrix.ts';

/** The generator's complete state: four 32-bit words and a spare Gaussian draw. */
export interface RandomState {
  s: [number, number, number, number];
  spare: number | null;
}

/** A seeded generator of uniform and Gaussian numbers (xoshiro128**). */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  /** Creates a generator; the same seed always gives the same sequence. */
  constructor(seed = 0) {
    if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new ScratchnetError('Random', `the seed must be an integer from 0 to 2³² − 1, not ${String(seed)}`);
    // SplitMix32 spreads one seed over four state words, so nearby seeds give unrelated streams.
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform number in [0, 1), with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform number in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** A Gaussian (normal) number with the given mean and standard deviation. */
  gaussian(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    // Box–Muller: two uniforms give two independent standard normals; keep one for later.
    const u = 1 - this.next(); // in (0, 1], so log(u) is finite
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spare = radius * Math.sin(2 * Math.PI * v);
    return mean + std * radius * Math.cos(2 * Math.PI * v);
  }

  /** A whole number in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new ScratchnetError('Random.int', `n must be a positive integer, not ${String(n)}`);
    return Math.floor(this.next() * n);
  }

  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [index: number]: any }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** The numbers 0 … n−1 in random order. */
  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0) throw new ScratchnetError('Random.permutation', `n must be a whole number of at least 0, not ${String(n)}`);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** A rows × cols matrix of standard normal draws, like NumPy's `np.random.randn`. */
  randn(rows: number, cols: number, options: MatrixOptions = {}): Matrix {
    const out = Matrix.zeros(rows, cols, options);
    for (let i = 0; i < out.size; i++) out.data[i] = this.gaussian();
    return out;
  }

  /** A rows × cols matrix of uniform draws in [low, high). */
  rand(rows: number, cols: number, low = 0, high = 1, options: MatrixOptions = {}): Matrix {
    const out = Matrix.zeros(rows, cols, options);
    for (let i = 0; i < out.size; i++) out.data[i] = this.uniform(low, high);
    return out;
  }

  /** A snapshot of the state, so a run can be paused and resumed exactly. */
  getState(): RandomState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.spare };
  }

  /** Restores a snapshot taken with getState(). */
  setState(state: RandomState): void {
    [this.s0, this.s1, this.s2, this.s3] = state.s;
    this.spare = state.spare;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator layers use when none is passed; reset it with `seed(n)`. */
export let defaultRandom = new Random(0);

/** Reseeds the default generator, like the book's `nnfs.init()` or NumPy's `np.random.seed`. */
export function seed(value: number): Random {
  defaultRandom = new Random(value);
  return defaultRandom;
}
