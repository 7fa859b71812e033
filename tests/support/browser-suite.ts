// One browser suite for the e2e files: the built site served as a static host serves it (404.html
// with status 404 for unknown paths), one Chromium for the file, and `open()`, which gives a test a
// fresh context that collects console errors and the hosts it contacts. SCRATCHNET_SITE names
// another build (default dist/site); what the build holds is in built-site.ts, re-exported here.
import { afterAll, beforeAll } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/browser.ts';
import { site } from './built-site.ts';
import { TYPES } from './content-types.ts';

export * from './built-site.ts';

/** Serves `root` on a free port of 127.0.0.1 like a static host (404.html, status 404, for anything missing), recording every path asked for. */
export async function staticHost(root: string): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    requests.push(path);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    try {
      if (!file.startsWith(root) || !statSync(file).isFile()) throw new Error('not found');
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(readFileSync(file));
    } catch {
      const notFound = join(root, '404.html');
      response.writeHead(404, { 'content-type': TYPES['.html'] });
      response.end(existsSync(notFound) ? readFileSync(notFound) : 'not found');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the static host has no port');
  return { url: `http://127.0.0.1:${address.port}`, requests, close: () => new Promise<void>((done) => server.close(() => done())) };
}

/** What `open()` and `visit()` can change about the page they open. */
export interface OpenOptions {
  width?: number;
  height?: number;
  dark?: boolean;
  /** open() only: false turns JavaScript off (visit() always runs it). */
  javaScript?: boolean;
  /** open() only: lets the page read and write the clipboard (visit()'s page always may). */
  clipboard?: boolean;
  /** open() only: false makes the page but goes nowhere yet (to add listeners or init scripts first). */
  go?: boolean;
}

/** An opened page, its context, and what it logged and contacted. */
export interface Opened {
  page: Page;
  /** open(): the test's own context, to close at the end; visit(): the file's shared one, not to close. */
  context: BrowserContext;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Uncaught exceptions only. */
  exceptions: string[];
  hosts: Set<string>;
}

/** The server and browser of one test file, started before its first test and closed after its last. */
export interface BrowserSuite {
  /** The server's origin, as http://127.0.0.1:port. */
  readonly url: string;
  readonly browser: Browser;
  /** Every path the server was asked for, in order. */
  readonly requests: string[];
  /** How many of the site's documents the file has loaded so far (navigations and reloads); SCRATCHNET_COUNT_LOADS=1 prints it at the end. */
  readonly loads: number;
  /** Opens `path` in a fresh context (its own cache and storage), collecting console errors and the hosts it contacts. */
  open(path: string, options?: OpenOptions): Promise<Opened>;
  /**
   * Loads `path` as a new document in the file's one shared page: a freshly loaded page whose storage
   * starts empty (and its errors and hosts from nothing), in a browser that has its cache and its
   * renderer warm, which makes a load two to three times cheaper than open(). For a test that needs
   * a fresh page but not a fresh context; tests using it run one at a time, as a file's tests do.
   */
  visit(path: string, options?: Pick<OpenOptions, 'width' | 'height' | 'dark'>): Promise<Opened>;
}

/** Empties the page's storage as each document starts, as a fresh context would have it (about:blank has none). */
function emptyStorage(): void {
  try {
    localStorage.clear();
    sessionStorage.clear();
  } catch {
    // about:blank has no storage
  }
}

/** Registers the file's beforeAll/afterAll and returns the suite they fill in; `root` serves another folder than the built site. */
export function browserSuite(options: { root?: string } = {}): BrowserSuite {
  let server: Awaited<ReturnType<typeof staticHost>> | undefined;
  let browser: Browser | undefined;
  let shared: Promise<Opened> | undefined;
  let loads = 0;
  beforeAll(async () => {
    server = await staticHost(options.root ?? site);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (process.env.SCRATCHNET_COUNT_LOADS) process.stdout.write(`site documents loaded: ${loads}\n`);
  });
  const started = (): { server: NonNullable<typeof server>; browser: Browser } => {
    if (!server || !browser) throw new Error('the browser suite is used before its beforeAll ran');
    return { server, browser };
  };
  const suite: BrowserSuite = {
    get url() {
      return started().server.url;
    },
    get browser() {
      return started().browser;
    },
    get requests() {
      return started().server.requests;
    },
    get loads() {
      return loads;
    },
    async open(path, options = {}) {
      const { server, browser } = started();
      const context = await browser.newContext({ viewport: { width: options.width ?? 1000, height: options.height ?? 900 }, colorScheme: options.dark ? 'dark' : 'light', javaScriptEnabled: options.javaScript ?? true });
      if (options.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      const page = await context.newPage();
      const errors: string[] = [];
      const exceptions: string[] = [];
      const hosts = new Set<string>();
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      page.on('pageerror', (error) => (errors.push(error.message), exceptions.push(error.message)));
      page.on('request', (request) => hosts.add(new URL(request.url()).host));
      page.on('load', () => page.url().startsWith(server.url) && (loads += 1));
      if (options.go !== false) await page.goto(`${server.url}${path}`);
      return { page, context, errors, exceptions, hosts };
    },
    async visit(path, options = {}) {
      shared ??= (async () => {
        const opened = await suite.open('', { clipboard: true, go: false });
        await opened.context.addInitScript(emptyStorage);
        return opened;
      })();
      const opened = await shared;
      // Off the last document first, so resizing and re-theming do not lay it out again.
      await opened.page.goto('about:blank');
      await opened.page.setViewportSize({ width: options.width ?? 1000, height: options.height ?? 900 });
      await opened.page.emulateMedia({ colorScheme: options.dark ? 'dark' : 'light' });
      opened.errors.length = 0;
      opened.exceptions.length = 0;
      opened.hosts.clear();
      await opened.page.goto(`${suite.url}${path}`);
      return opened;
    },
  };
  return suite;
}
