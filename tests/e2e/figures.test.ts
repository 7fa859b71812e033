// Figures the next chapters and the lab will draw, rendered here into a chapter page in real
// Chromium (log axes, long legends, eight series, and a confusion matrix as the lab shows it): they
// keep their labels whole, their colours at 3:1 against the page and every count at 4.5:1 against
// its cell in both themes, and fit a 375-pixel phone. One page serves every test here, each setting
// its width and theme in place; the built figures of every chapter are checked by chapter-pages.test.ts.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { renderOutput, type HNode } from '../../site/notebook/render.ts';
import { barChart, confusionFigure, contourPlot, linePlot } from '../../site/notebook/figures.ts';
import { browserSuite, chapterPath, chapters, html, type Opened } from '../support/browser-suite.ts';
import { chartProblems, named } from '../support/charts.ts';

const suite = browserSuite();
const withCharts = chapters.filter((chapter) => html(chapterPath(chapter)).includes('class="chart '));
const WIDTHS = [1280, 375];
let opened: Promise<Opened> | undefined;

/**
 * The first chapter with charts, opened once, at `width` with the system's `theme`, and `toggle` as
 * the site's own switch (data-theme) or none: every test sets all three, so none depends on another.
 */
async function prepared(options: { width?: number; theme?: 'light' | 'dark'; toggle?: 'light' | 'dark' } = {}): Promise<Page> {
  opened ??= suite.open(chapterPath(withCharts[0]), { width: 1280 });
  const { page } = await opened;
  await page.setViewportSize({ width: options.width ?? 1280, height: 900 });
  await page.emulateMedia({ colorScheme: options.theme ?? 'light' });
  await page.evaluate((toggle) => (toggle ? (document.documentElement.dataset.theme = toggle) : delete document.documentElement.dataset.theme), options.toggle);
  // Fonts in, and the new width laid out (media queries and resize observers answer before a frame).
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))));
  return page;
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
    const page = await prepared({ width });
    await inject(page, plots);
    expect(await page.locator('[data-injected] .chart').count()).toBe(3);
    expect(await chartProblems(page)).toEqual([]);
  });

  const themes = [
    { name: 'the light theme', theme: 'light' },
    { name: 'the dark theme (system setting)', theme: 'dark' },
    { name: 'the dark theme (site toggle)', theme: 'light', toggle: 'dark' },
    { name: 'the light theme (site toggle on a dark system)', theme: 'dark', toggle: 'light' },
  ] as const;

  it.each(themes)('a confusion matrix prints every number at 4.5:1 or more against its cell in $name', async ({ theme, ...rest }) => {
    const page = await prepared({ theme, toggle: 'toggle' in rest ? rest.toggle : undefined });
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
  });

  it.each(['light', 'dark'] as const)('eight series take eight colours, each at 3:1 or more against the page in the %s theme', async (theme) => {
    const page = await prepared({ theme });
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
  });

  it('a confusion matrix reads the same shading in both themes the other way up: more is darker in light, brighter in dark', async () => {
    const shades: Record<string, number[]> = {};
    for (const theme of ['light', 'dark'] as const) {
      const page = await prepared({ theme });
      await inject(page, [confusion]);
      shades[theme] = await page.$$eval('table.heat td.heat-cell', (cells) => cells.map((cell) => getComputedStyle(cell).backgroundColor.match(/[\d.]+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0)));
    }
    const diagonal = 11; // cell (1, 1), the largest count
    const zero = counts.flat().indexOf(0);
    expect(shades.light[diagonal]).toBeLessThan(shades.light[zero]);
    expect(shades.dark[diagonal]).toBeGreaterThan(shades.dark[zero]);
  });

  it('a ten-class confusion matrix with Fashion-MNIST’s names fits a 375-pixel phone without scrolling', async () => {
    const page = await prepared({ width: 375 });
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
  });
});

