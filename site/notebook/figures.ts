// The figure builders: turn matrices and series into the plain figure data the page draws.
// Cells get them through the notebook session; the lab imports them directly, so this module
// must stay free of the cell compiler (transform.ts, acorn, sucrase).
import { Matrix, argmax } from '../../lib/index.ts';
import type { AxisScale, BarFigure, ContourFigure, HeatmapFigure, ImagesFigure, LineFigure, ScatterFigure } from './outputs.ts';
import { contourLevels } from './contours.ts';

/** Options for linePlot: labels, the x values shared by every series, and log axes. */
export interface LinePlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** The x of each point; defaults to 1, 2, 3, … (epochs or steps). */
  x?: ArrayLike<number>;
  /** 'log' for an axis spaced by powers of ten, e.g. a learning-rate sweep or an error that shrinks tenfold per step. */
  xScale?: AxisScale;
  yScale?: AxisScale;
  /** Fixed axis ranges, [low, high]: the axes stay put when a slider moves a line; what falls outside is clipped. */
  xRange?: [number, number];
  yRange?: [number, number];
  /** Points to mark with a dot and an optional short label, e.g. where a tangent touches the curve. */
  points?: Array<{ x: number; y: number; label?: string }>;
  /** The names of series to draw dashed, e.g. a tangent or a target line. */
  dashed?: string[];
}

/** Anything with a predict() that maps (n × 2) points to class scores, such as a Sequential model; one output column is read as a yes-or-no probability. */
export interface Classifier {
  predict(x: Matrix): Matrix;
}

/** Options for scatterPlot: a title, and a model whose decision regions are drawn on a resolution² grid. */
export interface ScatterPlotOptions {
  title?: string;
  model?: Classifier;
  /** Grid cells along each side of the decision regions; 200 by default (40,000 predictions). */
  resolution?: number;
}

/** The decision grid's default side: fine enough to draw smooth borders, cheap enough for any cell. */
export const BOUNDARY_RESOLUTION = 200;

/** Options for heatmap: a title, names for the rows and columns, and whether the values are counts. */
export interface HeatmapOptions {
  title?: string;
  /** Names for both the rows and the columns (a confusion matrix's classes). */
  labels?: string[];
  rowLabels?: string[];
  colLabels?: string[];
  /** What the rows and columns stand for, e.g. 'true' and 'predicted'. */
  rowTitle?: string;
  colTitle?: string;
  /** Counts: shade by one sequential ramp and print every value. */
  counts?: boolean;
}

/** Options for showImages: the image size when rows are not square, captions and a title. */
export interface ImagesOptions {
  width?: number;
  height?: number;
  captions?: string[];
  title?: string;
}

/** A fixed axis range checked: two finite numbers, low below high (and above 0 on a log axis). */
function checkedRange(op: string, option: string, range: unknown, log = false): [number, number] | undefined {
  if (range === undefined) return undefined;
  const pair = Array.isArray(range) && range.length === 2 && range.every((v) => typeof v === 'number' && Number.isFinite(v)) ? (range as [number, number]) : undefined;
  if (!pair || !(pair[0] < pair[1])) throw new Error(`${op}: ${option} must be [low, high], two finite numbers with low < high, not ${JSON.stringify(range)}`);
  if (log && pair[0] <= 0) throw new Error(`${op}: ${option} starts at ${pair[0]}, but a log axis holds only positive values`);
  return [pair[0], pair[1]];
}

