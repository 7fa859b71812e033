// The last chapter's lab in real Chromium: its fields are checked as the reader types (a bad one
// is marked, says what is wrong and keeps Train disabled, so nothing downloads); training runs in
// its Worker with live curves, Pause holds it between batches and Resume finishes it with test
// results; a diverging run shows what diagnose() makes of it; the classifier widgets (drawing pad
// and Fashion-MNIST viewer) read a click, a stroke or a sample digit, keep every percentage on one
// line with bars that fill their rows, and fit a 375-pixel phone. SCRATCHNET_SITE names the build.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveDirectory } from '../../scripts/browser.ts';
import { site } from '../support/browser-suite.ts';

const path = '/chapters/13-training-on-real-data/';
const hasFashion = existsSync(resolve(site, 'data/fashion-mnist/t10k-images-idx3-ubyte.gz'));
const DESKTOP = { width: 1000, height: 900 };
const PHONE = { width: 375, height: 800 };
let server: Awaited<ReturnType<typeof serveDirectory>>;
let browser: Browser;
let page: Page;
const errors: string[] = [];
const hosts = new Set<string>();

beforeAll(async () => {
  server = await serveDirectory(site);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: DESKTOP });
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  // blob: URLs (the Workers start from one, see blob-worker.ts) and data: URLs are not hosts.
  page.on('request', (request) => /^https?:/.test(request.url()) && hosts.add(new URL(request.url()).host));
  await page.goto(`${server.url}${path}`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const steps = async (): Promise<number> => Number((await page.getAttribute('[data-lab=train]', 'data-steps')) ?? 0);

/** Each field's state as the reader and a screen reader meet it: invalid or not, and the message it points to. */
const fieldState = (name: string) =>
  page.$eval(`[data-lab=train] [name=${name}]`, (field) => {
    const describedBy = field.getAttribute('aria-describedby');
    const message = describedBy ? document.getElementById(describedBy) : null;
    return { invalid: field.getAttribute('aria-invalid') === 'true', message: message && !message.hidden ? message.textContent : null };
  });
const trainDisabled = (): Promise<boolean> => page.$eval('.lab-train', (button) => (button as HTMLButtonElement).disabled);

describe('the training lab\'s fields', () => {
  const bad: Array<[string, string, string]> = [
    ['hidden', 'abc', '“abc” is not a layer size: give whole numbers separated by commas, e.g. 128,64.'],
    ['hidden', '128,,64', 'Separate the sizes with single commas, e.g. 128,64.'],
    ['hidden', '0', 'Each size must be from 1 to 2,048.'],
    ['learningRate', 'abc', '“abc” is not a number: give a learning rate such as 0.001 or 1e-3.'],
    ['learningRate', '-1', 'The learning rate must be above 0.'],
    ['batchSize', '0', 'The batch size must be from 1 to 55,000.'],
    ['batchSize', '12.5', 'The batch size must be a whole number, not 12.5.'],
    ['epochs', '', 'Give the number of epochs.'],
    ['epochs', '500', 'The number of epochs must be from 1 to 50.'],
  ];
  it.each(bad)('mark %s = %j as the reader types, say what is wrong beside it, and keep Train disabled until it is fixed', async (name, text, message) => {
    await page.waitForSelector('[data-lab=train][data-invalid]');
    const original = await page.inputValue(`[data-lab=train] [name=${name}]`);
    expect(await fieldState(name)).toEqual({ invalid: false, message: null });
    expect(await trainDisabled()).toBe(false);
    await page.fill(`[data-lab=train] [name=${name}]`, text);
    expect(await fieldState(name)).toEqual({ invalid: true, message });
    expect(await trainDisabled()).toBe(true);
    await page.fill(`[data-lab=train] [name=${name}]`, original);
    expect(await fieldState(name)).toEqual({ invalid: false, message: null });
    expect(await trainDisabled()).toBe(false);
  });

  it('download nothing while a field is bad: Train cannot be pressed, and the message sits next to its field', async () => {
    const before = server.requests.length;
    await page.fill('[name=hidden]', 'abc');
    await page.fill('[name=learningRate]', 'abc');
    await page.click('.lab-train', { force: true });
    await page.waitForTimeout(300);
    expect(server.requests.slice(before).filter((path) => path.startsWith('/data/mnist'))).toEqual([]);
    expect(await page.getAttribute('[data-lab=train]', 'data-state')).toBeNull();
    const [field, note] = await page.$$eval('[name=learningRate], #lab-learningRate-error', (nodes) => nodes.map((node) => node.getBoundingClientRect().toJSON() as DOMRect));
    expect(note.top).toBeGreaterThanOrEqual(field.bottom - 1);
    expect(note.top - field.bottom).toBeLessThan(12);
    expect(Math.abs(note.left - field.left)).toBeLessThan(2);
    await page.fill('[name=hidden]', '128,64');
    await page.fill('[name=learningRate]', '0.001');
    expect(await trainDisabled()).toBe(false);
  });
});

describe('the training lab', () => {
  it('offers augmentation as a labelled checkbox, off at first, that the keyboard toggles', async () => {
    const box = page.getByRole('checkbox', { name: /shift each image by up to 2 pixels/ });
    expect(await box.isChecked()).toBe(false);
    await box.focus();
    await page.keyboard.press('Space');
    expect(await box.isChecked()).toBe(true);
    await page.keyboard.press('Space');
    expect(await box.isChecked()).toBe(false);
  });

  it('trains in its Worker with live curves, pauses between batches, and resumes to test results', async () => {
    await page.fill('[name=hidden]', '32');
    await page.fill('[name=epochs]', '1');
    // On shifted images, through the same augmentBatch() step as the library's train().
    await page.check('[name=augment]');
    await page.click('.lab-train');
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-lab=train]')?.dataset.steps ?? 0) >= 3, undefined, { timeout: 60_000 });
    // The curve has been redrawn with the new points.
    const lines = await page.$$eval('.lab-curves svg path', (paths) => paths.filter((path) => (path.getAttribute('d') ?? '').split('L').length > 2).length);
    expect(lines).toBeGreaterThan(0);
    expect(await page.textContent('.lab-status')).toMatch(/^Epoch 1 of 1 · step \d+ of 430 · batch loss \d\.\d{4}$/);
    await page.click('.lab-pause');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-lab=train]')?.dataset.state === 'paused', undefined, { timeout: 10_000 });
    const held = await steps();
    await page.waitForTimeout(800);
    expect(await steps()).toBe(held);
    expect(await page.textContent('.lab-pause')).toBe('Resume');
    await page.click('.lab-pause');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-lab=train]')?.dataset.state === 'finished', undefined, { timeout: 120_000 });
    expect(await steps()).toBeGreaterThan(held);
    const accuracy = Number((await page.textContent('.lab-accuracy'))!.match(/Test accuracy: ([\d.]+)%/)![1]);
    expect(accuracy).toBeGreaterThan(85);
    expect(await page.locator('.lab-results table tbody tr').count()).toBe(10); // the confusion matrix
    expect(await page.locator('.lab-results img').count()).toBe(8 + 16); // wrong images and neuron weights
    await page.uncheck('[name=augment]');
  }, 180_000);
});

