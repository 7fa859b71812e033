// KaTeX in real Chromium, on the built site: the stylesheet comes from the katex that renders the
// formulas, so sub- and superscripts are set smaller than their base and lowered or raised, with
// KaTeX's own fonts from the site itself; a display formula wider than the column scrolls inside
// itself with a fade, a cue and a keyboard stop, while the page never scrolls sideways. A page is
// loaded once for the checks that only read it, and switched between themes in place.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { browserSuite } from '../support/browser-suite.ts';

const root = resolve(import.meta.dirname, '../..');
const suite = browserSuite();
const visits = new Map<string, Promise<{ page: Page; hosts: Set<string>; requested: string[] }>>();

/** A page at `width` with the system's dark or light theme, loaded once per path and width and switched to `dark` in place; `requested` is what its load asked the server for. */
async function open(path: string, options: { width?: number; dark?: boolean } = {}): Promise<{ page: Page; hosts: Set<string>; requested: string[] }> {
  const key = `${path} ${options.width ?? 1280}`;
  if (!visits.has(key)) {
    const load = async (): Promise<{ page: Page; hosts: Set<string>; requested: string[] }> => {
      const before = suite.requests.length;
      const { page, hosts } = await suite.open(path, { width: options.width ?? 1280 });
      await page.evaluate(() => document.fonts.ready);
      return { page, hosts, requested: suite.requests.slice(before) };
    };
    visits.set(key, load());
  }
  const visit = await visits.get(key)!;
  await visit.page.emulateMedia({ colorScheme: options.dark ? 'dark' : 'light' });
  return visit;
}