/** A line figure from named series, plotted against `options.x` or against 1, 2, 3, …. */
export function linePlot(series: Record<string, ArrayLike<number>>, options: LinePlotOptions = {}): LineFigure {
  const { x, xScale, yScale, xRange, yRange, points, dashed, ...labels } = options;
  for (const [axis, scale] of [['xScale', xScale], ['yScale', yScale]] as const) {
    if (scale !== undefined && scale !== 'linear' && scale !== 'log') throw new Error(`linePlot: ${axis} must be 'linear' or 'log', not ${JSON.stringify(scale)}`);
  }
  const ranges = { xRange: checkedRange('linePlot', 'xRange', xRange, xScale === 'log'), yRange: checkedRange('linePlot', 'yRange', yRange, yScale === 'log') };
  for (const name of dashed ?? []) if (!(name in series)) throw new Error(`linePlot: dashed names "${name}", which is not one of the series (${Object.keys(series).join(', ')})`);
  return {
    type: 'line',
    ...labels,
    ...(xScale === 'log' ? { xScale } : {}),
    ...(yScale === 'log' ? { yScale } : {}),
    ...(ranges.xRange ? { xRange: ranges.xRange } : {}),
    ...(ranges.yRange ? { yRange: ranges.yRange } : {}),
    series: Object.entries(series).map(([name, values]) => {
      if (x && x.length !== values.length) throw new Error(`linePlot: series "${name}" has ${values.length} values but x has ${x.length}`);
      return { name, y: Array.from(values), x: x ? Array.from(x) : Array.from(values, (_, i) => i + 1), ...(dashed?.includes(name) ? { dashed: true as const } : {}) };
    }),
    ...(points ? { points: checkedPoints(points) } : {}),
  };
}

/** linePlot's marked points checked: finite x and y, and a label that is text. */
function checkedPoints(points: unknown): NonNullable<LineFigure['points']> {
  if (!Array.isArray(points)) throw new Error(`linePlot: points must be an array of { x, y, label? }, not ${typeof points}`);
  return points.map((point: { x?: unknown; y?: unknown; label?: unknown } | null, i) => {
    const { x, y, label } = point ?? {};
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`linePlot: points[${i}] needs finite numbers x and y, not ${JSON.stringify(point)}`);
    if (label !== undefined && typeof label !== 'string') throw new Error(`linePlot: points[${i}].label must be text, not ${typeof label}`);
    return label === undefined ? { x, y } : { x, y, label };
  });
}

/** Options for barChart: labels, a fixed y range, and one bar to pick out. */
export interface BarChartOptions {
  title?: string;
  yLabel?: string;
  /** [low, high] for the value axis, e.g. [0, 1] for probabilities. */
  yRange?: [number, number];
  /** The bars' names when the values come as an array; 0, 1, 2, … by default. */
  labels?: string[];
  /** The bar to pick out, by name (or by index), e.g. the predicted class. */
  highlight?: string | number;
}

/** A bar figure from bar names → heights, or from an array (or one-row Matrix) of heights named by `options.labels`. */
export function barChart(values: Record<string, number> | ArrayLike<number> | Matrix, options: BarChartOptions = {}): BarFigure {
  let heights: number[];
  let labels: string[];
  if (values instanceof Matrix) {
    if (values.rows !== 1 && values.cols !== 1) throw new Error(`barChart: needs one row or one column of values, not a ${values.shapeText} matrix`);
    heights = Array.from(values.data);
  } else if (typeof values === 'object' && values !== null && typeof (values as ArrayLike<number>).length === 'number') heights = Array.from(values as ArrayLike<number>);
  else if (typeof values === 'object' && values !== null) heights = Object.values(values);
  else throw new Error(`barChart: needs { name: value } or an array of values, not ${typeof values}`);
  if (Array.isArray(values) || ArrayBuffer.isView(values) || values instanceof Matrix) labels = options.labels ? options.labels.map(String) : heights.map((_, i) => String(i));
  else if (options.labels) throw new Error('barChart: labels are for an array of values; the keys of { name: value } already name the bars');
  else labels = Object.keys(values);
  if (labels.length !== heights.length) throw new Error(`barChart: ${labels.length} labels for ${heights.length} values`);
  heights.forEach((v, i) => {
    if (typeof v !== 'number') throw new Error(`barChart: the value of "${labels[i]}" must be a number, not ${typeof v}`);
  });
  const { highlight } = options;
  const picked = typeof highlight === 'number' ? highlight : highlight === undefined ? undefined : labels.indexOf(highlight);
  if (picked !== undefined && !(Number.isInteger(picked) && picked >= 0 && picked < labels.length)) throw new Error(`barChart: highlight ${JSON.stringify(highlight)} is not one of the bars (${labels.join(', ')})`);
  const yRange = checkedRange('barChart', 'yRange', options.yRange);
  return {
    type: 'bar',
    ...(options.title ? { title: options.title } : {}),
    ...(options.yLabel ? { yLabel: options.yLabel } : {}),
    labels,
    values: heights,
    ...(yRange ? { yRange } : {}),
    ...(picked !== undefined ? { highlight: picked } : {}),
  };
}

