// One visit per built page for every check that only needs the page loaded, so each page loads
// once (chapter-pages.test.ts and pages.test.ts assert on what a tour collects): errors and hosts,
// copy buttons, exercises, figure summaries, charts at 1280 and 375 px, the static code's contrast and
// the 375-px fit in both themes (switched in place), then Run all and the editors' colours.
import type { Page } from 'playwright-core';
import { withoutNumbers } from '../../site/notebook/chapter.ts';
import type { BrowserSuite } from './browser-suite.ts';
import { html } from './built-site.ts';
import { chartProblems, summaries } from './charts.ts';
import { idle } from './notebook-page.ts';
import { cellsDrawn, colourDifferences, editAll, editorsDrawn, installDrawn, lowContrast, setTheme, staticContrast, type Drawn } from './drawn.ts';

/** What a page's built HTML says it has, so a tour measures only what its tests read. */
export function planFor(path: string): { chapter: boolean; cells: boolean; code: boolean; charts: boolean; exercises: boolean } {
  const text = html(path);
  return { chapter: path.startsWith('/chapters/'), cells: text.includes('class="cell"'), code: text.includes('astro-code'), charts: text.includes('class="chart '), exercises: text.includes('data-exercise-solution') };
}

/** The page's width and how wide its content is, and the page's background. */
export interface Fit {
  scrollWidth: number;
  innerWidth: number;
  background: string;
}

/** What one visit found, one promise per step, so a step that fails fails only the tests that read it. */
export interface Tour {
  /** Console errors and hosts while the page loaded, and whether the notebook said it is ready (null: no cells). */
  load: Promise<{ errors: string[]; hosts: string[]; notebookReady: boolean | null }>;
  copy: Promise<{ blocks: number; buttons: number; cells: number; cellButtons: number }>;
  exercises: Promise<{ cells: string[]; hints: string[]; solutions: string[]; locked: number; errors: string[] }>;
  summaries: Promise<Array<{ figure: string; snapshot: string }>>;
  /** The charts' count and problems at each width (1280 and 375 px), in the light theme. */
  charts: Promise<Record<number, { count: number; problems: string[] }>>;
  staticContrast: Promise<string[]>;
  /** At 375 px, with the system's light and dark preference. */
  phone: Promise<Record<'light' | 'dark', Fit>>;
  runAll: Promise<{ built: string[]; after: string[]; stale: number; errors: string[] }>;
  editor: Promise<{ lightDifferences: string[]; darkDifferences: string[]; lowContrast: string[] }>;
}

/** The steps in the order a visit takes them: Run all and the editors change the page, so they come last. */
const STEPS = ['load', 'copy', 'exercises', 'summaries', 'staticContrast', 'phone', 'charts', 'runAll', 'editor'] as const;
type Step = (typeof STEPS)[number];

/**
 * Visits of one test file, one page at a time: a page is visited when a test first asks for it.
 * Each visit loads the page afresh, 1280 px wide with a light system theme, in the file's shared
 * page (BrowserSuite.visit: the cache is warm, the storage starts empty, as in a fresh context).
 */
export function pageTours(suite: BrowserSuite): (path: string) => Tour {
  const tours = new Map<string, Tour>();
  let queue: Promise<unknown> = Promise.resolve();
  return (path) => {
    const known = tours.get(path);
    if (known) return known;
    const settle = {} as Record<Step, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>;
    const tour = Object.fromEntries(
      STEPS.map((step) => {
        const promise = new Promise((resolve, reject) => (settle[step] = { resolve, reject }));
        promise.catch(() => undefined); // read by the tests; a step no test reads must not be an unhandled rejection
        return [step, promise];
      }),
    ) as unknown as Tour;
    tours.set(path, tour);
    queue = queue.then(async () => {
      try {
        await visit(suite, path, settle);
      } catch (error) {
        for (const step of STEPS) settle[step].reject(error); // steps already settled keep their value
      }
    });
    return tour;
  };
}

