// The live notebook on a chapter page: Run (Shift+Enter in the code), Edit, Reset and Copy for
// every cell, an editor that loads when a reader starts editing (Escape hands the focus back),
// edits kept in localStorage, and a Web Worker that runs the code so the page never freezes.
// Stop (or the visible time limit) ends the Worker and names, in short, the cells to re-run.
import { copyButton } from '../utils/copy.ts';
import { toDOM } from './dom.ts';
import type { HElement } from './render.ts';
import type { CellEditor } from './editor.ts';
import type { CancelRequest, RunRequest, WorkerMessage } from './protocol.ts';
import { CellControls } from './client-inputs.ts';
import { cellsToRerun, type CellNames } from './rerun.ts';
import type { InputValue } from './inputs.ts';
import type { RandomState } from '../../lib/random.ts';
import { droppedNotice, editKey, readSavedEdits, type SavedEdits } from './saved-edits.ts';
import { startWorker } from './blob-worker.ts';
import workerUrl from './worker.ts?worker&url';

interface Cell {
  index: number;
  section: HTMLElement;
  pre: HTMLElement;
  original: string;
  source: string;
  editor?: CellEditor;
  editorHost?: HTMLElement;
  status: HTMLElement;
  output: HTMLElement;
  runButton: HTMLButtonElement;
  resetButton: HTMLButtonElement;
  /** A notice in the status (Run pressed during a run): its text, what it replaced, and until when (performance.now()). */
  notice?: { text: string; before: string; until: number };
  /** Ran in the current Worker session with its current source. */
  ran: boolean;
  /** The cell is meant to throw: its error is part of the lesson. */
  throws: boolean;
  /** Requests of this run of the cell that the Content-Security-Policy refused, as notes under its output. */
  blocked: HTMLElement[];
  /** The cell's sliders and other inputs, when it declares any. */
  controls?: CellControls;
  /** The names the cell writes and uses (from the build, then from its last run). */
  names: CellNames;
  /** The random generator's state when the cell started in the build: it starts there in the page too. */
  random?: RandomState;
}

/** How long a number field waits for the reader to stop typing before its cell re-runs, in milliseconds. */
const TYPING_MS = 400;

/** "3", "3 and 4", "1–3, 5 and 7–14": cell numbers, with runs of three or more as ranges. */
export function cellRanges(numbers: number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j - i >= 2) parts.push(`${sorted[i]}–${sorted[j]}`);
    else parts.push(...sorted.slice(i, j + 1).map(String));
    i = j;
  }
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** "Cell 3" or "Cells 1–3 and 5": the cells named the short way. */
export function cellsNamed(numbers: number[]): string {
  return `${new Set(numbers).size === 1 ? 'Cell' : 'Cells'} ${cellRanges(numbers)}`;
}

/** How long a "still running" notice stays up, in milliseconds. */
const NOTICE_MS = 4000;

/** localStorage, or undefined where reading it throws (storage disabled, sandboxed frames). */
function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** A notice under the notebook bar that the reader can dismiss (e.g. saved edits that were dropped). */
function notice(text: string): HTMLElement {
  const element = document.createElement('p');
  element.className = 'notebook-notice wide';
  element.setAttribute('role', 'status');
  const dismiss = button('Dismiss', 'Hide this notice', () => element.remove());
  element.append(text, ' ', dismiss);
  return element;
}

function button(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.title = title;
  element.addEventListener('click', onClick);
  return element;
}

/** One chapter's cells and the Worker that runs them. */
export class Notebook {
  readonly cells: Cell[];
  private worker?: Worker;
  private run = 0;
  /** The cell running now, since when, and how its dataset download is going (if it is downloading). */
  private running?: { index: number; started: number; progress?: string };
  private pending = new Set<number>();
  private timer?: ReturnType<typeof setInterval>;
  private readonly barStatus: HTMLElement;
  private readonly barTimer: HTMLElement;
  private readonly stopButton: HTMLButtonElement;
  /** Cells whose inputs moved since their last run started: they re-run as soon as the notebook is free. */
  private readonly movedInputs = new Set<number>();
  /** The cells whose inputs started the current run (it may be cancelled), and whether a cancel was sent. */
  private inputRun?: { changed: Set<number>; cancelSent: boolean };
  private inputTimer?: ReturnType<typeof setTimeout>;

