// The compiled library runs unchanged in Node, in a Chromium page and in a module Web Worker,
// and the same seed trains bit-identical weights in all three: nothing in lib/ depends on
// where it runs. Uses Debian's Chromium through playwright-core (tests/support/browser-suite.ts,
// serving a folder of its own rather than the built site).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { browserSuite } from '../support/browser-suite.ts';

interface RunResult {
  weights: number[];
  losses: number[];
  accuracy: string;
  hasDocument: boolean;
}

const root = resolve(import.meta.dirname, '../..');
const site = mkdtempSync(join(tmpdir(), 'scratchnet-browser-'));
const suite = browserSuite({ root: site });
let page: Page;
let consoleErrors: string[] = [];

// One seeded training run, written as plain JavaScript against the compiled library.
const CHECK = `
import { Adam, CategoricalCrossEntropy, Dense, Random, ReLU, Sequential, Softmax, formatNumber, spiralData } from './lib/index.js';
export function run() {
  const rng = new Random(42);
  const { x, y } = spiralData(50, 3, rng);
  const model = new Sequential(
    [new Dense(2, 16, { rng, initializer: 'heNormal' }), new ReLU(), new Dense(16, 3, { rng }), new Softmax()],
    { loss: new CategoricalCrossEntropy(), optimizer: new Adam({ learningRate: 0.02 }) },
  );
  const history = model.train(x, y, { epochs: 30, batchSize: 32, rng });
  return {
    weights: Array.from(model.layers[2].weights.data),
    losses: history.loss,
    accuracy: formatNumber(model.accuracy(x, y)),
    hasDocument: typeof document !== 'undefined',
  };
}
`;

beforeAll(async () => {
  // The package's own compile: its root is the repository, so the library lands in <site>/lib.
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.lib.json', '--outDir', site, '--sourceMap', 'false', '--inlineSources', 'false', '--declaration', 'false'], { cwd: root });
  writeFileSync(join(site, 'check.js'), CHECK);
  writeFileSync(join(site, 'worker.js'), `import { run } from './check.js';\npostMessage(run());\n`);
  writeFileSync(
    join(site, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>scratchnet in the browser</title><link rel="icon" href="data:,">
<script type="module">
  import { run } from './check.js';
  window.pageResult = run();
  const worker = new Worker('./worker.js', { type: 'module' });
  worker.onmessage = (event) => { window.workerResult = event.data; };
  worker.onerror = (event) => { window.workerResult = { error: event.message }; };
</script>`,
  );
  ({ page, errors: consoleErrors } = await suite.open('/'));
  await page.waitForFunction(() => (window as unknown as { workerResult?: unknown }).workerResult !== undefined, undefined, { timeout: 30_000 });
}, 120_000);

afterAll(() => rmSync(site, { recursive: true, force: true }));

async function resultIn(name: 'pageResult' | 'workerResult'): Promise<RunResult> {
  return page.evaluate((key) => (window as unknown as Record<string, RunResult>)[key], name);
}

describe('the library outside Node', () => {
  it('trains in a Chromium page with the same weights, bit for bit, as in Node', async () => {
    const inNode = ((await import(pathToFileURL(join(site, 'check.js')).href)) as { run: () => RunResult }).run();
    const inPage = await resultIn('pageResult');
    expect(inPage.hasDocument).toBe(true);
    expect(inPage.weights).toEqual(inNode.weights);
    // Weights are bit-identical; the reported loss may differ in its last bit, because
    // Math.log is not required to round identically across V8 versions.
    inPage.losses.forEach((loss, i) => expect(loss).toBeCloseTo(inNode.losses[i], 12));
    expect(inPage.accuracy).toBe(inNode.accuracy);
    expect(inNode.losses.at(-1)).toBeLessThan(inNode.losses[0]);
  });

  it('trains in a module Web Worker, which has no DOM, with the same weights', async () => {
    const inPage = await resultIn('pageResult');
    const inWorker = await resultIn('workerResult');
    expect(inWorker).not.toHaveProperty('error');
    expect(inWorker.hasDocument).toBe(false);
    expect(inWorker.weights).toEqual(inPage.weights);
    expect(inWorker.accuracy).toBe(inPage.accuracy);
  });

  it('logs no console errors and requests nothing but its own files', () => {
    expect(consoleErrors).toEqual([]);
    expect(suite.requests.filter((path) => !/^\/(index\.html|check\.js|worker\.js|lib\/([a-z]+\/)?[a-z]+\.js)?$/.test(path))).toEqual([]);
  });
});
