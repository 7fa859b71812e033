// Text as Chromium draws it, for the colour and contrast checks of the page tours (page-tour.ts):
// each piece's colour and the backgrounds behind it, the cells' code before and after Edit, and
// what falls under 4.5:1. installDrawn() runs inside the page, so it is self-contained.
import type { Page } from 'playwright-core';
import { composite, contrast, hex } from '../notebook/colour.ts';

/** A piece of text as Chromium draws it: its colour and the backgrounds behind it, innermost first. */
export interface Drawn {
  text: string;
  colour: string;
  backgrounds: string[];
}

/** Gives the page `window.drawn`, which reads text as drawn (self-contained: it runs in the page). */
export function installDrawn(): void {
  const backgrounds = (element: Element | null): string[] => {
    const layers: string[] = [];
    for (let at = element; at; at = at.parentElement) {
      const colour = getComputedStyle(at).backgroundColor;
      if (colour === 'rgba(0, 0, 0, 0)' || colour === 'transparent') continue;
      layers.push(colour);
      if (colour.startsWith('rgb(')) break; // opaque: nothing below shows through
    }
    return layers;
  };
  /** Every text node under `root` in order; with `lines`, the rows it matches joined by newlines. */
  const texts = (root: Element, lines?: string): Array<{ text: string; colour: string; backgrounds: string[] }> => {
    const found: Array<{ text: string; colour: string; backgrounds: string[] }> = [];
    const walk = (from: Element): void => {
      const walker = document.createTreeWalker(from, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement!;
        found.push({ text: (node as Text).data, colour: getComputedStyle(element).color, backgrounds: backgrounds(element) });
      }
    };
    if (!lines) walk(root);
    else
      root.querySelectorAll(lines).forEach((line, i) => {
        if (i > 0) found.push({ text: '\n', colour: '', backgrounds: [] });
        walk(line);
      });
    return found;
  };
  (window as unknown as { drawn: unknown }).drawn = { backgrounds, texts };
}

export type DrawnWindow = Window & { drawn: { backgrounds: (element: Element | null) => string[]; texts: (root: Element, lines?: string) => Drawn[] } };

export const setTheme = (page: Page, theme: 'light' | 'dark'): Promise<void> =>
  page.evaluate((theme) => {
    document.documentElement.dataset.theme = theme;
  }, theme);

/** page.evaluate for large results: the page sends them as one JSON string, which reaches Node many times faster than Playwright's value-by-value copy. */
export async function evaluateLarge<R, A = undefined>(page: Page, fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> {
  return JSON.parse(await page.evaluate<string>(`(async () => JSON.stringify(await (${fn.toString()})(${JSON.stringify(arg ?? null)})))()`)) as R;
}

/** Opens every cell's editor (without focusing or changing it) and waits until all are drawn. */
export async function editAll(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const { notebook } = (window as unknown as { scratchnet: { notebook: { cells: unknown[]; edit: (cell: unknown, focus: boolean) => Promise<void> } } }).scratchnet;
    for (const cell of notebook.cells) await notebook.edit(cell, false);
  });
  await page.waitForFunction(() => document.querySelectorAll('section.cell .cm-content').length === document.querySelectorAll('section.cell').length);
}

/** Each cell's static code (before Edit) as drawn. */
export function cellsDrawn(page: Page): Promise<Drawn[][]> {
  return evaluateLarge(page, () => [...document.querySelectorAll('section.cell')].map((section) => (window as unknown as DrawnWindow).drawn.texts(section.querySelector('pre > code')!)));
}

/** Every character but whitespace with its colour, as one string, to compare two drawings of the same code (editorsDrawn repeats it in the page). */
const signature = (pieces: Drawn[]): string => pieces.flatMap(({ text, colour }) => [...text].filter((c) => !/\s/.test(c)).map((c) => c + colour)).join('|');

/**
 * The editors as drawn in `theme`, with their line numbers and hints: a cell not yet drawn in full
 * is scrolled into view so CodeMirror draws every line. CodeMirror parses in the background and colours what it has
 * parsed, so with `expected` (the static code) a cell is read again, frame by frame for up to 2 s,
 * until its colours match. One pass per theme: switching the theme for every cell would restyle and
 * lay out the whole page each time, many times slower.
 */
