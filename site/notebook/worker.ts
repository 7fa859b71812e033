// The Web Worker that runs a chapter's cells off the page's main thread, so a cell that loops
// forever never freezes the page: the page can always terminate this Worker (Stop, or the time
// limit) and start a new one. It keeps one notebook session between runs, like a kernel.
import { outputText } from './outputs.ts';
import type { RunRequest, WorkerMessage } from './protocol.ts';
import { renderOutputs } from './render.ts';
import { NotebookSession } from './runtime.ts';

let session: NotebookSession | undefined;
const post = (message: WorkerMessage): void => postMessage(message);

addEventListener('message', async (event: MessageEvent<RunRequest>) => {
  const request = event.data;
  if (request.type !== 'run') return;
  if (request.fresh || !session) session = new NotebookSession({ seed: request.seed });
  for (const cell of request.cells) {
    post({ type: 'started', run: request.run, index: cell.index });
    const result = await session.run(cell.source, cell.index);
    post({
      type: 'finished',
      run: request.run,
      index: cell.index,
      failed: result.failed,
      milliseconds: result.milliseconds,
      outputs: renderOutputs(result.outputs),
      text: result.outputs.map(outputText),
    });
    if (result.failed && !cell.throws) break; // later cells would run against a half-finished state
  }
  post({ type: 'done', run: request.run });
});
