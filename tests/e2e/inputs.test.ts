// Cell inputs in real Chromium, on every built page that has them: each input, operated from the
// keyboard, changes a figure, re-runs only the cells that read what its cell writes, and gives the
// build's output again when moved back to its default; a drag keeps the page responsive; inputs
// are labelled and announce their values; they work with Run all, survive Stop and reset with
// Reset; a live view redraws while its cell runs. No page logs an error.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, chapterPath, chapters, html } from '../support/browser-suite.ts';
import { idle } from '../support/notebook-page.ts';

const suite = browserSuite();
const withInputs = chapters.filter((chapter) => html(chapterPath(chapter)).includes('class="cell-inputs"'));
// A cell that uses live() has it among the names the build wrote into its section.
const withLive = chapters.filter((chapter) => /data-uses="[^"]*\blive\b/.test(html(chapterPath(chapter))));

/** In the page: every cell's output as canonical text (tags, sorted attributes, text), by cell index. */
async function outputs(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const walk = (node: Node): string => {
      if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
      if (!(node instanceof Element)) return '';
      // The build's HTML writes style="a:1;b:2", the DOM's setAttribute keeps "a: 1; b: 2".
      const attributes = [...node.attributes].map((a) => `${a.name}=${a.name === 'style' ? a.value.replace(/\s+/g, '') : a.value}`).sort().join(' ');
      return `<${node.tagName.toLowerCase()} ${attributes}>${[...node.childNodes].map(walk).join('')}</>`;
    };
    return [...document.querySelectorAll('section.cell')].map((cell) => (cell.hasAttribute('data-timed') ? '(timed)' : [...(cell.querySelector('.cell-output')?.childNodes ?? [])].map(walk).join('')));
  });
}

/** Starts recording which cells finish running, in order. */
async function record(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { ran: number[]; ranListening?: boolean };
    w.ran = [];
    if (w.ranListening) return;
    w.ranListening = true;
    document.addEventListener('cell-ran', (event) => w.ran.push((event as CustomEvent<{ index: number }>).detail.index));
  });
}

/** Waits until cell `index` has finished after the last record() and nothing runs; returns the cells that ran. */
async function ranAfter(page: Page, index: number): Promise<number[]> {
  await page.waitForFunction((index) => (window as unknown as { ran: number[] }).ran.includes(index), index, { timeout: 60_000 });
  await idle(page);
  return page.evaluate(() => [...new Set((window as unknown as { ran: number[] }).ran)].sort((a, b) => a - b));
}

interface Control {
  cell: number;
  /** The position of the control among the page's inputs. */
  k: number;
  kind: string;
  label: string;
}

async function controls(page: Page): Promise<Control[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('.cell-inputs [data-label]')].map((element, k) => ({
      cell: Number(element.closest('section.cell')!.getAttribute('data-cell')),
      k,
      kind: element instanceof HTMLSelectElement ? 'select' : element.type,
      label: element.dataset.label ?? '',
    })),
  );
}

const control = (page: Page, k: number) => page.locator('.cell-inputs [data-label]').nth(k);

/** Moves control k away from its value with the keyboard alone. */
async function moveByKeyboard(page: Page, { k, kind }: Control): Promise<void> {
  const element = control(page, k);
  await element.focus();
  if (kind === 'range') {
    const atMax = await element.evaluate((input: HTMLInputElement) => Number(input.value) >= Number(input.max));
    await page.keyboard.press(atMax ? 'Home' : 'End');
  } else if (kind === 'checkbox') await page.keyboard.press('Space');
  else if (kind === 'select') {
    const last = await element.evaluate((select: HTMLSelectElement) => select.selectedIndex === select.options.length - 1);
    await page.keyboard.press(last ? 'ArrowUp' : 'ArrowDown');
  } else {
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
  }
}

/** The declared names of a cell's code, by a plain reading of `const|let|var|function|class NAME` and `NAME =`. */
function declaredIn(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(/\b(?:const|let|var|function|class)\s+([A-Za-z_$][\w$]*)/g)) names.add(match[1]);
  for (const match of code.matchAll(/\b(?:const|let|var)\s*\{([^}]*)\}/g)) for (const part of match[1].split(',')) names.add(part.split(':').pop()!.trim());
  for (const match of code.matchAll(/^\s*([A-Za-z_$][\w$]*)\s*(?:[+\-*/]?=)(?!=)/gm)) names.add(match[1]);
  return [...names].filter(Boolean);
}

