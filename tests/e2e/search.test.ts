// The header's search in real Chromium, on the built site (site/integrations/search.ts indexes it
// with Pagefind): `/` opens it from any page but not while the reader types, a search lists the
// chapter that is about the word first and Enter or a click goes there, Escape closes it, and it all
// runs on the site alone: no other host, and nothing lost when every other host is cut off.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { browserSuite, chapterPath, chapters, html, site } from '../support/browser-suite.ts';

const suite = browserSuite();

/** A built chapter's reading text: its paragraphs, without tags and math. */
const prose = (chapter: string): string =>
  Array.from(html(chapterPath(chapter)).matchAll(/<p>([\s\S]*?)<\/p>/g), (match) => match[1].replace(/<span class="katex">[\s\S]*?<\/math><\/span>/g, ' ').replace(/<[^>]+>/g, ' '))
    .join(' ')
    .toLowerCase();

/** The API reference's pages: its contents and one page per module. */
const apiPages = ['/api/', ...readdirSync(join(site, 'api'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => `/api/${entry.name}/`)];

/** A long word of one chapter's prose that no other chapter's page and no API page has (the one it uses most), and that chapter. */
function wordOfOneChapter(): { word: string; chapter: string } {
  const pages = new Map(chapters.map((chapter) => [chapter, html(chapterPath(chapter)).toLowerCase()]));
  const api = apiPages.map((page) => html(page).toLowerCase()).join(' ');
  let best = { word: '', chapter: '', count: 0 };
  for (const chapter of chapters) {
    const counts = new Map<string, number>();
    for (const [word] of prose(chapter).matchAll(/\b[a-z]{10,}\b/g)) counts.set(word, (counts.get(word) ?? 0) + 1);
    for (const [word, count] of counts) {
      if (count <= best.count) continue;
      if (chapters.every((other) => other === chapter || !pages.get(other)!.includes(word.slice(0, -2))) && !api.includes(word.slice(0, -2))) best = { word, chapter, count };
    }
  }
  return best;
}

/** The chapter whose title starts with `title`'s word, as its built page says. */
const chapterTitled = (word: string): string => chapters.find((chapter) => new RegExp(`<h1[^>]*>${word}`, 'i').test(html(chapterPath(chapter))))!;

/** Types `term` into the open search and waits until its results are listed; returns each result's first link. */
async function search(page: Page, term: string): Promise<Array<{ href: string; text: string }>> {
  await page.locator('[data-search-input]').fill(term);
  await page.waitForFunction((term) => document.querySelector('[data-search-status]')?.textContent?.includes(`“${term}”`), term);
  return page.$$eval('.search-result', (items) => items.map((item) => ({ href: item.querySelector('a')!.getAttribute('href')!, text: item.textContent ?? '' })));
}

describe('the search', () => {
  it('writes its index into the build: one fragment per chapter and API page, and nothing of the pages without data-pagefind-body', () => {
    expect(apiPages.length).toBeGreaterThan(10);
    expect(readdirSync(join(site, 'pagefind', 'fragment'))).toHaveLength(chapters.length + apiPages.length);
    expect(readdirSync(join(site, 'pagefind'))).toEqual(expect.arrayContaining(['pagefind.js', 'pagefind-worker.js', 'wasm.en.pagefind']));
    expect(html(chapterPath(chapters[0]))).toMatch(/<nav class="toc"[^>]*data-pagefind-ignore/);
  });

  it('opens on `/`, lists the Softmax chapter first for “softmax”, and Enter goes there, with every other host cut off', async () => {
    const { page, context, errors, hosts } = await suite.open('', { go: false });
    const site = new URL(suite.url).host;
    const refused: string[] = [];
    await context.route('**/*', (route) => (new URL(route.request().url()).host === site ? route.continue() : (refused.push(route.request().url()), route.abort())));
    await page.goto(`${suite.url}/`);
    await page.locator('.search-button:not([hidden])').waitFor();
    await page.keyboard.press('/');
    await expect(page.evaluate(() => document.activeElement?.matches('[data-search-input]'))).resolves.toBe(true);
    const softmax = chapterTitled('Softmax');
    const results = await search(page, 'softmax');
    expect(results.length).toBeGreaterThan(1);
    expect(results[0].href).toBe(chapterPath(softmax));
    await page.keyboard.press('Enter');
    await page.waitForURL(`${suite.url}${chapterPath(softmax)}`);
    expect([...hosts]).toEqual([site]);
    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('finds a word only one chapter uses, from a chapter page, and a click on a section goes to that section', async () => {
    const { word, chapter } = wordOfOneChapter();
    expect(word, 'some long word is in only one chapter').not.toBe('');
    const { page, errors, hosts } = await suite.visit(chapterPath(chapters[0]));
    await page.locator('.search-button:not([hidden])').click();
    const results = await search(page, word);
    expect(results[0].href).toBe(chapterPath(chapter));
    const section = page.locator('.search-result').first().locator('.search-section').first();
    const href = (await section.getAttribute('href'))!;
    expect(href).toMatch(new RegExp(`^${chapterPath(chapter)}#.+`));
    await section.click();
    await page.waitForURL(`${suite.url}${href}`);
    await expect(page.locator(`[id="${decodeURIComponent(href.split('#')[1])}"]`).count()).resolves.toBe(1);
    await expect(page.locator('[data-search-dialog]').evaluate((dialog: HTMLDialogElement) => dialog.open)).resolves.toBe(false);
    expect([...hosts]).toEqual([new URL(suite.url).host]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('finds a library name only the API reference mentions, and goes to its module’s page', async () => {
    const chapterText = chapters.map((chapter) => html(chapterPath(chapter)).toLowerCase()).join(' ');
    const [, name, module] = [...html('/api/').matchAll(/href="\/api\/([\w-]+)\/#([A-Za-z]{8,})"/g)].map((match) => [match[0], match[2], match[1]]).find(([, name]) => !chapterText.includes(name.toLowerCase()))!;
    const { page, errors } = await suite.visit('/');
    await page.locator('.search-button:not([hidden])').click();
    const results = await search(page, name);
    expect(results[0]?.href, `a search for ${name}`).toBe(`/api/${module}/`);
    expect(results[0].text).toContain('API');
    expect(errors).toEqual([]);
  }, 60_000);

  it('leaves `/` to the reader while they type in a cell’s editor, and Escape closes it and gives focus back', async () => {
    const { page, errors } = await suite.visit(chapterPath(chapters[0]));
    await page.waitForSelector('[data-notebook=ready]');
    const cell = page.locator('section.cell').first();
    await cell.getByRole('button', { name: 'Edit' }).click();
    const editor = cell.locator('.cm-content');
    await editor.waitFor();
    await editor.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' // a/b');
    await expect(editor.textContent()).resolves.toContain('// a/b');
    await expect(page.locator('[data-search-dialog]').evaluate((dialog: HTMLDialogElement) => dialog.open)).resolves.toBe(false);
    const button = page.locator('.search-button');
    await button.focus();
    await page.keyboard.press('/');
    await page.keyboard.type('loss');
    await expect(page.locator('[data-search-input]').inputValue()).resolves.toBe('loss');
    await page.keyboard.press('Escape');
    await expect(page.locator('[data-search-dialog]').evaluate((dialog: HTMLDialogElement) => dialog.open)).resolves.toBe(false);
    await expect(button.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);

  it('fits a 375-pixel phone with its results, in the dark theme too', async () => {
    const { page, errors } = await suite.visit('/library/', { width: 375, dark: true });
    await page.locator('.search-button:not([hidden])').click();
    await search(page, 'gradient');
    const fit = await page.evaluate(() => {
      const box = document.querySelector('[data-search-dialog]')!.getBoundingClientRect();
      const background = (selector: string): string => getComputedStyle(document.querySelector(selector)!).backgroundColor;
      return { left: box.left, right: box.right, width: innerWidth, scroll: document.documentElement.scrollWidth, background: background('[data-search-dialog]'), raised: background('.theme-toggle') };
    });
    expect(fit.left).toBeGreaterThanOrEqual(0);
    expect(fit.right).toBeLessThanOrEqual(fit.width);
    expect(fit.scroll).toBe(fit.width);
    // The dialog is raised like the header's buttons, in the dark theme's colours (not the light one's white).
    expect(fit.background).toBe(fit.raised);
    expect(fit.background).not.toBe('rgb(255, 255, 255)');
    expect(errors).toEqual([]);
  }, 60_000);
});