describe('a run that goes wrong in the lab', () => {
  it('diverges with a learning rate of 10, says so, and shows what diagnose() makes of it', async () => {
    await page.fill('[name=hidden]', '32');
    await page.fill('[name=epochs]', '1');
    await page.selectOption('[name=optimizer]', 'sgd');
    await page.fill('[name=learningRate]', '10');
    await page.click('.lab-train');
    await page.waitForFunction(() => ['error', 'finished'].includes(document.querySelector<HTMLElement>('[data-lab=train]')?.dataset.state ?? ''), undefined, { timeout: 120_000 });
    const diagnosis = page.locator('.lab-diagnosis');
    expect(await diagnosis.isVisible()).toBe(true);
    expect(await diagnosis.locator('.lab-diagnosis-title').textContent()).toBe('What the run shows');
    const findings = await diagnosis.locator('li').allTextContents();
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.join(' ')).toMatch(/learning rate/i);
    await page.selectOption('[name=optimizer]', 'adam');
    await page.fill('[name=learningRate]', '0.001');
    await page.fill('[name=epochs]', '3');
    await page.fill('[name=hidden]', '128,64');
  }, 180_000);
});

/** The canvas point (0–280 on each side) under the page, in page pixels. */
async function canvasPoint(): Promise<(point: [number, number]) => [number, number]> {
  const canvas = page.locator('.draw-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  return ([x, y]) => [box.x + (x / 280) * box.width, box.y + (y / 280) * box.height];
}

/** Draws a polyline on the pad with the mouse, in canvas pixels (0–280). */
async function draw(points: Array<[number, number]>): Promise<void> {
  const at = await canvasPoint();
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const point of points.slice(1)) await page.mouse.move(...at(point));
  await page.mouse.up();
}

