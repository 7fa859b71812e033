// The figure builders: turn matrices and series into the plain figure data the page draws.
// Cells get them through the notebook session; the lab imports them directly, so this module
// must stay free of the cell compiler (transform.ts, acorn, sucrase).
import { Matrix, argmax } from '../../lib/index.ts';
import type { AxisScale, HeatmapFigure, ImagesFigure, LineFigure, ScatterFigure } from './outputs.ts';

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

/** A line figure from named series, plotted against `options.x` or against 1, 2, 3, …. */
export function linePlot(series: Record<string, ArrayLike<number>>, options: LinePlotOptions = {}): LineFigure {
  const { x, xScale, yScale, ...labels } = options;
  for (const [axis, scale] of [['xScale', xScale], ['yScale', yScale]] as const) {
    if (scale !== undefined && scale !== 'linear' && scale !== 'log') throw new Error(`linePlot: ${axis} must be 'linear' or 'log', not ${JSON.stringify(scale)}`);
  }
  return {
    type: 'line',
    ...labels,
    ...(xScale === 'log' ? { xScale } : {}),
    ...(yScale === 'log' ? { yScale } : {}),
    series: Object.entries(series).map(([name, values]) => {
      if (x && x.length !== values.length) throw new Error(`linePlot: series "${name}" has ${values.length} values but x has ${x.length}`);
      return { name, y: Array.from(values), x: x ? Array.from(x) : Array.from(values, (_, i) => i + 1) };
    }),
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