/** Visits `path` once and settles every step, in order; a step that throws rejects only its own promise. SCRATCHNET_TOUR_TIMES=1 prints each step's time. */
async function visit(suite: BrowserSuite, path: string, settle: Record<Step, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>): Promise<void> {
  const plan = planFor(path);
  const opened = await suite.visit(path, { width: 1280 }).catch((error: unknown) => error as Error);
  if (opened instanceof Error) {
    for (const step of STEPS) settle[step].reject(opened);
    return;
  }
  const { page, errors, hosts } = opened;
  let charts: Record<number, { count: number; problems: string[] }> | undefined;
  const steps: Record<Step, () => Promise<unknown>> = {
    load: async () => {
      const notebookReady = plan.cells ? await page.waitForSelector('[data-notebook=ready]', { timeout: 10_000 }).then(() => true, () => false) : null;
      await page.evaluate(() => document.fonts.ready);
      return { errors: [...errors], hosts: [...hosts], notebookReady };
    },
    copy: () => copyCounts(page),
    exercises: async () => (plan.exercises ? { ...(await exerciseNumbers(page)), errors: [...errors] } : undefined),
    summaries: async () => (plan.chapter ? summaries(page) : undefined),
    charts: async () => {
      if (plan.charts && !charts) throw new Error('the charts were not measured: the 375-px step failed');
      return charts;
    },
    staticContrast: async () => {
      if (!plan.code && !plan.chapter) return undefined;
      const failures = await staticContrast(page);
      await page.evaluate(() => delete document.documentElement.dataset.theme); // back to the system's theme
      return failures;
    },
    phone: async () => {
      // The page is resized once: charts at 1280 px, then at 375 px the charts and the fit in both themes.
      const wide = plan.charts ? await chartsNow(page) : undefined;
      const fit = await phoneFit(page, async () => {
        if (wide) charts = { 1280: wide, 375: await chartsNow(page) };
      });
      // Run all and the editors come next on a page with cells: they are read at 1280 px, as before.
      if (plan.cells) await resize(page, 1280);
      return fit;
    },
    runAll: () => (plan.cells ? runAll(page, errors) : Promise.resolve(undefined)),
    editor: () => (plan.cells ? editorColours(page) : Promise.resolve(undefined)),
  };
  const times: string[] = [];
  for (const step of STEPS) {
    const started = performance.now();
    try {
      settle[step].resolve(await steps[step]());
    } catch (error) {
      settle[step].reject(error);
    }
    times.push(`${step} ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  if (process.env.SCRATCHNET_TOUR_TIMES) process.stdout.write(`${path}: ${times.join(', ')}\n`);
}

/** Code blocks outside cells and their copy buttons, and cells and theirs. */
function copyCounts(page: Page): Promise<{ blocks: number; buttons: number; cells: number; cellButtons: number }> {
  return page.evaluate(() => ({
    blocks: document.querySelectorAll('pre.astro-code:not(.cell pre)').length,
    buttons: document.querySelectorAll('pre.astro-code:not(.cell pre) > .copy-anchor > .copy-button').length,
    cells: document.querySelectorAll('section.cell').length,
    cellButtons: document.querySelectorAll('section.cell .cell-toolbar .copy-button').length,
  }));
}

/** The exercise number of every exercise cell, hint and solution, and how many solutions are locked. */
async function exerciseNumbers(page: Page): Promise<{ cells: string[]; hints: string[]; solutions: string[]; locked: number }> {
  await page.waitForSelector('[data-notebook=ready] section.cell[data-exercise]');
  return page.evaluate(() => {
    const numbers = (selector: string): string[] => [...document.querySelectorAll(selector)].map((element) => element.getAttribute('data-exercise') ?? 'none');
    return { cells: numbers('section.cell[data-exercise]'), hints: numbers('[data-exercise-hint]'), solutions: numbers('[data-exercise-solution]'), locked: document.querySelectorAll('[data-exercise-solution][data-locked]').length };
  });
}

/** Resizes the page in place; media queries and the page's resize observers answer before the next frame is drawn. */
async function resize(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 900 });
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** How many charts the page has and what is wrong with them at its present width. */
async function chartsNow(page: Page): Promise<{ count: number; problems: string[] }> {
  return { count: await page.locator('.chart').count(), problems: await chartProblems(page) };
}

/** The page at 375 px with the system's light, then dark, preference (the page has no data-theme of its own), left at 375 px and light; `alsoAt375` measures more while there. */
async function phoneFit(page: Page, alsoAt375: () => Promise<void>): Promise<Record<'light' | 'dark', Fit>> {
  await resize(page, 375);
  await alsoAt375();
  const result = {} as Record<'light' | 'dark', Fit>;
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    result[theme] = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, background: getComputedStyle(document.documentElement).backgroundColor }));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return result;
}

/** Each cell's output as text; a timed cell (data-timed) measures speed, so only its words count, with numbers as #. */
async function outputs(page: Page): Promise<string[]> {
  const cells = await page.$$eval('section.cell', (sections) => sections.map((section) => ({ text: section.querySelector('.cell-output')?.textContent ?? '', timed: (section as HTMLElement).dataset.timed === 'true' })));
  return cells.map(({ text, timed }) => (timed ? withoutNumbers(text) : text));
}

async function runAll(page: Page, errors: string[]): Promise<{ built: string[]; after: string[]; stale: number; errors: string[] }> {
  await page.waitForSelector('[data-notebook=ready]');
  const built = await outputs(page);
  await page.getByRole('button', { name: 'Run all' }).click();
  await idle(page);
  return { built, after: await outputs(page), stale: await page.locator('.cell-output.stale').count(), errors: [...errors] };
}

/** The editors' colours against the static code's, in both themes, and what they draw below 4.5:1 with the first editor focused. */
async function editorColours(page: Page): Promise<{ lightDifferences: string[]; darkDifferences: string[]; lowContrast: string[] }> {
  await page.evaluate(installDrawn);
  const staticCode = {} as Record<'light' | 'dark', Drawn[][]>;
  for (const theme of ['dark', 'light'] as const) {
    await setTheme(page, theme);
    staticCode[theme] = await cellsDrawn(page);
  }
  await editAll(page);
  const opened = { light: await editorsDrawn(page, 'light', staticCode.light), dark: await editorsDrawn(page, 'dark', staticCode.dark) };
  await page.locator('section.cell[data-cell="0"] .cm-content').click(); // the focused editor bolds its line's number
  const failures: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    const focused = await editorsDrawn(page, theme);
    failures.push(...lowContrast(focused.cells.flatMap((cell, i) => cell.map((piece) => ({ ...piece, where: `${theme} cell ${i + 1}` })))), ...lowContrast(focused.around.map((piece) => ({ ...piece, where: `${theme} ${piece.where}` }))));
  }
  return { lightDifferences: colourDifferences(staticCode.light, opened.light.cells), darkDifferences: colourDifferences(staticCode.dark, opened.dark.cells), lowContrast: failures };
}
