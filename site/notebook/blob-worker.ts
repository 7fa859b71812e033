// Starts a Web Worker from a blob: URL whose one line imports the real Worker script. A Worker
// loaded from its own URL takes its Content-Security-Policy from that script's response headers,
// which a static host does not send, so the code it runs could reach any host; a Worker started
// from a blob: URL inherits the page's policy (the <meta> in Base.astro), so the promise holds there too.

/** A module Worker running `scriptUrl` (a URL on this site, e.g. from a `?worker&url` import) under the page's policy. */
export function startWorker(scriptUrl: string): Worker {
  const absolute = new URL(scriptUrl, location.href).href;
  const url = URL.createObjectURL(new Blob([`import ${JSON.stringify(absolute)};\n`], { type: 'text/javascript' }));
  const worker = new Worker(url, { type: 'module' });
  // The Worker has read its one line long before this; the blob needs no keeping after.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return worker;
}
