// The Web Worker that runs a chapter's cells off the page's main thread, so a cell that loops
// forever never freezes the page: the page can always terminate this Worker (Stop, or the time
// limit) and start a new one. It keeps one notebook session between runs, like a kernel.
import { outputText } from './outputs.ts';
import type { CancelRequest, RunRequest, WorkerMessage } from './protocol.ts';
import { renderOutputs } from './render.ts';
import { NotebookSession, runCells } from './runtime.ts';
import { browserDatasetSource } from './datasets-browser.ts';
import { guardNetwork, type NetworkScope } from './network.ts';
import { renderInputs } from './input-controls.ts';
import { cellNames } from './dependencies.ts';
import { siteAddress } from '../utils/base.ts';

// Before anything can fetch: a request to another host fails with a sentence saying why, and a
// relative URL means this site, under its base path (the Worker runs from a blob: URL, see blob-worker.ts).
guardNetwork(self as unknown as NetworkScope, siteAddress(self.location.origin));
// Whatever the wrapped functions do not cover (import() of another host's script, say) the policy
// refuses; the cell's output says so, since the browser logs nothing for a Worker's refusals.
addEventListener('securitypolicyviolation', (event) => {
  const { blockedURI, effectiveDirective } = event as SecurityPolicyViolationEvent;
  if (current) post({ type: 'blocked', ...current, url: blockedURI, directive: effectiveDirective });
});

let session: NotebookSession | undefined;
const post = (message: WorkerMessage): void => postMessage(message);
// The cell running now, so a dataset download can say how it is going in that cell's status.
let current: { run: number; index: number } | undefined;
// One source for the Worker's life: a dataset downloads once, however often the cells run.
const datasets = browserDatasetSource({ onProgress: (text) => current && post({ type: 'progress', ...current, text }) });

/** Lets the page's messages in (a cancel): a task, not a microtask, so the message queue runs. */
const yieldToPage = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

addEventListener('message', async (event: MessageEvent<RunRequest | CancelRequest>) => {
  const request = event.data;
  if (request.type === 'cancel') {
    if (current?.run === request.run) session?.cancel();
    return;
  }
  if (request.type !== 'run') return;
  const run = request.run;
  if (request.fresh || !session) {
    session = new NotebookSession({
      seed: request.seed,
      datasets,
      onFrame: (index, outputs) => current && post({ type: 'frame', run: current.run, index, outputs: renderOutputs(outputs) }),
    });
  }
  session.cancelled = false;
  session.inputValues.clear();
  for (const [index, values] of Object.entries(request.inputs ?? {})) session.inputValues.set(Number(index), values);
  current = { run, index: request.cells[0]?.index ?? 0 };
  // runCells stops after a cell that fails unexpectedly; the page marks the cells it was sent
  // but never heard about as not run.
  await runCells(session, request.cells, {
    between: request.cancellable ? yieldToPage : undefined,
    onStart: (cell) => {
      current = { run, index: cell.index };
      post({ type: 'started', run, index: cell.index });
    },
    onFinish: (cell, result) =>
      post({
        type: 'finished',
        run,
        index: cell.index,
        failed: result.failed,
        milliseconds: result.milliseconds,
        outputs: renderOutputs(result.outputs),
        text: result.outputs.map(outputText),
        inputs: result.inputs,
        ...(result.inputs.length ? { controls: renderInputs(result.inputs, cell.index) } : {}),
        names: cellNames(cell.source),
        ...(result.cancelled ? { cancelled: true } : {}),
        // Past the memory limit the page ends this Worker, the only way to give the memory back.
        ...(result.stopped ? { stopped: result.stopped } : {}),
      }),
  });
  post({ type: 'done', run });
});