/** How many pixels of the pad carry ink (the canvas holds white ink on black). */
const inkedPixels = (): Promise<number> =>
  page.$eval('.draw-canvas', (canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] > 0) count++;
    return count;
  });

const prediction = (): Promise<string | null> => page.getAttribute('.draw-bars', 'data-prediction');
const values = (widget: string): Promise<string[]> => page.$$eval(`[data-lab=${widget}] .bar-value`, (nodes) => nodes.map((node) => node.textContent ?? ''));

describe('the drawing pad', () => {
  it('shows the shipped network\'s prediction change as the reader draws different digits', async () => {
    await page.waitForSelector('[data-lab=draw][data-ready=true]');
    await draw(Array.from({ length: 21 }, (_, i): [number, number] => [140, 40 + i * 10]));
    expect(await prediction()).toBe('1');
    await page.click('.draw-clear');
    expect(await prediction()).toBeNull();
    await draw(Array.from({ length: 34 }, (_, i): [number, number] => [140 + 70 * Math.sin(i * 0.2), 140 - 100 * Math.cos(i * 0.2)]));
    expect(await prediction()).toBe('0');
    expect(await page.textContent('[data-lab=draw] .classifier-answer')).toBe('0');
    const percentages = (await values('draw')).map((text) => Number.parseFloat(text));
    expect(percentages).toHaveLength(10);
    expect(percentages.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
  });

  it('draws a dot for a single click, and the empty pad\'s dashes give way to a prediction', async () => {
    await page.click('.draw-clear');
    expect(await inkedPixels()).toBe(0);
    expect(await prediction()).toBeNull();
    expect(new Set(await values('draw'))).toEqual(new Set(['–']));
    const at = await canvasPoint();
    await page.mouse.click(...at([140, 140]));
    // A round dot as wide as the pen (a fourteenth of the pad), not a stray pixel.
    expect(await inkedPixels()).toBeGreaterThan(200);
    expect(await prediction()).not.toBeNull();
    expect((await values('draw')).every((text) => /^\d+\.\d%$/.test(text))).toBe(true);
  });

  it('draws a dot for a single tap on a touch screen', async () => {
    const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
    const phone = await context.newPage();
    await phone.goto(`${server.url}${path}`);
    await phone.waitForSelector('[data-lab=draw][data-ready=true]');
    const canvas = phone.locator('.draw-canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await phone.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    await phone.waitForFunction(() => document.querySelector<HTMLElement>('.draw-bars')?.dataset.prediction !== undefined);
    expect(await phone.$eval('[data-lab=draw]', (root) => root.dataset.empty)).toBe('false');
    await context.close();
  });

  it('draws each of the ten sample digits from the keyboard, and the network reads every one right', async () => {
    await page.focus('.draw-sample');
    const read: string[] = [];
    for (let digit = 0; digit < 10; digit++) {
      await page.keyboard.press('Enter');
      read.push((await prediction()) ?? 'none');
    }
    expect(read).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(await inkedPixels()).toBeGreaterThan(0);
  });

  it('announces the prediction politely, once, instead of every bar', async () => {
    for (const widget of ['draw', 'fashion']) {
      expect(await page.getAttribute(`[data-lab=${widget}] .classifier-prediction`, 'aria-live')).toBe('polite');
      expect(await page.locator(`[data-lab=${widget}] .bars[aria-live], [data-lab=${widget}] .bars [aria-live]`).count()).toBe(0);
    }
    // While the pen is down the announcement waits; lifting it lets the final reading through.
    const at = await canvasPoint();
    await page.mouse.move(...at([100, 100]));
    await page.mouse.down();
    await page.mouse.move(...at([180, 180]));
    expect(await page.getAttribute('[data-lab=draw] .classifier-prediction', 'aria-busy')).toBe('true');
    await page.mouse.up();
    expect(await page.getAttribute('[data-lab=draw] .classifier-prediction', 'aria-busy')).toBe('false');
  });
});

/** The layout of every bar row in a widget: each value's line boxes, and where the bar sits in its row. */
const barLayout = (widget: string) =>
  page.$$eval(`[data-lab=${widget}] .bar`, (rows) =>
    rows.map((row) => {
      const box = (selector: string): DOMRect => row.querySelector(selector)!.getBoundingClientRect();
      const value = row.querySelector('.bar-value')!;
      const range = document.createRange();
      range.selectNodeContents(value);
      const own = row.getBoundingClientRect();
      const style = getComputedStyle(row);
      const content = own.width - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
      return {
        text: value.textContent,
        lines: range.getClientRects().length,
        track: box('.bar-track').width / content,
        gap: box('.bar-value').left - box('.bar-track').right,
        valueRight: own.right - Number.parseFloat(style.paddingRight) - box('.bar-value').right,
        // How far the number's own text reaches past its box (a too-narrow column spills it over).
        spill: Math.max(range.getBoundingClientRect().right - box('.bar-value').right, box('.bar-value').left - range.getBoundingClientRect().left),
      };
    }),
  );

/** Every value written as the widest one the widgets can show. */
const widestValues = (): Promise<void> => page.$$eval('.bar-value', (nodes) => nodes.forEach((node) => (node.textContent = '100.0%')));

describe('the probability bars', () => {
  for (const [name, viewport] of [['at 375 px', PHONE], ['at desktop width', DESKTOP]] as const) {
    it(`keep every value, even 100.0%, on one line and give the bar most of its row ${name}`, async () => {
      await page.setViewportSize(viewport);
      // Samples until one reads as 100.0%, the widest value.
      for (let tries = 0; tries < 10 && !(await values('draw')).includes('100.0%'); tries++) await page.click('.draw-sample');
      const widgets = hasFashion ? ['draw', 'fashion'] : ['draw'];
      if (hasFashion && (await page.getAttribute('.fashion-bars', 'data-prediction')) === null) {
        await page.click('.fashion-next');
        await page.waitForFunction(() => document.querySelector<HTMLElement>('.fashion-bars')?.dataset.prediction !== undefined, undefined, { timeout: 30_000 });
      }
      expect(await values('draw')).toContain('100.0%');
      for (const widest of [false, true]) {
        if (widest) await widestValues();
        for (const widget of widgets) {
          for (const row of await barLayout(widget)) {
            expect(row.lines, `${widget} "${row.text}"`).toBe(1);
            // The bar takes most of the row (the Fashion labels are long, so half is the floor) …
            expect(row.track, `${widget} "${row.text}"`).toBeGreaterThan(widget === 'draw' ? 0.65 : 0.45);
            // … and runs up to the number, which ends at the row's right edge.
            expect(row.gap).toBeLessThanOrEqual(16);
            expect(Math.abs(row.valueRight)).toBeLessThan(1);
            expect(row.spill, `${widget} "${row.text}"`).toBeLessThanOrEqual(0.5);
          }
        }
      }
      await page.click('.draw-clear');
      await page.setViewportSize(DESKTOP);
    });
  }
});

describe('the Fashion-MNIST viewer', () => {
  it.runIf(hasFashion)('classifies a large, pixelated test image, names its true class and steps to the next and back', async () => {
    await page.locator('.fashion-next').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('.fashion-next')?.disabled);
    if ((await page.getAttribute('.fashion-bars', 'data-prediction')) === null) await page.click('.fashion-next');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.fashion-bars')?.dataset.prediction !== undefined, undefined, { timeout: 30_000 });
    expect(await page.locator('.fashion-bars .bar').count()).toBe(10);
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      const image = await page.$eval('.fashion-canvas', (canvas) => ({ ...canvas.getBoundingClientRect().toJSON(), rendering: getComputedStyle(canvas).imageRendering }));
      expect(image.width).toBeGreaterThanOrEqual(140);
      expect(image.height).toBeGreaterThanOrEqual(140);
      expect(image.rendering).toBe('pixelated');
    }
    const first = await page.getAttribute('[data-lab=fashion]', 'data-index');
    const classes = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
    const named = (text: string | null): boolean => classes.some((name) => text?.endsWith(`true class: ${name}`));
    expect(named(await page.textContent('.fashion-status'))).toBe(true);
    await page.click('.fashion-next');
    await page.waitForFunction((before) => document.querySelector<HTMLElement>('[data-lab=fashion]')?.dataset.index !== before, first);
    expect(named(await page.textContent('.fashion-status'))).toBe(true);
    await page.click('.fashion-previous');
    await page.waitForFunction((before) => document.querySelector<HTMLElement>('[data-lab=fashion]')?.dataset.index === before, first);
  });
});

