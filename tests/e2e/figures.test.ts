// The figures in real Chromium, on the built site: on every chapter page, at desktop and phone
// widths, no legend entry overlaps a plot's data area or reaches outside its chart, no tick label
// or axis title is cut or collides with another, and every figure has a summary a screen reader
// reads. Figures rendered here into a chapter page (log axes, long legends, eight series, and a
// confusion matrix as the lab shows it) keep their labels whole, their colours at 3:1 against the
// page, and every count at 4.5:1 against its cell in both themes, and fit a 375-pixel phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveDirectory } from '../../scripts/browser.ts';
import { renderOutput, type HNode } from '../../site/notebook/render.ts';
import { confusionFigure, linePlot } from '../../site/notebook/figures.ts';

// SCRATCHNET_SITE points the test at a site built elsewhere (astro build --outDir DIR).
const site = resolve(process.env.SCRATCHNET_SITE ?? resolve(import.meta.dirname, '../../dist/site'));
const chapters = readdirSync(join(site, 'chapters')).sort();
const withCharts = chapters.filter((chapter) => readFileSync(join(site, 'chapters', chapter, 'index.html'), 'utf8').includes('class="chart '));
const WIDTHS = [1280, 375];
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

/** Opens a page at `width`; `theme` sets the system preference, `toggle` the site's own switch (data-theme). */
async function open(path: string, options: { width?: number; theme?: 'light' | 'dark'; toggle?: 'light' | 'dark' } = {}): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 }, colorScheme: options.theme ?? 'light' });
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
  if (options.toggle) await page.evaluate((theme) => (document.documentElement.dataset.theme = theme), options.toggle);
  await page.evaluate(() => document.fonts.ready);
  return { page, close: () => context.close() };
}

/** Puts rendered figures into the page's first cell output, so they take the site's styles. */
async function inject(page: Page, trees: HNode[]): Promise<void> {
  await page.evaluate((nodes) => {
    const SVG = 'http://www.w3.org/2000/svg';
    const build = (node: HNode, inSvg = false): Node => {
      if (node.type === 'text') return document.createTextNode(node.value);
      const svg = inSvg || node.tagName === 'svg';
      const element = svg ? document.createElementNS(SVG, node.tagName) : document.createElement(node.tagName);
      for (const [name, value] of Object.entries(node.properties)) element.setAttribute(name, String(value));
      for (const child of node.children) element.appendChild(build(child, svg));
      return element;
    };
    const output = document.querySelector<HTMLElement>('.cell-output')!;
    output.dataset.injected = 'true';
    output.replaceChildren(...nodes.map((node) => build(node)));
  }, trees);
}

