// The built site the site and browser tests read: where it is (SCRATCHNET_SITE, or dist/site, which
// the site project's global setup builds), its pages and its chapters, all read from the build's
// files so the tests follow whatever chapters exist. No browser here, so plain tests can import it.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUILD_STATUS } from './build-site.ts';

/** How long a test file waits for that build before giving up, in milliseconds. */
const BUILD_WAIT_MS = 15 * 60_000;

/** Waits (blocking this worker, which has nothing else to do) until the global setup's build is done; throws its output if it failed. */
function waitForBuild(): void {
  if (process.env.SCRATCHNET_SITE || !process.env.VITEST) return;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const started = Date.now();
  while (!existsSync(BUILD_STATUS)) {
    if (Date.now() - started > BUILD_WAIT_MS) throw new Error(`the site's build did not finish within ${BUILD_WAIT_MS / 60_000} minutes (${BUILD_STATUS} never appeared)`);
    Atomics.wait(sleeper, 0, 0, 250);
  }
  const status = JSON.parse(readFileSync(BUILD_STATUS, 'utf8')) as { ok: boolean; message?: string };
  if (!status.ok) throw new Error(status.message);
}

waitForBuild();

/** The built site the e2e tests visit. */
export const site = resolve(process.env.SCRATCHNET_SITE ?? resolve(import.meta.dirname, '../../dist/site'));
/** A built page's HTML, by the path a reader visits (`/chapters/x/`, `/404.html`). */
export const html = (path: string): string => readFileSync(join(site, path.endsWith('/') ? `${path}index.html` : path), 'utf8');
/** Every chapter's folder name in the build, in file order. */
export const chapters = readdirSync(join(site, 'chapters')).sort();
/** The path a reader visits for a chapter. */
export const chapterPath = (chapter: string): string => `/chapters/${chapter}/`;
/** The chapters whose built page has live cells. */
export const chaptersWithCells = chapters.filter((chapter) => html(chapterPath(chapter)).includes('class="cell"'));

/** Every page of the build, as the paths a reader visits (`/`, `/chapters/x/`, `/404.html`), sorted. */
export const pages = (function walk(folder: string): string[] {
  return readdirSync(join(site, folder), { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return folder === '' && ['_astro', 'data', 'models'].includes(entry.name) ? [] : walk(join(folder, entry.name));
    if (!entry.name.endsWith('.html')) return [];
    return [entry.name === 'index.html' ? `/${folder}${folder ? '/' : ''}` : `/${join(folder, entry.name)}`];
  });
})('').sort();

/** Every built page with highlighted code on it (chapters, the library, the source pages). */
export const codePages = pages.filter((path) => html(path).includes('astro-code'));
