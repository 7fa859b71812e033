// The messages between a chapter page and its cell Worker. The page sends the cells to run;
// the Worker answers with each cell's rendered output as it finishes.
import type { HElement } from './render.ts';
import type { RunnableCell } from './runtime.ts';
import type { InputSpec, InputValue } from './inputs.ts';
import type { CellNames } from './dependencies.ts';

/** Page → Worker: run these cells in order, in a fresh session when `fresh` is set. */
export interface RunRequest {
  type: 'run';
  /** Identifies the run, so answers from a run the page gave up on can be ignored. */
  run: number;
  fresh: boolean;
  seed: number;
  /** `throws` marks a cell whose error is part of the lesson: the run goes on after it (see runCells). */
  cells: RunnableCell[];
  /** The values the reader set, by cell index and input label; a cell's other inputs take their defaults. */
  inputs: Record<number, Record<string, InputValue>>;
  /** A run an input change started: it may be cancelled (CancelRequest), so the Worker lets messages in between cells. */
  cancellable?: boolean;
}

/** Page → Worker: a newer input change made run `run` stale; stop it at its next chance. */
export interface CancelRequest {
  type: 'cancel';
  run: number;
}

/** Worker → page: a cell started, reported a download's progress, or finished with these outputs. */
export type WorkerMessage =
  | { type: 'started'; run: number; index: number }
  /** `stopped` says why the cell was stopped from outside its code (memory): the page then ends this Worker. */
  | {
      type: 'finished';
      run: number;
      index: number;
      failed: boolean;
      milliseconds: number;
      outputs: HElement[];
      text: string[];
      stopped?: string;
      /** The cell's inputs as it declared them, and their controls (absent when it declares none). */
      inputs: InputSpec[];
      controls?: HElement;
      /** The names the cell writes and uses, for choosing what an input change re-runs. */
      names: CellNames;
      /** The run was cancelled during this cell: its outputs are incomplete and it must run again. */
      cancelled?: boolean;
    }
  /** A live view of the running cell drew a new frame: the cell's whole output as it stands. */
  | { type: 'frame'; run: number; index: number; outputs: HElement[] }
  /** How a running cell's download is going, e.g. "downloading MNIST: 0.4 of 0.9 MB". */
  | { type: 'progress'; run: number; index: number; text: string }
  /** The page's Content-Security-Policy refused a request the running cell made (this Worker inherits it). */
  | { type: 'blocked'; run: number; index: number; url: string; directive: string }
  | { type: 'done'; run: number };