describe('the figures a slider will drive: fixed ranges with marks, bar charts and contour maps', () => {
  const xs = Array.from({ length: 41 }, (_, i) => -2 + i / 10);
  const tangent = linePlot(
    { 'f(x) = x²': xs.map((x) => x * x), tangent: xs.map((x) => 2 * x - 1), target: xs.map(() => 2.5) },
    { x: xs, xRange: [-2, 2], yRange: [-1, 4], dashed: ['tangent', 'target'], points: [{ x: 1, y: 1, label: 'slope 2' }, { x: 1.9, y: 3.61, label: 'near the corner' }], xLabel: 'x', title: 'A tangent' },
  );
  const softmax = barChart({ cat: 0.7, dog: 0.2, bird: 0.1 }, { yRange: [0, 1], yLabel: 'probability', highlight: 'cat', title: 'Softmax' });
  const classes = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  const scores = barChart([2.31, -1.2, 0.456, -3.7, 1.05, 0.02, -0.6, 4.1, -2.25, 0.9], { labels: classes, yLabel: 'raw score', highlight: 7, title: 'Ten raw scores' });
  /** Gradient descent on the bowl x² + 10y² from `start` with `rate`: a path of `steps` steps (too high a rate diverges). */
  const descent = (start: [number, number], rate: number, steps: number): Array<[number, number]> => {
    const path = [start];
    for (let i = 0; i < steps; i++) path.push([path[i][0] * (1 - 2 * rate), path[i][1] * (1 - 20 * rate)]);
    return path;
  };
  const bowl = contourPlot((x, y) => x * x + 10 * y * y, {
    xRange: [-2, 2], yRange: [-1, 1], levels: 12, logLevels: true, xLabel: 'w₁', yLabel: 'w₂', title: 'A narrow bowl',
    paths: { SGD: descent([-1.8, 0.8], 0.09, 30), 'too fast': descent([1.5, 0.3], 0.11, 8) },
  });
  const trees = [tangent, softmax, scores, bowl].map((figure) => renderOutput({ kind: 'figure', figure }));

  it.each(WIDTHS)('keep every tick, legend entry, point label and bar value whole and apart at %i px', async (width) => {
    const page = await prepared({ width });
    await inject(page, trees);
    expect(await page.locator('[data-injected] .chart').count()).toBe(4);
    expect(await chartProblems(page)).toEqual([]);
    // The words over the data area: inside their chart, and no two of them on top of each other.
    const problems = await page.$$eval('[data-injected] .chart', (charts) =>
      charts.flatMap((chart, n) => {
        const frame = chart.getBoundingClientRect();
        const words = [...chart.querySelectorAll('.mark-label, .bar-value, .bar-label')].map((word) => ({ text: word.textContent, box: word.getBoundingClientRect() }));
        const out = words.filter(({ box }) => box.left < frame.left - 0.5 || box.right > frame.right + 0.5 || box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5).map(({ text }) => `chart ${n + 1}: "${text}" is cut by the chart's edge`);
        words.forEach((a, i) => words.slice(i + 1).forEach((b) => {
          if (a.box.left < b.box.right - 0.5 && b.box.left < a.box.right - 0.5 && a.box.top < b.box.bottom - 0.5 && b.box.top < a.box.bottom - 0.5) out.push(`chart ${n + 1}: "${a.text}" collides with "${b.text}"`);
        }));
        return out;
      }),
    );
    expect(problems).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
  });

  it.each(['light', 'dark'] as const)('draw bars, marks, dashed lines and paths at 3:1 or more against the page, and show one contour image, in the %s theme', async (theme) => {
    const page = await prepared({ theme });
    await inject(page, trees);
    const found = await page.evaluate(() => {
      const channels = (css: string): number[] => css.match(/[\d.]+/g)!.slice(0, 3).map(Number);
      const luminance = (css: string): number => {
        const [r, g, b] = channels(css).map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      let holder: Element | null = document.querySelector('[data-injected] .chart');
      while (holder && /rgba\(0, 0, 0, 0\)|transparent/.test(getComputedStyle(holder).backgroundColor)) holder = holder.parentElement;
      const background = getComputedStyle(holder ?? document.documentElement).backgroundColor;
      const ratio = (css: string): number => {
        const [a, b] = [luminance(css), luminance(background)].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
      };
      const paint = (selector: string, property: 'fill' | 'stroke'): Array<{ selector: string; colour: string; ratio: number }> =>
        [...document.querySelectorAll(`[data-injected] ${selector}`)].map((element) => {
          const colour = getComputedStyle(element)[property];
          return { selector, colour, ratio: ratio(colour) };
        });
      return {
        colours: [...paint('rect.bar', 'fill'), ...paint('path.marks', 'stroke'), ...paint('path.series.dashed', 'stroke'), ...paint('.chart-contour path.series', 'stroke')],
        halos: [...document.querySelectorAll('[data-injected] .trail-halo')].map((halo) => getComputedStyle(halo).stroke === background),
        images: [...document.querySelectorAll('[data-injected] image.bands')].filter((image) => getComputedStyle(image).display !== 'none').map((image) => image.getAttribute('class')),
      };
    });
    expect(found.colours).toHaveLength(13 + 1 + 2 + 2); // 13 bars, one path of marks, two dashed lines, two paths
    for (const { selector, colour, ratio } of found.colours) expect(ratio, `${selector} ${colour}`).toBeGreaterThanOrEqual(3);
    // Each path runs on a halo in the page's own colour, so it reads on every band.
    expect(found.halos).toEqual([true, true]);
    expect(found.images).toEqual([`bands bands-${theme}`]);
  });
});
