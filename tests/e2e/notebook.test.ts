// The live notebook in real Chromium, on the built site: every chapter loads without console
// errors or requests to other hosts, Run all reproduces the outputs written at build time,
// edits re-run and persist, Stop and the time limit end an endless loop, and pages fit a phone.
// The editor colours code as the static page does and keeps 4.5:1 in both themes, the keyboard
// can leave it, the bar's messages are short and answer every press, and code blocks copy.
// SCRATCHNET_SITE names another build to test (the default is dist/site).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { withoutNumbers } from '../../site/notebook/chapter.ts';
import { launchChromium, serveDirectory } from '../../scripts/browser.ts';
import { composite, contrast, hex } from '../notebook/colour.ts';

const site = resolve(process.env.SCRATCHNET_SITE ?? resolve(import.meta.dirname, '../../dist/site'));
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
async function open(path: string, options: { width?: number; dark?: boolean; javaScript?: boolean; clipboard?: boolean } = {}): Promise<{ page: Page; context: BrowserContext; errors: string[]; hosts: Set<string> }> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1000, height: 900 }, colorScheme: options.dark ? 'dark' : 'light', javaScriptEnabled: options.javaScript ?? true });
  if (options.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
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

// ---------- The editor's colours, the keyboard, the bar's messages and the copy buttons ----------

const chaptersWithCells = chapters.filter((chapter) => readFileSync(join(site, 'chapters', chapter, 'index.html'), 'utf8').includes('class="cell"'));
/** Every built page with highlighted code on it (chapters, the library, the source pages). */
const codePages = (function walk(folder: string): string[] {
  return readdirSync(join(site, folder), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(folder, entry.name)) : entry.name.endsWith('.html') ? [`/${join(folder, entry.name)}`] : [],
  );
})('')
  .filter((path) => readFileSync(join(site, path), 'utf8').includes('astro-code'))
  .sort();

/** A piece of text as Chromium draws it: its colour and the backgrounds behind it, innermost first. */
interface Drawn {
  text: string;
  colour: string;
  backgrounds: string[];
}

/** Gives the page `window.drawn`, which reads text as drawn (self-contained: it runs in the page). */
function installDrawn(): void {
  const backgrounds = (element: Element | null): string[] => {
    const layers: string[] = [];
    for (let at = element; at; at = at.parentElement) {
      const colour = getComputedStyle(at).backgroundColor;
      if (colour === 'rgba(0, 0, 0, 0)' || colour === 'transparent') continue;
      layers.push(colour);
      if (colour.startsWith('rgb(')) break; // opaque: nothing below shows through
    }
    return layers;
  };
  /** Every text node under `root` in order; with `lines`, the rows it matches joined by newlines. */
  const texts = (root: Element, lines?: string): Array<{ text: string; colour: string; backgrounds: string[] }> => {
    const found: Array<{ text: string; colour: string; backgrounds: string[] }> = [];
    const walk = (from: Element): void => {
      const walker = document.createTreeWalker(from, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement!;
        found.push({ text: (node as Text).data, colour: getComputedStyle(element).color, backgrounds: backgrounds(element) });
      }
    };
    if (!lines) walk(root);
    else
      root.querySelectorAll(lines).forEach((line, i) => {
        if (i > 0) found.push({ text: '\n', colour: '', backgrounds: [] });
        walk(line);
      });
    return found;
  };
  (window as unknown as { drawn: unknown }).drawn = { backgrounds, texts };
}

type DrawnWindow = Window & { drawn: { backgrounds: (element: Element | null) => string[]; texts: (root: Element, lines?: string) => Drawn[] } };

const setTheme = (page: Page, theme: 'light' | 'dark'): Promise<void> =>
  page.evaluate((theme) => {
    document.documentElement.dataset.theme = theme;
  }, theme);

