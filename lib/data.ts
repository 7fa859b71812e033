// The book's small datasets: spirals (chapter 4 onwards, where a straight line cannot
// separate the classes), vertical clusters (an easy warm-up) and a sine wave (regression).
// Each is built from a seeded generator, so the same seed gives the same points.
import { ScratchnetError } from './errors.ts';
import { Matrix } from './matrix.ts';
import { Random, defaultRandom } from './random.ts';

/** Points with their class labels. */
export interface ClassificationData {
  /** (samples · classes) × 2 coordinates. */
  x: Matrix;
  /** The class of each point. */
  y: Int32Array;
}

/** Inputs with regression targets. */
export interface RegressionData {
  x: Matrix;
  y: Matrix;
}

function checkCount(op: string, name: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ScratchnetError(op, `${name} must be a positive whole number, not ${String(n)}`);
}

/** n evenly spaced numbers from start to end inclusive, like NumPy's linspace. */
export function linspace(start: number, end: number, n: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new ScratchnetError('linspace', `n must be a whole number of at least 0, not ${String(n)}`);
  if (n === 1) return [start];
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? end : start + ((end - start) * i) / (n - 1)));
}

/** The book's spiral dataset: `classes` arms of `samples` points each, wound around the origin. */
export function spiralData(samples: number, classes: number, rng: Random = defaultRandom): ClassificationData {
  checkCount('spiralData', 'samples', samples);
  checkCount('spiralData', 'classes', classes);
  const x = Matrix.zeros(samples * classes, 2);
  const y = new Int32Array(samples * classes);
  for (let k = 0; k < classes; k++) {
    const radius = linspace(0, 1, samples);
    const angle = linspace(k * 4, (k + 1) * 4, samples).map((t) => t + rng.gaussian() * 0.2);
    for (let i = 0; i < samples; i++) {
      const row = k * samples + i;
      x.data[row * 2] = radius[i] * Math.sin(angle[i] * 2.5);
      x.data[row * 2 + 1] = radius[i] * Math.cos(angle[i] * 2.5);
      y[row] = k;
    }
  }
  return { x, y };
}

/** The book's vertical dataset: one Gaussian cluster per class, side by side. */
export function verticalData(samples: number, classes: number, rng: Random = defaultRandom): ClassificationData {
  checkCount('verticalData', 'samples', samples);
  checkCount('verticalData', 'classes', classes);
  const x = Matrix.zeros(samples * classes, 2);
  const y = new Int32Array(samples * classes);
  for (let k = 0; k < classes; k++) {
    // Like NumPy, draw the whole first column, then the whole second.
    for (let i = 0; i < samples; i++) x.data[(k * samples + i) * 2] = rng.gaussian() * 0.1 + k / 3;
    for (let i = 0; i < samples; i++) x.data[(k * samples + i) * 2 + 1] = rng.gaussian() * 0.1 + 0.5;
    for (let i = 0; i < samples; i++) y[k * samples + i] = k;
  }
  return { x, y };
}

/** The book's sine dataset: x evenly spaced in [0, 1), y = sin(2πx). */
export function sineData(samples = 1000): RegressionData {
  checkCount('sineData', 'samples', samples);
  const x = Matrix.zeros(samples, 1);
  const y = Matrix.zeros(samples, 1);
  for (let i = 0; i < samples; i++) {
    x.data[i] = i / samples;
    y.data[i] = Math.sin(2 * Math.PI * (i / samples));
  }
  return { x, y };
}
