// What a cell shows: printed text, values, matrices as tables, figures, checks and errors.
// Outputs are plain data (no HTML), so the build, the tests and the page all render the same
// thing, and nothing a reader's code prints can become markup.
import { Matrix, formatNumber } from '../../lib/index.ts';

/** How an axis maps values: evenly (the default) or by powers of ten. */
export type AxisScale = 'linear' | 'log';

/** A line plot, e.g. loss and accuracy over epochs. */
export interface LineFigure {
  type: 'line';
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** 'log' spaces the axis by powers of ten (only positive values are drawn on it). */
  xScale?: AxisScale;
  yScale?: AxisScale;
  /** Fixed axis ranges (a slider's figure keeps its axes still); what falls outside is clipped. */
  xRange?: [number, number];
  yRange?: [number, number];
  /** `dashed` draws a series dashed, e.g. a tangent or a target line. */
  series: Array<{ name: string; x: number[]; y: number[]; dashed?: true }>;
  /** Marked points, e.g. where a tangent touches the curve, each with an optional short label. */
  points?: Array<{ x: number; y: number; label?: string }>;
}

/** Bars from a zero line, e.g. softmax probabilities or raw scores, one of them optionally picked out. */
export interface BarFigure {
  type: 'bar';
  title?: string;
  yLabel?: string;
  labels: string[];
  values: number[];
  yRange?: [number, number];
  /** The index of the bar picked out (the predicted class). */
  highlight?: number;
}

/** A function of two variables as a filled contour map with iso-lines, and paths over it (optimizers' steps). */
export interface ContourFigure {
  type: 'contour';
  title?: string;
  xLabel?: string;
  yLabel?: string;
  xRange: [number, number];
  yRange: [number, number];
  /** f on a width × height grid of points spanning the ranges, corners included, row 0 at the top (the largest y). */
  width: number;
  height: number;
  values: number[];
  /** The iso-line values, ascending; `log` when they are spaced geometrically. */
  levels: number[];
  log?: true;
  paths: Array<{ name: string; points: Array<[number, number]> }>;
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

/**
 * A matrix drawn as coloured cells: a layer's weights (a diverging ramp around zero), or counts
 * such as a confusion matrix (`counts`: one sequential ramp, each cell's number printed).
 */
export interface HeatmapFigure {
  type: 'heatmap';
  title?: string;
  rows: number;
  cols: number;
  values: number[];
  /** A name for each row and each column, e.g. the classes of a confusion matrix. */
  rowLabels?: string[];
  colLabels?: string[];
  /** What the rows and the columns stand for, e.g. "true" and "predicted". */
  rowTitle?: string;
  colTitle?: string;
  /** The values are counts (never negative): shade from none to the most, and print each one. */
  counts?: boolean;
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
export type Figure = LineFigure | ScatterFigure | HeatmapFigure | ImagesFigure | BarFigure | ContourFigure;

/** One piece of a cell's output. */
export type Output =
  | { kind: 'text'; text: string }
  | { kind: 'value'; text: string }
  | { kind: 'matrix'; shape: string; dtype: string; rows: string[][] }
  | { kind: 'figure'; figure: Figure }
  | { kind: 'check'; passed: boolean; message: string }
  | { kind: 'error'; name: string; message: string; line?: number }
  /** What a cell printed past the output limits, counted but not shown (see OutputCollector). */
  | { kind: 'omitted'; lines: number; characters: number; figures: number };

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
    case 'omitted':
      return omittedText(output);
  }
}

/** A number as a summary reads it: three significant digits, a true minus sign. */
const brief = (value: number): string => formatNumber(value, { digits: 3 }).replace(/^-/, '−');

/** The lowest and highest finite values (and, on a log axis, positive ones), or undefined if none. */
function extent(values: number[], positive = false): [number, number] | undefined {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (positive && v <= 0)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return low <= high ? [low, high] : undefined;
}

/** "x (log scale) from 1 to 300": an axis as a summary names it. */
function axisText(name: string, values: number[], scale: AxisScale | undefined): string {
  const range = extent(values, scale === 'log');
  return `${name}${scale === 'log' ? ' (log scale)' : ''}${range ? ` from ${brief(range[0])} to ${brief(range[1])}` : ''}`;
}

/**
 * A figure in words, for screen readers: what it plots, its axes, and its values at a glance
 * (each series' first and last values and its range; a heatmap's size and largest cells).
 */
