// A notebook session: runs cells in order against one shared scope that holds the whole
// scratchnet library, print(), figures and check(); and runCells, the one loop that runs a
// chapter's cells. The build, the tests, scripts/run-cells.ts and the page's Web Worker all use
// it, so the outputs a reader sees are the outputs the tests checked.
import * as scratchnet from '../../lib/index.ts';
import { Matrix, seed } from '../../lib/index.ts';
import { barChart, contourPlot, heatmapFigure, imagesFigure, linePlot, scatterPlot, type BarChartOptions, type ContourPlotOptions, type HeatmapOptions, type ImagesOptions, type LinePlotOptions, type ScatterPlotOptions } from './figures.ts';
import { CellSyntaxError, compileCell } from './transform.ts';
import { memoryGuard } from './memory.ts';
import { OutputCollector, outputFor, type Figure, type Output } from './outputs.ts';
import { DatasetUnavailable, datasetHelpers, type DatasetSource } from './datasets.ts';
import { CellInputs, type InputSpec, type InputValue, type NumberFieldOptions, type SliderOptions } from './inputs.ts';
import { LiveViews, RunCancelled, type LiveView } from './live.ts';

/** What running one cell produced. */
export interface CellResult {
  outputs: Output[];
  /** True when the cell threw (its error is the last output). */
  failed: boolean;
  /** Wall-clock milliseconds. */
  milliseconds: number;
  /** Why the cell was stopped from outside its code (its variables grew past the memory limit): the Worker holding it must end. */
  stopped?: string;
  /** The inputs the cell declared (slider(), choice(), …), with the values it ran with. */
  inputs: InputSpec[];
  /** The run was cancelled while this cell ran (a newer input change made it stale): its outputs are incomplete. */
  cancelled?: boolean;
  /** Where the default random generator stood when the cell started: the build writes it into the page. */
  random: scratchnet.RandomState;
}

export { RunCancelled };

/** Options for a session. */
export interface SessionOptions {
  /** Seeds scratchnet's default generator before the first cell (the chapter's seed). */
  seed?: number;
  /** Where loadDataset() reads MNIST and Fashion-MNIST: the installed files in Node, the site's copies in the page. */
  datasets?: DatasetSource;
  /** Hears every frame a cell's live() view draws while it runs (the Worker posts them); without it only the last frame is drawn, at the end. */
  onFrame?: (index: number, outputs: Output[]) => void;
}

/** Runs notebook cells one after another, sharing their top-level names. */
export class NotebookSession {
  /** The names every cell can use: the library, the helpers, and what earlier cells declared. */
  readonly scope: Record<string, unknown>;
  /** The running cell's outputs, kept within the output limits (see OutputCollector). */
  private outputs = new OutputCollector();
  /** The values the page set for each cell's inputs, by cell index and label. */
  readonly inputValues = new Map<number, Record<string, InputValue>>();
  /** The running cell's inputs and live views. */
  private inputs = new CellInputs();
  private views?: LiveViews;
  /** Where the default generator stood when each cell first ran: a re-run starts there again. */
  private readonly startStates = new Map<number, scratchnet.RandomState>();
  private readonly onFrame?: (index: number, outputs: Output[]) => void;
  /** Set by cancel(): the running cell stops at its next loop turn or live update, and runCells runs no further cell. */
  cancelled = false;

