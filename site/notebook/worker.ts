// The Web Worker that runs a chapter's cells off the page's main thread, so a cell that loops
// forever never freezes the page: the page can always terminate this Worker (Stop, or the time
// limit) and start a new one. It keeps one notebook session between runs, like a kernel.
import { outputText } from './outputs.ts';
import type { RunRequest, WorkerMessage } from './protocol.ts';
import { renderOutputs } from './render.ts';
import { NotebookSession, runCells } from './runtime.ts';

let session: NotebookSession | undefined;
const post = (message: WorkerMessage): void => postMessage(message);

addEventListener('message', async (event: MessageEvent<RunRequest>) => {
  const request = event.data;
  if (request.type !== 'run') return;
  if (request.fresh || !session) session = new NotebookSession({ seed: request.seed });
  const run = request.run;
  // runCells stops after a cell that fails unexpectedly; the page marks the cells it was sent
  // but never heard about as not run.
  await runCells(session, request.cells, {
    onStart: (cell) => post({ type: 'started', run, index: cell.index }),
    onFinish: (cell, result) =>
      post({
        type: 'finished',
        run,
        index: cell.index,
        failed: result.failed,
        milliseconds: result.milliseconds,
        outputs: renderOutputs(result.outputs),
        text: result.outputs.map(outputText),
      }),
  });
  post({ type: 'done', run });
});