/** A scatter figure of (n × 2) points; with a model, also its predicted class over a grid. */
export function scatterPlot(x: Matrix, labels: ArrayLike<number>, options: ScatterPlotOptions = {}): ScatterFigure {
  if (!(x instanceof Matrix) || x.cols !== 2) throw new Error(`scatterPlot: needs (n×2) points, not ${x instanceof Matrix ? x.shapeText : typeof x}`);
  if (labels.length !== x.rows) throw new Error(`scatterPlot: ${labels.length} labels for ${x.rows} points`);
  const xs = Array.from({ length: x.rows }, (_, i) => x.data[2 * i]);
  const ys = Array.from({ length: x.rows }, (_, i) => x.data[2 * i + 1]);
  const range = (values: number[]): [number, number] => {
    const low = values.reduce((a, b) => Math.min(a, b), Infinity);
    const high = values.reduce((a, b) => Math.max(a, b), -Infinity);
    const margin = (high - low) * 0.05 || 1;
    return [low - margin, high + margin];
  };
  const figure: ScatterFigure = { type: 'scatter', title: options.title, x: xs, y: ys, labels: Array.from(labels), xRange: range(xs), yRange: range(ys) };
  if (options.model) {
    const size = options.resolution ?? BOUNDARY_RESOLUTION;
    const grid = Matrix.zeros(size * size, 2);
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        const i = row * size + col;
        grid.data[2 * i] = figure.xRange[0] + ((col + 0.5) / size) * (figure.xRange[1] - figure.xRange[0]);
        grid.data[2 * i + 1] = figure.yRange[1] - ((row + 0.5) / size) * (figure.yRange[1] - figure.yRange[0]); // row 0 at the top
      }
    }
    const scores = options.model.predict(grid); // (size² × classes), or (size² × 1) for a sigmoid's yes-or-no
    const classes = scores.cols === 1 ? Array.from(scores.data, (p) => (p > 0.5 ? 1 : 0)) : Array.from(argmax(scores));
    figure.boundary = { width: size, height: size, classes };
  }
  return figure;
}

/** A heatmap figure of a matrix (or rows of numbers): its shape and its values, row by row, with optional names. */
export function heatmapFigure(m: Matrix | ReadonlyArray<ArrayLike<number>>, options: HeatmapOptions = {}): HeatmapFigure {
  const matrix = m instanceof Matrix ? m : Matrix.fromRows(Array.from(m, (row) => Array.from(row)));
  const rowLabels = options.rowLabels ?? options.labels;
  const colLabels = options.colLabels ?? options.labels;
  if (rowLabels && rowLabels.length !== matrix.rows) throw new Error(`heatmap: ${rowLabels.length} row labels for ${matrix.rows} rows`);
  if (colLabels && colLabels.length !== matrix.cols) throw new Error(`heatmap: ${colLabels.length} column labels for ${matrix.cols} columns`);
  const values = Array.from(matrix.data);
  if (options.counts && values.some((v) => v < 0)) throw new Error('heatmap: counts cannot be negative');
  return {
    type: 'heatmap',
    title: options.title,
    rows: matrix.rows,
    cols: matrix.cols,
    values,
    ...(rowLabels ? { rowLabels: rowLabels.map(String) } : {}),
    ...(colLabels ? { colLabels: colLabels.map(String) } : {}),
    ...(options.rowTitle ? { rowTitle: options.rowTitle } : {}),
    ...(options.colTitle ? { colTitle: options.colTitle } : {}),
    ...(options.counts ? { counts: true } : {}),
  };
}

/** A confusion matrix (counts[true][predicted], as confusionMatrix() returns) as a labelled heatmap of counts. */
export function confusionFigure(counts: ReadonlyArray<ArrayLike<number>>, classes: string[], options: { title?: string } = {}): HeatmapFigure {
  return heatmapFigure(counts, { title: options.title, labels: classes, rowTitle: 'true', colTitle: 'predicted', counts: true });
}

