// `npm run screenshots`: full-page PNGs of every page of the built site in the light theme, the
// dark theme and on a 375-pixel phone, for anyone to review the look (they go in screenshots/,
// which git ignores). Usage: npm run screenshots -- [--no-build] [--only 04-non,index] [--width 1280] [--site DIR]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium, serveDirectory } from './browser.ts';
import { COMMANDS, fail, handleErrors, parseCommand } from './cli.ts';

handleErrors();
// The options, their defaults and checks are in the table in cli.ts (`--help` lists them).
const args = parseCommand(COMMANDS.screenshots);
const root = resolve(import.meta.dirname, '..');
const site = args.site ? resolve(args.site) : join(root, 'dist/site');
const out = resolve(args.out);
const width = args.width;

if (!args['no-build'] && !args.site) {
  console.log('building the site (npm run build)…');
  const built = spawnSync(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
  if (built.status !== 0) fail('the site build failed');
}
if (!existsSync(join(site, 'index.html'))) fail(`${site} has no built site: run without --no-build`);

const chapters = readdirSync(join(site, 'chapters'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
const pages = [{ name: 'index', path: '/' }, ...chapters.map((slug) => ({ name: slug, path: `/chapters/${slug}/` })), { name: '404', path: '/404.html' }];
const only = args.only;
const chosen = only ? pages.filter((page) => only.some((word) => page.name.includes(word))) : pages;
if (chosen.length === 0) fail(`--only ${args.only} matches no page (pages: ${pages.map((page) => page.name).join(', ')})`);

const views = [
  { name: 'light', width, theme: 'light' },
  { name: 'dark', width, theme: 'dark' },
  { name: 'phone', width: 375, theme: 'light' },
  { name: 'phone-dark', width: 375, theme: 'dark' },
] as const;

mkdirSync(out, { recursive: true });
const server = await serveDirectory(site);
const browser = await launchChromium();
try {
  for (const view of views) {
    const context = await browser.newContext({ viewport: { width: view.width, height: 900 }, colorScheme: view.theme, deviceScaleFactor: 1 });
    const page = await context.newPage();
    for (const { name, path } of chosen) {
      await page.goto(server.url + path, { waitUntil: 'networkidle' });
      await page.evaluate(() => document.fonts.ready);
      const file = join(out, `${name}.${view.name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
      console.log(`${file}${sideways ? '  (scrolls sideways!)' : ''}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`${chosen.length * views.length} screenshots in ${out}`);
