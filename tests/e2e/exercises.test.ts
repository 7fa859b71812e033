// The exercises' hints and worked solutions in real Chromium, on the built site: a hint opens and
// closes from the keyboard; a worked solution stays shut until its cell has run or the reader
// chooses "Show anyway", then opens from the keyboard and shows highlighted code; both are plain
// disclosures without JavaScript, and their text keeps its contrast in both themes. That every
// chapter numbers its exercises, hints and solutions is checked by chapter-pages.test.ts.
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { browserSuite, chapterPath, chapters, html, type Opened } from '../support/browser-suite.ts';

const suite = browserSuite();
const withExercises = chapters.filter((chapter) => html(chapterPath(chapter)).includes('data-exercise-solution'));
// The keyboard tests use the first chapter with exercises; its cells run in milliseconds.
const first = chapterPath(withExercises[0]);

/** Opens a page in a fresh context (its own storage, so a reload remembers what it did), collecting console errors; with JavaScript, once its exercises are set up. */
async function open(path: string, options: { dark?: boolean; javaScript?: boolean } = {}): Promise<Opened> {
  const opened = await suite.open(path, options);
  if (options.javaScript !== false) await opened.page.waitForSelector('[data-notebook=ready] section.cell[data-exercise]');
  return opened;
}

/** Loads a page afresh, with nothing remembered, in the file's warm shared page, once its exercises are set up. */
async function visit(path: string, options: { dark?: boolean } = {}): Promise<Opened> {
  const opened = await suite.visit(path, options);
  await opened.page.waitForSelector('[data-notebook=ready] section.cell[data-exercise]');
  return opened;
}

/** The first exercise's cell, hint and solution. */
function firstExercise(page: Page): { cell: Locator; hint: Locator; solution: Locator } {
  return { cell: page.locator('section.cell[data-exercise="1"]'), hint: page.locator('.exercise-hint[data-exercise="1"]'), solution: page.locator('.exercise-solution[data-exercise="1"]') };
}

/** Presses Tab until `target` has the focus; fails after `limit` presses. */
async function tabTo(page: Page, target: Locator, limit = 12): Promise<number> {
  for (let presses = 1; presses <= limit; presses++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((element) => element === document.activeElement)) return presses;
  }
  throw new Error(`Tab did not reach ${target} in ${limit} presses`);
}

const isOpen = (details: Locator): Promise<boolean> => details.evaluate((element) => (element as HTMLDetailsElement).open);

