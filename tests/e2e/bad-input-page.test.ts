// Bad input on a chapter page, in real Chromium, never freezes it, crashes it or loses work: a cell
// that floods its output shows the first 1,000 lines and how many more while the page keeps
// answering; a cell whose memory runs away is stopped with a message and the page lives on; bad
// saved edits are dropped with a notice and every cell keeps its code; nothing reaches another
// host (the Content-Security-Policy covers the cell Worker too), no page breaks the policy, and
// `astro preview` (npm start) serves the site with it. SCRATCHNET_SITE names the build to test.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { browserSuite, chaptersWithCells, site } from '../support/browser-suite.ts';

const suite = browserSuite();
const first = `/chapters/${chaptersWithCells[0]}/`;
const root = resolve(import.meta.dirname, '../..');

const idle = (page: Page, timeout = 60_000): Promise<unknown> =>
  page.waitForFunction(() => document.querySelector<HTMLElement>('[data-chapter-seed]')?.dataset.running === undefined, undefined, { timeout });
const cell = (page: Page, index: number) => page.locator(`section.cell[data-cell="${index}"]`);

/** Replaces the code of cell `index` through its editor. */
async function typeCode(page: Page, index: number, code: string): Promise<void> {
  await cell(page, index).getByRole('button', { name: 'Edit' }).click();
  const editor = cell(page, index).locator('.cm-content');
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(code);
}

/** Replaces the code of cell `index` through its editor and presses Run. */
async function runCode(page: Page, index: number, code: string): Promise<void> {
  await typeCode(page, index, code);
  await cell(page, index).getByRole('button', { name: 'Run' }).click();
}

/** Opens the first chapter with cells, ready to run. */
async function chapter(options: { width?: number } = {}) {
  const opened = await suite.open(first, options);
  await opened.page.waitForSelector('[data-notebook=ready]');
  return opened;
}

/**
 * Runs `code` in cell 0 and measures the main thread meanwhile: round trips from the test
 * (page.evaluate), round trips inside the page (a MessageChannel ping every 20 ms: how long the
 * page took to answer it), and the longest task the page ran.
 */
async function measureWhileRunning(page: Page, code: string): Promise<{ roundTrips: number[]; maxPing: number; longestTask: number }> {
  // The editor loads and the code goes in first, so only the run and its output are measured.
  await typeCode(page, 0, code);
  await page.waitForTimeout(500);
  await page.evaluate(() => {
    const probe = { maxPing: 0, longestTask: 0 };
    (window as unknown as { probe: typeof probe }).probe = probe;
    const channel = new MessageChannel();
    let sent = 0;
    const ping = (): void => {
      sent = performance.now();
      channel.port2.postMessage(0);
    };
    channel.port1.onmessage = () => {
      probe.maxPing = Math.max(probe.maxPing, performance.now() - sent);
      setTimeout(ping, 20);
    };
    ping();
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.longestTask = Math.max(probe.longestTask, entry.duration);
    }).observe({ type: 'longtask' });
  });
  await cell(page, 0).getByRole('button', { name: 'Run' }).click();
  const roundTrips: number[] = [];
  const done = (): Promise<boolean> => page.evaluate(() => document.querySelector<HTMLElement>('[data-chapter-seed]')?.dataset.running === undefined);
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    const sent = performance.now();
    const finished = await done();
    roundTrips.push(performance.now() - sent);
    if (finished) break;
    await page.waitForTimeout(25);
  }
  // The output has just been put into the page: a few more round trips while it is laid out.
  for (let i = 0; i < 5; i++) {
    const sent = performance.now();
    await page.evaluate(() => document.body.offsetHeight);
    roundTrips.push(performance.now() - sent);
  }
  const { maxPing, longestTask } = await page.evaluate(() => (window as unknown as { probe: { maxPing: number; longestTask: number } }).probe);
  return { roundTrips, maxPing, longestTask };
}