/** What went wrong with the charts on the page, in words: an empty list when every chart is clean. */
function chartProblems(page: Page): Promise<string[]> {
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
async function summaries(page: Page): Promise<Array<{ figure: string; snapshot: string }>> {
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
const named = (snapshot: string): boolean => /- '?(img|table) "[^"]*[A-Za-z]{3}[^"]*"/.test(snapshot);

describe('plots on every built chapter page', () => {
  it('has charts to check on the chapters that draw them', () => {
    expect(withCharts.length).toBeGreaterThanOrEqual(5);
  });

  for (const width of WIDTHS) {
    it.each(withCharts)(`%s at ${width} px: no legend over the data or cut off, no tick label cut or colliding`, async (chapter) => {
      const { page, close } = await open(`/chapters/${chapter}/`, { width });
      expect(await page.locator('.chart').count()).toBeGreaterThan(0);
      expect(await chartProblems(page)).toEqual([]);
      await close();
    });
  }

  it.each(chapters)('%s gives every figure a summary that a screen reader reads', async (chapter) => {
    const { page, close } = await open(`/chapters/${chapter}/`);
    for (const { figure, snapshot } of await summaries(page)) expect(named(snapshot), `${figure}:\n${snapshot}`).toBe(true);
    await close();
  });
});

describe('figures the next chapters and the lab will draw', () => {
  const classes = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  // Counts from 0 to over 1,000, so every shade of the ramp is there, and 4-digit numbers.
  const counts = classes.map((_, i) => classes.map((_, j) => (i === j ? 850 + 20 * i : ((i * 7 + j * 3) % 11) ** 3 % 140)));
  counts[1][1] = 1135;
  const confusion = renderOutput({ kind: 'figure', figure: confusionFigure(counts, classes, { title: 'Fashion-MNIST test images' }) });
  const rates = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1];
  const steps = [1, 0.1, 0.01, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8];
  const plots = [
    linePlot({ 'loss after 100 steps': rates.map((r) => 1 + Math.abs(Math.log10(r) + 1.5) / 2) }, { x: rates, xScale: 'log', xLabel: 'learning rate', title: 'A learning-rate sweep' }),
    linePlot({ 'forward difference': steps.map((h) => 2 * h + 1e-16 / h), 'central difference': steps.map((h) => h * h + 1e-16 / h) }, { x: steps, xScale: 'log', yScale: 'log', xLabel: 'step size h', yLabel: 'error', title: 'Error against step size' }),
    linePlot({ 'a series whose name is long enough that it must wrap on a phone': [3, 2, 1.5, 1.2], 'training loss, every 20 steps': [2.5, 1.2, 0.8, 0.61] }, { xLabel: 'epoch', title: 'Long names' }),
  ].map((figure) => renderOutput({ kind: 'figure', figure }));

  it.each(WIDTHS)('a log axis, log-log axes and long legends keep every label whole at %i px', async (width) => {
    const { page, close } = await open(`/chapters/${withCharts[0]}/`, { width });
    await inject(page, plots);
    expect(await page.locator('[data-injected] .chart').count()).toBe(3);
    expect(await chartProblems(page)).toEqual([]);
    await close();
  });

  const themes = [
    { name: 'the light theme', theme: 'light' },
    { name: 'the dark theme (system setting)', theme: 'dark' },
    { name: 'the dark theme (site toggle)', theme: 'light', toggle: 'dark' },
    { name: 'the light theme (site toggle on a dark system)', theme: 'dark', toggle: 'light' },
  ] as const;

  it.each(themes)('a confusion matrix prints every number at 4.5:1 or more against its cell in $name', async ({ theme, ...rest }) => {
    const { page, close } = await open(`/chapters/${withCharts[0]}/`, { theme, toggle: 'toggle' in rest ? rest.toggle : undefined });
    await inject(page, [confusion]);
    const ratios = await page.$$eval('table.heat td.heat-cell', (cells) => {
      const channels = (css: string): number[] => css.match(/[\d.]+/g)!.slice(0, 3).map(Number);
      const luminance = (css: string): number => {
        const [r, g, b] = channels(css).map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      return cells.map((cell) => {
        const style = getComputedStyle(cell);
        const [a, b] = [luminance(style.color), luminance(style.backgroundColor)].sort((x, y) => y - x);
        return { text: cell.textContent, ratio: (a + 0.05) / (b + 0.05), background: style.backgroundColor };
      });
    });
    expect(ratios).toHaveLength(100);
    // One ramp: the cells are not all one colour.
    expect(new Set(ratios.map((r) => r.background)).size).toBeGreaterThan(10);
    const low = ratios.filter((r) => r.ratio < 4.5);
    expect(low, JSON.stringify(low)).toEqual([]);
    await close();
  });

  it.each(['light', 'dark'] as const)('eight series take eight colours, each at 3:1 or more against the page in the %s theme', async (theme) => {
    const { page, close } = await open(`/chapters/${withCharts[0]}/`, { theme });
    const eight = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`series ${i + 1}`, [i, i + 1, i / 2]]));
    await inject(page, [renderOutput({ kind: 'figure', figure: linePlot(eight, { title: 'Eight series' }) })]);
    const colours = await page.$$eval('[data-injected] .chart-svg path.series', (paths) => {
      const channels = (css: string): number[] => css.match(/[\d.]+/g)!.slice(0, 3).map(Number);
      const luminance = (css: string): number => {
        const [r, g, b] = channels(css).map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      // The colour behind the chart: the first ancestor with a background of its own.
      let holder: Element | null = paths[0].closest('.chart');
      while (holder && /rgba\(0, 0, 0, 0\)|transparent/.test(getComputedStyle(holder).backgroundColor)) holder = holder.parentElement;
      const page = getComputedStyle(holder ?? document.documentElement).backgroundColor;
      return paths.map((path) => {
        const stroke = getComputedStyle(path).stroke;
        const [a, b] = [luminance(stroke), luminance(page)].sort((x, y) => y - x);
        return { stroke, ratio: (a + 0.05) / (b + 0.05) };
      });
    });
    expect(new Set(colours.map((c) => c.stroke)).size).toBe(8);
    for (const { stroke, ratio } of colours) expect(ratio, stroke).toBeGreaterThanOrEqual(3);
    await close();
  });

  it('a confusion matrix reads the same shading in both themes the other way up: more is darker in light, brighter in dark', async () => {
    const shades: Record<string, number[]> = {};
    for (const theme of ['light', 'dark'] as const) {
      const { page, close } = await open(`/chapters/${withCharts[0]}/`, { theme });
      await inject(page, [confusion]);
      shades[theme] = await page.$$eval('table.heat td.heat-cell', (cells) => cells.map((cell) => getComputedStyle(cell).backgroundColor.match(/[\d.]+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0)));
      await close();
    }
    const diagonal = 11; // cell (1, 1), the largest count
    const zero = counts.flat().indexOf(0);
    expect(shades.light[diagonal]).toBeLessThan(shades.light[zero]);
    expect(shades.dark[diagonal]).toBeGreaterThan(shades.dark[zero]);
  });

  it('a ten-class confusion matrix with Fashion-MNIST’s names fits a 375-pixel phone without scrolling', async () => {
    const { page, close } = await open(`/chapters/${withCharts[0]}/`, { width: 375 });
    await inject(page, [confusion]);
    // Every header and cell inside the cell's output, which hides what overflows it; type no smaller than 8 px.
    const fit = await page.$eval('[data-injected] .chart-table', (holder) => {
      const output = holder.closest('.cell-output')!.getBoundingClientRect();
      const cells = [...holder.querySelectorAll('th, td')].map((cell) => cell.getBoundingClientRect());
      return {
        left: Math.min(...cells.map((cell) => cell.left)) - output.left,
        right: output.right - Math.max(...cells.map((cell) => cell.right)),
        scrolls: holder.scrollWidth > holder.clientWidth || document.documentElement.scrollWidth > innerWidth,
        font: parseFloat(getComputedStyle(holder.querySelector('td.heat-cell')!).fontSize),
      };
    });
    expect(fit.left).toBeGreaterThanOrEqual(0);
    expect(fit.right).toBeGreaterThanOrEqual(0);
    expect(fit.scrolls).toBe(false);
    expect(fit.font).toBeGreaterThanOrEqual(8);
    expect(named(await page.locator('[data-injected] figure.out-figure').ariaSnapshot())).toBe(true);
    await close();
  });
});