/** The version of the katex that `from` (a package directory) imports. */
function katexVersion(from: string): string {
  const entry = createRequire(join(from, 'package.json')).resolve('katex');
  return (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

describe('math on the chapter pages', () => {
  it('loads the stylesheet of the same katex version that rehype-katex renders with', () => {
    expect(katexVersion(root)).toBe(katexVersion(join(root, 'node_modules/rehype-katex')));
  });

  // Each case: a chapter, and a base glyph with the script KaTeX sets on it there.
  const scripts = [
    { chapter: '01-a-single-neuron', base: 'x', script: 'i', kind: 'subscript', tex: 'x_i' },
    { chapter: '02-a-layer-of-neurons', base: 'W', script: '⊤', kind: 'superscript', tex: 'W^\\top' },
    { chapter: '09-optimizers', base: 'η', script: '0', kind: 'subscript', tex: '\\eta_0' },
  ] as const;

  it.each(scripts)('sets the $kind of $tex in $chapter smaller than its base and off its baseline', async ({ chapter, base, script, kind }) => {
    const { page } = await open(`/chapters/${chapter}/`);
    const measured = await page.evaluate(
      ([base, script]) => {
        // KaTeX writes a script as <span class="msupsub"> right after the base it belongs to.
        const leaf = (element: Element, text: string): Element | undefined =>
          [element, ...element.querySelectorAll('*')].find((node) => node.children.length === 0 && node.textContent === text);
        for (const supsub of document.querySelectorAll('.katex .msupsub')) {
          const baseLeaf = supsub.previousElementSibling && leaf(supsub.previousElementSibling, base);
          const scriptLeaf = leaf(supsub, script);
          if (!baseLeaf || !scriptLeaf) continue;
          const box = (element: Element) => {
            const { top, bottom, height } = element.getBoundingClientRect();
            return { middle: (top + bottom) / 2, height, fontSize: parseFloat(getComputedStyle(element).fontSize) };
          };
          return { base: box(baseLeaf), script: box(scriptLeaf) };
        }
        return undefined;
      },
      [base, script] as const,
    );
    expect(measured, `no ${base} with ${script} as its script`).toBeDefined();
    const { base: b, script: s } = measured!;
    // KaTeX sets first-level scripts at 70% of the base size; full size means its CSS is missing.
    expect(s.fontSize / b.fontSize).toBeLessThan(0.8);
    expect(s.height).toBeLessThan(b.height);
    if (kind === 'subscript') expect(s.middle).toBeGreaterThan(b.middle);
    else expect(s.middle).toBeLessThan(b.middle);
  });

  it('draws the formulas in KaTeX fonts served by the site itself', async () => {
    const { page, hosts, requested } = await open('/chapters/01-a-single-neuron/');
    const loaded = await page.evaluate(() => [...document.fonts].filter((font) => font.family.replace(/"/g, '').startsWith('KaTeX_') && font.status === 'loaded').map((font) => font.family));
    const fontRequests = requested.filter((path) => /KaTeX_.*\.woff2$/.test(path));
    expect(loaded.length).toBeGreaterThan(0);
    expect(fontRequests.length).toBeGreaterThan(0);
    expect([...hosts]).toEqual([new URL(suite.url).host]);
  });
});

describe('display formulas wider than the column', () => {
  // Chapter 3 has display formulas that fit a phone and ones that do not.
  const chapter = '/chapters/03-batches-and-layers/';

  it.each([{ dark: false }, { dark: true }])('are marked, labelled and cued at 375 px, only when they overflow (dark: $dark)', async ({ dark }) => {
    const { page } = await open(chapter, { width: 375, dark });
    const page375 = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const displays = await page.$$eval('.katex-display', (elements) =>
      elements.map((element) => {
        const cue = element.nextElementSibling?.classList.contains('math-scroll-cue') ? (element.nextElementSibling as HTMLElement) : undefined;
        const style = getComputedStyle(element);
        /** The first opaque background at or behind an element, as [r, g, b]. */
        const background = (node: Element | null): number[] => {
          for (; node; node = node.parentElement) {
            const [r, g, b, a = 1] = getComputedStyle(node).backgroundColor.match(/[\d.]+/g)!.map(Number);
            if (a > 0.9) return [r, g, b];
          }
          return [255, 255, 255];
        };
        const luminance = ([r, g, b]: number[]) =>
          [r, g, b].map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4)).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
        const contrast = (a: number[], b: number[]) => {
          const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
          return (hi + 0.05) / (lo + 0.05);
        };
        return {
          overflows: element.scrollWidth > element.clientWidth + 1,
          marked: element.dataset.overflow ?? null,
          tabIndex: element.getAttribute('tabindex'),
          role: element.getAttribute('role'),
          label: element.getAttribute('aria-label'),
          mask: style.maskImage,
          cueShown: cue ? cue.offsetHeight > 0 : false,
          cueText: cue ? getComputedStyle(cue, '::before').content : null,
          cueContrast: cue && cue.offsetHeight > 0 ? contrast(getComputedStyle(cue).color.match(/[\d.]+/g)!.map(Number), background(cue)) : null,
        };
      }),
    );
    expect(page375, 'the page scrolls sideways at 375 px').toBeLessThanOrEqual(0);
    const wide = displays.filter((display) => display.overflows);
    const fitting = displays.filter((display) => !display.overflows);
    expect(wide.length).toBeGreaterThan(0);
    expect(fitting.length).toBeGreaterThan(0);
    for (const display of wide) {
      expect(display).toMatchObject({ marked: 'right', tabIndex: '0', role: 'group', cueShown: true });
      expect(display.label).toMatch(/scrolls sideways/);
      expect(display.mask).toMatch(/gradient/);
      expect(display.cueText).toMatch(/scroll →/);
      expect(display.cueContrast).toBeGreaterThanOrEqual(4.5);
    }
    for (const display of fitting) expect(display).toMatchObject({ marked: null, tabIndex: null, role: null, mask: 'none', cueShown: false });
  });

  it('scroll with the arrow keys once reached with Tab, show a focus ring, and say which way is left', async () => {
    // Its own page: it scrolls a formula and moves the focus, which the tests above must not see.
    const { page, context } = await suite.open(chapter, { width: 375 });
    await page.evaluate(() => document.fonts.ready);
    const wide = page.locator('.katex-display[data-overflow]').first();
    expect(await wide.count(), 'no display formula is marked as overflowing').toBe(1);
    // Start from the paragraph just before the formula, so one Tab should reach it.
    await wide.evaluate((element) => {
      const before = element.previousElementSibling as HTMLElement;
      before.tabIndex = -1;
      before.focus();
    });
    let reached = false;
    for (let presses = 0; presses < 5 && !reached; presses++) {
      await page.keyboard.press('Tab');
      reached = await wide.evaluate((element) => document.activeElement === element);
    }
    expect(reached, 'Tab never reaches the wide formula').toBe(true);
    await page.keyboard.press('ArrowRight');
    // The formula scrolls, and its scroll event (a frame later) updates which edges hide more of it.
    await page.waitForFunction((element) => (element as HTMLElement).scrollLeft > 0 && (element as HTMLElement).dataset.overflow !== 'right', await wide.elementHandle());
    const focused = await wide.evaluate((element) => ({ outline: getComputedStyle(element).outlineStyle, mask: getComputedStyle(element).maskImage, marked: element.dataset.overflow }));
    expect(focused).toEqual({ outline: 'solid', mask: 'none', marked: 'both' });
    await wide.evaluate((element) => (element.scrollLeft = element.scrollWidth));
    await page.waitForFunction((element) => (element as HTMLElement).dataset.overflow === 'left', await wide.elementHandle());
    await context.close();
  });
});