describe('a cell that floods its output', () => {
  const floods: Array<[string, string, number, string]> = [
    ['print(i) a million times', 'for (let i = 0; i < 1e6; i++) print(i)', 1000, '… 999,000 more lines not shown (a cell shows at most 1,000 lines and 50,000 characters)'],
    ['console.log in a loop', "for (let i = 0; i < 1e6; i++) console.log('line', i)", 1000, '… 999,000 more lines not shown (a cell shows at most 1,000 lines and 50,000 characters)'],
    ['one huge string', "print('x'.repeat(5e7))", 1, '… 49,950,000 more characters not shown (a cell shows at most 1,000 lines and 50,000 characters)'],
  ];
  it.each(floods)('%s: the page keeps answering throughout, and shows the first lines and exactly how many more', async (_name, code, shown, omitted) => {
    const { page, context, errors } = await chapter();
    const { roundTrips, maxPing, longestTask } = await measureWhileRunning(page, code);
    const median = roundTrips.sort((a, b) => a - b)[roundTrips.length >> 1];
    console.log(`${_name}: ${roundTrips.length} round trips from the test, median ${Math.round(median)} ms, longest ${Math.round(Math.max(...roundTrips))} ms; in the page, longest ping ${Math.round(maxPing)} ms, longest task ${Math.round(longestTask)} ms`);
    // Before output was capped, the page froze for 28–39 s. Every ping inside the page answers
    // within a second: quiet, they take 6–60 ms, but they also wait for this machine's other
    // processes (two shared cores, a second test worker among them), which once made one 414 ms.
    // The median round trip from the test is held to 100 ms, and the longest task to far less than a freeze.
    expect(maxPing).toBeLessThan(1000);
    expect(median).toBeLessThan(100);
    expect(longestTask).toBeLessThan(500);
    const output = cell(page, 0).locator('.cell-output');
    expect(await output.locator('.out-text').count()).toBe(shown);
    expect(await output.locator('.out-omitted').textContent()).toBe(omitted);
    expect(await cell(page, 0).locator('.cell-status').textContent()).toMatch(/^ran · \d+ ms$/);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});

describe('a cell whose memory runs away', () => {
  it('is stopped with "stopped: the cell used more than 1,024 MB of memory", and the page lives on and runs code again', async () => {
    const { page, context, errors } = await chapter();
    let crashed = false;
    page.on('crash', () => (crashed = true));
    const started = Date.now();
    await runCode(page, 0, 'const a = [];\nwhile (true) a.push(new Array(1e6).fill(1))');
    await page.waitForFunction(() => document.querySelector('section.cell[data-cell="0"] .cell-status')?.textContent === 'stopped · too much memory', undefined, { timeout: 30_000 });
    const seconds = (Date.now() - started) / 1000;
    console.log(`memory: the runaway cell was stopped ${seconds.toFixed(1)} s after Run`);
    expect(crashed).toBe(false);
    expect(await cell(page, 0).locator('.out-error').textContent()).toMatch(/^MemoryError: stopped: the cell used more than 1,024 MB of memory \(about [\d,]+ MB, as the notebook estimates it\); past that the browser could run out and close the page \(line 2\)$/);
    expect(await page.locator('.notebook-status').textContent()).toBe('Cell 1 was stopped: it used more than 1,024 MB of memory.');
    expect(await page.evaluate(() => 1 + 1)).toBe(2);
    // The Worker that held the memory is gone; a new one runs the next cell.
    await runCode(page, 0, '2 + 3');
    await idle(page);
    expect(await cell(page, 0).locator('.cell-output').textContent()).toBe('5');
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});

describe('saved edits in localStorage', () => {
  it('are checked before any cell uses one: bad entries are removed with a notice, every cell keeps its code, and Run all runs them all', async () => {
    const { page, context, errors } = await chapter();
    const built = await page.$$eval('section.cell .cell-output', (outputs) => outputs.map((output) => output.textContent));
    const originals = await page.$$eval('section.cell > pre', (pres) => pres.map((pre) => (pre.textContent ?? '').replace(/\n$/, '')));
    const count = originals.length;
    expect(count).toBeGreaterThanOrEqual(10);
    const path = new URL(page.url()).pathname;
    const key = (suffix: string | number): string => `scratchnet:cell:${path}:${suffix}`;
    const edit = (fields: Record<string, unknown>): string => JSON.stringify(fields);
    const bad: Record<string, string> = {
      [key(0)]: edit({ original: originals[0], source: 42 }),
      [key(1)]: edit({ original: originals[1], source: null }),
      [key(2)]: `{"original": ${JSON.stringify(originals[2])}, "source": "print(`,
      [key(3)]: edit({ original: originals[3] }),
      [key(4)]: '["print(1)"]',
      [key(5)]: edit({ original: originals[5], source: 'y'.repeat(300_000) }),
      [key(6)]: edit({ original: originals[6], source: { code: 'print(1)' } }),
      [key(7)]: edit({ original: 7, source: 'print(7)' }),
      [key(8)]: 'undefined',
      [key(count)]: edit({ original: 'x', source: 'print(1)' }),
      [key(999)]: edit({ original: 'x', source: 'print(1)' }),
      [key('abc')]: edit({ original: 'x', source: 'print(1)' }),
      [key(-1)]: edit({ original: 'x', source: 'print(1)' }),
    };
    const good = { [key(count - 1)]: edit({ original: originals[count - 1], source: 'print("kept")' }) };
    await page.evaluate((entries) => Object.entries(entries).forEach(([name, value]) => localStorage.setItem(name, value)), { ...bad, ...good, 'scratchnet:cell:/chapters/elsewhere/:0': edit({ source: 1 }) });
    await page.reload();
    await page.waitForSelector('[data-notebook=ready]');
    const notice = page.locator('.notebook-notice');
    expect(await notice.textContent()).toMatch(/^13 saved edits could not be used and were removed: cell 1 \(its "source" is a number, not text\), cell 2 \(its "source" is null, not text\), cell 3 \(it is not valid JSON\) and 10 more\. The cells show their original code\./);
    expect(await notice.getAttribute('role')).toBe('status');
    // Every cell with a bad entry shows its original code, as the page was built.
    for (let index = 0; index < count - 1; index++) {
      expect(await cell(page, index).locator('> pre').isVisible(), `cell ${index + 1}`).toBe(true);
      expect((await cell(page, index).locator('> pre').textContent())?.replace(/\n$/, '')).toBe(originals[index]);
    }
    expect(await cell(page, count - 1).locator('.cm-content').textContent()).toBe('print("kept")');
    // Only the good edit is left of this page's entries; another page's entry waits for that page.
    const left = await page.evaluate(() => Object.keys(localStorage).filter((name) => name.startsWith('scratchnet:cell:')).sort());
    expect(left).toEqual([key(count - 1), 'scratchnet:cell:/chapters/elsewhere/:0'].sort());
    await page.getByRole('button', { name: 'Run all' }).click();
    await idle(page);
    expect(await page.locator('.notebook-status').textContent()).toBe(`Done · ${count} of ${count} cells have run`);
    const outputs = await page.$$eval('section.cell .cell-output', (nodes) => nodes.map((output) => output.textContent));
    expect(outputs.slice(0, count - 1)).toEqual(built.slice(0, count - 1));
    expect(outputs[count - 1]).toBe('kept');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    expect(await notice.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});

describe('requests to other hosts', () => {
  /** Opens the chapter with every request to another host recorded and refused before it leaves. */
  async function guarded() {
    const opened = await chapter();
    const outside: string[] = [];
    await opened.context.route(
      (url) => url.host !== new URL(suite.url).host && url.protocol.startsWith('http'),
      (route) => {
        outside.push(route.request().url());
        return route.abort();
      },
    );
    return { ...opened, outside };
  }

  it("fail in a cell with a sentence saying the site makes no requests to other hosts, and nothing leaves", async () => {
    const { page, context, outside } = await guarded();
    await runCode(page, 0, "await fetch('http://example.com/')");
    await idle(page);
    expect(await cell(page, 0).locator('.out-error').textContent()).toBe(
      'BlockedRequestError: fetch: http://example.com/ is on another host, and this site makes no requests to other hosts (its Content-Security-Policy blocks them) (line 1)',
    );
    await runCode(page, 0, "const socket = new WebSocket('wss://example.com/');");
    await idle(page);
    expect(await cell(page, 0).locator('.out-error').textContent()).toMatch(/^BlockedRequestError: WebSocket: wss:\/\/example\.com\/ is on another host/);
    expect(outside).toEqual([]);
    await context.close();
  }, 60_000);

  it('are refused by the page\'s policy inside the cell Worker too, where no wrapper reaches (import of another host\'s script)', async () => {
    const { page, context, outside } = await guarded();
    await runCode(page, 0, "await import('http://example.com/evil.js')");
    await idle(page);
    await page.waitForSelector('section.cell[data-cell="0"] .out-blocked', { timeout: 5_000 });
    expect(await cell(page, 0).locator('.out-blocked').textContent()).toBe(
      'Blocked: http://example.com/evil.js (script-src-elem). This site makes no requests to other hosts: its Content-Security-Policy allows only the site itself.',
    );
    expect(outside).toEqual([]);
    // The site's own data still loads in the Worker, through a relative URL.
    await runCode(page, 0, "(await (await fetch('/data/datasets.json')).json()).length > 0");
    await idle(page);
    expect(await cell(page, 0).locator('.cell-output').textContent()).toBe('true');
    await context.close();
  }, 60_000);
});

/** Every page of the build, as paths. */
const pages = (function walk(folder: string): string[] {
  return readdirSync(join(site, folder), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(folder, entry.name)) : entry.name.endsWith('.html') ? [`/${join(folder, entry.name)}`.replace(/index\.html$/, '')] : [],
  );
})('').sort();

describe('the Content-Security-Policy', () => {
  it('is on every page, allows only the site itself, and allows eval only on chapter pages', async () => {
    const { page, context } = await suite.open('/');
    for (const path of pages) {
      await page.goto(`${suite.url}${path}`);
      const policy = (await page.getAttribute('meta[http-equiv="content-security-policy"]', 'content')) ?? '';
      expect(policy, path).toMatch(/default-src 'self';/);
      expect(policy, path).toMatch(/connect-src 'self';/);
      expect(policy, path).toMatch(/worker-src 'self' blob:;/);
      expect(policy, path).not.toMatch(/https?:|\*/);
      expect(/'unsafe-eval'/.test(policy), path).toBe(path.startsWith('/chapters/'));
      expect(/script-src[^;]*'unsafe-inline'/.test(policy), path).toBe(false);
    }
    await context.close();
  }, 120_000);

  it('is broken by no page: every page loads, the notebooks run and the lab classifies, with no violation and no console error', async () => {
    const { page, context, errors } = await suite.open('/');
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
    });
    const runs = new Set([first, '/chapters/13-training-on-real-data/', '/chapters/14-making-it-fast/']);
    for (const path of pages) {
      await page.goto(`${suite.url}${path}`);
      await page.waitForLoadState('load');
      if (!runs.has(path) || !(await page.locator('section.cell').count())) continue;
      await page.waitForSelector('[data-notebook=ready]');
      await page.getByRole('button', { name: 'Run all' }).click();
      await idle(page, 120_000);
      expect(await page.locator('.out-blocked').count(), path).toBe(0);
      expect(await page.locator('.notebook-status').textContent(), path).toMatch(/^Done · /);
      if (await page.locator('[data-lab=draw]').count()) {
        await page.waitForSelector('[data-lab=draw][data-ready=true]');
        await page.click('.draw-sample');
        expect(await page.getAttribute('.draw-bars', 'data-prediction')).toBe('0');
      }
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});

describe('npm start', () => {
  it('serves the built site with astro preview, the policy in place and a cell running', async () => {
    const port = 4400 + Math.floor(Math.random() * 500);
    const preview = spawn(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'preview', '--outDir', site, '--port', String(port), '--ignore-lock'], {
      cwd: root,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
      stdio: 'pipe',
    });
    let log = '';
    preview.stdout.on('data', (chunk) => (log += chunk));
    preview.stderr.on('data', (chunk) => (log += chunk));
    try {
      const base = `http://localhost:${port}`;
      const started = Date.now();
      while (!(await fetch(`${base}${first}`).then((response) => response.ok, () => false))) {
        if (Date.now() - started > 30_000) throw new Error(`astro preview did not start:\n${log}`);
        await new Promise((done) => setTimeout(done, 250));
      }
      const context = await suite.browser.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${base}${first}`);
      await page.waitForSelector('[data-notebook=ready]');
      expect(await page.getAttribute('meta[http-equiv="content-security-policy"]', 'content')).toMatch(/default-src 'self'/);
      await runCode(page, 0, 'print(6 * 7)');
      await idle(page);
      expect(await cell(page, 0).locator('.cell-output').textContent()).toBe('42');
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      preview.kill();
    }
  }, 90_000);
});