export async function editorsDrawn(page: Page, theme: 'light' | 'dark', expected?: Drawn[][]): Promise<{ cells: Drawn[][]; around: Array<Drawn & { where: string }> }> {
  await setTheme(page, theme);
  const wanted = expected?.map(signature) ?? [];
  return evaluateLarge(page, async (wanted) => {
    const signature = (pieces: Drawn[]): string => pieces.flatMap(({ text, colour }) => [...text].filter((c) => !/\s/.test(c)).map((c) => c + colour)).join('|');
    const { drawn } = window as unknown as DrawnWindow;
    const frame = (): Promise<void> => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
    const visible = (element: Element): boolean => (element as HTMLElement).offsetHeight > 0 && getComputedStyle(element).visibility !== 'hidden';
    const result = { cells: [] as Drawn[][], around: [] as Array<Drawn & { where: string }> };
    const { cells } = (window as unknown as { scratchnet: { notebook: { cells: Array<{ source: string }> } } }).scratchnet.notebook;
    for (const [i, section] of [...document.querySelectorAll('section.cell')].entries()) {
      // A cell whose every line is drawn already (CodeMirror draws 1000 px beyond the screen) is read where it is.
      if (section.querySelectorAll('.cm-line').length !== cells[i].source.split('\n').length) {
        section.scrollIntoView({ block: 'start' });
        await frame();
      }
      let cell = drawn.texts(section.querySelector('.cm-content')!, '.cm-line');
      for (const until = performance.now() + 2_000; wanted[i] !== undefined && signature(cell) !== wanted[i] && performance.now() < until; ) {
        await frame();
        cell = drawn.texts(section.querySelector('.cm-content')!, '.cm-line');
      }
      result.cells.push(cell);
      result.around.push(
        ...[...section.querySelectorAll('.cm-gutterElement')].filter(visible).map((element) => ({ text: element.textContent ?? '', colour: getComputedStyle(element).color, backgrounds: drawn.backgrounds(element), where: `cell ${i + 1} line number` })),
        ...[...section.querySelectorAll('.cell-hint')].flatMap((hint) => drawn.texts(hint).map((piece) => ({ ...piece, where: `cell ${i + 1} hint` }))),
      );
    }
    return result;
  }, wanted);
}

/** The colour of every character but whitespace, as [character, colour] pairs. */
export const characters = (pieces: Drawn[]): Array<[string, string]> => pieces.flatMap(({ text, colour }) => [...text].filter((c) => !/\s/.test(c)).map((c): [string, string] => [c, colour]));

/** Where the editor's colours differ from the static code's, cell by cell. */
export function colourDifferences(page: Drawn[][], editor: Drawn[][]): string[] {
  const differences = new Set<string>();
  page.forEach((cell, i) => {
    const [before, after] = [characters(cell), characters(editor[i])];
    if (before.map(([c]) => c).join('') !== after.map(([c]) => c).join('')) differences.add(`cell ${i + 1}: the editor holds other text`);
    before.forEach(([c, colour], at) => {
      if (after[at]?.[1] !== colour) differences.add(`cell ${i + 1}: "${c}" (character ${at + 1}) is ${colour} on the page, ${after[at]?.[1]} in the editor`);
    });
  });
  return [...differences].slice(0, 12);
}

/** Text drawn at less than 4.5:1 against what is behind it. */
export const lowContrast = (pieces: Array<Drawn & { where: string }>): string[] => [
  ...new Set(
    pieces
      .filter(({ text, colour }) => text.trim() && colour)
      .map(({ where, text, colour, backgrounds }) => ({ where, text, colour, behind: composite(backgrounds), ratio: contrast(colour, composite(backgrounds)) }))
      .filter(({ ratio }) => ratio < 4.5)
      .map(({ where, text, colour, behind, ratio }) => `${where}: "${text.trim().slice(0, 20)}" ${colour} on ${hex(behind)} is ${ratio.toFixed(2)}:1`),
  ),
];

/** Text in the static code (every `pre.astro-code` on the page) drawn at less than 4.5:1, in both themes. */
export async function staticContrast(page: Page): Promise<string[]> {
  await page.evaluate(installDrawn);
  const failures: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    const pieces = await evaluateLarge(page, () => {
      const { drawn } = window as unknown as DrawnWindow;
      return [...document.querySelectorAll('pre.astro-code')].flatMap((pre, i) => {
        const themes = [...pre.classList].filter((name) => name.startsWith('github-')).join(' ');
        const where = `${pre.closest('section.cell') ? 'cell' : pre.closest('figure.source') ? 'quoted file (Source.astro)' : 'code block'} ${i + 1} (${themes})`;
        const numbers = pre.closest('section.cell')
          ? [...pre.querySelectorAll('.line')].map((line) => ({ text: '#', colour: getComputedStyle(line, '::before').color, backgrounds: drawn.backgrounds(line), where: `${where} line number` }))
          : [];
        return [...drawn.texts(pre.querySelector('code') ?? pre).map((piece) => ({ ...piece, where })), ...numbers];
      });
    });
    failures.push(...lowContrast(pieces.map((piece) => ({ ...piece, where: `${new URL(page.url()).pathname} ${theme} ${piece.where}` }))));
  }
  return failures;
}

