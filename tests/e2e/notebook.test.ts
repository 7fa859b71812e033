// The live notebook in real Chromium, on the built site: every chapter loads without console
// errors or requests to other hosts, Run all reproduces the outputs written at build time,
// edits re-run and persist, Stop and the time limit end an endless loop, and pages fit a phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { withoutNumbers } from '../../site/notebook/chapter.ts';
import { launchChromium, serveDirectory } from '../../scripts/browser.ts';

const site = resolve(import.meta.dirname, '../../dist/site');
const chapters = readdirSync(join(site, 'chapters')).sort();
// The interaction tests use the first chapter that has cells.
const withCells = chapters.find((chapter) => readFileSync(join(site, 'chapters', chapter, 'index.html'), 'utf8').includes('class="cell"'));
const first = `/chapters/${withCells}/`;
let server: Awaited<ReturnType<typeof serveDirectory>>;
let browser: Browser;

beforeAll(async () => {
  server = await serveDirectory(site);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page in a fresh context, collecting console errors and the hosts it contacts. */
async function open(path: string, options: { width?: number; dark?: boolean } = {}): Promise<{ page: Page; context: BrowserContext; errors: string[]; hosts: Set<string> }> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1000, height: 900 }, colorScheme: options.dark ? 'dark' : 'light' });
  const page = await context.newPage();
  const errors: string[] = [];
  const hosts = new Set<string>();
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => hosts.add(new URL(request.url()).host));
  await page.goto(`${server.url}${path}`);
  return { page, context, errors, hosts };
}

// A timed cell (data-timed) measures speed, so only its words are compared, with numbers as #.
const outputs = async (page: Page): Promise<string[]> => {
  const cells = await page.$$eval('section.cell', (sections) =>
    sections.map((section) => ({ text: section.querySelector('.cell-output')?.textContent ?? '', timed: (section as HTMLElement).dataset.timed === 'true' })),
  );
  return cells.map(({ text, timed }) => (timed ? withoutNumbers(text) : text));
};
const idle = (page: Page, timeout = 60_000): Promise<unknown> =>
  page.waitForFunction(() => document.querySelector<HTMLElement>('[data-chapter-seed]')?.dataset.running === undefined, undefined, { timeout });

/** Replaces the code of cell `index` through its editor. */
async function typeInto(page: Page, index: number, code: string): Promise<void> {
  const cell = page.locator(`section.cell[data-cell="${index}"]`);
  await cell.getByRole('button', { name: 'Edit' }).click();
  const editor = cell.locator('.cm-content');
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(code);
}

describe('every chapter page', () => {
  it.each(chapters)('%s loads with its notebook, no console errors and no other hosts', async (chapter) => {
    const { page, context, errors, hosts } = await open(`/chapters/${chapter}/`);
    await page.waitForSelector('[data-notebook=ready]', { timeout: 10_000 }).catch(() => undefined);
    expect(errors).toEqual([]);
    expect([...hosts]).toEqual([new URL(server.url).host]);
    await context.close();
  });

  it.each(chapters)('%s reproduces its build-time outputs when Run all runs in the page', async (chapter) => {
    const { page, context, errors } = await open(`/chapters/${chapter}/`);
    const cells = await page.locator('section.cell').count();
    if (cells > 0) {
      await page.waitForSelector('[data-notebook=ready]');
      const built = await outputs(page);
      await page.getByRole('button', { name: 'Run all' }).click();
      await idle(page);
      expect(await outputs(page)).toEqual(built);
      expect(await page.locator('.cell-output.stale').count()).toBe(0);
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it.each(chapters)('%s fits a 375-pixel-wide phone screen in the dark theme without sideways scrolling', async (chapter) => {
    const { page, context } = await open(`/chapters/${chapter}/`, { width: 375, dark: true });
    const [scrollWidth, innerWidth, background] = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      window.innerWidth,
      getComputedStyle(document.documentElement).backgroundColor,
    ]);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth as number);
    expect(background).toBe('rgb(13, 17, 23)'); // the dark theme's background
    await context.close();
  });
});