export function figureSummary(figure: Figure): string {
  switch (figure.type) {
    case 'line': {
      const log = { x: figure.xScale === 'log', y: figure.yScale === 'log' };
      const count = figure.series.length;
      // A fixed range is what the axis shows, whatever the values.
      const axis = (name: string, values: number[], scale: AxisScale | undefined, range: [number, number] | undefined): string =>
        range ? axisText(name, range, scale) : axisText(name, values, scale);
      const head = `Line plot of ${count} series: ${axis(figure.xLabel ?? 'x', figure.series.flatMap((s) => s.x), figure.xScale, figure.xRange)} across, ${axis(figure.yLabel ?? 'y', figure.series.flatMap((s) => s.y), figure.yScale, figure.yRange)} up.`;
      const each = figure.series.map((series) => {
        const name = `${series.name}${series.dashed ? ' (dashed)' : ''}`;
        const shown = series.y.map((y, i) => [series.x[i], y]).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!log.x || x > 0) && (!log.y || y > 0));
        if (shown.length === 0) return `${name}: no values to draw.`;
        const [first, last] = [shown[0], shown[shown.length - 1]];
        const [low, high] = extent(shown.map(([, y]) => y))!;
        return `${name}: from ${brief(first[1])} at ${brief(first[0])} to ${brief(last[1])} at ${brief(last[0])}, lowest ${brief(low)}, highest ${brief(high)}.`;
      });
      const marked = figure.points?.length ? [`Marked: ${figure.points.map((p) => `${p.label ? `${p.label} ` : ''}at (${brief(p.x)}, ${brief(p.y)})`).join('; ')}.`] : [];
      return [head, ...each, ...marked].join(' ');
    }
    case 'scatter': {
      const counts = new Map<number, number>();
      for (const label of figure.labels) counts.set(label, (counts.get(label) ?? 0) + 1);
      const classes = [...counts.keys()].sort((a, b) => a - b);
      const perClass = classes.map((k) => `${counts.get(k)} of class ${brief(k)}`).join(', ');
      const axes = `x from ${brief(figure.xRange[0])} to ${brief(figure.xRange[1])}, y from ${brief(figure.yRange[0])} to ${brief(figure.yRange[1])}`;
      let regions = '';
      if (figure.boundary && figure.boundary.classes.length > 0) {
        const area = new Map<number, number>();
        for (const k of figure.boundary.classes) area.set(k, (area.get(k) ?? 0) + 1);
        const shares = [...area.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `class ${brief(k)} ${Math.round((100 * n) / figure.boundary!.classes.length)}%`);
        regions = ` The background shows the class the model predicts at each place: ${shares.join(', ')} of the area.`;
      }
      return `Scatter plot of ${figure.x.length} points in ${classes.length} ${classes.length === 1 ? 'class' : 'classes'} (${perClass}), ${axes}.${regions}`;
    }
    case 'heatmap':
      return heatmapSummary(figure);
    case 'images':
      return `${figure.images.length} ${figure.images.length === 1 ? 'image' : 'images'} of ${figure.width} × ${figure.height} pixels${figure.captions?.length ? `: ${figure.captions.join('; ')}` : ''}.`;
    case 'bar':
      return barSummary(figure);
    case 'contour':
      return contourSummary(figure);
  }
}

/** A bar chart in words: every bar with its value, the highest, and the one picked out. */
function barSummary(figure: BarFigure): string {
  const count = figure.values.length;
  const bars = figure.labels.map((label, i) => `${label} ${brief(figure.values[i])}`).join(', ');
  let best = -1;
  figure.values.forEach((v, i) => {
    if (Number.isFinite(v) && (best < 0 || v > figure.values[best])) best = i;
  });
  const parts = [`Bar chart of ${count} ${count === 1 ? 'bar' : 'bars'}${figure.yLabel ? ` (${figure.yLabel})` : ''}${count ? `: ${bars}` : ''}.`];
  if (count > 1 && best >= 0) parts.push(`Highest: ${figure.labels[best]}.`);
  if (figure.highlight !== undefined) parts.push(`Picked out: ${figure.labels[figure.highlight]}.`);
  return parts.join(' ');
}

