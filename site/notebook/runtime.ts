// A notebook session: runs cells in order against one shared scope that holds the whole
// scratchnet library, print(), figures and check(); and runCells, the one loop that runs a
// chapter's cells. The build, the tests, scripts/run-cells.ts and the page's Web Worker all use
// it, so the outputs a reader sees are the outputs the tests checked.
import * as scratchnet from '../../lib/index.ts';
import { Matrix, seed } from '../../lib/index.ts';
import { heatmapFigure, imagesFigure, linePlot, scatterPlot, type HeatmapOptions, type ImagesOptions, type LinePlotOptions, type ScatterPlotOptions } from './figures.ts';
import { CellSyntaxError, compileCell } from './transform.ts';
import { memoryGuard } from './memory.ts';
import { OutputCollector, outputFor, type Figure, type Output } from './outputs.ts';
import { DatasetUnavailable, datasetHelpers, type DatasetSource } from './datasets.ts';

/** What running one cell produced. */
export interface CellResult {
  outputs: Output[];
  /** True when the cell threw (its error is the last output). */
  failed: boolean;
  /** Wall-clock milliseconds. */
  milliseconds: number;
  /** Why the cell was stopped from outside its code (its variables grew past the memory limit): the Worker holding it must end. */
  stopped?: string;
}

/** Options for a session. */
export interface SessionOptions {
  /** Seeds scratchnet's default generator before the first cell (the chapter's seed). */
  seed?: number;
  /** Where loadDataset() reads MNIST and Fashion-MNIST: the installed files in Node, the site's copies in the page. */
  datasets?: DatasetSource;
}

/** Runs notebook cells one after another, sharing their top-level names. */
export class NotebookSession {
  /** The names every cell can use: the library, the helpers, and what earlier cells declared. */
  readonly scope: Record<string, unknown>;
  /** The running cell's outputs, kept within the output limits (see OutputCollector). */
  private outputs = new OutputCollector();

  constructor(options: SessionOptions = {}) {
    seed(options.seed ?? 0);
    const print = (...values: unknown[]): void => this.outputs.print(values);
    const figure = (value: Figure): void => void this.outputs.push({ kind: 'figure', figure: value });
    this.scope = {
      ...scratchnet,
      ...datasetHelpers(options.datasets),
      print,
      console: { log: print, info: print, warn: print, error: print, debug: print },
      // Returns nothing, so an exercise cell ending in check(...) shows only the ✓ or ✗ line.
      check: (condition: unknown, message: string): void => {
        this.outputs.push({ kind: 'check', passed: Boolean(condition), message });
      },
      linePlot: (series: Record<string, ArrayLike<number>>, options: LinePlotOptions = {}) => figure(linePlot(series, options)),
      scatterPlot: (x: Matrix, labels: ArrayLike<number>, options: ScatterPlotOptions = {}) => figure(scatterPlot(x, labels, options)),
      // Also a confusion matrix's rows of counts, with { labels, rowTitle, colTitle, counts: true }.
      heatmap: (m: Matrix | number[][], options: HeatmapOptions = {}) => figure(heatmapFigure(m, options)),
      showImages: (images: Matrix, options: ImagesOptions = {}) => figure(imagesFigure(images, options)),
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
    this.outputs = new OutputCollector();
    const outputs = this.outputs;
    let failed = false;
    let stopped: string | undefined;
    // Every loop in the cell calls this (memory.ts): past the limit it throws, and the cell is marked stopped even if it catches that.
    const tick = memoryGuard(() => Object.values(this.scope), { onLimit: (error) => (stopped = error.message) });
    try {
      const compiled = compileCell(source, Object.keys(this.scope), `cell-${index + 1}.ts`);
      const run = (0, eval)(compiled.code) as (scope: Record<string, unknown>, load: (name: string) => unknown, guard: typeof tick) => Promise<unknown>;
      const value = await run(this.scope, importModule, tick);
      if (compiled.returnsValue && value !== undefined) outputs.push(outputFor(value, 'value'));
    } catch (error) {
      // A missing dataset is not the cell's fault: it says how to get the data, and the run goes on.
      if (error instanceof DatasetUnavailable) outputs.push({ kind: 'text', text: error.message });
      else {
        failed = true;
        outputs.push(errorOutput(error, index));
      }
    }
    return { outputs: outputs.finish(), failed, milliseconds: performance.now() - started, ...(stopped ? { stopped } : {}) };
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

/** A cell as runCells needs it: its place in the chapter, its source, and its `throws` flag. */
export interface RunnableCell {
  /** 0-based; names the cell in error messages and stack traces (`cell-3.ts`). */
  index: number;
  source: string;
  /** Marked `ts cell throws`: its error is part of the lesson, so the run goes on after it. */
  throws: boolean;
}

/** A cell whose result contradicts its `throws` flag: it failed unmarked, or is marked and did not fail. */
export interface UnexpectedResult<C extends RunnableCell = RunnableCell> {
  cell: C;
  result: CellResult;
}

/** What runCells did: the results in order, and the cells that did not behave as marked. */
export interface CellsRun<C extends RunnableCell = RunnableCell> {
  /** One per cell that ran: all of them, unless one failed unexpectedly, which is then the last. */
  results: CellResult[];
  /**
   * In order; empty when every cell did what its flag says. A cell marked `throws` that ran
   * without an error is listed and the run goes on (its state is whole); a cell that failed
   * without the mark is listed last, because the run stopped there.
   */
  unexpected: Array<UnexpectedResult<C>>;
}

/** Called around each cell, e.g. by the Worker to tell the page which cell is running. */
export interface RunHooks<C extends RunnableCell> {
  onStart?(cell: C): void;
  onFinish?(cell: C, result: CellResult): void;
}

/**
 * Runs `cells` in order in `session`. A cell marked `throws` may fail and the run goes on; after a
 * cell that fails unexpectedly the run stops, since later cells would run against a half-finished
 * state. Callers learn of both from `unexpected`: the build fails on its first entry.
 */
export async function runCells<C extends RunnableCell>(session: NotebookSession, cells: readonly C[], hooks: RunHooks<C> = {}): Promise<CellsRun<C>> {
  const results: CellResult[] = [];
  const unexpected: Array<UnexpectedResult<C>> = [];
  for (const cell of cells) {
    hooks.onStart?.(cell);
    const result = await session.run(cell.source, cell.index);
    results.push(result);
    hooks.onFinish?.(cell, result);
    if (result.failed === cell.throws) continue;
    unexpected.push({ cell, result });
    if (result.failed) break;
  }
  return { results, unexpected };
}
