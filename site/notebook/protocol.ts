// The messages between a chapter page and its cell Worker. The page sends the cells to run;
// the Worker answers with each cell's rendered output as it finishes.
import type { HElement } from './render.ts';
import type { RunnableCell } from './runtime.ts';

/** Page → Worker: run these cells in order, in a fresh session when `fresh` is set. */
export interface RunRequest {
  type: 'run';
  /** Identifies the run, so answers from a run the page gave up on can be ignored. */
  run: number;
  fresh: boolean;
  seed: number;
  /** `throws` marks a cell whose error is part of the lesson: the run goes on after it (see runCells). */
  cells: RunnableCell[];
}

/** Worker → page: a cell started, or finished with these outputs. */
export type WorkerMessage =
  | { type: 'started'; run: number; index: number }
  | { type: 'finished'; run: number; index: number; failed: boolean; milliseconds: number; outputs: HElement[]; text: string[] }
  | { type: 'done'; run: number };
