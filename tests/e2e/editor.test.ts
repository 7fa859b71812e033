// The cell editor and the copy buttons in real Chromium, on the built site: the editor sits exactly
// where the code was, says how to leave it, lets the keyboard leave and runs on Shift+Enter; copy
// buttons copy a cell's code or a code block's, from the mouse or the keyboard, and exist only with
// JavaScript. (That every code block of every page has one, and the editors' colours, are checked
// in one visit per page by chapter-pages.test.ts and pages.test.ts.) Each test gets a freshly
// loaded page in the file's warm shared page (suite.visit), or a fresh context without JavaScript.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, chapterPath, chapters, chaptersWithCells, html } from '../support/browser-suite.ts';
import { typeInto } from '../support/notebook-page.ts';

const suite = browserSuite();
// The tests use the first chapter that has cells.
const first = chapterPath(chaptersWithCells[0]);
const open = suite.open;

describe('the code editor', () => {
  it('sits exactly where the code was: Edit moves no character', async () => {
    const { page } = await suite.visit(first);
    await page.waitForSelector('[data-notebook=ready]');
    const place = (selector: string): Promise<Array<{ x: number; y: number }>> =>
      page.evaluate((selector) => {
        const root = document.querySelector(selector)!;
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        const places: Array<{ x: number; y: number }> = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = (node as Text).data;
          for (let i = 0; i < text.length; i++) {
            if (/\s/.test(text[i])) continue;
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const box = range.getBoundingClientRect();
            places.push({ x: Math.round((box.left + scrollX) * 2) / 2, y: Math.round((box.top + scrollY) * 2) / 2 });
          }
        }
        return places;
      }, selector);
    const before = await place('section.cell[data-cell="0"] > pre > code');
    await page.locator('section.cell[data-cell="0"]').getByRole('button', { name: 'Edit' }).click();
    await page.locator('section.cell[data-cell="0"] .cm-content').waitFor();
    const after = await place('section.cell[data-cell="0"] .cm-content');
    expect(after.length).toBe(before.length);
    const moved = before.map((at, i) => Math.max(Math.abs(at.x - after[i].x), Math.abs(at.y - after[i].y)));
    expect(Math.max(...moved)).toBeLessThanOrEqual(1);
  });

  it('says under the editor, and to screen readers, how to leave it', async () => {
    const { page } = await suite.visit(first);
    await page.waitForSelector('[data-notebook=ready]');
    const cell = page.locator('section.cell[data-cell="0"]');
    await cell.getByRole('button', { name: 'Edit' }).click();
    await cell.locator('.cm-content').waitFor();
    const hint = cell.locator('.cell-hint');
    expect(await hint.isVisible()).toBe(true);
    expect(await hint.textContent()).toBe('Esc then Tab leaves the editor · Tab indents · Shift+Enter runs');
    const [editor, below] = [(await cell.locator('.cell-editor').boundingBox())!, (await hint.boundingBox())!];
    expect(below.y - (editor.y + editor.height)).toBeGreaterThanOrEqual(0);
    expect(below.y - (editor.y + editor.height)).toBeLessThan(8);
    expect(await cell.locator('.cm-content').getAttribute('aria-describedby')).toBe(await hint.getAttribute('id'));
  });

  it('lets the keyboard leave: Tab indents, Escape hands the focus to the code, Enter edits again and Tab moves on', async () => {
    const { page } = await suite.visit(first);
    await page.waitForSelector('[data-notebook=ready]');
    const cell = page.locator('section.cell[data-cell="0"]');
    await cell.getByRole('button', { name: 'Edit' }).click();
    await cell.locator('.cm-content').click();
    const focus = (): Promise<string> =>
      page.evaluate(() => {
        const active = document.activeElement;
        if (active?.closest('.cm-content')) return 'editor';
        if (active?.matches('.cell-editor')) return 'code';
        return active?.closest('section.cell') ? `cell ${active.closest('section.cell')!.getAttribute('data-cell')}: ${active.tagName}` : (active?.tagName ?? 'none');
      });
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.press('Tab');
    expect(await focus()).toBe('editor');
    expect(await page.evaluate(() => (window as unknown as { scratchnet: { notebook: { cells: Array<{ source: string }> } } }).scratchnet.notebook.cells[0].source.startsWith('  '))).toBe(true);
    await page.keyboard.press('Escape');
    expect(await focus()).toBe('code');
    await page.keyboard.press('Enter');
    expect(await focus()).toBe('editor');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    const next = await focus();
    expect(next).not.toMatch(/^(editor|code|cell 0)/);
    expect(next).not.toBe('BODY');
  });

  it('shows Shift+Enter beside Run, and Shift+Enter in the code runs the cell', async () => {
    const { page } = await suite.visit(first);
    await page.waitForSelector('[data-notebook=ready]');
    const cell = page.locator('section.cell[data-cell="0"]');
    const run = cell.getByRole('button', { name: 'Run' });
    const shortcut = cell.locator('kbd.cell-shortcut');
    expect(await shortcut.isVisible()).toBe(true);
    expect(await shortcut.textContent()).toBe('Shift+Enter');
    expect(await run.getAttribute('aria-keyshortcuts')).toBe('Shift+Enter');
    const [button, hint] = [(await run.boundingBox())!, (await shortcut.boundingBox())!];
    expect(hint.x - (button.x + button.width)).toBeGreaterThanOrEqual(0);
    expect(hint.x - (button.x + button.width)).toBeLessThan(16);
    expect(Math.abs(hint.y + hint.height / 2 - (button.y + button.height / 2))).toBeLessThan(4);
    // In the static code, before any editor exists…
    await cell.locator('> pre').focus();
    await page.keyboard.press('Shift+Enter');
    await page.waitForFunction(() => /^ran · /.test(document.querySelector('section.cell[data-cell="0"] .cell-status')?.textContent ?? ''));
    // …and in the editor.
    await typeInto(page, 0, 'print(6 * 7)');
    await page.keyboard.press('Shift+Enter');
    await page.waitForFunction(() => document.querySelector('section.cell[data-cell="0"] .cell-output')?.textContent === '42');
  });
});

