// Live outputs: `const view = live()` reserves a place in a cell's output, and `view.update(() =>
// { linePlot(…); scatterPlot(…) })` redraws it while the cell runs, e.g. every few epochs of a
// training loop. In the page each frame is sent at once (a few a second at most, so drawing costs
// little of the run); at build time and in the tests only the last frame is drawn, at the end, so
// the same code gives one final output everywhere.
import type { Output } from './outputs.ts';

/** What live() returns: a place in the cell's output that the cell redraws. */
export interface LiveView {
  /**
   * Replaces this view's output with what `draw` shows. Awaiting it (`await view.update(…)`) lets
   * the page's Stop and newer input changes in while a long loop runs.
   */
  update(draw: () => void): Promise<void>;
}

/** What a cell throws, at its next loop turn or live update, once its run has been cancelled. */
export class RunCancelled extends Error {
  constructor() {
    super('cancelled: a newer change to an input made this run stale');
    this.name = 'RunCancelled';
  }
}

/** The least time between two frames a cell sends to the page, in milliseconds. */
export const FRAME_MS = 120;
/** How many live views one cell may have. */
export const MAX_VIEWS = 8;

interface Slot {
  /** How many outputs were shown when the view was made: it sits after them. */
  at: number;
  draw?: () => void;
  drawn: boolean;
  outputs: Output[];
}

/** How a cell's live views reach the session: collecting a frame, the outputs so far, cancelling and sending frames. */
export interface LiveHost {
  collect(draw: () => void): Output[];
  shown(): Output[];
  cancelled(): boolean;
  /** Absent at build time and in the tests: only the last frame is drawn, by finish(). */
  onFrame?: (outputs: Output[]) => void;
}

/** The live views of one run of one cell. */
export class LiveViews {
  private readonly slots: Slot[] = [];
  private readonly host: LiveHost;
  private nextFrame = 0;

  constructor(host: LiveHost) {
    this.host = host;
  }

  /** A new view, placed after the outputs shown so far. */
  create(): LiveView {
    if (this.slots.length >= MAX_VIEWS) throw new Error(`live(): a cell can have at most ${MAX_VIEWS} live views; make one before the loop and update it inside`);
    const slot: Slot = { at: shownCount(this.host.shown()), drawn: true, outputs: [] };
    this.slots.push(slot);
    return { update: (draw) => this.update(slot, draw) };
  }

  private update(slot: Slot, draw: () => void): Promise<void> {
    if (typeof draw !== 'function') throw new Error('view.update needs a function that draws the frame, e.g. view.update(() => linePlot({ loss }))');
    if (this.host.cancelled()) throw new RunCancelled();
    slot.draw = draw;
    slot.drawn = false;
    const send = this.host.onFrame;
    if (!send || performance.now() < this.nextFrame) return Promise.resolve();
    const started = performance.now();
    slot.outputs = this.host.collect(draw);
    slot.drawn = true;
    send(this.compose(this.host.shown()));
    // Drawing takes at most a third of the run, however slow a frame is.
    this.nextFrame = performance.now() + Math.max(FRAME_MS, 2 * (performance.now() - started));
    return new Promise((resolve) => setTimeout(resolve, 0));
  }

  /** Draws each view's last frame if it has not been drawn: the cell's final output. */
  finish(): void {
    for (const slot of this.slots) {
      if (slot.drawn || !slot.draw) continue;
      slot.outputs = this.host.collect(slot.draw);
      slot.drawn = true;
    }
  }

  /** `outputs` with each view's frame put in its place. */
  compose(outputs: Output[]): Output[] {
    const result = [...outputs];
    for (const slot of [...this.slots].reverse()) result.splice(Math.min(slot.at, shownCount(result)), 0, ...slot.outputs);
    return result;
  }
}

/** How many of `outputs` come before the trailing notes (what was omitted, the error). */
function shownCount(outputs: Output[]): number {
  let count = outputs.length;
  while (count > 0 && (outputs[count - 1].kind === 'omitted' || outputs[count - 1].kind === 'error')) count -= 1;
  return count;
}
