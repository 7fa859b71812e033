// The live notebook in real Chromium, on the built site: edits re-run and persist, a thrown error
// names its line, Stop and the time limit end an endless loop, and the bar's messages are short and
// answer every press. The editor and the copy buttons are in editor.test.ts; what every chapter page
// must do once loaded (no console errors, Run all reproduces its outputs, it fits a phone) is checked
// in one visit per page by chapter-pages.test.ts. A test that needs only a freshly loaded page gets
// one in the file's warm shared page (suite.visit); one that needs its own storage opens a context.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, chapterPath, chaptersWithCells } from '../support/browser-suite.ts';
import { idle, typeInto } from '../support/notebook-page.ts';

const suite = browserSuite();
// The interaction tests use the first chapter that has cells.
const withCells = chaptersWithCells[0];
const first = chapterPath(withCells);
const open = suite.open;

/** Waits until the notebook bar's clock has shown `count` new readings (it ticks every 100 ms while code runs). */
async function ticks(page: Page, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const shown = await page.locator('.notebook-timer').textContent();
    await page.waitForFunction((shown) => document.querySelector('.notebook-timer')?.textContent !== shown, shown);
  }
}

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
    const { page, errors } = await suite.visit(first);
    await page.waitForSelector('[data-notebook=ready]');
    await typeInto(page, 0, 'print(6 * 7)');
    await page.locator('section.cell[data-cell="0"]').getByRole('button', { name: 'Run' }).click();
    await idle(page);
    expect(await page.locator('section.cell[data-cell="0"] .cell-output').textContent()).toBe('42');
    expect(errors).toEqual([]);
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
    const { page } = await suite.visit(first);
    await page.waitForSelector('[data-notebook=ready]');
    await typeInto(page, 0, 'const a = 1;\nmatmul(Matrix.zeros(3, 4), Matrix.zeros(3, 3))');
    await page.locator('section.cell[data-cell="0"]').getByRole('button', { name: 'Run' }).click();
    await idle(page);
    const error = page.locator('section.cell[data-cell="0"] .out-error');
    expect(await error.textContent()).toBe('ShapeError: matmul: (3×4) · (3×3): inner dimensions 4 and 3 differ (line 2)');
  });

  it('stops `while (true) {}` within two seconds of Stop, and the page stays responsive', async () => {
    const { page } = await suite.visit(first);
    await page.waitForSelector('[data-notebook=ready]');
    await typeInto(page, 0, 'while (true) {}');
    await page.locator('section.cell[data-cell="0"]').getByRole('button', { name: 'Run' }).click();
    // The loop has run for 0.3 s or more (the status's clock says so), so Stop ends a loop that is really spinning.
    await page.waitForFunction(() => /^running · (0\.[3-9]|[1-9]\d*\.\d) s/.test(document.querySelector('section.cell[data-cell="0"] .cell-status')?.textContent ?? ''));
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
  });

  it('is stopped by the visible time limit when the reader does not press Stop', async () => {
    const { page } = await suite.visit(first);
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
  });
});

describe('the notebook bar', () => {
  it('names the cells to re-run after Stop in short: "Cells 1–N must be re-run."', async () => {
    const { page } = await suite.visit(first);
    await page.waitForSelector('[data-notebook=ready]');
    const count = await page.locator('section.cell').count();
    expect(count).toBeGreaterThanOrEqual(3);
    await page.getByRole('button', { name: 'Run all' }).click();
    await idle(page);
    await typeInto(page, count - 1, 'while (true) {}');
    await page.locator(`section.cell[data-cell="${count - 1}"]`).getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction((last) => /running/.test(document.querySelector(`section.cell[data-cell="${last}"] .cell-status`)?.textContent ?? ''), count - 1);
    await page.getByRole('button', { name: 'Stop' }).click();
    await idle(page, 2_000);
    expect(await page.locator('.notebook-status').textContent()).toBe(`Stopped. Cells 1–${count} must be re-run.`);
  });

  it('answers Run pressed during a run: the cell says so, the bar says it politely, and Stop is pointed out', async () => {
    const { page } = await suite.visit(first);
    await page.waitForSelector('[data-notebook=ready]');
    await typeInto(page, 0, 'while (true) {}');
    const cell = page.locator('section.cell[data-cell="0"]');
    await cell.getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction(() => /running/.test(document.querySelector('section.cell[data-cell="0"] .cell-status')?.textContent ?? ''));
    await cell.getByRole('button', { name: 'Run' }).click();
    expect(await cell.locator('.cell-status').textContent()).toBe('already running — press Stop to end it');
    await ticks(page, 3); // the clock ticks every 100 ms and must not overwrite the notice
    expect(await cell.locator('.cell-status').textContent()).toBe('already running — press Stop to end it');
    const status = page.locator('.notebook-status');
    expect(await status.getAttribute('aria-live')).toBe('polite');
    expect(await status.textContent()).toBe('Cell 1 is already running — press Stop to end it.');
    expect(await page.getByRole('button', { name: 'Stop' }).getAttribute('class')).toMatch(/\battention\b/);
    await page.locator('section.cell[data-cell="1"]').getByRole('button', { name: 'Run' }).click();
    expect(await page.locator('section.cell[data-cell="1"] .cell-status').textContent()).toBe('waiting — cell 1 is running');
    expect(await status.textContent()).toBe('Cell 1 is still running — press Stop to end it, then run cell 2.');
    await page.getByRole('button', { name: 'Stop' }).click();
    await idle(page, 2_000);
  });
});
