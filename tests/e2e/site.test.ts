// The site's navigation and shell in real Chromium, on the built site served as a static host
// serves it (404.html for unknown paths): progress marks survive a reload and bad stored progress
// is dropped, the sidebar folds away on a phone and opens by keyboard, the first chapter stays
// within its JavaScript budget, and every page is complete without JavaScript. That no page
// scrolls sideways at 375 px is checked in one visit per page (chapter-pages, pages.test.ts).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { browserSuite, chapterPath, chapters, site, type OpenOptions, type Opened } from '../support/browser-suite.ts';
import { idle } from '../support/notebook-page.ts';

const suite = browserSuite();
const first = chapterPath(chapters[0]);
const KEY = 'scratchnet:progress';
/** How many exercises the first chapter has, as its built page says. */
const exercises = Number(new RegExp(`data-chapter-slug="${chapters[0]}" data-exercises="(\\d+)"`).exec(readFileSync(join(site, 'index.html'), 'utf8'))?.[1]);
/** The most gzipped JavaScript the first chapter may load before the reader edits a cell. */
const BUDGET = 150 * 1024;

/** A fresh browser context (its own localStorage, kept over reloads) 1280 px wide unless told, and a page in it that has not gone anywhere yet. */
const context = (options: OpenOptions = {}): Promise<Opened> => suite.open('', { width: 1280, ...options, go: false });

/** The progress marks of every chapter in the page's chapter lists, keyed by chapter id. */
async function marks(page: Page, list: string): Promise<Record<string, { opened: boolean; count: string }>> {
  return page.$$eval(`${list} [data-chapter-slug]`, (items) =>
    Object.fromEntries(
      items.map((item) => [
        (item as HTMLElement).dataset.chapterSlug!,
        { opened: item.hasAttribute('data-opened'), count: item.querySelector('[data-progress-count]')?.textContent ?? '' },
      ]),
    ),
  );
}

/** The data-cell index of exercise `n` (1-based) of the chapter on the page, found as the page finds it. */
async function exerciseCell(page: Page, n: number): Promise<string> {
  return page.evaluate((n) => {
    const heading = Array.from(document.querySelectorAll('h2')).find((h2) => h2.id === 'exercises')!;
    const cells = Array.from(document.querySelectorAll<HTMLElement>('section.cell')).filter(
      (cell) => heading.compareDocumentPosition(cell) & Node.DOCUMENT_POSITION_FOLLOWING && cell.querySelector('pre')!.textContent!.includes('check('),
    );
    return cells[n - 1].dataset.cell!;
  }, n);
}