  private readonly root: HTMLElement;
  private readonly seed: number;
  /** How long a run may take before it is stopped, in milliseconds. */
  timeLimitMs: number;

  constructor(root: HTMLElement, seed: number, timeLimitMs: number) {
    this.root = root;
    this.seed = seed;
    this.timeLimitMs = timeLimitMs;
    const sections = Array.from(root.querySelectorAll<HTMLElement>('section.cell'));
    // Every saved edit is checked before any cell uses one; bad entries are removed and named below.
    const originals = sections.map((section) => (section.querySelector('pre')?.textContent ?? '').replace(/\n$/, ''));
    const saved = readSavedEdits(storage(), location.pathname, originals);
    this.cells = sections.map((section, index) => this.setUp(section, index, saved));
    const bar = document.createElement('div');
    bar.className = 'notebook-bar';
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', 'Notebook');
    // The status is the page's one live region for runs: it changes when a run starts, stops or
    // ends, never on the clock; the clock ticks in the timer beside it, which is not announced.
    this.barStatus = document.createElement('span');
    this.barStatus.className = 'notebook-status';
    this.barStatus.setAttribute('aria-live', 'polite');
    this.barStatus.textContent = `${this.cells.length} cells · outputs from the build`;
    this.barTimer = document.createElement('span');
    this.barTimer.className = 'notebook-timer';
    this.stopButton = button('Stop', 'Stop the running code', () => this.stop('Stopped'));
    this.stopButton.disabled = true;
    bar.append(button('Run all', 'Run every cell from the top in a fresh session', () => this.runAll()), this.stopButton, this.barStatus, this.barTimer);
    sections[0]?.before(bar);
    if (saved.dropped.length > 0) bar.after(notice(droppedNotice(saved.dropped)));
    root.dataset.notebook = 'ready';
  }

  private storageKey(index: number): string {
    return editKey(location.pathname, index);
  }