/** An images figure from a matrix with one image per row (values in [0, 1], or 0–255). */
export function imagesFigure(images: Matrix, options: ImagesOptions = {}): ImagesFigure {
  const side = Math.round(Math.sqrt(images.cols));
  const width = options.width ?? side;
  const height = options.height ?? side;
  if (width * height !== images.cols) throw new Error(`showImages: rows of ${images.cols} values are not ${width}×${height} images`);
  let max = 0;
  for (let i = 0; i < images.size; i++) max = Math.max(max, images.data[i]);
  const scale = max > 1 ? 1 / 255 : 1;
  const rows = images.toRows().map((row) => row.map((v) => Math.min(1, Math.max(0, v * scale))));
  return { type: 'images', title: options.title, width, height, images: rows, captions: options.captions };
}

/** Options for contourPlot: the ranges (required), the number of levels and their spacing, paths to draw over the map, labels and the grid's size. */
export interface ContourPlotOptions {
  xRange: [number, number];
  yRange: [number, number];
  /** How many iso-lines; 10 by default. */
  levels?: number;
  /** Space the levels geometrically, for a loss that spans decades. */
  logLevels?: boolean;
  /** Named paths of [x, y] points drawn over the map, e.g. each optimizer's steps. */
  paths?: Record<string, ReadonlyArray<ArrayLike<number>>>;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Grid points along the longer side; 100 by default. */
  resolution?: number;
}

/** The contour grid's default side: smooth iso-lines for 10,000 calls of f. */
export const CONTOUR_RESOLUTION = 100;

/** A contour figure of f(x, y), evaluated here on a grid spanning the ranges (corners included), with optional paths over it. */
export function contourPlot(f: (x: number, y: number) => number, options: ContourPlotOptions): ContourFigure {
  if (typeof f !== 'function') throw new Error(`contourPlot: needs a function (x, y) => number first, not ${typeof f}`);
  for (const option of ['xRange', 'yRange'] as const) if (options?.[option] === undefined) throw new Error(`contourPlot: needs ${option}: [low, high], the range of ${option[0]} to draw`);
  const { title, xLabel, yLabel, levels = 10, logLevels = false, resolution = CONTOUR_RESOLUTION } = options;
  const xRange = checkedRange('contourPlot', 'xRange', options.xRange)!;
  const yRange = checkedRange('contourPlot', 'yRange', options.yRange)!;
  if (!Number.isInteger(levels) || levels < 1 || levels > 50) throw new Error(`contourPlot: levels must be a whole number from 1 to 50, not ${levels}`);
  if (!Number.isInteger(resolution) || resolution < 3 || resolution > 400) throw new Error(`contourPlot: resolution must be a whole number from 3 to 400, not ${resolution}`);
  // Grid points about square in the data: `resolution` along the longer side.
  const span = (xRange[1] - xRange[0]) / (yRange[1] - yRange[0]);
  const width = span >= 1 ? resolution : Math.max(3, Math.round(resolution * span));
  const height = span >= 1 ? Math.max(3, Math.round(resolution / span)) : resolution;
  const values = new Array<number>(width * height);
  for (let row = 0; row < height; row++) {
    const y = yRange[1] - (row / (height - 1)) * (yRange[1] - yRange[0]); // row 0 at the top
    for (let col = 0; col < width; col++) {
      const value = f(xRange[0] + (col / (width - 1)) * (xRange[1] - xRange[0]), y);
      if (typeof value !== 'number') throw new Error(`contourPlot: f(x, y) must return a number, not ${value === null ? 'null' : typeof value}`);
      values[row * width + col] = value;
    }
  }
  const paths = Object.entries(options.paths ?? {}).map(([name, points]) => {
    if (!Array.isArray(points)) throw new Error(`contourPlot: path "${name}" must be an array of [x, y] points, not ${typeof points}`);
    return {
      name,
      points: points.map((point, i): [number, number] => {
        if (point === null || typeof point !== 'object' || point.length !== 2 || typeof point[0] !== 'number' || typeof point[1] !== 'number') throw new Error(`contourPlot: point ${i} of path "${name}" must be an [x, y] pair of numbers, not ${JSON.stringify(point)}`);
        return [point[0], point[1]];
      }),
    };
  });
  return {
    type: 'contour',
    ...(title ? { title } : {}),
    ...(xLabel ? { xLabel } : {}),
    ...(yLabel ? { yLabel } : {}),
    xRange,
    yRange,
    width,
    height,
    values,
    levels: contourLevels(values, levels, logLevels),
    ...(logLevels ? { log: true as const } : {}),
    paths,
  };
}