describe('reading progress', () => {
  it('marks an opened chapter in the sidebar and on the front page, and the mark survives a reload', async () => {
    const { page, context: ctx, errors } = await context();
    await page.goto(`${suite.url}${first}`);
    await page.reload();
    const sidebar = await marks(page, '.sidebar');
    expect(Object.keys(sidebar)).toEqual(chapters);
    expect(exercises).toBeGreaterThan(0);
    expect(sidebar[chapters[0]]).toEqual({ opened: true, count: `0/${exercises}` });
    expect(chapters.slice(1).every((chapter) => !sidebar[chapter].opened)).toBe(true);
    await page.goto(`${suite.url}/`);
    expect((await marks(page, '.path'))[chapters[0]].opened).toBe(true);
    await expect(page.locator('[data-progress-banner]').isVisible()).resolves.toBe(true);
    expect(await page.locator('[data-banner-link]').getAttribute('href')).toBe(`/chapters/${chapters[1]}/`);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('counts an exercise as solved only once its checks pass in the page, and keeps the count after a reload', async () => {
    const { page, context: ctx, errors } = await context();
    await page.goto(`${suite.url}${first}`);
    await page.waitForSelector('[data-notebook=ready]');
    const index = await exerciseCell(page, 1);
    const cell = page.locator(`section.cell[data-cell="${index}"]`);
    // As written the exercise fails: running it must not count it.
    await cell.getByRole('button', { name: 'Run', exact: true }).click();
    await idle(page);
    await expect(cell.locator('.out-check.fail').count()).resolves.toBeGreaterThan(0);
    expect((await marks(page, '.sidebar'))[chapters[0]].count).toBe(`0/${exercises}`);
    // The reader types the worked solution the page offers, and runs it.
    const solution = (await page.locator('[data-exercise-solution] pre').first().textContent())!.replace(/\n$/, '');
    await cell.getByRole('button', { name: 'Edit' }).click();
    const editor = cell.locator('.cm-content');
    await editor.waitFor();
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(solution);
    await cell.getByRole('button', { name: 'Run', exact: true }).click();
    await idle(page);
    await expect(cell.locator('.out-check.pass').count()).resolves.toBeGreaterThan(0);
    expect((await marks(page, '.sidebar'))[chapters[0]].count).toBe(`1/${exercises}`);
    await page.reload();
    expect((await marks(page, '.sidebar'))[chapters[0]]).toEqual({ opened: true, count: `1/${exercises}` });
    await page.goto(`${suite.url}/`);
    expect((await marks(page, '.path'))[chapters[0]].count).toBe(`1/${exercises}`);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 120_000);

  it('drops malformed stored progress without a page error and keeps the entries that make sense', async () => {
    const { page, context: ctx, errors } = await context();
    const stored = JSON.stringify({
      opened: [chapters[0], 5, '../etc', { slug: chapters[1] }, 'NOT A SLUG', chapters[0]],
      solved: { [chapters[0]]: [2, '1', -3, 1.5, 99999, 2], 'BAD KEY': [1], [chapters[1]]: 'all of them', [chapters[2]]: null },
      extra: true,
    });
    await page.addInitScript(
      ([key, value]) => {
        if (!sessionStorage.getItem('seeded')) localStorage.setItem(key, value), sessionStorage.setItem('seeded', 'yes');
      },
      [KEY, stored],
    );
    await page.goto(`${suite.url}/`);
    const front = await marks(page, '.path');
    expect(front[chapters[0]]).toEqual({ opened: true, count: `1/${exercises}` });
    expect(chapters.slice(1).every((chapter) => !front[chapter].opened && front[chapter].count === '')).toBe(true);
    // The entry is rewritten without what was dropped.
    expect(JSON.parse((await page.evaluate((key) => localStorage.getItem(key), KEY))!)).toEqual({ opened: [chapters[0]], solved: { [chapters[0]]: [2] } });

    for (const garbage of ['{not json', '"a string"', '[1, 2, 3]', 'null', '{"opened": "everything", "solved": [1]}']) {
      await page.evaluate(([key, value]) => localStorage.setItem(key, value), [KEY, garbage]);
      await page.goto(`${suite.url}${first}`);
      expect((await marks(page, '.sidebar'))[chapters[0]]).toEqual({ opened: true, count: `0/${exercises}` });
      expect(JSON.parse((await page.evaluate((key) => localStorage.getItem(key), KEY))!)).toEqual({ opened: [chapters[0]], solved: {} });
    }
    expect(errors).toEqual([]);
    await ctx.close();
  });
});

describe('the sidebar', () => {
  it('stays in view beside a chapter on a wide screen, with the current chapter marked', async () => {
    const { page } = await suite.visit(`/chapters/${chapters[3]}/`, { width: 1280 });
    const sidebar = page.locator('#sidebar');
    await expect(sidebar.isVisible()).resolves.toBe(true);
    await page.mouse.wheel(0, 5000);
    // The wheel scrolls the page (smoothly, over several frames): wait until it has moved and come to rest.
    await page.waitForFunction(() => {
      const at = window as unknown as { lastScrollY?: number };
      const resting = scrollY > 0 && at.lastScrollY === scrollY;
      at.lastScrollY = scrollY;
      return resting;
    }, undefined, { polling: 'raf' });
    const box = (await sidebar.boundingBox())!;
    expect(box.y).toBeLessThanOrEqual(0);
    expect(box.y + box.height).toBeGreaterThan(400);
    await expect(sidebar.locator('a[aria-current="page"]').getAttribute('href')).resolves.toBe(`/chapters/${chapters[3]}/`);
    await expect(page.locator('.menu-button').isVisible()).resolves.toBe(false);
  });

  it('folds away on a 375-pixel phone and opens from the keyboard, and Escape closes it', async () => {
    const { page, errors } = await suite.visit(first, { width: 375 });
    const sidebar = page.locator('#sidebar');
    await expect(sidebar.isVisible()).resolves.toBe(false);
    await page.keyboard.press('Tab'); // the skip link
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({ text: document.activeElement?.textContent?.trim(), expanded: document.activeElement?.getAttribute('aria-expanded') }));
    expect(focused).toEqual({ text: 'Chapters', expanded: 'false' });
    await page.keyboard.press('Enter');
    await expect(page.locator('.menu-button').getAttribute('aria-expanded')).resolves.toBe('true');
    await page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).visibility === 'visible');
    await expect(sidebar.getByRole('link', { name: /A single neuron/ }).isVisible()).resolves.toBe(true);
    // Focus moved into the drawer, onto the chapter being read.
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-current') === 'page');
    // The drawer slides in; wait for it to finish (a busy machine can be slow) before measuring it.
    await page.waitForFunction(() => document.getElementById('sidebar')!.getAnimations({ subtree: true }).every((animation) => animation.playState !== 'running'));
    const box = (await sidebar.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).visibility === 'hidden');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('menu-button'))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('opens on a phone without JavaScript too, through its link', async () => {
    const { page, context: ctx } = await context({ width: 375, javaScript: false });
    await page.goto(`${suite.url}${first}`);
    await expect(page.locator('#sidebar').isVisible()).resolves.toBe(false);
    await page.getByRole('link', { name: 'Chapters' }).click();
    await page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).visibility === 'visible');
    await expect(page.locator('#sidebar').getByRole('link', { name: /Backpropagation/ }).isVisible()).resolves.toBe(true);
    await ctx.close();
  });
});

