// What a cell shows: printed text, values, matrices as tables, figures, checks and errors.
// Outputs are plain data (no HTML), so the build, the tests and the page all render the same
// thing, and nothing a reader's code prints can become markup.
import { Matrix, formatNumber } from '../../lib/index.ts';

/** A line plot, e.g. loss and accuracy over epochs. */
export interface LineFigure {
  type: 'line';
  title?: string;
  xLabel?: string;
  yLabel?: string;
  series: Array<{ name: string; x: number[]; y: number[] }>;
}

/** 2-D points coloured by class, optionally over a model's decision regions. */
export interface ScatterFigure {
  type: 'scatter';
  title?: string;
  x: number[];
  y: number[];
  labels: number[];
  /** The predicted class on a width × height grid spanning the axes, row 0 at the top. */
  boundary?: { width: number; height: number; classes: number[] };
  xRange: [number, number];
  yRange: [number, number];
}

/** A matrix drawn as coloured cells, e.g. a layer's weights. */
export interface HeatmapFigure {
  type: 'heatmap';
  title?: string;
  rows: number;
  cols: number;
  values: number[];
}

/** Small greyscale images, e.g. handwritten digits, with optional captions. */
export interface ImagesFigure {
  type: 'images';
  title?: string;
  width: number;
  height: number;
  /** Pixel values in [0, 1], row by row, one array per image. */
  images: number[][];
  captions?: string[];
}

/** Any figure a cell can draw. */
export type Figure = LineFigure | ScatterFigure | HeatmapFigure | ImagesFigure;

/** One piece of a cell's output. */
export type Output =
  | { kind: 'text'; text: string }
  | { kind: 'value'; text: string }
  | { kind: 'matrix'; shape: string; dtype: string; rows: string[][] }
  | { kind: 'figure'; figure: Figure }
  | { kind: 'check'; passed: boolean; message: string }
  | { kind: 'error'; name: string; message: string; line?: number };

/** Shows at most this many rows or columns of a matrix; the rest is elided with "…". */
const MATRIX_LIMIT = 12;

/** Formats any value for printing: numbers as a reader expects, arrays and objects readably. */
export function formatValue(value: unknown, depth = 0): string {
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return depth === 0 ? value : JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined || value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value === 'symbol') return value.toString();
  if (value instanceof Matrix) return `Matrix ${value.shapeText}\n${value.toString()}`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (depth > 3) return '…';
  if (value instanceof Float32Array) {
    // Its elements are float32 numbers, so they print with float32's digits: 0.1, not 0.100000001490116.
    const shown = Array.from(value.subarray(0, 100), (item) => formatNumber(item, { dtype: 'float32' }));
    if (value.length > 100) shown.push(`… ${value.length - 100} more`);
    return `[${shown.join(', ')}]`;
  }
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    const shown = items.slice(0, 100).map((item) => formatValue(item, depth + 1));
    if (items.length > 100) shown.push(`… ${items.length - 100} more`);
    return `[${shown.join(', ')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => `${key}: ${formatValue(item, depth + 1)}`);
  return `{ ${entries.join(', ')} }`;
}

/** The output for one displayed value: a table for a Matrix, text for anything else. */
export function outputFor(value: unknown, kind: 'text' | 'value'): Output {
  if (value instanceof Matrix) return matrixOutput(value);
  return { kind, text: formatValue(value) };
}

/** A matrix as rows of formatted cells, with long sides elided in the middle. */
export function matrixOutput(m: Matrix): Output {
  const pick = (n: number): Array<number | null> => {
    if (n <= MATRIX_LIMIT) return Array.from({ length: n }, (_, i) => i);
    const half = MATRIX_LIMIT / 2;
    return [...Array.from({ length: half }, (_, i) => i), null, ...Array.from({ length: half }, (_, i) => n - half + i)];
  };
  const rows = pick(m.rows).map((r) =>
    pick(m.cols).map((c) => (r === null || c === null ? '…' : formatNumber(m.data[r * m.cols + c], { dtype: m.dtype }))),
  );
  return { kind: 'matrix', shape: m.shapeText, dtype: m.dtype, rows };
}

/** The plain-text form of an output, as tests and screen readers see it. */
export function outputText(output: Output): string {
  switch (output.kind) {
    case 'text':
    case 'value':
      return output.text;
    case 'matrix':
      return output.rows.map((row) => row.join(' ')).join('\n');
    case 'figure':
      return `[${output.figure.type} figure${output.figure.title ? `: ${output.figure.title}` : ''}]`;
    case 'check':
      return `${output.passed ? '✓' : '✗'} ${output.message}`;
    case 'error':
      return `${output.name}: ${output.message}${output.line ? ` (line ${output.line})` : ''}`;
  }
}
