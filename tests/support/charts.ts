// The charts and figures of a page as Chromium lays them out, for the figure tests and the page
// tours (chapter-pages.test.ts, figures.test.ts): what is wrong with each chart (legends over the
// data, labels cut or colliding) and each figure's summary as a screen reader reads it.
import type { Page } from 'playwright-core';

/** What went wrong with the charts on the page, in words: an empty list when every chart is clean. */
export function chartProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Box = { left: number; right: number; top: number; bottom: number };
    const box = (element: Element): Box => element.getBoundingClientRect();
    const EPS = 0.5;
    const overlaps = (a: Box, b: Box): boolean => a.left < b.right - EPS && b.left < a.right - EPS && a.top < b.bottom - EPS && b.top < a.bottom - EPS;
    const inside = (a: Box, b: Box): boolean => a.left >= b.left - EPS && a.right <= b.right + EPS && a.top >= b.top - EPS && a.bottom <= b.bottom + EPS;
    const visible = (element: Element): boolean => getComputedStyle(element).display !== 'none' && element.getClientRects().length > 0;
    /** The box of an element's text itself (its line boxes), not of the element, which may be wider. */
    const ink = (element: Element): Box => {
      const range = document.createRange();
      range.selectNodeContents(element);
      return range.getBoundingClientRect();
    };
    const problems: string[] = [];
    document.querySelectorAll('.chart').forEach((chart, n) => {
      const name = `chart ${n + 1} (${chart.closest('figure')?.querySelector('figcaption')?.textContent ?? chart.className})`;
      const frame = box(chart);
      const area = box(chart.querySelector('.chart-svg')!);
      // The chart itself must sit inside its cell, which hides whatever overflows it.
      const holder = chart.closest('.cell-output') ?? chart.parentElement!;
      if (!inside(frame, box(holder))) problems.push(`${name} reaches outside its cell`);
      if (frame.right > document.documentElement.clientWidth + EPS) problems.push(`${name} reaches past the screen's right edge`);
      chart.querySelectorAll('.chart-key').forEach((key) => {
        const label = key.textContent;
        if (overlaps(box(key), area)) problems.push(`${name}: legend entry "${label}" overlaps the data area`);
        if (!inside(box(key), frame)) problems.push(`${name}: legend entry "${label}" is cut by the chart's edge`);
        if (key.scrollWidth > key.clientWidth + 1) problems.push(`${name}: legend entry "${label}" is cut inside itself`);
      });
      const words = [...chart.querySelectorAll('.tick, .chart-y-title, .chart-x-title, .chart-key')].filter(visible);
      for (const word of words) {
        if (!inside(ink(word), frame)) problems.push(`${name}: "${word.textContent}" is cut by the chart's edge`);
        if (word.classList.contains('tick') && overlaps(ink(word), area)) problems.push(`${name}: tick "${word.textContent}" overlaps the data area`);
      }
      for (const axis of ['tick-x', 'tick-y']) {
        const ticks = words.filter((word) => word.classList.contains(axis)).map((word) => ({ text: word.textContent, rect: ink(word) }));
        ticks.forEach((a, i) => ticks.slice(i + 1).forEach((b) => overlaps(a.rect, b.rect) && problems.push(`${name}: ticks "${a.text}" and "${b.text}" collide`)));
        if (ticks.length < 2) problems.push(`${name}: fewer than two ${axis} labels`);
      }
      const others = words.filter((word) => !word.classList.contains('tick'));
      words.forEach((a) => others.forEach((b) => a !== b && !a.contains(b) && !b.contains(a) && overlaps(ink(a), ink(b)) && problems.push(`${name}: "${a.textContent}" collides with "${b.textContent}"`)));
    });
    return problems;
  });
}

/** Each figure's accessible name and description as Chromium's accessibility tree gives them, and which figure it is. */
export async function summaries(page: Page): Promise<Array<{ figure: string; snapshot: string }>> {
  const figures = page.locator('figure.out-figure, .chain-diagram');
  const out: Array<{ figure: string; snapshot: string }> = [];
  for (let i = 0; i < (await figures.count()); i++) {
    const figure = figures.nth(i);
    // A figure without a caption (the chain diagram) is named by its number; asking a missing caption for its text would wait out the timeout.
    const caption = figure.locator('figcaption');
    const name = (await caption.count()) > 0 ? await caption.first().textContent() : null;
    out.push({ figure: name ?? `figure ${i + 1}`, snapshot: await figure.ariaSnapshot() });
  }
  return out;
}

/** Whether an ARIA snapshot names an image or a table with real words (not empty, not a file name). */
export const named = (snapshot: string): boolean => /- '?(img|table) "[^"]*[A-Za-z]{3}[^"]*"/.test(snapshot);