/** A contour map in words: its ranges and levels, the lowest value on the grid and where, and each path's start, end and steps. */
function contourSummary(figure: ContourFigure): string {
  const { width, height, values, xRange, yRange } = figure;
  const at = (i: number): string => {
    const x = xRange[0] + ((i % width) / (width - 1)) * (xRange[1] - xRange[0]);
    const y = yRange[1] - (Math.floor(i / width) / (height - 1)) * (yRange[1] - yRange[0]);
    return `(${brief(x)}, ${brief(y)})`;
  };
  let lowest = -1;
  values.forEach((v, i) => {
    if (Number.isFinite(v) && (lowest < 0 || v < values[lowest])) lowest = i;
  });
  const levels = figure.levels.length ? `, ${figure.levels.length} ${figure.log ? 'log-spaced ' : ''}levels from ${brief(figure.levels[0])} to ${brief(figure.levels[figure.levels.length - 1])}` : '';
  const parts = [`Contour map of ${figure.xLabel ?? 'x'} from ${brief(xRange[0])} to ${brief(xRange[1])} across and ${figure.yLabel ?? 'y'} from ${brief(yRange[0])} to ${brief(yRange[1])} up${levels}.`];
  if (lowest >= 0) parts.push(`Lowest on the grid: ${brief(values[lowest])} at ${at(lowest)}.`);
  for (const { name, points } of figure.paths) {
    if (points.length === 0) continue;
    const [first, last] = [points[0], points[points.length - 1]];
    const outside = points.some(([x, y]) => !(x >= xRange[0] && x <= xRange[1] && y >= yRange[0] && y <= yRange[1]));
    const steps = points.length - 1;
    parts.push(`${name}: ${steps} ${steps === 1 ? 'step' : 'steps'} from (${brief(first[0])}, ${brief(first[1])}) to (${brief(last[0])}, ${brief(last[1])})${outside ? ', leaving the plotted range' : ''}.`);
  }
  return parts.join(' ');
}

/** A heatmap in words: its size and range, and its largest cells (a confusion matrix: its diagonal and biggest mistakes). */
function heatmapSummary(figure: HeatmapFigure): string {
  const rowName = (r: number): string => figure.rowLabels?.[r] ?? `row ${r}`;
  const colName = (c: number): string => figure.colLabels?.[c] ?? `column ${c}`;
  const cell = (i: number): string => {
    const r = Math.floor(i / figure.cols);
    const c = i % figure.cols;
    const where = figure.rowTitle && figure.colTitle ? `${figure.rowTitle} ${rowName(r)}, ${figure.colTitle} ${colName(c)}` : `${rowName(r)}, ${colName(c)}`;
    return `${brief(figure.values[i])} at ${where}`;
  };
  /** The indices of the (up to) three cells with the largest `key`, among those `keep` allows. */
  const top = (key: (v: number) => number, keep: (i: number) => boolean = () => true): number[] => {
    const best: Array<[number, number]> = []; // [key, index], largest first; one pass, not a sort of every cell
    figure.values.forEach((v, i) => {
      const k = key(v);
      if (!(Number.isFinite(k) && k > 0) || !keep(i)) return;
      if (best.length === 3 && k <= best[2][0]) return;
      best.push([k, i]);
      best.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      if (best.length > 3) best.pop();
    });
    return best.map(([, i]) => i);
  };
  const size = `${figure.rows} × ${figure.cols}`;
  const axes = figure.rowTitle && figure.colTitle ? `, ${figure.rowTitle} by row and ${figure.colTitle} by column` : '';
  if (figure.counts) {
    const total = figure.values.reduce((sum, v) => sum + (Number.isFinite(v) ? v : 0), 0);
    const parts = [`Heatmap of a ${size} matrix of counts${axes}, ${brief(total)} in all, each cell shaded by its count.`];
    if (figure.rows === figure.cols && figure.rows > 1) {
      let diagonal = 0;
      for (let k = 0; k < figure.rows; k++) diagonal += figure.values[k * figure.cols + k] || 0;
      const off = top((v) => v, (i) => Math.floor(i / figure.cols) !== i % figure.cols);
      parts.push(`The diagonal holds ${brief(diagonal)}${total > 0 ? ` (${brief((100 * diagonal) / total)}%)` : ''}.`);
      parts.push(off.length ? `Largest cells off the diagonal: ${off.map(cell).join('; ')}.` : 'Every cell off the diagonal is 0.');
    } else {
      const largest = top((v) => v);
      if (largest.length) parts.push(`Largest cells: ${largest.map(cell).join('; ')}.`);
    }
    return parts.join(' ');
  }
  const range = extent(figure.values);
  const largest = top((v) => Math.abs(v));
  return [
    `Heatmap of a ${size} matrix${axes}${range ? `, values from ${brief(range[0])} to ${brief(range[1])}` : ''}, blue below zero and red above.`,
    ...(largest.length ? [`Largest in size: ${largest.map(cell).join('; ')}.`] : []),
  ].join(' ');
}