describe('an exercise', () => {
  it('is on at least one chapter page, so the tests below have something to try', () => {
    expect(withExercises.length).toBeGreaterThan(0);
  });

  it('has a hint that Tab reaches from its cell, and Enter and Space open and close', async () => {
    const { page, errors } = await visit(first);
    const { cell, hint } = firstExercise(page);
    const summary = hint.locator('summary');
    const body = hint.locator('.aid-body');
    await cell.locator('pre').first().focus();
    await tabTo(page, summary);
    expect(await body.isVisible()).toBe(false);
    await page.keyboard.press('Enter');
    expect(await isOpen(hint)).toBe(true);
    expect(await body.isVisible()).toBe(true);
    expect((await body.textContent())?.trim().length).toBeGreaterThan(20);
    await page.keyboard.press('Enter');
    expect(await isOpen(hint)).toBe(false);
    await page.keyboard.press('Space');
    expect(await isOpen(hint)).toBe(true);
    await page.keyboard.press('Space');
    expect(await isOpen(hint)).toBe(false);
    expect(errors).toEqual([]);
  });

  it('keeps its worked solution shut before a try: Enter and Space on it open nothing, and it says why', async () => {
    const { page, errors } = await visit(first);
    const { hint, solution } = firstExercise(page);
    const summary = solution.locator('summary');
    await hint.locator('summary').focus();
    await tabTo(page, summary, 1); // the next stop after the hint
    expect(await summary.getAttribute('aria-disabled')).toBe('true');
    const gate = solution.locator('[data-solution-gate]');
    expect(await gate.isVisible()).toBe(true);
    expect(await summary.evaluate((element) => document.getElementById(element.getAttribute('aria-describedby') ?? '')?.textContent)).toMatch(/Run the cell above/);
    for (const key of ['Enter', 'Space', 'Enter']) {
      await page.keyboard.press(key);
      expect(await isOpen(solution.locator('details')), `after ${key}`).toBe(false);
    }
    await summary.click();
    expect(await isOpen(solution.locator('details'))).toBe(false);
    expect(await solution.locator('.aid-body').isVisible()).toBe(false);
    expect(errors).toEqual([]);
  });

  it('opens its worked solution by keyboard once its cell has run, with highlighted code, and remembers the try', async () => {
    const { page, context, errors } = await open(first);
    const { cell, solution } = firstExercise(page);
    const details = solution.locator('details');
    await cell.getByRole('button', { name: 'Run' }).first().focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.querySelector('.exercise-solution[data-exercise="1"]')?.hasAttribute('data-locked'), undefined, { timeout: 30_000 });
    // Only the exercise that ran is unlocked.
    expect(await page.locator('.exercise-solution[data-exercise="2"]').getAttribute('data-locked')).toBe('');
    expect(await solution.locator('summary').getAttribute('aria-disabled')).toBeNull();
    expect(await solution.locator('[data-solution-gate]').isVisible()).toBe(false);
    await solution.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await isOpen(details)).toBe(true);
    const code = solution.locator('.aid-body pre.astro-code');
    expect(await code.isVisible()).toBe(true);
    expect(await code.textContent()).toContain('check(');
    // Highlighted: Shiki gives the tokens different colours.
    const colours = await code.locator('span[style]').evaluateAll((spans) => new Set(spans.map((span) => getComputedStyle(span).color)).size);
    expect(colours).toBeGreaterThanOrEqual(3);
    expect((await solution.locator('.aid-body > p').first().textContent())?.trim().length).toBeGreaterThan(20);
    await page.keyboard.press('Space');
    expect(await isOpen(details)).toBe(false);
    await page.reload();
    await page.waitForSelector('section.cell[data-exercise]');
    expect(await solution.getAttribute('data-locked')).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens its worked solution without a try when the reader presses "Show anyway" from the keyboard', async () => {
    const { page, errors } = await visit(first);
    const { solution } = firstExercise(page);
    const showAnyway = solution.getByRole('button', { name: 'Show anyway' });
    await solution.locator('summary').focus();
    await tabTo(page, showAnyway, 1);
    await page.keyboard.press('Enter');
    expect(await isOpen(solution.locator('details'))).toBe(true);
    expect(await solution.locator('.aid-body pre.astro-code').isVisible()).toBe(true);
    expect(await showAnyway.isVisible()).toBe(false);
    // The focus moves to the solution's summary, so the reader is not left on a hidden button.
    expect(await solution.locator('summary').evaluate((element) => element === document.activeElement)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('is a plain disclosure without JavaScript: hint and solution both open', async () => {
    const { page, context } = await open(first, { javaScript: false });
    const hint = page.locator('.exercise-hint').first();
    const solution = page.locator('.exercise-solution').first();
    expect(await solution.locator('[data-solution-gate]').isVisible()).toBe(false);
    expect(await solution.locator('.aid-tag').isVisible()).toBe(false);
    await hint.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await isOpen(hint)).toBe(true);
    await solution.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await isOpen(solution.locator('details'))).toBe(true);
    expect(await solution.locator('.aid-body pre.astro-code').isVisible()).toBe(true);
    await context.close();
  });

  it.each([['light'], ['dark']])('keeps the text of hints, solutions and the lock note at 4.5:1 or more in the %s theme', async (theme) => {
    const { page } = await visit(first, { dark: theme === 'dark' });
    const { hint, solution } = firstExercise(page);
    await hint.locator('summary').click();
    const ratios = await page.evaluate(() => {
      /** sRGB channels of a computed colour, rgb() or color(srgb …), with its alpha. */
      const parse = (colour: string): number[] => {
        const srgb = /color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.]+))?\)/.exec(colour);
        if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
        const [r, g, b, a = 1] = (colour.match(/[\d.]+/g) ?? []).map(Number);
        return [r, g, b, a];
      };
      const luminance = ([r, g, b]: number[]): number => {
        const linear = (c: number): number => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
      };
      /** The first opaque background at or above `element`. */
      const background = (element: Element | null): number[] => {
        for (; element; element = element.parentElement) {
          const colour = parse(getComputedStyle(element).backgroundColor);
          if (colour[3] > 0.99) return colour;
        }
        return [255, 255, 255, 1];
      };
      const selectors = ['.exercise-hint[data-exercise="1"] .aid-label', '.exercise-hint[data-exercise="1"] .aid-body p', '.exercise-solution[data-exercise="1"] .aid-label', '.exercise-solution[data-exercise="1"] .aid-tag', '.exercise-solution[data-exercise="1"] .solution-gate span'];
      return selectors.map((selector) => {
        const element = document.querySelector(selector)!;
        const [text, back] = [luminance(parse(getComputedStyle(element).color)), luminance(background(element))];
        return { selector, ratio: Math.round(((Math.max(text, back) + 0.05) / (Math.min(text, back) + 0.05)) * 100) / 100 };
      });
    });
    expect(ratios.filter(({ ratio }) => ratio < 4.5)).toEqual([]);
    expect(await solution.getAttribute('data-locked')).toBe('');
  });
});
