// The live notebook on a chapter page: Run, Run all, Stop and Reset for every cell, an editor
// that loads when a reader starts editing, edits kept in localStorage, and a Web Worker that
// runs the code so the page never freezes. Stop (or the visible time limit) ends the Worker,
// and the cells that had run are marked as needing a re-run.
import { toDOM } from './dom.ts';
import type { CellEditor } from './editor.ts';
import type { RunRequest, WorkerMessage } from './protocol.ts';

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
  resetButton: HTMLButtonElement;
  /** Ran in the current Worker session with its current source. */
  ran: boolean;
  /** The cell is meant to throw: its error is part of the lesson. */
  throws: boolean;
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
  private running?: { index: number; started: number };
  private pending = new Set<number>();
  private timer?: ReturnType<typeof setInterval>;
  private readonly barStatus: HTMLElement;
  private readonly stopButton: HTMLButtonElement;

  private readonly root: HTMLElement;
  private readonly seed: number;
  /** How long a run may take before it is stopped, in milliseconds. */
  timeLimitMs: number;

  constructor(root: HTMLElement, seed: number, timeLimitMs: number) {
    this.root = root;
    this.seed = seed;
    this.timeLimitMs = timeLimitMs;
    const sections = Array.from(root.querySelectorAll<HTMLElement>('section.cell'));
    this.cells = sections.map((section, index) => this.setUp(section, index));
    const bar = document.createElement('div');
    bar.className = 'notebook-bar';
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', 'Notebook');
    this.barStatus = document.createElement('span');
    this.barStatus.className = 'notebook-status';
    this.barStatus.setAttribute('aria-live', 'polite');
    this.barStatus.textContent = `${this.cells.length} cells · outputs from the build`;
    this.stopButton = button('Stop', 'Stop the running code', () => this.stop('Stopped'));
    this.stopButton.disabled = true;
    bar.append(button('Run all', 'Run every cell from the top in a fresh session', () => this.runAll()), this.stopButton, this.barStatus);
    sections[0]?.before(bar);
    root.dataset.notebook = 'ready';
  }

  private storageKey(index: number): string {
    return `scratchnet:cell:${location.pathname}:${index}`;
  }

  private setUp(section: HTMLElement, index: number): Cell {
    const pre = section.querySelector<HTMLElement>('pre')!;
    const toolbar = section.querySelector<HTMLElement>('.cell-toolbar')!;
    const status = section.querySelector<HTMLElement>('.cell-status')!;
    const output = section.querySelector<HTMLElement>('.cell-output')!;
    const original = (pre.textContent ?? '').replace(/\n$/, '');
    const cell: Cell = { index, section, pre, original, source: original, status, output, ran: false, throws: section.dataset.throws === 'true', resetButton: button('Reset', 'Restore the original code', () => this.reset(cell)) };
    const saved = this.load(index, original);
    cell.resetButton.hidden = saved === undefined;
    toolbar.insertBefore(button('Run', 'Run this cell (Shift+Enter in the editor)', () => this.runCell(index)), status);
    toolbar.insertBefore(button('Edit', 'Edit this cell', () => void this.edit(cell, true)), status);
    toolbar.insertBefore(cell.resetButton, status);
    pre.addEventListener('click', () => void this.edit(cell, true));
    pre.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        void this.edit(cell, true);
      }
    });
    if (saved !== undefined) {
      cell.source = saved;
      output.classList.add('stale');
      status.textContent = 'edited · not run yet';
      void this.edit(cell, false);
    }
    return cell;
  }

  /** A saved edit for cell `index`, unless the chapter's code has changed since it was saved. */
  private load(index: number, original: string): string | undefined {
    try {
      const raw = localStorage.getItem(this.storageKey(index));
      if (!raw) return undefined;
      const saved = JSON.parse(raw) as { original: string; source: string };
      return saved.original === original && saved.source !== original ? saved.source : undefined;
    } catch {
      return undefined;
    }
  }

  private save(cell: Cell): void {
    try {
      if (cell.source === cell.original) localStorage.removeItem(this.storageKey(cell.index));
      else localStorage.setItem(this.storageKey(cell.index), JSON.stringify({ original: cell.original, source: cell.source }));
    } catch {
      // Storage can be full or disabled; editing still works for this visit.
    }
  }

  /** Replaces the highlighted code with an editor (loading CodeMirror the first time). */
  async edit(cell: Cell, focus: boolean): Promise<void> {
    if (!cell.editor) {
      const { createEditor } = await import('./editor.ts');
      if (cell.editor) return;
      const host = document.createElement('div');
      host.className = 'cell-editor';
      cell.pre.after(host);
      cell.pre.hidden = true;
      cell.editorHost = host;
      cell.editor = createEditor(host, cell.source, {
        label: `Code of cell ${cell.index + 1}`,
        onRun: () => this.runCell(cell.index),
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
    cell.ran = false;
    cell.resetButton.hidden = true;
    cell.status.textContent = 'reset · not run yet';
    this.save(cell);
  }

  /** Runs cell `index`, first running any earlier cells that have not run in this session. */
  runCell(index: number): void {
    if (this.running) return;
    const first = this.cells.findIndex((cell) => !cell.ran);
    const start = first === -1 || first > index ? index : first;
    this.start(this.cells.slice(start, index + 1), false);
  }

  /** Runs every cell from the top in a fresh, seeded session. */
  runAll(): void {
    if (this.running) this.stop('Stopped');
    for (const cell of this.cells) cell.ran = false;
    this.start(this.cells, true);
  }

  private start(cells: Cell[], fresh: boolean): void {
    if (cells.length === 0) return;
    this.worker ??= this.createWorker();
    this.run += 1;
    this.pending = new Set(cells.map((cell) => cell.index));
    for (const cell of cells) {
      cell.status.textContent = 'queued';
      cell.output.classList.add('stale');
    }
    const request: RunRequest = { type: 'run', run: this.run, fresh, seed: this.seed, cells: cells.map((cell) => ({ index: cell.index, source: cell.source, throws: cell.throws })) };
    this.worker.postMessage(request);
    this.running = { index: cells[0].index, started: performance.now() };
    this.stopButton.disabled = false;
    this.root.dataset.running = 'true';
    this.timer = setInterval(() => this.tick(), 100);
    this.tick();
  }

  private createWorker(): Worker {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
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
    this.cells[this.running.index].status.textContent = `running · ${seconds} s of ${limit} s`;
    this.barStatus.textContent = `Running cell ${this.running.index + 1} · ${seconds} s (stops at ${limit} s)`;
    if (elapsed > this.timeLimitMs) this.stop(`Stopped after ${limit} s, the time limit`);
  }

  private receive(message: WorkerMessage): void {
    if (message.run !== this.run) return; // from a run that was stopped
    if (message.type === 'started') {
      this.running = { index: message.index, started: performance.now() };
      return;
    }
    if (message.type === 'done') {
      this.finish(`Done · ${this.cells.filter((cell) => cell.ran).length} of ${this.cells.length} cells have run`);
      for (const index of this.pending) this.cells[index].status.textContent = 'not run (an earlier cell failed)';
      return;
    }
    const cell = this.cells[message.index];
    this.pending.delete(message.index);
    cell.output.replaceChildren(...message.outputs.map((node) => toDOM(node)));
    cell.output.classList.remove('stale');
    cell.ran = !message.failed || cell.throws;
    cell.status.textContent = message.failed ? `error · ${Math.round(message.milliseconds)} ms` : `ran · ${Math.max(1, Math.round(message.milliseconds))} ms`;
    this.running = { index: Math.min(message.index + 1, this.cells.length - 1), started: performance.now() };
  }

  /** Ends the Worker (and with it any loop), and marks what must be re-run. */
  stop(reason: string): void {
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
    this.finish(names.length ? `${reason}. Cells ${names.join(', ')} must be re-run.` : `${reason}.`);
  }

  private finish(status: string): void {
    clearInterval(this.timer);
    this.running = undefined;
    this.pending.clear();
    this.stopButton.disabled = true;
    this.barStatus.textContent = status;
    delete this.root.dataset.running;
  }
}

/** Starts the notebook for the chapter on this page, if it has cells. */
export function startNotebook(): Notebook | undefined {
  const root = document.querySelector<HTMLElement>('[data-chapter-seed]');
  if (!root || !root.querySelector('section.cell')) return undefined;
  const notebook = new Notebook(root, Number(root.dataset.chapterSeed ?? 0), Number(root.dataset.timeLimit ?? 30_000));
  (window as unknown as { scratchnet?: { notebook: Notebook } }).scratchnet = { notebook };
  return notebook;
}
