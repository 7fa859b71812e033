// The site deployed under a sub-path, as on https://user.github.io/scratchnet/: built with
// SCRATCHNET_BASE=/scratchnet/ and served from that sub-folder only, so anything that escapes the
// base 404s. In Chromium: no request fails, every link stays under the base and resolves, a cell runs
// in its Worker and loads its dataset, the lab loads its shipped model and starts its training Worker,
// and search finds pages under the base. The build is dist/site-base, made when missing or older than
// its sources (about two minutes); SCRATCHNET_BASE_SITE names a build to use as it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/browser.ts';
import { idle } from '../support/notebook-page.ts';
import { ISOLATION_HEADERS, subFolderHost, type Answered } from '../support/sub-folder-host.ts';

const BASE = '/scratchnet/';
const root = resolve(import.meta.dirname, '../..');
const folder = resolve(process.env.SCRATCHNET_BASE_SITE ?? join(root, 'dist/site-base'));
const firstChapter = '/scratchnet/chapters/01-a-single-neuron/';
const realData = '/scratchnet/chapters/13-training-on-real-data/';

/**
 * This process's environment without what Vitest adds to it (BASE_URL='/', MODE, NODE_ENV='test', …):
 * Astro's pages read import.meta.env.BASE_URL from process.env when it is set, which would undo the base.
 */
function buildEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(BASE_URL|MODE|DEV|PROD|SSR|NODE_ENV|TEST|VITEST.*)$/.test(name)));
}

/** The newest modification time among the files the site is built from. */
function newestSource(): number {
  const files = ['astro.config.mjs', 'README.md', ...['lib', 'site', 'chapters'].flatMap((name) => (readdirSync(join(root, name), { recursive: true }) as string[]).map((file) => join(name, file)))];
  return Math.max(...files.map((file) => statSync(join(root, file)).mtimeMs));
}

