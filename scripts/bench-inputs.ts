// `npm run bench:inputs`: the latency of the interactive figures (chapters/README.md, "Inputs and
// live figures") in headless Chromium: for every slider on the built chapter pages, the time from
// a key press that moves it to the moment its cell and the cells that depend on it have re-run.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHROMIUM_PATH, launchChromium, serveDirectory } from './browser.ts';
import { COMMANDS, fail, handleErrors, parseCommand } from './cli.ts';

handleErrors();
const options = parseCommand(COMMANDS.benchInputs);
const site = options.site ?? resolve(import.meta.dirname, '..', 'dist/site');
if (!existsSync(join(site, 'chapters'))) fail(`bench:inputs needs a built site, and ${site} has no chapters: run \`npm run build\` first (or pass --site DIR).`);
if (!existsSync(CHROMIUM_PATH)) fail(`bench:inputs needs Chromium at ${CHROMIUM_PATH}, which is missing: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`);

const pages = readdirSync(join(site, 'chapters')).filter((name) => existsSync(join(site, 'chapters', name, 'index.html')) && readFileSync(join(site, 'chapters', name, 'index.html'), 'utf8').includes('type="range"'));
const server = await serveDirectory(site);
const browser = await launchChromium();
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`${'page, cell, slider'.padEnd(58)} ${'median'.padStart(8)} ${'longest'.padStart(8)}  (ms from key press to updated figure, ${options.moves} moves each)`);
try {
  for (const name of pages) {
    const page = await browser.newPage();
    await page.goto(`${server.url}/chapters/${name}/`);
    await page.waitForSelector('[data-notebook=ready]');
    const sliders = await page.locator('.cell-inputs input[type=range]').count();
    for (let k = 0; k < sliders; k++) {
      const slider = page.locator('.cell-inputs input[type=range]').nth(k);
      const [cell, label] = await slider.evaluate((input) => [input.closest('section.cell')!.getAttribute('data-cell'), (input as HTMLInputElement).dataset.label]);
      const times: number[] = [];
      for (let move = 0; move <= options.moves; move++) {
        await slider.focus();
        // Resolves when the slider's cell has re-run after the key press and nothing runs any more.
        const settled = page.evaluate(
          (cell) =>
            new Promise<number>((done) => {
              const root = document.querySelector<HTMLElement>('[data-chapter-seed]')!;
              const started = performance.now();
              const idle = (): void => {
                if (root.dataset.running === undefined) done(performance.now() - started);
                else setTimeout(idle, 2);
              };
              const ran = (event: Event): void => {
                if ((event as CustomEvent<{ index: number }>).detail.index !== Number(cell)) return;
                document.removeEventListener('cell-ran', ran);
                idle();
              };
              document.addEventListener('cell-ran', ran);
              setTimeout(() => done(Number.NaN), 120_000);
            }),
          cell,
        );
        // One step, towards the side that has room: at an end the key would change nothing.
        const [value, min, max] = await slider.evaluate((input: HTMLInputElement) => [Number(input.value), Number(input.min), Number(input.max)]);
        const up = value <= min || (value < max && move % 2 === 0);
        await page.keyboard.press(up ? 'ArrowRight' : 'ArrowLeft');
        const milliseconds = await settled;
        if (Number.isNaN(milliseconds)) fail(`${name}: moving "${label}" started no run within two minutes`);
        // The first move also runs the cells before that have not run yet: it readies the page.
        if (move > 0) times.push(milliseconds);
      }
      console.log(`${`${name}, cell ${Number(cell) + 1}, "${label}"`.padEnd(58)} ${String(Math.round(median(times))).padStart(8)} ${String(Math.round(Math.max(...times))).padStart(8)}`);
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