describe('copy buttons', () => {
  const clipboard = (page: Page): Promise<string> => page.evaluate(() => navigator.clipboard.readText());

  it('copy exactly a cell’s code, as written and after an edit, saying "Copied" without moving anything', async () => {
    const { page } = await suite.visit(first);
    await page.waitForSelector('[data-notebook=ready]');
    const cell = page.locator('section.cell[data-cell="0"]');
    const copy = cell.getByRole('button', { name: 'Copy the code of cell 1' });
    const original = ((await cell.locator('> pre').textContent()) ?? '').replace(/\n$/, '');
    const boxes = async (): Promise<unknown> => [await copy.boundingBox(), await cell.locator('.cell-toolbar').boundingBox(), await cell.locator('.cell-status').boundingBox()];
    await copy.scrollIntoViewIfNeeded(); // so the click scrolls nothing and the boxes compare
    const before = await boxes();
    await copy.click();
    expect(await clipboard(page)).toBe(original);
    expect(await copy.getAttribute('data-state')).toBe('copied');
    expect(await copy.evaluate((button) => [getComputedStyle(button, '::after').content, getComputedStyle(button, '::after').visibility, getComputedStyle(button, '::before').visibility])).toEqual(['"Copied"', 'visible', 'hidden']);
    expect(await boxes()).toEqual(before);
    await typeInto(page, 0, 'print("edited")\nprint(1)');
    await copy.click();
    expect(await clipboard(page)).toBe('print("edited")\nprint(1)');
  });

  it('give every other code block a button the keyboard reaches, which copies its code', async () => {
    // The first chapter with a visible code block outside a cell (a quoted library file, an example):
    // its built HTML says which chapters have such blocks, the page says which are visible.
    const candidates = chapters.filter((chapter) => /<pre class="astro-code/.test(html(chapterPath(chapter)).replace(/<section class="cell"[\s\S]*?<\/section>/g, '')));
    const { page } = await suite.visit(chapterPath(candidates[0] ?? chapters[0]));
    let found = false;
    for (const chapter of candidates) {
      if (page.url() !== `${suite.url}${chapterPath(chapter)}`) await page.goto(`${suite.url}${chapterPath(chapter)}`);
      found = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('pre.astro-code')].some((pre) => !pre.closest('.cell') && pre.checkVisibility()));
      if (found) break;
    }
    expect(found).toBe(true);
    const pre = page.locator('pre.astro-code:not(.cell pre):visible').first();
    const code = (await pre.locator('code').textContent()) ?? '';
    expect(await pre.locator('.copy-button').count()).toBe(1);
    expect(await pre.textContent()).toBe(code); // the button adds no text to the block
    await pre.focus();
    await page.keyboard.press('Tab');
    const button = pre.locator('.copy-button');
    expect(await button.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await button.getAttribute('aria-label')).toBe('Copy code');
    await page.waitForFunction((element) => getComputedStyle(element).opacity === '1', await button.elementHandle(), { timeout: 2_000 }); // shown on keyboard focus
    const before = [await button.boundingBox(), await pre.boundingBox()];
    await page.keyboard.press('Enter');
    expect(await clipboard(page)).toBe(code);
    expect(await button.getAttribute('data-state')).toBe('copied');
    expect([await button.boundingBox(), await pre.boundingBox()]).toEqual(before);
  });

  it('do not exist without JavaScript', async () => {
    const { page, context } = await open(first, { javaScript: false });
    expect(await page.locator('pre.astro-code').count()).toBeGreaterThan(0);
    expect(await page.locator('.copy-button').count()).toBe(0);
    await context.close();
  });
});