describe('a cell', () => {
  it('exists on at least one chapter page, so the tests below have something to run', () => {
    expect(withCells).toBeDefined();
  });

  it('loads the editor only when the reader starts editing', async () => {
    const { page, context } = await open(first);
    await page.waitForSelector('[data-notebook=ready]');
    const scripts: string[] = [];
    page.on('request', (request) => scripts.push(new URL(request.url()).pathname));
    const loadedBefore = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname));
    expect(loadedBefore.filter((path) => /editor/.test(path))).toEqual([]);
    await page.locator('section.cell[data-cell="0"]').getByRole('button', { name: 'Edit' }).click();
    await page.locator('section.cell[data-cell="0"] .cm-content').waitFor();
    expect(scripts.filter((path) => /editor/.test(path)).length).toBeGreaterThan(0);
    await context.close();
  });

  it('shows a new output after the reader edits it and runs it again', async () => {
    const { page, context, errors } = await open(first);
    await page.waitForSelector('[data-notebook=ready]');
    await typeInto(page, 0, 'print(6 * 7)');
    await page.locator('section.cell[data-cell="0"]').getByRole('button', { name: 'Run' }).click();
    await idle(page);
    expect(await page.locator('section.cell[data-cell="0"] .cell-output').textContent()).toBe('42');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps an edit after a reload, and Reset brings the original code back', async () => {
    const { page, context } = await open(first);
    await page.waitForSelector('[data-notebook=ready]');
    const original = await page.locator('section.cell[data-cell="0"] > pre').textContent();
    await typeInto(page, 0, 'print("kept")');
    await page.reload();
    await page.waitForSelector('section.cell[data-cell="0"] .cm-content');
    expect(await page.locator('section.cell[data-cell="0"] .cm-content').textContent()).toBe('print("kept")');
    await page.locator('section.cell[data-cell="0"]').getByRole('button', { name: 'Reset' }).click();
    const source = await page.evaluate(() => (window as unknown as { scratchnet: { notebook: { cells: Array<{ source: string }> } } }).scratchnet.notebook.cells[0].source);
    expect(source).toBe((original ?? '').replace(/\n$/, ''));
    await page.reload();
    await page.waitForSelector('[data-notebook=ready]');
    expect(await page.locator('section.cell[data-cell="0"] .cm-content').count()).toBe(0); // nothing saved any more
    await context.close();
  });

  it('shows an error with its line when the code throws', async () => {
    const { page, context } = await open(first);
    await page.waitForSelector('[data-notebook=ready]');
    await typeInto(page, 0, 'const a = 1;\nmatmul(Matrix.zeros(3, 4), Matrix.zeros(3, 3))');
    await page.locator('section.cell[data-cell="0"]').getByRole('button', { name: 'Run' }).click();
    await idle(page);
    const error = page.locator('section.cell[data-cell="0"] .out-error');
    expect(await error.textContent()).toBe('ShapeError: matmul: (3×4) · (3×3): inner dimensions 4 and 3 differ (line 2)');
    await context.close();
  });

  it('stops `while (true) {}` within two seconds of Stop, and the page stays responsive', async () => {
    const { page, context } = await open(first);
    await page.waitForSelector('[data-notebook=ready]');
    await typeInto(page, 0, 'while (true) {}');
    await page.locator('section.cell[data-cell="0"]').getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction(() => /running/.test(document.querySelector('section.cell[data-cell="0"] .cell-status')?.textContent ?? ''));
    await page.waitForTimeout(300);
    const started = Date.now();
    await page.getByRole('button', { name: 'Stop' }).click();
    await idle(page, 2_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await page.locator('.notebook-status').textContent()).toMatch(/^Stopped\. Cells? .*1.* must be re-run\.$/);
    expect(await page.locator('section.cell[data-cell="0"] .cell-status').textContent()).toBe('stopped · re-run needed');
    // The main thread answers at once, and the notebook runs code again.
    expect(await page.evaluate(() => 1 + 1)).toBe(2);
    await typeInto(page, 0, '2 + 3');
    await page.locator('section.cell[data-cell="0"]').getByRole('button', { name: 'Run' }).click();
    await idle(page);
    expect(await page.locator('section.cell[data-cell="0"] .cell-output').textContent()).toBe('5'); // the arrow before a value is drawn by CSS
    await context.close();
  });

  it('is stopped by the visible time limit when the reader does not press Stop', async () => {
    const { page, context } = await open(first);
    await page.waitForSelector('[data-notebook=ready]');
    // The README promises a 30-second limit; the test shortens it to keep the run quick.
    expect(await page.evaluate(() => (window as unknown as { scratchnet: { notebook: { timeLimitMs: number } } }).scratchnet.notebook.timeLimitMs)).toBe(30_000);
    await page.evaluate(() => {
      (window as unknown as { scratchnet: { notebook: { timeLimitMs: number } } }).scratchnet.notebook.timeLimitMs = 1_000;
    });
    await typeInto(page, 0, 'while (true) {}');
    await page.locator('section.cell[data-cell="0"]').getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction(() => /of 1 s/.test(document.querySelector('section.cell[data-cell="0"] .cell-status')?.textContent ?? ''));
    await idle(page, 4_000);
    expect(await page.locator('.notebook-status').textContent()).toMatch(/^Stopped after 1 s, the time limit\./);
    await context.close();
  });
});
