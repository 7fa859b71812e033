// A notebook session: runs cells in order against one shared scope that holds the whole
// scratchnet library, print(), figures and check(). The build, the tests and the page's Web
// Worker all use this, so the outputs a reader sees are the outputs the tests checked.
import * as scratchnet from '../../lib/index.ts';
import { Matrix, argmax, seed } from '../../lib/index.ts';
import { CellSyntaxError, compileCell } from './transform.ts';
import { formatValue, outputFor, type Figure, type Output } from './outputs.ts';

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
      else this.outputs.push({ kind: 'text', text: values.map((value) => formatValue(value)).join(' ') });
    };
    const figure = (value: Figure): void => void this.outputs.push({ kind: 'figure', figure: value });
    this.scope = {
      ...scratchnet,
      print,
      console: { log: print, info: print, warn: print, error: print, debug: print },
      // Returns nothing, so an exercise cell ending in check(...) shows only the ✓ or ✗ line.
      check: (condition: unknown, message: string): void => {
        this.outputs.push({ kind: 'check', passed: Boolean(condition), message });
      },
      linePlot: (series: Record<string, ArrayLike<number>>, options: LinePlotOptions = {}) => figure(linePlot(series, options)),
      scatterPlot: (x: Matrix, labels: ArrayLike<number>, options: { title?: string; model?: Classifier; resolution?: number } = {}) =>
        figure(scatterPlot(x, labels, options)),
      heatmap: (m: Matrix, options: { title?: string } = {}) => figure({ type: 'heatmap', title: options.title, rows: m.rows, cols: m.cols, values: Array.from(m.data) }),
      showImages: (images: Matrix, options: { width?: number; height?: number; captions?: string[]; title?: string } = {}) =>
        figure(imagesFigure(images, options)),
    };
    // seed() replaces the library's default generator, so cells get a stand-in that always
    // forwards to the current one, even right after seed() in the same cell.
    this.scope.defaultRandom = new Proxy(Object.create(scratchnet.Random.prototype) as object, {
      get: (_target, key) => {
        const live = scratchnet.defaultRandom;
        const value: unknown = Reflect.get(live, key, live);
        return typeof value === 'function' ? value.bind(live) : value;
      },
    });
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

/** Options for linePlot: labels, and the x values shared by every series. */
export interface LinePlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** The x of each point; defaults to 1, 2, 3, … (epochs or steps). */
  x?: ArrayLike<number>;
}

/** A line figure from named series, plotted against `options.x` or against 1, 2, 3, …. */
export function linePlot(series: Record<string, ArrayLike<number>>, options: LinePlotOptions): Figure {
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
export function scatterPlot(x: Matrix, labels: ArrayLike<number>, options: { title?: string; model?: Classifier; resolution?: number }): Figure {
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