/** Builds the site for BASE into `folder` when it is missing or (unless SCRATCHNET_BASE_SITE names it) older than its sources. */
function buildOnce(): void {
  const index = join(folder, 'index.html');
  if (!existsSync(index) || (!process.env.SCRATCHNET_BASE_SITE && statSync(index).mtimeMs < newestSource())) {
    const started = Date.now();
    // One build at a time on this machine: the build cache is shared (flock waits for the others).
    const result = spawnSync('flock', ['/tmp/scratchnet-build.lock', process.execPath, join(root, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', folder], {
      cwd: root,
      env: { ...buildEnvironment(), SCRATCHNET_BASE: BASE, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`astro build with SCRATCHNET_BASE=${BASE} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
    process.stdout.write(`site built under ${BASE} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  if (!readFileSync(join(folder, 'index.html'), 'utf8').includes(`href="${BASE}library/"`)) throw new Error(`${folder} was not built with SCRATCHNET_BASE=${BASE}: delete it, and the test builds it again`);
}

let browser: Browser;
let host: Awaited<ReturnType<typeof subFolderHost>>;
const failed: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  buildOnce();
  host = await subFolderHost(folder, BASE);
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

/** A fresh page on `path` of `url`'s host that records failed responses and console errors. */
async function open(url: string, path: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1000, height: 900 } })).newPage();
  page.on('response', (response) => response.status() >= 400 && failed.push(`${response.status()} ${response.url()}`));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${url}${path}`);
  return page;
}

/** Every same-site URL the page links to or loads (a, link, script, img), as absolute URLs without their #fragment. */
async function linksOf(page: Page): Promise<string[]> {
  const urls = await page.$$eval('a[href], link[href], script[src], img[src]', (elements) =>
    elements.map((element) => (element as HTMLAnchorElement).href || (element as HTMLScriptElement).src).filter((url) => url.startsWith(location.origin)),
  );
  return [...new Set(urls.map((url) => url.split('#')[0]))];
}

/** The links among `urls` that leave the base or do not answer 200. */
async function badLinks(urls: string[]): Promise<string[]> {
  const bad: string[] = [];
  for (const url of urls) {
    if (!new URL(url).pathname.startsWith(BASE)) bad.push(`outside ${BASE}: ${url}`);
    else if ((await fetch(url)).status !== 200) bad.push(`not found: ${url}`);
  }
  return bad;
}

/** The cell whose code contains `text`. */
const cellWith = (page: Page, text: string) => page.locator('section.cell').filter({ has: page.locator('pre', { hasText: text }) }).first();

describe(`the site built for ${BASE} and served from that sub-folder`, () => {
  it('links every page of the front page and a chapter under the base, and each link resolves', async () => {
    for (const path of [BASE, firstChapter]) {
      const page = await open(host.url, path);
      const links = await linksOf(page);
      expect(links.length, path).toBeGreaterThan(15);
      expect(links.some((url) => url.endsWith('/scratchnet/library/')), path).toBe(true);
      expect(await badLinks(links), path).toEqual([]);
      await page.context().close();
    }
  });

  it('runs a cell in its Worker, and a dataset cell downloads its data from under the base', async () => {
    const page = await open(host.url, firstChapter);
    await page.waitForSelector('[data-notebook=ready]');
    const cell = page.locator('section.cell[data-cell="0"]');
    const built = await cell.locator('.cell-output').textContent();
    await cell.getByRole('button', { name: 'Run' }).click();
    await idle(page);
    expect(await cell.locator('.cell-output').textContent()).toBe(built);
    expect(await cell.locator('.cell-output .out-error').count()).toBe(0);
    await page.goto(`${host.url}${realData}`);
    await page.waitForSelector('[data-notebook=ready]');
    const asked = host.answered.length;
    const dataCell = cellWith(page, "loadDatasetFile('mnist'");
    await dataCell.getByRole('button', { name: 'Run' }).click();
    await idle(page);
    expect(await dataCell.locator('.cell-output .out-error').count()).toBe(0);
    const data = host.answered.slice(asked).map(({ path }) => path);
    expect(data).toContain('/scratchnet/data/datasets.json');
    expect(data).toContain('/scratchnet/data/mnist/subset/train-images-idx3-ubyte.gz');
    expect(await page.evaluate(() => self.crossOriginIsolated), 'GitHub Pages sends no COOP/COEP headers').toBe(false);
    await page.context().close();
  }, 120_000);

  it('loads the lab\'s shipped model and starts its training Worker, which downloads MNIST from under the base', async () => {
    const page = await open(host.url, realData);
    await page.waitForSelector('[data-lab=draw][data-ready=true]', { timeout: 60_000 });
    const asked = host.answered.length;
    await page.fill('[data-lab=train] [name=hidden]', '16');
    await page.fill('[data-lab=train] [name=epochs]', '1');
    await page.click('.lab-train');
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-lab=train]')?.dataset.steps ?? 0) >= 1, undefined, { timeout: 60_000 });
    await page.click('.lab-pause');
    expect(host.answered.slice(asked).map(({ path }) => path)).toContain('/scratchnet/data/mnist/train-images-idx3-ubyte.gz');
    await page.context().close();
  }, 120_000);

  it('finds pages with search, and its results link under the base', async ({ skip }) => {
    // The build is made in beforeAll, so whether it has the search index is known only here.
    if (!existsSync(join(folder, 'pagefind/pagefind.js'))) skip('this build has no search index');
    const page = await open(host.url, BASE);
    await page.keyboard.press('/');
    await page.keyboard.insertText('softmax');
    await page.waitForSelector('[data-search-link]', { timeout: 30_000 });
    const results = await page.$$eval('[data-search-link]', (links) => links.map((link) => (link as HTMLAnchorElement).href.split('#')[0]));
    expect(await badLinks([...new Set(results)])).toEqual([]);
    await page.context().close();
  });

  it('asks for nothing outside the base and meets no missing file or console error on the way', () => {
    const outside = host.answered.filter(({ path, status }: Answered) => !path.startsWith(BASE) || status >= 400);
    expect(outside).toEqual([]);
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('the same build with the COOP/COEP headers of its _headers file (Netlify, Cloudflare Pages)', () => {
  it('ships the _headers file (and .nojekyll, for a gh-pages branch), is cross-origin isolated, and still runs a cell and loads the lab\'s model', async () => {
    expect(readFileSync(join(folder, '_headers'), 'utf8')).toMatch(/Cross-Origin-Opener-Policy: same-origin\n\s+Cross-Origin-Embedder-Policy: require-corp/);
    expect(existsSync(join(folder, '.nojekyll'))).toBe(true);
    const isolated = await subFolderHost(folder, BASE, { headers: ISOLATION_HEADERS });
    try {
      const page = await open(isolated.url, realData);
      expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
      await page.waitForSelector('[data-notebook=ready]');
      const cell = page.locator('section.cell[data-cell="0"]');
      await cell.getByRole('button', { name: 'Run' }).click();
      await idle(page);
      expect(await cell.locator('.cell-output .out-error').count()).toBe(0);
      await page.waitForSelector('[data-lab=draw][data-ready=true]', { timeout: 60_000 });
      expect(isolated.answered.filter(({ status }) => status >= 400)).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    } finally {
      await isolated.close();
    }
  }, 120_000);
});
