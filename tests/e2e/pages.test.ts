// Every page of the build that is not a chapter (the front page, the 404 page, the library and the
// source pages) in real Chromium, each loaded once (support/page-tour.ts): it fits a 375-pixel-wide
// screen in both themes, carries a copy button on every code block, and keeps its code at 4.5:1 or
// more in both themes. The chapter pages get the same checks and more in chapter-pages.test.ts.
import { describe, expect, it } from 'vitest';
import { browserSuite, chapterPath, chapters, chaptersWithCells, codePages, pages } from '../support/browser-suite.ts';
import { pageTours, planFor } from '../support/page-tour.ts';

const suite = browserSuite();
const tour = pageTours(suite);
// A page is visited when its first test asks, after the page before it: the wait covers a whole visit.
const VISIT = 120_000;
const others = pages.filter((path) => !path.startsWith('/chapters/'));

describe('every page', () => {
  it('includes the front page, every chapter and the 404 page', () => {
    expect(pages).toEqual(expect.arrayContaining(['/', '/404.html', ...chapters.map(chapterPath)]));
  });

  it('with code includes more than the chapters with cells: the library and the source files too', () => {
    expect(codePages.length).toBeGreaterThan(chaptersWithCells.length);
    expect(codePages.filter((path) => others.includes(path)).length).toBeGreaterThan(0);
  });
});

describe.each(others)('%s', (path) => {
  const plan = planFor(path);

  for (const theme of ['light', 'dark'] as const)
    it(`fits a 375-pixel-wide screen without sideways scrolling in the ${theme} theme`, async () => {
      const { scrollWidth, innerWidth } = (await tour(path).phone)[theme];
      expect(scrollWidth, `${scrollWidth} px wide`).toBeLessThanOrEqual(innerWidth);
    }, VISIT);

  if (plan.code) {
    it('has a copy button on every code block and on every cell, one each', async () => {
      const { blocks, buttons, cells, cellButtons } = await tour(path).copy;
      expect({ buttons, cellButtons }, `${buttons} buttons on ${blocks} code blocks, ${cellButtons} on ${cells} cells`).toEqual({ buttons: blocks, cellButtons: cells });
    }, VISIT);

    it('keeps every token at 4.5:1 or more, in both themes', async () => {
      expect((await tour(path).staticContrast).slice(0, 12)).toEqual([]);
    }, VISIT);
  }
});