/** Code without its comments and string literals, whose words are no variables. */
const bare = (code: string): string =>
  code
    .replace(/\/\/.*$/gm, '')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''")
    // A template keeps what its ${…} compute.
    .replace(/`(?:[^`\\]|\\.)*`/g, (template) => [...template.matchAll(/\$\{([^}]*)\}/g)].map((part) => ` ${part[1]} `).join(''));

/**
 * True when `code` mentions one of `names` as a variable: not as a property (`a.name`, `{ name: 1 }`),
 * in a string or a comment, or as a name it declares itself (its own loop's `epoch`).
 */
const mentions = (code: string, names: string[]): boolean => {
  const own = new Set(declaredIn(code));
  return names.filter((name) => !own.has(name)).some((name) => new RegExp(`(^|[^\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])(?!\\s*:[^:])`).test(bare(code)));
};

/** Where two outputs first differ, with a little context, for a short failure message. */
function difference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at character ${i}: "${a.slice(Math.max(0, i - 60), i + 60)}" against "${b.slice(Math.max(0, i - 60), i + 60)}"`;
}

describe('cell inputs', () => {
  it('appear on the chapter pages that promise interactive figures', () => {
    expect(withInputs.length).toBeGreaterThan(0);
  });

  for (const chapter of withInputs) {
    it(`on ${chapter}: each input changes a figure, re-runs only what depends on it, and gives the build output back`, async () => {
      const { page, errors } = await suite.visit(chapterPath(chapter));
      await page.waitForSelector('[data-notebook=ready]');
      const code = await page.evaluate(() => [...document.querySelectorAll('section.cell')].map((section) => section.querySelector('pre')?.textContent ?? ''));
      const built = await outputs(page);
      for (const input of await controls(page)) {
        const name = `${chapter}, cell ${input.cell + 1}, "${input.label}"`;
        const before = await control(page, input.k).evaluate((element: HTMLInputElement) => (element.type === 'checkbox' ? String(element.checked) : element.value));
        await record(page);
        await moveByKeyboard(page, input);
        await ranAfter(page, input.cell);
        const moved = await outputs(page);
        const changed = moved.map((text, i) => (text !== built[i] ? i : -1)).filter((i) => i >= 0);
        expect(changed.length, `${name}: moving it changed no output`).toBeGreaterThan(0);

        // Back to the default: everything before has run now, so only the dependents re-run.
        await record(page);
        const element = control(page, input.k);
        if (input.kind === 'checkbox') {
          await element.focus();
          await page.keyboard.press('Space');
        } else if (input.kind === 'select') await element.selectOption(before);
        else await element.fill(before);
        if (input.kind === 'number') await element.press('Enter');
        const rerun = await ranAfter(page, input.cell);
        expect(rerun[0], `${name}: re-ran a cell before its own`).toBe(input.cell);
        const written = rerun.flatMap((i) => declaredIn(code[i]));
        for (let j = input.cell + 1; j < code.length; j++) {
          const reads = mentions(code[j], written);
          if (rerun.includes(j)) expect(reads, `${name}: re-ran cell ${j + 1}, which reads nothing the re-run cells write`).toBe(true);
          else expect(mentions(code[j], declaredIn(code[input.cell])), `${name}: did not re-run cell ${j + 1}, which reads its cell's names`).toBe(false);
        }
        const back = await outputs(page);
        for (const i of rerun) expect(back[i] === built[i], `${name}: cell ${i + 1} differs from the build after moving back, ${difference(back[i], built[i])}`).toBe(true);
      }
      expect(errors).toEqual([]);
    }, 240_000);
  }
});

