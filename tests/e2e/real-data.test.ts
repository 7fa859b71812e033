// The chapter "Training on real data" in Chromium: Run all downloads only the small subset files
// from this site (never the whole datasets, never another host), says how the download is going in
// the running cell's status, and prints exactly the numbers the build printed with the same data.
import { describe, expect, it } from 'vitest';
import { browserSuite, chapterPath, chapters } from '../support/browser-suite.ts';

const suite = browserSuite();
const chapter = chapters.find((name) => name.endsWith('training-on-real-data'))!;

describe('the cells of "Training on real data" in the page', () => {
  it('download the subset files with visible progress and reproduce the build\'s outputs', async () => {
    const { page, context, errors, hosts } = await suite.open(chapterPath(chapter));
    await page.waitForSelector('[data-notebook=ready]');
    const outputs = () => page.$$eval('.cell-output', (found) => found.map((output) => (output as HTMLElement).innerText));
    const built = await outputs();
    // Every status a cell shows while the run goes on, to catch the download's progress.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { statuses: string[] }).statuses = seen;
      new MutationObserver(() => {
        for (const status of document.querySelectorAll('.cell-status')) if (status.textContent?.includes('downloading')) seen.push(status.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const asked = suite.requests.length;
    const started = performance.now();
    await page.getByRole('button', { name: 'Run all' }).click();
    await page.waitForFunction(() => /^Done/.test(document.querySelector('.notebook-status')?.textContent ?? ''), undefined, { timeout: 240_000 });
    process.stdout.write(`Run all of ${chapter} took ${((performance.now() - started) / 1000).toFixed(1)} s in Chromium\n`);
    const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
    expect(statuses.some((status) => /^running · [\d.]+ s of \d+ s · downloading MNIST: [\d.]+ of [\d.]+ MB$/.test(status)), statuses.slice(0, 3).join('\n')).toBe(true);
    const data = suite.requests.slice(asked).filter((path) => path.startsWith('/data/'));
    expect(data.filter((path) => path.endsWith('.gz')).every((path) => /^\/data\/[a-z-]+\/subset\//.test(path)), data.join('\n')).toBe(true);
    expect(data).toContain('/data/mnist/subset/train-images-idx3-ubyte.gz');
    expect(await page.textContent('.notebook-status')).toMatch(/^Done · (\d+) of \1 cells have run$/);
    expect(await outputs()).toEqual(built);
    expect(errors).toEqual([]);
    // blob: and data: URLs (the cell Worker may start from one) have no host; every other request is to this site.
    expect([...hosts].filter(Boolean)).toEqual([new URL(suite.url).host]);
    await context.close();
  }, 300_000);
});