/** Opens every cell's editor (without focusing or changing it) and waits until all are drawn. */
async function editAll(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const { notebook } = (window as unknown as { scratchnet: { notebook: { cells: unknown[]; edit: (cell: unknown, focus: boolean) => Promise<void> } } }).scratchnet;
    for (const cell of notebook.cells) await notebook.edit(cell, false);
  });
  await page.waitForFunction(() => document.querySelectorAll('section.cell .cm-content').length === document.querySelectorAll('section.cell').length);
}

/** Each cell's code as drawn: the static code (before Edit) or the editor's lines, scrolled into view so CodeMirror draws them all. */
function cellsDrawn(page: Page, where: 'static' | 'editor'): Promise<Drawn[][]> {
  return page.evaluate(async (where) => {
    const { drawn } = window as unknown as DrawnWindow;
    const frame = (): Promise<void> => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
    const result: Drawn[][] = [];
    for (const section of document.querySelectorAll('section.cell')) {
      if (where === 'static') result.push(drawn.texts(section.querySelector('pre > code')!));
      else {
        section.scrollIntoView({ block: 'start' });
        await frame();
        result.push(drawn.texts(section.querySelector('.cm-content')!, '.cm-line'));
      }
    }
    return result;
  }, where);
}

/** The colour of every character but whitespace, as [character, colour] pairs. */
const characters = (pieces: Drawn[]): Array<[string, string]> => pieces.flatMap(({ text, colour }) => [...text].filter((c) => !/\s/.test(c)).map((c): [string, string] => [c, colour]));

/** Where the editor's colours differ from the static code's, cell by cell. */
function colourDifferences(page: Drawn[][], editor: Drawn[][]): string[] {
  const differences = new Set<string>();
  page.forEach((cell, i) => {
    const [before, after] = [characters(cell), characters(editor[i])];
    if (before.map(([c]) => c).join('') !== after.map(([c]) => c).join('')) differences.add(`cell ${i + 1}: the editor holds other text`);
    before.forEach(([c, colour], at) => {
      if (after[at]?.[1] !== colour) differences.add(`cell ${i + 1}: "${c}" (character ${at + 1}) is ${colour} on the page, ${after[at]?.[1]} in the editor`);
    });
  });
  return [...differences].slice(0, 12);
}

/** Text drawn at less than 4.5:1 against what is behind it. */
const lowContrast = (pieces: Array<Drawn & { where: string }>): string[] => [
  ...new Set(
    pieces
      .filter(({ text, colour }) => text.trim() && colour)
      .map(({ where, text, colour, backgrounds }) => ({ where, text, colour, behind: composite(backgrounds), ratio: contrast(colour, composite(backgrounds)) }))
      .filter(({ ratio }) => ratio < 4.5)
      .map(({ where, text, colour, behind, ratio }) => `${where}: "${text.trim().slice(0, 20)}" ${colour} on ${hex(behind)} is ${ratio.toFixed(2)}:1`),
  ),
];