describe('an input', () => {
  const first = withInputs[0];

  it('is a labelled form control that announces its value', async () => {
    const { page } = await suite.visit(chapterPath(first));
    await page.waitForSelector('[data-notebook=ready]');
    const problems = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('.cell-inputs [data-label]')].flatMap((element) => {
        const label = element.labels?.[0]?.textContent?.trim();
        const found: string[] = [];
        if (!label) found.push(`${element.id} has no label`);
        if (element instanceof HTMLInputElement && element.type === 'range') {
          if (!element.getAttribute('aria-valuetext')) found.push(`${element.id} does not announce its value`);
          if (!document.querySelector(`output[for="${element.id}"]`)?.textContent) found.push(`${element.id} does not show its value`);
        }
        if (!element.closest('[role=group][aria-label]')) found.push(`${element.id} is not in a named group`);
        return found;
      }),
    );
    expect(problems).toEqual([]);
  });

  it('keeps the page responsive while a slider is dragged, and the output ends at the last value', async () => {
    const { page, errors } = await suite.visit(chapterPath(first));
    await page.waitForSelector('[data-notebook=ready]');
    const slider = page.locator('.cell-inputs input[type=range]').first();
    const cell = Number(await slider.evaluate((input) => input.closest('section.cell')!.getAttribute('data-cell')));
    // Ready the session first (the first move also runs the cells before).
    await record(page);
    await slider.focus();
    await page.keyboard.press('End');
    await ranAfter(page, cell);
    const result = await page.evaluate(async () => {
      const input = document.querySelector<HTMLInputElement>('.cell-inputs input[type=range]')!;
      const pings: number[] = [];
      let stop = false;
      const channel = new MessageChannel();
      let sent = 0;
      channel.port1.onmessage = () => {
        pings.push(performance.now() - sent);
        if (!stop) setTimeout(() => ((sent = performance.now()), channel.port2.postMessage(0)), 20);
      };
      sent = performance.now();
      channel.port2.postMessage(0);
      const min = Number(input.min);
      const max = Number(input.max);
      const started = performance.now();
      for (let i = 0; i <= 30; i++) {
        input.value = String(max - ((max - min) * i) / 30);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((resolve) => setTimeout(resolve, 16));
      }
      const root = document.querySelector<HTMLElement>('[data-chapter-seed]')!;
      await new Promise<void>((resolve) => {
        const check = (): void => (root.dataset.running === undefined ? resolve() : void setTimeout(check, 10));
        setTimeout(check, 50);
      });
      stop = true;
      return { longestPing: Math.max(...pings), settled: performance.now() - started, value: input.value };
    });
    console.log(`${first}: a 31-step drag settled ${Math.round(result.settled)} ms after it began; longest in-page ping ${Math.round(result.longestPing)} ms`);
    expect(result.longestPing).toBeLessThan(250);
    expect(await slider.inputValue()).toBe(result.value);
    expect(errors).toEqual([]);
  }, 120_000);

  it('keeps its value through Run all and Stop, and returns to its default with Reset', async () => {
    const { page, errors } = await suite.visit(chapterPath(first));
    await page.waitForSelector('[data-notebook=ready]');
    const slider = page.locator('.cell-inputs input[type=range]').first();
    const cell = Number(await slider.evaluate((input) => input.closest('section.cell')!.getAttribute('data-cell')));
    const section = page.locator(`section.cell[data-cell="${cell}"]`);
    const initial = await slider.inputValue();
    const built = (await outputs(page))[cell];
    await record(page);
    await slider.focus();
    await page.keyboard.press('End');
    await ranAfter(page, cell);
    const moved = (await outputs(page))[cell];
    const value = await slider.inputValue();
    expect(value).not.toBe(initial);

    await record(page);
    await page.getByRole('button', { name: 'Run all' }).click();
    await ranAfter(page, cell);
    const afterRunAll = (await outputs(page))[cell];
    expect(afterRunAll === moved, `Run all lost the moved input: ${difference(afterRunAll, moved)}`).toBe(true);

    // Stop at once, in the same task as Run all, however quickly the chapter would run.
    await page.evaluate(() => {
      const buttons = [...document.querySelectorAll<HTMLButtonElement>('.notebook-bar button')];
      buttons.find((button) => button.textContent === 'Run all')!.click();
      buttons.find((button) => button.textContent === 'Stop')!.click();
    });
    await idle(page);
    expect(await page.locator('.notebook-status').textContent()).toMatch(/^Stopped/);
    expect(await slider.inputValue()).toBe(value);

    const reset = section.getByRole('button', { name: 'Reset' });
    await expect.poll(() => reset.isVisible()).toBe(true);
    await reset.click();
    expect(await slider.inputValue()).toBe(initial);
    expect(await page.locator(`output[for="${await slider.getAttribute('id')}"]`).textContent()).toBe(await slider.getAttribute('aria-valuetext'));
    await record(page);
    await section.getByRole('button', { name: 'Run', exact: true }).click();
    await ranAfter(page, cell);
    const afterReset = (await outputs(page))[cell];
    expect(afterReset === built, `after Reset: ${difference(afterReset, built)}`).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);
});

describe('a live view', () => {
  it('exists on a chapter page', () => {
    expect(withLive.length).toBeGreaterThan(0);
  });

  for (const chapter of withLive) {
    it(`on ${chapter}: redraws its figure while the cell runs and ends with the build output`, async () => {
      const { page, errors } = await suite.visit(chapterPath(chapter));
      await page.waitForSelector('[data-notebook=ready]');
      const cell = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('section.cell')].findIndex((section) => (section.dataset.uses ?? '').split(' ').includes('live')));
      const built = (await outputs(page))[cell];
      await page.evaluate((cell) => {
        const w = window as unknown as { frames: number };
        w.frames = 0;
        const output = document.querySelector(`section.cell[data-cell="${cell}"] .cell-output`)!;
        new MutationObserver((records) => (w.frames += records.length)).observe(output, { childList: true });
      }, cell);
      await record(page);
      await page.locator(`section.cell[data-cell="${cell}"]`).getByRole('button', { name: 'Run', exact: true }).click();
      await ranAfter(page, cell);
      const frames = await page.evaluate(() => (window as unknown as { frames: number }).frames);
      expect(frames, 'the figure was drawn only once').toBeGreaterThan(1);
      const final = (await outputs(page))[cell];
      expect(final === built, `the last frame is not the build's: ${difference(final, built)}`).toBe(true);
      expect(errors).toEqual([]);
    }, 120_000);
  }
});