  private setUp(section: HTMLElement, index: number, savedEdits: SavedEdits): Cell {
    const pre = section.querySelector<HTMLElement>('pre')!;
    const toolbar = section.querySelector<HTMLElement>('.cell-toolbar')!;
    const status = section.querySelector<HTMLElement>('.cell-status')!;
    const output = section.querySelector<HTMLElement>('.cell-output')!;
    // The notebook bar announces runs; a cell's status ticks with the clock, so it stays quiet.
    status.removeAttribute('aria-live');
    const original = (pre.textContent ?? '').replace(/\n$/, '');
    const cell: Cell = {
      index,
      section,
      pre,
      original,
      source: original,
      status,
      output,
      ran: false,
      throws: section.dataset.throws === 'true',
      blocked: [],
      random: readRandom(section.dataset.random),
      names: { writes: (section.dataset.writes ?? '').split(' ').filter(Boolean), uses: (section.dataset.uses ?? '').split(' ').filter(Boolean) },
      runButton: button('Run', 'Run this cell (Shift+Enter in its code)', () => this.runCell(index)),
      resetButton: button('Reset', 'Restore the original code', () => this.reset(cell)),
    };
    cell.runButton.setAttribute('aria-keyshortcuts', 'Shift+Enter');
    const controls = section.querySelector<HTMLElement>('.cell-inputs');
    if (controls) this.wireControls(cell, controls);
    const saved = savedEdits.edits.get(index);
    cell.resetButton.hidden = saved === undefined;
    // The controls wrap onto a phone's second line together, not one by one.
    const actions = document.createElement('span');
    actions.className = 'cell-actions';
    actions.append(
      cell.runButton,
      shortcut(),
      button('Edit', 'Edit this cell', () => void this.edit(cell, true)),
      cell.resetButton,
      copyButton(() => cell.source, `Copy the code of cell ${index + 1}`),
    );
    toolbar.insertBefore(actions, status);
    pre.addEventListener('click', () => void this.edit(cell, true));
    pre.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault();
      if (event.shiftKey || event.metaKey || event.ctrlKey) this.runCell(index);
      else void this.edit(cell, true);
    });
    if (saved !== undefined) {
      cell.source = saved;
      output.classList.add('stale');
      status.textContent = 'edited · not run yet';
      void this.edit(cell, false);
    }
    return cell;
  }

  private save(cell: Cell): void {
    try {
      if (cell.source === cell.original) localStorage.removeItem(this.storageKey(cell.index));
      else localStorage.setItem(this.storageKey(cell.index), JSON.stringify({ original: cell.original, source: cell.source }));
    } catch {
      // Storage can be full or disabled; editing still works for this visit.
    }
  }

  /**
   * Replaces the highlighted code with an editor (loading CodeMirror the first time), with a
   * line under it saying how to leave: Tab indents inside the editor, so Escape hands the focus
   * to the code area itself, from where Tab moves on through the page and Enter edits again.
   */
  async edit(cell: Cell, focus: boolean): Promise<void> {
    if (!cell.editor) {
      const { createEditor } = await import('./editor.ts');
      if (cell.editor) return;
      const host = document.createElement('div');
      host.className = 'cell-editor';
      host.tabIndex = -1;
      host.setAttribute('role', 'group');
      host.setAttribute('aria-label', `Code of cell ${cell.index + 1}: press Enter to edit`);
      const hint = document.createElement('p');
      hint.className = 'cell-hint';
      hint.id = `cell-hint-${cell.index + 1}`;
      hint.append(
        keys('Esc'), ' then ', keys('Tab'), ' leaves the editor · ',
        keys('Tab'), ' indents · ',
        keys('Shift', 'Enter'), ' runs',
      );
      cell.pre.after(host, hint);
      cell.pre.hidden = true;
      cell.editorHost = host;
      // After Escape the editable lines leave the tab order, so the next Tab skips past them; they
      // come back as soon as the focus has moved on, so Tab and Shift+Tab reach the editor again.
      const content = (): HTMLElement | null => host.querySelector('.cm-content');
      host.addEventListener('blur', () => content()?.removeAttribute('tabindex'));
      host.addEventListener('keydown', (event) => {
        if (event.target !== host) return;
        if (event.key === 'Enter' && (event.shiftKey || event.metaKey || event.ctrlKey)) this.runCell(cell.index);
        else if (event.key === 'Enter') {
          content()?.removeAttribute('tabindex');
          cell.editor?.focus();
        } else return;
        event.preventDefault();
      });
      cell.editor = createEditor(host, cell.source, {
        label: `Code of cell ${cell.index + 1}`,
        describedBy: hint.id,
        onRun: () => this.runCell(cell.index),
        onEscape: () => {
          content()?.setAttribute('tabindex', '-1');
          host.focus();
        },
        onChange: (text) => {
          cell.source = text;
          cell.ran = false;
          cell.resetButton.hidden = text === cell.original;
          cell.output.classList.add('stale');
          cell.status.textContent = 'edited · not run yet';
          this.save(cell);
        },
      });
    }
    if (focus) cell.editor.focus();
  }

  /** Restores a cell's original code and forgets the saved edit. */
  reset(cell: Cell): void {
    cell.source = cell.original;
    cell.editor?.setValue(cell.original);
    cell.controls?.reset();
    this.movedInputs.delete(cell.index);
    cell.ran = false;
    cell.resetButton.hidden = true;
    cell.output.classList.add('stale');
    cell.status.textContent = 'reset · not run yet';
    this.save(cell);
  }

  /** Wires a cell's input controls: a change re-runs the cell and the cells that depend on it. */
  private wireControls(cell: Cell, container: HTMLElement): void {
    cell.controls = new CellControls(container, (typing) => {
      cell.resetButton.hidden = cell.source === cell.original && !cell.controls?.moved;
      this.movedInputs.add(cell.index);
      clearTimeout(this.inputTimer);
      this.inputTimer = setTimeout(() => this.runMovedInputs(), typing ? TYPING_MS : 0);
    });
  }

  /**
   * Re-runs the cells whose inputs moved, and the cells that depend on them. While a run that
   * inputs started is still going, it is cancelled first (it stops at its next loop turn, live
   * update or cell); any other run finishes, and the moved inputs run after it.
   */
  private runMovedInputs(): void {
    if (this.movedInputs.size === 0) return;
    if (this.running) {
      if (this.inputRun && !this.inputRun.cancelSent) {
        this.inputRun.cancelSent = true;
        this.worker?.postMessage({ type: 'cancel', run: this.run } satisfies CancelRequest);
      }
      return;
    }
    const changed = new Set(this.movedInputs);
    this.movedInputs.clear();
    const indices = cellsToRerun(this.cells.map((cell) => cell.names), changed, this.cells.map((cell) => cell.ran));
    this.inputRun = { changed, cancelSent: false };
    this.start(indices.map((index) => this.cells[index]), false, true);
  }

  /** The values of every cell's inputs, for a run request. */
  private inputValues(): Record<number, Record<string, InputValue>> {
    const values: Record<number, Record<string, InputValue>> = {};
    for (const cell of this.cells) if (cell.controls) values[cell.index] = cell.controls.values();
    return values;
  }

  /** Runs cell `index`, first running any earlier cells that have not run in this session. */
  runCell(index: number): void {
    if (this.running) return this.busy(index);
    const first = this.cells.findIndex((cell) => !cell.ran);
    const start = first === -1 || first > index ? index : first;
    this.start(this.cells.slice(start, index + 1), false);
  }

  /**
   * Run was pressed while code runs: the pressed cell's status says so for a few seconds, the
   * bar says it too (politely, to screen readers), and the Stop button is pointed out.
   */
  private busy(index: number): void {
    const running = this.running!.index + 1;
    const cell = this.cells[index];
    const [status, sentence] =
      index + 1 === running
        ? ['already running — press Stop to end it', `Cell ${running} is already running — press Stop to end it.`]
        : this.pending.has(index)
          ? [`queued — cell ${running} runs first`, `Cell ${index + 1} is queued behind cell ${running} — press Stop to end the run.`]
          : [`waiting — cell ${running} is running`, `Cell ${running} is still running — press Stop to end it, then run cell ${index + 1}.`];
    cell.notice = { text: status, before: cell.notice?.before ?? cell.status.textContent ?? '', until: performance.now() + NOTICE_MS };
    cell.status.textContent = status;
    cell.section.dataset.notice = '';
    this.barStatus.textContent = sentence;
    this.stopButton.classList.remove('attention');
    void this.stopButton.offsetWidth; // restarts the highlight's animation
    this.stopButton.classList.add('attention');
    setTimeout(() => {
      if (cell.notice && performance.now() >= cell.notice.until) this.endNotice(cell);
    }, NOTICE_MS);
  }

  /** Takes a cell's notice down, putting back what its status said unless the run has changed it since. */
  private endNotice(cell: Cell): void {
    if (!cell.notice) return;
    if (cell.status.textContent === cell.notice.text) cell.status.textContent = cell.notice.before;
    cell.notice = undefined;
    delete cell.section.dataset.notice;
  }

  /** Runs every cell from the top in a fresh, seeded session. */
  runAll(): void {
    if (this.running) this.stop('Stopped');
    for (const cell of this.cells) cell.ran = false;
    this.start(this.cells, true);
  }

  private start(cells: Cell[], fresh: boolean, cancellable = false): void {
    if (cells.length === 0) return;
    this.worker ??= this.createWorker();
    this.run += 1;
    this.pending = new Set(cells.map((cell) => cell.index));
    for (const cell of cells) {
      cell.status.textContent = 'queued';
      cell.section.dataset.state = 'queued';
      // An input's re-run replaces the figure in a moment: greying it on every move would flicker.
      if (!cancellable) cell.output.classList.add('stale');
    }
    const request: RunRequest = { type: 'run', run: this.run, fresh, seed: this.seed, cells: cells.map((cell) => ({ index: cell.index, source: cell.source, throws: cell.throws, ...(cell.random ? { random: cell.random } : {}) })), inputs: this.inputValues(), ...(cancellable ? { cancellable } : {}) };
    this.worker.postMessage(request);
    this.running = { index: cells[0].index, started: performance.now() };
    this.stopButton.disabled = false;
    this.root.dataset.running = 'true';
    this.barStatus.textContent = `Running ${cellsNamed(cells.map((cell) => cell.index + 1)).toLowerCase()}…`;
    this.timer = setInterval(() => this.tick(), 100);
    this.tick();
  }

  private createWorker(): Worker {
    // From a blob: URL, so the cells run under the page's Content-Security-Policy (no other hosts).
    const worker = startWorker(workerUrl);
    worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => this.receive(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.stop(`The cell runner failed: ${event.message}`);
    });
    return worker;
  }

  private tick(): void {
    if (!this.running) return;
    const elapsed = performance.now() - this.running.started;
    const seconds = (elapsed / 1000).toFixed(1);
    const limit = Math.round(this.timeLimitMs / 1000);
    const cell = this.cells[this.running.index];
    // After the run's last cell finished, until 'done' arrives, no cell is running: mark none.
    if (!this.pending.has(cell.index)) return;
    cell.section.dataset.state = 'running';
    const progress = this.running.progress ? ` · ${this.running.progress}` : '';
    if (!cell.notice) cell.status.textContent = `running · ${seconds} s of ${limit} s${progress}`;
    this.barTimer.textContent = `cell ${this.running.index + 1} · ${seconds} s (stops at ${limit} s)`;
    if (elapsed > this.timeLimitMs) this.stop(`Stopped after ${limit} s, the time limit`);
  }

  private receive(message: WorkerMessage): void {
    if (message.run !== this.run) return; // from a run that was stopped
    if (message.type === 'progress') {
      if (this.running?.index === message.index) this.running.progress = message.text;
      this.tick();
      return;
    }
    if (message.type === 'blocked') {
      const note = blockedNote(message.url, message.directive);
      this.cells[message.index].blocked.push(note);
      this.cells[message.index].output.append(note);
      return;
    }
    if (message.type === 'started') {
      this.cells[message.index].blocked = [];
      this.running = { index: message.index, started: performance.now() };
      this.tick();
      return;
    }
    if (message.type === 'frame') {
      this.cells[message.index].output.replaceChildren(...message.outputs.map((node) => toDOM(node)));
      this.cells[message.index].output.classList.remove('stale');
      return;
    }
    if (message.type === 'done') {
      const cancelled = this.inputRun?.cancelSent ? this.inputRun.changed : undefined;
      this.finish(`Done · ${this.cells.filter((cell) => cell.ran).length} of ${this.cells.length} cells have run`);
      for (const index of this.pending) this.cells[index].status.textContent = cancelled ? 're-running with the new input' : 'not run (an earlier cell failed)';
      this.pending.clear();
      // A cancelled run's inputs run again, with whatever moved since.
      for (const index of cancelled ?? []) this.movedInputs.add(index);
      this.inputRun = undefined;
      this.runMovedInputs();
      return;
    }
    const cell = this.cells[message.index];
    cell.names = message.names;
    this.updateControls(cell, message.controls);
    if (message.cancelled) {
      this.pending.delete(message.index);
      delete cell.section.dataset.state;
      cell.ran = false;
      cell.status.textContent = 're-running with the new input';
      return;
    }
    this.pending.delete(message.index);
    delete cell.section.dataset.state;
    cell.output.replaceChildren(...message.outputs.map((node) => toDOM(node)), ...cell.blocked);
    cell.output.classList.remove('stale');
    cell.ran = !message.failed || cell.throws;
    cell.status.textContent = message.failed ? `error · ${Math.round(message.milliseconds)} ms` : `ran · ${Math.max(1, Math.round(message.milliseconds))} ms`;
    cell.section.dispatchEvent(new CustomEvent('cell-ran', { bubbles: true, detail: { index: cell.index, failed: message.failed } }));
    this.running = { index: Math.min(message.index + 1, this.cells.length - 1), started: performance.now() };
    if (message.stopped) this.stopForMemory(cell, message.stopped);
  }

  /**
   * The cell's variables grew past the memory limit (memory.ts): ending the Worker is the only way
   * to give that memory back, so every cell that ran must run again. The cell keeps its output,
   * which says why, undimmed.
   */
  private stopForMemory(cell: Cell, why: string): void {
    const short = why.replace(/^stopped: the cell /, '').replace(/ \(.*$/, '');
    this.running = undefined;
    this.stop(`Cell ${cell.index + 1} was stopped: it ${short}`);
    cell.output.classList.remove('stale');
    cell.status.textContent = 'stopped · too much memory';
  }

  /** Draws a cell's controls again when its last run declared different inputs (an edit changed them). */
  private updateControls(cell: Cell, controls: HElement | undefined): void {
    const signature = controls ? String(controls.properties['data-signature']) : '';
    if (signature === (cell.controls?.signature ?? '')) return;
    cell.controls?.container.remove();
    cell.controls = undefined;
    if (!controls) return;
    const container = toDOM(controls) as HTMLElement;
    cell.output.before(container);
    this.wireControls(cell, container);
  }

  /** Ends the Worker (and with it any loop), and marks what must be re-run. */
  stop(reason: string): void {
    this.movedInputs.clear();
    this.inputRun = undefined;
    clearTimeout(this.inputTimer);
    this.worker?.terminate();
    this.worker = undefined;
    this.run += 1;
    const stale = this.cells.filter((cell) => cell.ran || this.pending.has(cell.index) || this.running?.index === cell.index);
    for (const cell of stale) {
      cell.ran = false;
      cell.output.classList.add('stale');
      cell.status.textContent = this.running?.index === cell.index ? 'stopped · re-run needed' : 're-run needed';
    }
    const names = stale.map((cell) => cell.index + 1);
    this.finish(names.length ? `${reason}. ${cellsNamed(names)} must be re-run.` : `${reason}.`);
  }

  private finish(status: string): void {
    clearInterval(this.timer);
    this.running = undefined;
    this.pending.clear();
    for (const cell of this.cells) {
      delete cell.section.dataset.state;
      this.endNotice(cell);
    }
    this.stopButton.disabled = true;
    this.stopButton.classList.remove('attention');
    this.barStatus.textContent = status;
    this.barTimer.textContent = '';
    delete this.root.dataset.running;
  }
}