describe('the classifier widgets on a phone', () => {
  it('fit 375 px with nothing sticking out sideways', async () => {
    await page.setViewportSize(PHONE);
    await page.click('.draw-sample');
    const overflow = await page.$$eval('[data-lab=draw], [data-lab=fashion]', (widgets) =>
      widgets.map((widget) => {
        const edge = widget.getBoundingClientRect();
        const outside = [...widget.querySelectorAll('*')]
          .filter((element) => element.getClientRects().length > 0)
          .filter((element) => {
            const box = element.getBoundingClientRect();
            return box.left < edge.left - 0.5 || box.right > edge.right + 0.5;
          })
          .map((element) => element.className);
        return { inside: edge.left >= 0 && edge.right <= innerWidth, scrolls: widget.scrollWidth > widget.clientWidth, outside };
      }),
    );
    expect(overflow).toEqual([
      { inside: true, scrolls: false, outside: [] },
      { inside: true, scrolls: false, outside: [] },
    ]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    // The pad scales down to the phone and stays square.
    const pad = (await page.locator('.draw-canvas').boundingBox())!;
    expect(pad.width).toBeGreaterThanOrEqual(240);
    expect(pad.width).toBeCloseTo(pad.height, 0);
    await page.setViewportSize(DESKTOP);
  });
});

describe('the chapter page', () => {
  it('says, without JavaScript, that drawing and the test images need it, and still lists every class', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const plain = await context.newPage();
    await plain.goto(`${server.url}${path}`);
    expect(await plain.locator('[data-lab=draw] .classifier-frame').innerText()).toMatch(/Drawing needs JavaScript/);
    expect(await plain.locator('[data-lab=fashion] .classifier-frame').innerText()).toMatch(/needs JavaScript/);
    expect(await plain.locator('.draw-bars .bar-label').allTextContents()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(await plain.locator('.fashion-bars .bar').count()).toBe(10);
    expect(await plain.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await context.close();
  });

  it('logged no errors and fetched everything from its own site', () => {
    expect(errors).toEqual([]);
    expect([...hosts]).toEqual([new URL(server.url).host]);
  });
});