describe('the code editor', () => {
  it.each(chaptersWithCells)('colours every character of %s as the static code does, in both themes and when the theme switches with the editors open', async (chapter) => {
    const { page, context } = await open(`/chapters/${chapter}/`);
    await page.waitForSelector('[data-notebook=ready]');
    await page.evaluate(installDrawn);
    await setTheme(page, 'dark');
    const darkPage = await cellsDrawn(page, 'static');
    await setTheme(page, 'light');
    const lightPage = await cellsDrawn(page, 'static');
    await editAll(page);
    expect(colourDifferences(lightPage, await cellsDrawn(page, 'editor'))).toEqual([]);
    await setTheme(page, 'dark');
    expect(colourDifferences(darkPage, await cellsDrawn(page, 'editor'))).toEqual([]);
    await context.close();
  }, 60_000);

  it.each(chaptersWithCells)('keeps every token, line number and hint of %s at 4.5:1 or more against the editor, in both themes', async (chapter) => {
    const { page, context } = await open(`/chapters/${chapter}/`);
    await page.waitForSelector('[data-notebook=ready]');
    await page.evaluate(installDrawn);
    await editAll(page);
    await page.locator('section.cell[data-cell="0"] .cm-content').click(); // the focused editor bolds its line's number
    const failures: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      const tokens = (await cellsDrawn(page, 'editor')).flatMap((cell, i) => cell.map((piece) => ({ ...piece, where: `${theme} cell ${i + 1}` })));
      const around = await page.evaluate(() => {
        const { drawn } = window as unknown as DrawnWindow;
        const visible = (element: Element): boolean => (element as HTMLElement).offsetHeight > 0 && getComputedStyle(element).visibility !== 'hidden';
        return [...document.querySelectorAll('section.cell')].flatMap((section, i) => [
          ...[...section.querySelectorAll('.cm-gutterElement')].filter(visible).map((element) => ({ text: element.textContent ?? '', colour: getComputedStyle(element).color, backgrounds: drawn.backgrounds(element), where: `cell ${i + 1} line number` })),
          ...[...section.querySelectorAll('.cell-hint')].flatMap((hint) => drawn.texts(hint).map((piece) => ({ ...piece, where: `cell ${i + 1} hint` }))),
        ]);
      });
      failures.push(...lowContrast(tokens), ...lowContrast(around.map((piece) => ({ ...piece, where: `${theme} ${piece.where}` }))));
    }
    expect(failures.slice(0, 12)).toEqual([]);
    await context.close();
  }, 60_000);

  it('sits exactly where the code was: Edit moves no character', async () => {
    const { page, context } = await open(first);
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
    await context.close();
  });

  it('says under the editor, and to screen readers, how to leave it', async () => {
    const { page, context } = await open(first);
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
    await context.close();
  });

  it('lets the keyboard leave: Tab indents, Escape hands the focus to the code, Enter edits again and Tab moves on', async () => {
    const { page, context } = await open(first);
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
    await context.close();
  });

  it('shows Shift+Enter beside Run, and Shift+Enter in the code runs the cell', async () => {
    const { page, context } = await open(first);
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
    await context.close();
  });
});

describe('the notebook bar', () => {
  it('names the cells to re-run after Stop in short: "Cells 1–N must be re-run."', async () => {
    const { page, context } = await open(first);
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
    await context.close();
  });

  it('answers Run pressed during a run: the cell says so, the bar says it politely, and Stop is pointed out', async () => {
    const { page, context } = await open(first);
    await page.waitForSelector('[data-notebook=ready]');
    await typeInto(page, 0, 'while (true) {}');
    const cell = page.locator('section.cell[data-cell="0"]');
    await cell.getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction(() => /running/.test(document.querySelector('section.cell[data-cell="0"] .cell-status')?.textContent ?? ''));
    await cell.getByRole('button', { name: 'Run' }).click();
    expect(await cell.locator('.cell-status').textContent()).toBe('already running — press Stop to end it');
    await page.waitForTimeout(300); // the clock ticks every 100 ms and must not overwrite the notice
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
    await context.close();
  });
});