/** The generator state the build wrote into a cell's section, or nothing if it is missing or malformed. */
function readRandom(text: string | undefined): RandomState | undefined {
  try {
    const state = JSON.parse(text ?? '') as RandomState;
    const words = Array.isArray(state?.s) && state.s.length === 4 && state.s.every((word) => Number.isInteger(word) && word >= -(2 ** 31) && word < 2 ** 32);
    return words && (state.spare === null || Number.isFinite(state.spare)) ? { s: state.s, spare: state.spare } : undefined;
  } catch {
    return undefined;
  }
}

/** A line under a cell's output: the page's policy refused a request its code made, and why. */
function blockedNote(url: string, directive: string): HTMLElement {
  const note = document.createElement('p');
  note.className = 'out out-stopped out-blocked';
  const where = /^https?:|^wss?:/.test(url) ? url : `a ${url || 'hidden'} URL`;
  note.textContent = `Blocked: ${where} (${directive}). This site makes no requests to other hosts: its Content-Security-Policy allows only the site itself.`;
  return note;
}

/** Keys as the page shows them: `keys('Shift', 'Enter')` is <kbd><kbd>Shift</kbd>+<kbd>Enter</kbd></kbd>. */
function keys(...names: string[]): HTMLElement {
  const combo = document.createElement('kbd');
  combo.className = 'keys';
  names.forEach((name, i) => {
    const key = document.createElement('kbd');
    key.textContent = name;
    combo.append(...(i > 0 ? ['+', key] : [key]));
  });
  return names.length === 1 ? (combo.firstChild as HTMLElement) : combo;
}

/** The Run button's shortcut, shown beside it (the button itself names it in aria-keyshortcuts). */
function shortcut(): HTMLElement {
  const hint = keys('Shift', 'Enter');
  hint.classList.add('cell-shortcut');
  hint.setAttribute('aria-hidden', 'true');
  hint.title = 'Shift+Enter in the code runs the cell';
  return hint;
}

/** Starts the notebook for the chapter on this page, if it has cells. */
export function startNotebook(): Notebook | undefined {
  const root = document.querySelector<HTMLElement>('[data-chapter-seed]');
  if (!root || !root.querySelector('section.cell')) return undefined;
  const notebook = new Notebook(root, Number(root.dataset.chapterSeed ?? 0), Number(root.dataset.timeLimit ?? 30_000));
  (window as unknown as { scratchnet?: { notebook: Notebook } }).scratchnet = { notebook };
  return notebook;
}
