// The shape of a loss curve in a few numbers (chapter "When training goes wrong"): where it starts
// and ends, its lowest tenth, and how much it jumps from step to step late in the run. diagnose()
// reads a run's curve through these; a cell can print them to say what a plot shows.

/** A loss curve summarised: means over tenths of the run, and how it moves in its second half. */
export interface LossCurve {
  /** The losses before the first that is NaN or ±Infinity (all of them when every one is finite). */
  values: number[];
  /** The 0-based index of the first loss that is not finite, if any. */
  firstNonFinite?: number;
  /** The mean loss of the first tenth of `values`, and of the last tenth. */
  start: number;
  end: number;
  /** The mean loss of each whole tenth, in order. */
  windows: number[];
  /** The lowest of those means (or `end`, when lower), and the 1-based index where its tenth ends. */
  lowest: number;
  lowestAt: number;
  /** Over the second half: the mean loss, the mean change from one value to the next, and how far its first third's mean lies above its last third's. */
  secondHalfLevel: number;
  secondHalfSwing: number;
  secondHalfDrop: number;
}

const mean = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0) / Math.max(1, values.length);

/** Summarises `losses` (one per step or per epoch) in tenths, which smooths away mini-batch noise. */
export function describeLossCurve(losses: readonly number[]): LossCurve {
  const bad = losses.findIndex((value) => !Number.isFinite(value));
  const values = bad < 0 ? losses.slice() : losses.slice(0, bad);
  const n = values.length;
  const width = Math.max(1, Math.round(n / 10));
  const windows = Array.from({ length: Math.floor(n / width) }, (_, i) => mean(values.slice(i * width, (i + 1) * width)));
  const end = mean(values.slice(Math.max(0, n - width)));
  const lowestWindow = windows.indexOf(Math.min(...windows));
  const [lowest, lowestAt] = windows.length > 0 && windows[lowestWindow] < end ? [windows[lowestWindow], (lowestWindow + 1) * width] : [end, n];
  const half = values.slice(Math.floor(n / 2));
  const third = Math.max(1, Math.floor(half.length / 3));
  return {
    values,
    firstNonFinite: bad < 0 ? undefined : bad,
    start: mean(values.slice(0, width)),
    end,
    windows,
    lowest,
    lowestAt,
    secondHalfLevel: mean(half),
    secondHalfSwing: mean(half.slice(1).map((value, i) => Math.abs(value - half[i]))),
    secondHalfDrop: mean(half.slice(0, third)) - mean(half.slice(-third)),
  };
}