describe('copy buttons', () => {
  const clipboard = (page: Page): Promise<string> => page.evaluate(() => navigator.clipboard.readText());

  it('copy exactly a cell’s code, as written and after an edit, saying "Copied" without moving anything', async () => {
    const { page, context } = await open(first, { clipboard: true });
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
    await context.close();
  });

  it('give every other code block a button the keyboard reaches, which copies its code', async () => {
    const { page, context } = await open(first, { clipboard: true });
    // The first page with a visible code block outside a cell (a quoted library file, an example).
    let found = false;
    for (const chapter of chapters) {
      await page.goto(`${server.url}/chapters/${chapter}/`);
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
    await context.close();
  });

  it('sit on every code block of every page, one each', async () => {
    const pages = codePages;
    expect(pages.length).toBeGreaterThan(chaptersWithCells.length);
    const { page, context } = await open(first);
    const missing: string[] = [];
    for (const path of pages) {
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState('load');
      const [blocks, buttons, cells, cellButtons] = await page.evaluate(() => [
        document.querySelectorAll('pre.astro-code:not(.cell pre)').length,
        document.querySelectorAll('pre.astro-code:not(.cell pre) > .copy-anchor > .copy-button').length,
        document.querySelectorAll('section.cell').length,
        document.querySelectorAll('section.cell .cell-toolbar .copy-button').length,
      ]);
      if (buttons !== blocks || cellButtons !== cells) missing.push(`${path}: ${buttons} buttons on ${blocks} code blocks, ${cellButtons} on ${cells} cells`);
    }
    expect(missing).toEqual([]);
    await context.close();
  }, 120_000);

  it('do not exist without JavaScript', async () => {
    const { page, context } = await open(first, { javaScript: false });
    expect(await page.locator('pre.astro-code').count()).toBeGreaterThan(0);
    expect(await page.locator('.copy-button').count()).toBe(0);
    await context.close();
  });
});

describe('the first chapter', () => {
  it('ships at most 150 KB of gzipped JavaScript before the reader edits anything', async () => {
    const { page, context } = await open(first);
    await page.waitForSelector('[data-notebook=ready]');
    await page.waitForLoadState('networkidle');
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname).filter((path) => /\.m?js$/.test(path)));
    const gzipped = scripts.map((path) => gzipSync(readFileSync(join(site, path))).length);
    expect(scripts.filter((path) => /editor/.test(path))).toEqual([]);
    expect(gzipped.reduce((sum, size) => sum + size, 0)).toBeLessThanOrEqual(150 * 1024);
    await context.close();
  });
});

/** Text in the static code (every `pre.astro-code` on the page) drawn at less than 4.5:1, in both themes. */
async function staticContrast(page: Page): Promise<string[]> {
  await page.evaluate(installDrawn);
  const failures: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    const pieces = await page.evaluate(() => {
      const { drawn } = window as unknown as DrawnWindow;
      return [...document.querySelectorAll('pre.astro-code')].flatMap((pre, i) => {
        const themes = [...pre.classList].filter((name) => name.startsWith('github-')).join(' ');
        const where = `${pre.closest('section.cell') ? 'cell' : pre.closest('figure.source') ? 'quoted file (Source.astro)' : 'code block'} ${i + 1} (${themes})`;
        const numbers = pre.closest('section.cell')
          ? [...pre.querySelectorAll('.line')].map((line) => ({ text: '#', colour: getComputedStyle(line, '::before').color, backgrounds: drawn.backgrounds(line), where: `${where} line number` }))
          : [];
        return [...drawn.texts(pre.querySelector('code') ?? pre).map((piece) => ({ ...piece, where })), ...numbers];
      });
    });
    failures.push(...lowContrast(pieces.map((piece) => ({ ...piece, where: `${new URL(page.url()).pathname} ${theme} ${piece.where}` }))));
  }
  return failures;
}

describe('the static code', () => {
  it.each(chapters)('keeps every token and line number of %s at 4.5:1 or more, in both themes', async (chapter) => {
    const { page, context } = await open(`/chapters/${chapter}/`);
    expect((await staticContrast(page)).slice(0, 12)).toEqual([]);
    await context.close();
  }, 60_000);

  it('keeps every token of the other pages with code (the library, the source files) at 4.5:1 or more, in both themes', async () => {
    const others = codePages.filter((path) => !path.startsWith('/chapters/'));
    expect(others.length).toBeGreaterThan(0);
    const { page, context } = await open(others[0]);
    const failures: string[] = [];
    for (const path of others) {
      await page.goto(`${server.url}${path}`);
      failures.push(...(await staticContrast(page)).slice(0, 3));
    }
    expect(failures.slice(0, 12)).toEqual([]);
    await context.close();
  }, 300_000);
});
