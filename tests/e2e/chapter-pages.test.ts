// Every chapter page of the build in real Chromium, each loaded once (support/page-tour.ts): it
// loads with its notebook and no console errors or other hosts, numbers its exercises, gives every
// figure a summary, draws its charts cleanly at 1280 and 375 px, keeps its code at 4.5:1 in both
// themes, fits a 375-px phone in both themes and carries a copy button on every code block; then
// Run all reproduces its build-time outputs, and its editors colour the code as the page does.
import { describe, expect, it } from 'vitest';
import { browserSuite, chapterPath, chapters, html } from '../support/browser-suite.ts';
import { named } from '../support/charts.ts';
import { pageTours, planFor } from '../support/page-tour.ts';

const suite = browserSuite();
const tour = pageTours(suite);
// A page is visited when its first test asks, after the page before it: the wait covers a whole visit.
const VISIT = 180_000;
const withCharts = chapters.filter((chapter) => html(chapterPath(chapter)).includes('class="chart '));

describe('plots on every built chapter page', () => {
  it('has charts to check on the chapters that draw them', () => {
    expect(withCharts.length).toBeGreaterThanOrEqual(5);
  });
});

describe.each(chapters)('%s', (chapter) => {
  const path = chapterPath(chapter);
  const plan = planFor(path);

  it('loads with its notebook, no console errors and no other hosts', async () => {
    const { errors, hosts, notebookReady } = await tour(path).load;
    expect(errors).toEqual([]);
    expect(hosts).toEqual([new URL(suite.url).host]);
    if (plan.cells) expect(notebookReady, 'the notebook never said it is ready').toBe(true);
  }, VISIT);

  if (plan.exercises)
    it('numbers each exercise cell with its hint and its solution, locked, and logs no errors', async () => {
      const { cells, hints, solutions, locked, errors } = await tour(path).exercises;
      expect(cells.length).toBeGreaterThan(0);
      expect(cells).toEqual(cells.map((_, i) => String(i + 1)));
      expect(hints).toEqual(cells);
      expect(solutions).toEqual(cells);
      expect(locked).toBe(cells.length);
      expect(errors).toEqual([]);
    }, VISIT);

  it('gives every figure a summary that a screen reader reads', async () => {
    for (const { figure, snapshot } of await tour(path).summaries) expect(named(snapshot), `${figure}:\n${snapshot}`).toBe(true);
  }, VISIT);

  if (plan.charts)
    it.each([1280, 375])('at %i px: no legend over the data or cut off, no tick label cut or colliding', async (width) => {
      const { count, problems } = (await tour(path).charts)[width];
      expect(count).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    }, VISIT);

  it('keeps every token and line number at 4.5:1 or more, in both themes', async () => {
    expect((await tour(path).staticContrast).slice(0, 12)).toEqual([]);
  }, VISIT);

  it('fits a 375-pixel-wide screen without sideways scrolling in the light theme', async () => {
    const { light } = await tour(path).phone;
    expect(light.scrollWidth, `${light.scrollWidth} px wide`).toBeLessThanOrEqual(light.innerWidth);
  }, VISIT);

  it('fits a 375-pixel-wide phone screen in the dark theme without sideways scrolling', async () => {
    const { dark } = await tour(path).phone;
    expect(dark.scrollWidth, `${dark.scrollWidth} px wide`).toBeLessThanOrEqual(dark.innerWidth);
    expect(dark.background).toBe('rgb(13, 17, 23)'); // the dark theme's background
  }, VISIT);

  it('has a copy button on every code block and on every cell, one each', async () => {
    const { blocks, buttons, cells, cellButtons } = await tour(path).copy;
    expect({ buttons, cellButtons }, `${buttons} buttons on ${blocks} code blocks, ${cellButtons} on ${cells} cells`).toEqual({ buttons: blocks, cellButtons: cells });
  }, VISIT);

  if (plan.cells) {
    it('reproduces its build-time outputs when Run all runs in the page', async () => {
      const { built, after, stale, errors } = await tour(path).runAll;
      expect(after).toEqual(built);
      expect(stale).toBe(0);
      expect(errors).toEqual([]);
    }, VISIT);

    it('colours every character as the static code does and keeps every token, line number and hint at 4.5:1 or more, in both themes and when the theme switches with the editors open', async () => {
      const { lightDifferences, darkDifferences, lowContrast } = await tour(path).editor;
      expect(lightDifferences).toEqual([]);
      expect(darkDifferences).toEqual([]);
      expect(lowContrast.slice(0, 12)).toEqual([]);
    }, VISIT);
  }
});