describe('the 404 page', () => {
  it('is served for an unknown address, with a link home and every chapter', async () => {
    const { page, context: ctx, exceptions } = await context({ width: 375 });
    const response = await page.goto(`${suite.url}/chapters/no-such-chapter/`);
    expect(response?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('This page is not here');
    await expect(page.getByRole('link', { name: /back to the front page/i }).getAttribute('href')).resolves.toBe('/');
    const links = await page.$$eval('main .path a', (anchors) => anchors.map((a) => a.getAttribute('href')));
    expect(links).toEqual(chapters.map((chapter) => `/chapters/${chapter}/`));
    await expect(page.locator('main .path').isVisible()).resolves.toBe(true);
    // The browser logs the 404 status itself; the page's own scripts must not fail.
    expect(exceptions).toEqual([]);
    await ctx.close();
  });
});

describe('the first chapter', () => {
  it(`loads at most ${BUDGET / 1024} KB of gzipped JavaScript, and no editor, before the reader edits anything`, async () => {
    const { page, context: ctx } = await context();
    const scripts: Array<Promise<[string, number]>> = [];
    page.on('response', (response) => {
      const type = response.request().resourceType();
      if (type === 'script' || type === 'worker') scripts.push(response.body().then((body) => [new URL(response.url()).pathname, gzipSync(body).length]));
    });
    // A cold load in a fresh context; "networkidle" (nothing fetched for half a second) is the one
    // honest end here: the budget covers whatever the page goes on to load by itself.
    await page.goto(`${suite.url}${first}`, { waitUntil: 'networkidle' });
    await page.waitForSelector('[data-notebook=ready]');
    const sizes = await Promise.all(scripts);
    const total = sizes.reduce((sum, [, size]) => sum + size, 0);
    expect(sizes.length, 'the page loaded no script at all').toBeGreaterThan(0);
    expect(sizes.map(([path]) => path).filter((path) => /editor/.test(path))).toEqual([]);
    expect(total, sizes.map(([path, size]) => `${path}: ${size} B`).join('\n')).toBeLessThanOrEqual(BUDGET);
    await ctx.close();
  });
});

describe('without JavaScript', () => {
  it('a chapter shows its chapter list, its table of contents and every cell output', async () => {
    const { page, context: ctx } = await context({ javaScript: false });
    await page.goto(`${suite.url}${first}`);
    const links = page.locator('#sidebar [data-chapter-slug] a');
    await expect(links.count()).resolves.toBe(chapters.length);
    for (let i = 0; i < chapters.length; i++) await expect(links.nth(i).isVisible()).resolves.toBe(true);
    await expect(page.locator('.toc').isVisible()).resolves.toBe(true);
    await expect(page.locator('.toc a').count()).resolves.toBeGreaterThan(2);
    const outputs = await page.$$eval('section.cell .cell-output', (nodes) => nodes.map((node) => ({ text: node.textContent ?? '', shown: (node as HTMLElement).offsetHeight > 0 })));
    expect(outputs.length).toBeGreaterThan(0);
    expect(outputs.filter((output) => !output.text.trim() || !output.shown)).toEqual([]);
    await expect(page.locator('[data-testid="neuron-output"]').textContent()).resolves.toBe('4.8');
    await expect(page.locator('.pager a[rel="next"]').getAttribute('href')).resolves.toBe(`/chapters/${chapters[1]}/`);
    await ctx.close();
  });

  it('the front page shows the trained spiral and the path through every chapter', async () => {
    const { page, context: ctx } = await context({ javaScript: false, width: 375 });
    await page.goto(`${suite.url}/`);
    await expect(page.locator('svg.spiral circle').count()).resolves.toBe(300);
    await expect(page.locator('svg.spiral').isVisible()).resolves.toBe(true);
    const links = await page.$$eval('.path a', (anchors) => anchors.map((a) => a.getAttribute('href')));
    expect(links).toEqual(chapters.map((chapter) => `/chapters/${chapter}/`));
    await expect(page.getByRole('link', { name: /README/ }).first().getAttribute('href')).resolves.toBe('/library/');
    await expect(page.locator('.credits').textContent()).resolves.toMatch(/Neural Networks from Scratch in Python.*Harrison Kinsley and Daniel Kukieła[\s\S]*Building a neural network from scratch.*Green Code/);
    await ctx.close();
  });
});