  constructor(options: SessionOptions = {}) {
    seed(options.seed ?? 0);
    this.onFrame = options.onFrame;
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
      barChart: (values: Parameters<typeof barChart>[0], options: BarChartOptions = {}) => figure(barChart(values, options)),
      contourPlot: (f: (x: number, y: number) => number, options: ContourPlotOptions) => figure(contourPlot(f, options)),
      // Inputs: the value the reader set on the page, or the default (the build, the tests).
      slider: (label: string, options: SliderOptions): number => this.inputs.slider(label, options),
      choice: <T extends string>(label: string, options: readonly T[], settings?: { value?: T }): T => this.inputs.choice(label, options, settings),
      checkbox: (label: string, settings?: { value?: boolean }): boolean => this.inputs.checkbox(label, settings),
      numberField: (label: string, options: NumberFieldOptions): number => this.inputs.numberField(label, options),
      live: (): LiveView => this.views!.create(),
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
  async run(source: string, index: number, options: { random?: scratchnet.RandomState } = {}): Promise<CellResult> {
    const started = performance.now();
    this.outputs = new OutputCollector();
    const outputs = this.outputs;
    this.inputs = new CellInputs(this.inputValues.get(index));
    const views = new LiveViews({
      collect: (draw) => this.collect(draw),
      shown: () => outputs.finish(),
      cancelled: () => this.cancelled,
      onFrame: this.onFrame && ((frame) => this.onFrame!(index, frame)),
    });
    this.views = views;
    const random = this.replayRandom(index, options.random);
    let failed = false;
    let stopped: string | undefined;
    let cancelled = false;
    // Every loop in the cell calls this (memory.ts): past the limit it throws, and the cell is marked stopped even if it catches that.
    const guard = memoryGuard(() => Object.values(this.scope), { onLimit: (error) => (stopped = error.message) });
    // ...and, once the run is cancelled, throws RunCancelled at the loop's next check.
    const tick = Object.defineProperty((roots: () => unknown[]) => {
      if (this.cancelled) throw new RunCancelled();
      return guard(roots);
    }, 'entry', { get: () => guard.entry });
    try {
      const compiled = compileCell(source, Object.keys(this.scope), `cell-${index + 1}.ts`);
      const run = (0, eval)(compiled.code) as (scope: Record<string, unknown>, load: (name: string) => unknown, guard: typeof tick) => Promise<unknown>;
      const value = await run(this.scope, importModule, tick as typeof guard);
      if (compiled.returnsValue && value !== undefined) outputs.push(outputFor(value, 'value'));
      views.finish();
    } catch (error) {
      // A missing dataset is not the cell's fault: it says how to get the data, and the run goes on.
      if (error instanceof DatasetUnavailable) outputs.push({ kind: 'text', text: error.message });
      else if (this.cancelled) cancelled = true;
      else {
        failed = true;
        outputs.push(errorOutput(error, index));
      }
    }
    const specs = this.inputs.specs;
    return { outputs: views.compose(outputs.finish()), failed, milliseconds: performance.now() - started, inputs: specs, random, ...(stopped ? { stopped } : {}), ...(cancelled ? { cancelled } : {}) };
  }

  /** Stops the running cell at its next loop turn or live update; runCells then runs no further cell. */
  cancel(): void {
    this.cancelled = true;
  }

  /** What `draw` shows, collected apart from the cell's other outputs (a live view's frame). */
  private collect(draw: () => void): Output[] {
    const outer = this.outputs;
    const frame = new OutputCollector();
    this.outputs = frame;
    try {
      draw();
    } finally {
      this.outputs = outer;
    }
    return frame.finish();
  }

  /**
   * A cell starts from the generator state it started from in the build (`given`, which the page
   * sends), or else from the one it first started from in this session. So re-running it (an input
   * moved, then moved back) gives what it gave before, the build's output included, whichever
   * cells ran before it. Returns the state it starts from.
   */
  private replayRandom(index: number, given?: scratchnet.RandomState): scratchnet.RandomState {
    const start = given ?? this.startStates.get(index);
    if (start) scratchnet.defaultRandom.setState({ s: [...start.s], spare: start.spare });
    const state = scratchnet.defaultRandom.getState();
    if (!this.startStates.has(index)) this.startStates.set(index, state);
    return state;
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
  /** The generator state the cell started from in the build, when the page knows it. */
  random?: scratchnet.RandomState;
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
  /** Awaited between cells, e.g. by the Worker to let a cancel message in. */
  between?(): Promise<void>;
}

/**
 * Runs `cells` in order in `session`. A cell marked `throws` may fail and the run goes on; after a
 * cell that fails unexpectedly the run stops, since later cells would run against a half-finished
 * state. Callers learn of both from `unexpected`: the build fails on its first entry.
 */
export async function runCells<C extends RunnableCell>(session: NotebookSession, cells: readonly C[], hooks: RunHooks<C> = {}): Promise<CellsRun<C>> {
  const results: CellResult[] = [];
  const unexpected: Array<UnexpectedResult<C>> = [];
  for (const [i, cell] of cells.entries()) {
    if (i > 0) await hooks.between?.();
    if (session.cancelled) break;
    hooks.onStart?.(cell);
    const result = await session.run(cell.source, cell.index, { random: cell.random });
    results.push(result);
    hooks.onFinish?.(cell, result);
    if (result.cancelled) break;
    if (result.failed === cell.throws) continue;
    unexpected.push({ cell, result });
    if (result.failed) break;
  }
  return { results, unexpected };
}
