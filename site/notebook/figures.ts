// The figure builders: turn matrices and series into the plain figure data the page draws.
// Cells get them through the notebook session; the lab imports them directly, so this module
// must stay free of the cell compiler (transform.ts, acorn, sucrase).
import { Matrix, argmax } from '../../lib/index.ts';
import type { HeatmapFigure, ImagesFigure, LineFigure, ScatterFigure } from './outputs.ts';

/** Options for linePlot: labels, and the x values shared by every series. */
export interface LinePlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** The x of each point; defaults to 1, 2, 3, … (epochs or steps). */
  x?: ArrayLike<number>;
}

/** Anything with a predict() that maps (n × 2) points to class scores, such as a Sequential model. */
export interface Classifier {
  predict(x: Matrix): Matrix;
}

/** Options for scatterPlot: a title, and a model whose decision regions are drawn on a resolution² grid. */
export interface ScatterPlotOptions {
  title?: string;
  model?: Classifier;
  /** Grid cells along each side of the decision regions; 80 by default. */
  resolution?: number;
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
  const { x, ...labels } = options;
  return {
    type: 'line',
    ...labels,
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
    const size = options.resolution ?? 80;
    const grid = Matrix.zeros(size * size, 2);
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        const i = row * size + col;
        grid.data[2 * i] = figure.xRange[0] + ((col + 0.5) / size) * (figure.xRange[1] - figure.xRange[0]);
        grid.data[2 * i + 1] = figure.yRange[1] - ((row + 0.5) / size) * (figure.yRange[1] - figure.yRange[0]); // row 0 at the top
      }
    }
    figure.boundary = { width: size, height: size, classes: Array.from(argmax(options.model.predict(grid))) };
  }
  return figure;
}

/** A heatmap figure of a matrix: its shape and its values, row by row. */
export function heatmapFigure(m: Matrix, options: { title?: string } = {}): HeatmapFigure {
  return { type: 'heatmap', title: options.title, rows: m.rows, cols: m.cols, values: Array.from(m.data) };
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
