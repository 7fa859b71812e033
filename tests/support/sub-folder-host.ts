// A static host that serves a built site from a sub-folder, as GitHub Pages serves a project site
// (https://user.github.io/scratchnet/): the build under `base`, and nothing at all outside it, so a
// path that escapes the base 404s. Optionally sends the _headers file's COOP/COEP, as Netlify would.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { TYPES } from './content-types.ts';

/** The headers that make a page cross-origin isolated (what site/public/_headers asks for). */
export const ISOLATION_HEADERS = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/** One request the host answered: its path and status. */
export interface Answered {
  path: string;
  status: number;
}

/** Serves `root` under `base` ('/scratchnet/') on a free port of 127.0.0.1; anything missing gets the build's 404.html with status 404. */
export async function subFolderHost(root: string, base: string, options: { headers?: Record<string, string> } = {}): Promise<{ url: string; answered: Answered[]; close: () => Promise<void> }> {
  const answered: Answered[] = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const send = (status: number, type: string, body: Buffer | string): void => {
      answered.push({ path, status });
      response.writeHead(status, { 'content-type': type, ...options.headers });
      response.end(body);
    };
    const inside = path.startsWith(base) ? `/${path.slice(base.length)}` : undefined;
    const file = inside === undefined ? undefined : normalize(join(root, inside.endsWith('/') ? `${inside}index.html` : inside));
    if (file?.startsWith(root) && existsSync(file) && statSync(file).isFile()) return send(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
    const notFound = join(root, '404.html');
    send(404, TYPES['.html'], existsSync(notFound) ? readFileSync(notFound) : 'not found');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the sub-folder host has no port');
  return { url: `http://127.0.0.1:${address.port}`, answered, close: () => new Promise<void>((done) => server.close(() => done())) };
}