// ── How much one cell may show ───────────────────────────────────────────────────────────────

/**
 * The most lines of text one cell shows. A page took about 4 s to show a cell that printed
 * 100,000 lines (sending them, building a node for each, laying them out), and the time grew with
 * the lines; nobody reads past the first screens. The Worker and the build keep the same limits
 * (NotebookSession collects every cell's outputs through an OutputCollector), so they agree.
 */
export const MAX_OUTPUT_LINES = 1000;
/**
 * The most characters of text one cell shows (about 50 KB): one huge string is as slow to show as
 * many lines; a 200,000-character line took 130 ms to lay out on a busy two-core machine, this ~30 ms.
 */
export const MAX_OUTPUT_CHARACTERS = 50_000;
/** The most figures one cell shows: each is an SVG or an image the page must build. */
export const MAX_FIGURES = 20;
/** The most numbers one cell's figures may hold together (points, pixels, cells): 25× the largest figure a chapter draws. */
export const MAX_FIGURE_VALUES = 500_000;
/** The most characters of an error message shown: the error is always shown, however much was printed before it. */
export const MAX_ERROR_CHARACTERS = 10_000;

const count = (n: number, noun: string): string => `${n.toLocaleString('en-US')} more ${noun}${n === 1 ? '' : 's'}`;

/** "… 999,000 more lines not shown (a cell shows at most 1,000 lines)": what an `omitted` output says. */
export function omittedText({ lines, characters, figures }: { lines: number; characters: number; figures: number }): string {
  const parts = [...(characters > 0 ? [count(characters, 'character')] : []), ...(lines > 0 ? [count(lines, 'line')] : []), ...(figures > 0 ? [count(figures, 'figure')] : [])];
  const limits = [
    ...(lines > 0 || characters > 0 ? [`${MAX_OUTPUT_LINES.toLocaleString('en-US')} lines and ${MAX_OUTPUT_CHARACTERS.toLocaleString('en-US')} characters`] : []),
    ...(figures > 0 ? [`${MAX_FIGURES} figures`] : []),
  ];
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0];
  return `… ${list} not shown (a cell shows at most ${limits.join(' and ')})`;
}

/** The number of lines in `text`: one more than its line breaks. */
function lineCount(text: string): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

/** How many numbers a figure holds: what it costs the page to draw. */
function figureValues(figure: Figure): number {
  switch (figure.type) {
    case 'line':
      return figure.series.reduce((total, series) => total + series.x.length + series.y.length, 0);
    case 'scatter':
      return 3 * figure.x.length + (figure.boundary?.classes.length ?? 0);
    case 'heatmap':
      return figure.values.length;
    case 'images':
      return figure.images.reduce((total, image) => total + image.length, 0);
    case 'bar':
      return figure.values.length;
    case 'contour':
      return figure.values.length + figure.paths.reduce((total, path) => total + 2 * path.points.length, 0);
  }
}

/** The lines and characters a text-like output shows. */
function textSize(output: Output): { lines: number; characters: number } {
  if (output.kind === 'matrix') return { lines: output.rows.length + 1, characters: output.rows.reduce((total, row) => total + row.join(' ').length + 1, output.shape.length) };
  const text = outputText(output);
  return { lines: lineCount(text), characters: text.length };
}

/**
 * Collects one cell's outputs within the limits above: text (prints, values, matrices, checks)
 * until MAX_OUTPUT_LINES or MAX_OUTPUT_CHARACTERS, figures until MAX_FIGURES or MAX_FIGURE_VALUES.
 * What comes after is counted, cheaply, and not kept; finish() ends the outputs with one
 * `omitted` line saying exactly how much was not shown, then the cell's error, which always shows.
 */
