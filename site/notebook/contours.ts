// Contour maps for contourPlot (the optimizer chapter draws loss surfaces with it): the levels,
// each grid point's band between them, and the iso-lines found by marching squares, all on a
// grid of values row by row (row 0 at the top), in grid units: column and row, fractional.

/** A polyline in grid units: [column, row] pairs. */
export type GridLine = Array<[number, number]>;

/** The lowest and highest finite values, or undefined when there are none. */
function finiteExtent(values: ArrayLike<number>): [number, number] | undefined {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return low <= high ? [low, high] : undefined;
}

/**
 * `count` iso-line values strictly between the lowest and highest finite values: evenly spaced,
 * or (`log`) geometrically, for a loss that spans decades. A log scale starts at the smallest
 * positive value, but no lower than a millionth of the highest (a minimum of exactly 0 is common).
 */
export function contourLevels(values: ArrayLike<number>, count: number, log = false): number[] {
  const range = finiteExtent(values);
  if (!range || range[0] === range[1]) return [];
  const [low, high] = range;
  if (!log) return Array.from({ length: count }, (_, k) => low + ((k + 1) / (count + 1)) * (high - low));
  if (high <= 0) return [];
  let positive = Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > 0 && values[i] < positive) positive = values[i];
  const start = Math.max(positive, high * 1e-6);
  if (!(start < high)) return [];
  const ratio = high / start;
  return Array.from({ length: count }, (_, k) => start * ratio ** ((k + 1) / (count + 1)));
}

/** Each value's band: how many levels lie at or below it (0 to levels.length), so +Infinity is the top band; `none` for NaN. */
export function bands(values: ArrayLike<number>, levels: number[], none: number): Uint8Array {
  return Uint8Array.from(values, (v) => {
    if (typeof v !== 'number' || Number.isNaN(v)) return none; // NaN, or null once the figure has been through JSON
    let band = 0;
    while (band < levels.length && levels[band] <= v) band++;
    return band;
  });
}

// For each of the 16 corner cases (bit 1 top left, 2 top right, 4 bottom right, 8 bottom left
// set when the corner is at or above the level), the cell's edges a line crosses, in pairs.
// Edges: 0 top, 1 right, 2 bottom, 3 left. Cases 5 and 10 (saddles) are settled by the centre.
const SEGMENTS: number[][] = [[], [3, 0], [0, 1], [3, 1], [1, 2], [3, 0, 1, 2], [0, 2], [3, 2], [2, 3], [0, 2], [0, 1, 2, 3], [1, 2], [1, 3], [0, 1], [3, 0], []];

/**
 * The iso-lines of `level` over a width × height grid by marching squares: where the level falls
 * on a cell's edge is interpolated linearly, and the pieces are joined into polylines by the
 * edges they share, so each line is drawn as one path (closed ones end where they start).
 */
export function isoLines(values: ArrayLike<number>, width: number, height: number, level: number): GridLine[] {
  const value = (col: number, row: number): number => values[row * width + col];
  // An edge's id: 2 × its start point's index, plus 1 for a vertical edge.
  const edgeId = (col: number, row: number, edge: number): number =>
    edge === 0 ? 2 * (row * width + col) : edge === 2 ? 2 * ((row + 1) * width + col) : edge === 3 ? 2 * (row * width + col) + 1 : 2 * (row * width + col + 1) + 1;
  const points = new Map<number, [number, number]>();
  const crossing = (col: number, row: number, edge: number): number => {
    const id = edgeId(col, row, edge);
    if (!points.has(id)) {
      const [c0, r0, c1, r1] = edge === 0 ? [col, row, col + 1, row] : edge === 1 ? [col + 1, row, col + 1, row + 1] : edge === 2 ? [col, row + 1, col + 1, row + 1] : [col, row, col, row + 1];
      const [a, b] = [value(c0, r0), value(c1, r1)];
      const t = a === b ? 0.5 : Math.min(1, Math.max(0, (level - a) / (b - a)));
      points.set(id, [c0 + t * (c1 - c0), r0 + t * (r1 - r0)]);
    }
    return id;
  };
  const pieces: Array<[number, number]> = [];
  for (let row = 0; row + 1 < height; row++) {
    for (let col = 0; col + 1 < width; col++) {
      const [a, b, c, d] = [value(col, row), value(col + 1, row), value(col + 1, row + 1), value(col, row + 1)];
      // Most cells lie wholly on one side of the level: skipped before anything else is done.
      let index = (a >= level ? 1 : 0) | (b >= level ? 2 : 0) | (c >= level ? 4 : 0) | (d >= level ? 8 : 0);
      if (index === 0 || index === 15 || !(Number.isFinite(a + b + c + d))) continue; // no line through a cell with a hole
      // A saddle (two opposite corners above) whose centre is above too: the line goes round the corners below instead.
      if ((index === 5 || index === 10) && (a + b + c + d) / 4 >= level) index = 15 - index;
      const edges = SEGMENTS[index];
      for (let k = 0; k < edges.length; k += 2) pieces.push([crossing(col, row, edges[k]), crossing(col, row, edges[k + 1])]);
    }
  }
  return joinPieces(pieces).map((ids) => ids.map((id) => points.get(id)!));
}

/** Joins segments (pairs of edge ids) into chains of ids by the ids they share; each edge is shared by at most two. */
function joinPieces(pieces: Array<[number, number]>): number[][] {
  const touching = new Map<number, number[]>();
  pieces.forEach(([a, b], i) => {
    for (const id of [a, b]) {
      const list = touching.get(id);
      if (list) list.push(i);
      else touching.set(id, [i]);
    }
  });
  const used = new Uint8Array(pieces.length);
  /** Walks from `id` along unused pieces, appending the ids it reaches. */
  const walk = (chain: number[], id: number): void => {
    for (let next = touching.get(id)?.find((i) => !used[i]); next !== undefined; next = touching.get(id)?.find((i) => !used[i])) {
      used[next] = 1;
      id = pieces[next][0] === id ? pieces[next][1] : pieces[next][0];
      chain.push(id);
    }
  };
  const chains: number[][] = [];
  pieces.forEach(([a, b], i) => {
    if (used[i]) return;
    used[i] = 1;
    const forward = [a, b];
    walk(forward, b);
    const backward: number[] = [];
    walk(backward, a);
    chains.push([...backward.reverse(), ...forward]);
  });
  return chains;
}
