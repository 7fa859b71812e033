// One download with progress, for the two Workers that fetch datasets from this site: the cells'
// (datasets-browser.ts, the chapter "Training on real data") and the lab's (site/lab/train-worker.ts).
// It reads the response as a stream so the page can show how much has arrived.

/** Fetches `url` into one array, calling `progress` with the bytes received so far and the total the server announced (0 if none). */
export async function downloadWithProgress(url: string, progress: (received: number, total: number) => void): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`could not download ${url}: the site answered ${response.status}`);
  const total = Number(response.headers.get('content-length')) || 0;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    progress(received, total);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