export class OutputCollector {
  private readonly shown: Output[] = [];
  private errors: Output[] = [];
  private lines = 0;
  private characters = 0;
  private figures = 0;
  private values = 0;
  private readonly hidden = { lines: 0, characters: 0, figures: 0 };
  /** The text budget is spent: from here on text is only counted (what shows stays a prefix of what was printed). */
  private textFull = false;
  private figuresFull = false;

  /** Adds one output (an error is kept for the end, its message cut to MAX_ERROR_CHARACTERS). */
  push(output: Output): void {
    if (output.kind === 'error') {
      const message = output.message.length > MAX_ERROR_CHARACTERS ? `${output.message.slice(0, MAX_ERROR_CHARACTERS)}… (${count(output.message.length - MAX_ERROR_CHARACTERS, 'character')} not shown)` : output.message;
      this.errors.push({ ...output, message });
    } else if (output.kind === 'figure') this.pushFigure(output.figure);
    else if (output.kind !== 'omitted') this.pushText(output);
  }

  /** Adds what print(...values) shows; once the text budget is spent it only counts the lines, without formatting numbers. */
  print(values: unknown[]): void {
    if (!this.textFull) {
      this.push(values.length === 1 ? outputFor(values[0], 'text') : { kind: 'text', text: values.map((value) => formatValue(value)).join(' ') });
      return;
    }
    if (values.length === 1 && values[0] instanceof Matrix) {
      this.hidden.lines += textSize(matrixOutput(values[0])).lines;
      return;
    }
    let lines = 1;
    for (const value of values) {
      if (typeof value === 'string') lines += lineCount(value) - 1;
      else if (typeof value === 'object' && value !== null) lines += lineCount(formatValue(value)) - 1;
    }
    this.hidden.lines += lines;
  }

  private pushText(output: Output): void {
    if (this.textFull) {
      this.hidden.lines += textSize(output).lines;
      return;
    }
    const size = textSize(output);
    if (this.lines + size.lines <= MAX_OUTPUT_LINES && this.characters + size.characters <= MAX_OUTPUT_CHARACTERS) {
      this.shown.push(output);
      this.lines += size.lines;
      this.characters += size.characters;
      return;
    }
    this.textFull = true;
    const linesLeft = MAX_OUTPUT_LINES - this.lines;
    const charactersLeft = MAX_OUTPUT_CHARACTERS - this.characters;
    // A table or a check shows whole or not at all; text shows as much as fits.
    if ((output.kind !== 'text' && output.kind !== 'value') || linesLeft <= 0 || charactersLeft <= 0) {
      this.hidden.lines += size.lines;
      return;
    }
    this.shown.push({ kind: output.kind, text: this.cut(output.text, linesLeft, charactersLeft) });
  }

  /** The start of `text` that fits in `linesLeft` lines and `charactersLeft` characters; counts the rest as hidden. */
  private cut(text: string, linesLeft: number, charactersLeft: number): string {
    let byLines = text.length; // where line number `linesLeft` ends
    for (let line = 1, from = 0; line <= linesLeft; line++) {
      const end = text.indexOf('\n', from);
      if (end === -1) break;
      if (line === linesLeft) byLines = end;
      from = end + 1;
    }
    const at = Math.min(byLines, charactersLeft);
    if (text[at] === '\n') this.hidden.lines += lineCount(text.slice(at + 1));
    else {
      // Cut inside a line: the rest of that line counts as characters, the lines after it as lines.
      const next = text.indexOf('\n', at);
      this.hidden.characters += (next === -1 ? text.length : next) - at;
      if (next !== -1) this.hidden.lines += lineCount(text.slice(next + 1));
    }
    return text.slice(0, at);
  }

  private pushFigure(figure: Figure): void {
    const values = figureValues(figure);
    if (!this.figuresFull && this.figures < MAX_FIGURES && this.values + values <= MAX_FIGURE_VALUES) {
      this.shown.push({ kind: 'figure', figure });
      this.figures += 1;
      this.values += values;
      return;
    }
    this.figuresFull = true;
    this.hidden.figures += 1;
  }

  /** The outputs to show: what fitted, a line saying how much did not (if anything did not), then any error. */
  finish(): Output[] {
    const { lines, characters, figures } = this.hidden;
    const omitted: Output[] = lines + characters + figures > 0 ? [{ kind: 'omitted', lines, characters, figures }] : [];
    return [...this.shown, ...omitted, ...this.errors];
  }
}
