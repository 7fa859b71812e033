// A notebook session: runs cells in order against one shared scope that holds the whole
// scratchnet library, print(), figures and check(). The build, the tests and the page's Web
// Worker all use this, so the outputs a reader sees are the outputs the tests checked.
import * as scratchnet from '../../lib/index.ts';
import { Matrix, argmax, seed } from '../../lib/index.ts';
import { CellSyntaxError, compileCell } from './transform.ts';
import { outputFor, type Figure, type Output } from './outputs.ts';

/** What running one cell produced. */
export interface CellResult {
  outputs: Output[];
  /** True when the cell threw (its error is the last output). */
  failed: boolean;
  /** Wall-clock milliseconds. */
  milliseconds: number;
}

/** Options for a session. */
export interface SessionOptions {
  /** Seeds scratchnet's default generator before the first cell (the chapter's seed). */
  seed?: number;
}

/** Anything with a predict() that maps (n × 2) points to class scores, such as a Sequential model. */
interface Classifier {
  predict(x: Matrix): Matrix;
}

/** Runs notebook cells one after another, sharing their top-level names. */
export class NotebookSession {
  /** The names every cell can use: the library, the helpers, and what earlier cells declared. */
  readonly scope: Record<string, unknown>;
  private outputs: Output[] = [];

  constructor(options: SessionOptions = {}) {
    seed(options.seed ?? 0);
    const print = (...values: unknown[]): void => {
      if (values.length === 1) this.outputs.push(outputFor(values[0], 'text'));
      else this.outputs.push({ kind: 'text', text: values.map((value) => outputFor(value, 'text')).map(textOf).join(' ') });
    };
    const figure = (value: Figure): void => void this.outputs.push({ kind: 'figure', figure: value });
    this.scope = {
      ...scratchnet,
      print,
      console: { log: print, info: print, warn: print, error: print, debug: print },
      check: (condition: unknown, message: string): boolean => {
        this.outputs.push({ kind: 'check', passed: Boolean(condition), message });
        return Boolean(condition);
      },
      linePlot: (series: Record<string, ArrayLike<number>>, options: { title?: string; xLabel?: string; yLabel?: string } = {}) =>
        figure(linePlot(series, options)),
      scatterPlot: (x: Matrix, labels: ArrayLike<number>, options: { title?: string; model?: Classifier; resolution?: number } = {}) =>
        figure(scatterPlot(x, labels, options)),
      heatmap: (m: Matrix, options: { title?: string } = {}) => figure({ type: 'heatmap', title: options.title, rows: m.rows, cols: m.cols, values: Array.from(m.data) }),
      showImages: (images: Matrix, options: { width?: number; height?: number; captions?: string[]; title?: string } = {}) =>
        figure(imagesFigure(images, options)),
    };
  }

  /** Runs one cell's source; `index` (0-based) names it in error messages. */
  async run(source: string, index: number): Promise<CellResult> {
    const started = performance.now();
    this.outputs = [];
    const outputs = this.outputs;
    let failed = false;
    try {
      const compiled = compileCell(source, Object.keys(this.scope), `cell-${index + 1}.ts`);
      const run = (0, eval)(compiled.code) as (scope: Record<string, unknown>, load: (name: string) => unknown) => Promise<unknown>;
      const value = await run(this.scope, importModule);
      if (compiled.returnsValue && value !== undefined) outputs.push(outputFor(value, 'value'));
    } catch (error) {
      failed = true;
      outputs.push(errorOutput(error, index));
    }
    return { outputs, failed, milliseconds: performance.now() - started };
  }
}

function textOf(output: Output): string {
  return output.kind === 'text' || output.kind === 'value' ? output.text : '';
}

/** What `import … from 'name'` gives a cell: only the library itself. */
function importModule(name: string): unknown {
  if (name === 'scratchnet') return scratchnet;
  throw new Error(`cells can import only 'scratchnet', not '${name}'`);
}

/** An error as output, with the line of the cell it came from when the stack says so. */
export function errorOutput(error: unknown, index: number): Output {
  if (error instanceof CellSyntaxError) return { kind: 'error', name: 'SyntaxError', message: error.message, line: error.line };
  if (!(error instanceof Error)) return { kind: 'error', name: 'Error', message: `a value was thrown: ${String(error)}` };
  const match = new RegExp(`cell-${index + 1}\\.ts:(\\d+):\\d+`).exec(error.stack ?? '');
  return { kind: 'error', name: error.name, message: error.message, line: match ? Number(match[1]) : undefined };
}

/** A line figure from named series, each plotted against its index (epoch 1, 2, …). */
export function linePlot(series: Record<string, ArrayLike<number>>, options: { title?: string; xLabel?: string; yLabel?: string }): Figure {
  return {
    type: 'line',
    ...options,
    series: Object.entries(series).map(([name, values]) => ({ name, y: Array.from(values), x: Array.from(values, (_, i) => i + 1) })),
  };
}

/** A scatter figure of (n × 2) points; with a model, also its predicted class over a grid. */
export function scatterPlot(x: Matrix, labels: ArrayLike<number>, options: { title?: string; model?: Classifier; resolution?: number }): Figure {
  if (!(x instanceof Matrix) || x.cols !== 2) throw new Error(`scatterPlot: needs (n×2) points, not ${x instanceof Matrix ? x.shapeText : typeof x}`);
  if (labels.length !== x.rows) throw new Error(`scatterPlot: ${labels.length} labels for ${x.rows} points`);
  const xs = Array.from({ length: x.rows }, (_, i) => x.data[2 * i]);
  const ys = Array.from({ length: x.rows }, (_, i) => x.data[2 * i + 1]);
  const range = (values: number[]): [number, number] => {
    const low = Math.min(...values);
    const high = Math.max(...values);
    const margin = (high - low) * 0.05 || 1;
    return [low - margin, high + margin];
  };
  const figure: Figure = { type: 'scatter', title: options.title, x: xs, y: ys, labels: Array.from(labels), xRange: range(xs), yRange: range(ys) };
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

/** An images figure from a matrix with one image per row (values in [0, 1], or 0–255). */
export function imagesFigure(images: Matrix, options: { width?: number; height?: number; captions?: string[]; title?: string }): Figure {
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
