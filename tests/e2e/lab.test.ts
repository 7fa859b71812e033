// The last chapter's lab in real Chromium: training runs in its Worker with live curves, Pause
// holds it between batches and Resume finishes it with test results; drawing on the canvas
// changes the shipped network's prediction; the Fashion-MNIST viewer classifies a test image.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveDirectory } from '../../scripts/browser.ts';

const site = resolve(import.meta.dirname, '../../dist/site');
const path = '/chapters/10-training-on-real-data/';
let server: Awaited<ReturnType<typeof serveDirectory>>;
let browser: Browser;
let page: Page;
const errors: string[] = [];
const hosts = new Set<string>();

beforeAll(async () => {
  server = await serveDirectory(site);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => hosts.add(new URL(request.url()).host));
  await page.goto(`${server.url}${path}`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const steps = async (): Promise<number> => Number((await page.getAttribute('[data-lab=train]', 'data-steps')) ?? 0);

describe('the training lab', () => {
  it('trains in its Worker with live curves, pauses between batches, and resumes to test results', async () => {
    await page.fill('[name=hidden]', '32');
    await page.fill('[name=epochs]', '1');
    await page.click('.lab-train');
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-lab=train]')?.dataset.steps ?? 0) >= 3, undefined, { timeout: 60_000 });
    // The curve has been redrawn with the new points.
    expect(await page.locator('.lab-curves svg path[stroke]').count()).toBeGreaterThan(0);
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
    expect(await page.locator('.lab-confusion tbody tr').count()).toBe(10);
    expect(await page.locator('.lab-results img').count()).toBe(8 + 16); // wrong images and neuron weights
  }, 180_000);
});

describe('the drawing canvas', () => {
  /** Draws a polyline on the canvas with the mouse, in canvas pixels (0–280). */
  async function draw(points: Array<[number, number]>): Promise<void> {
    const canvas = page.locator('[data-lab=draw] > canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const at = ([x, y]: [number, number]): [number, number] => [box.x + (x / 280) * box.width, box.y + (y / 280) * box.height];
    await page.mouse.move(...at(points[0]));
    await page.mouse.down();
    for (const point of points.slice(1)) await page.mouse.move(...at(point));
    await page.mouse.up();
  }

  it('shows the shipped network\'s prediction change as the reader draws different digits', async () => {
    await page.waitForSelector('[data-lab=draw][data-ready=true]');
    await draw(Array.from({ length: 21 }, (_, i): [number, number] => [140, 40 + i * 10]));
    const one = await page.getAttribute('.draw-bars', 'data-prediction');
    expect(one).toBe('1');
    await page.click('.draw-clear');
    expect(await page.getAttribute('.draw-bars', 'data-prediction')).toBeNull();
    await draw(Array.from({ length: 34 }, (_, i): [number, number] => [140 + 70 * Math.sin(i * 0.2), 140 - 100 * Math.cos(i * 0.2)]));
    const zero = await page.getAttribute('.draw-bars', 'data-prediction');
    expect(zero).toBe('0');
    const percentages = await page.$$eval('.draw-bars .bar span:last-child', (nodes) => nodes.map((node) => Number.parseFloat(node.textContent ?? '')));
    expect(percentages).toHaveLength(10);
    expect(percentages.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
  });
});

describe('the Fashion-MNIST viewer', () => {
  it.runIf(existsSync(resolve(site, 'data/fashion-mnist/t10k-images-idx3-ubyte.gz')))('classifies a test image with the shipped network', async () => {
    await page.locator('.fashion-next').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('.fashion-next')?.disabled);
    await page.click('.fashion-next');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.fashion-bars')?.dataset.prediction !== undefined, undefined, { timeout: 30_000 });
    expect(await page.locator('.fashion-image img').count()).toBe(1);
    expect(await page.locator('.fashion-bars .bar').count()).toBe(10);
  });
});

describe('the chapter page', () => {
  it('logged no errors and fetched everything from its own site', () => {
    expect(errors).toEqual([]);
    expect([...hosts]).toEqual([new URL(server.url).host]);
  });
});
