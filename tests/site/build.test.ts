// End-to-end check of the site: inspects the HTML of the production build (dist/site, built once
// by the site project's global setup, or SCRATCHNET_SITE), then serves it with `astro preview`.
// It proves the chapter pipeline works: MDX, KaTeX, Shiki and values computed by scratchnet.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { site } from '../support/built-site.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = site;
const astroBin = join(root, 'node_modules/astro/bin/astro.mjs');
const chapterPath = '/chapters/01-a-single-neuron/';
const chapterFile = join(outDir, 'chapters/01-a-single-neuron/index.html');

/** Runs the Astro CLI with the Node running the tests, so it never picks up an older system Node. */
function astro(args: string[], options: { detached?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, [astroBin, ...args], {
    cwd: root,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so afterAll can stop the server and anything it spawned.
    detached: options.detached ?? false,
  });
}

/** Asks the OS for a port nobody is listening on. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** Polls until the server answers, or gives up with what it printed. */
async function waitForServer(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`astro preview exited early:\n${log()}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`astro preview did not answer at ${url}:\n${log()}`);
}

/** Every file under a folder, as absolute paths. */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** URLs a file makes the browser load or follow: attributes, CSS url()/@import, JS imports. */
function referencedUrls(text: string): string[] {
  const patterns = [
    /\b(?:src|href|srcset|action|poster|data|formaction)\s*=\s*["']?([^"'\s>]+)/gi,
    /url\(\s*["']?([^"')]+)/gi,
    /@import\s+["']([^"']+)/gi,
    /\bfrom\s*["']([^"']+)/g,
    /\bimport\s*\(\s*["']([^"']+)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]));
}

/** True for a URL on another host: absolute or protocol-relative, and not localhost. */
function isExternal(url: string): boolean {
  const match = /^(?:https?:)?\/\/([^/:?#]+)/i.exec(url.trim());
  return match !== null && !['localhost', '127.0.0.1', '[::1]'].includes(match[1].toLowerCase());
}

const read = (file: string): string => readFileSync(file, 'utf8');

describe('the production site', () => {
  let server: ChildProcess | undefined;
  let serverLog = '';
  let baseUrl = '';

  beforeAll(async () => {
    // The site was built once for all site tests by tests/support/build-site.ts.
    expect(existsSync(chapterFile), `${outDir} has no chapter 1: the global build did not run`).toBe(true);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = astro(['preview', '--port', String(port), '--host', '127.0.0.1', '--outDir', outDir], { detached: true });
    server.stdout?.on('data', (chunk) => (serverLog += chunk));
    server.stderr?.on('data', (chunk) => (serverLog += chunk));
    await waitForServer(`${baseUrl}/`, server, () => serverLog);
  });

  afterAll(async () => {
    if (!server?.pid || server.exitCode !== null) return;
    const exited = new Promise((done) => server?.once('exit', done));
    process.kill(-server.pid, 'SIGTERM'); // the minus sign targets the whole process group
    const timeout = setTimeout(() => server?.pid && process.kill(-server.pid, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timeout);
  });

  it('renders KaTeX math on the placeholder chapter, inline and display', () => {
    const html = read(chapterFile);
    expect(html).toContain('class="katex"');
    expect(html).toContain('class="katex-display"');
    // The display formula arrives as KaTeX output, not as raw dollar-sign source.
    expect(html).toMatch(/<annotation encoding="application\/x-tex">\\text\{output\} = \\sum_\{i\} x_i w_i \+ b<\/annotation>/);
    expect(html).not.toContain('$$');
  });

  it('highlights the TypeScript code block with Shiki at build time', () => {
    const html = read(chapterFile);
    expect(html).toMatch(/<pre class="astro-code[^"]*"[^>]*data-language="ts"/);
    // Coloured tokens with both the light colour and the dark-theme variable.
    expect(html).toMatch(/<span style="color:#[0-9A-Fa-f]{6};--shiki-dark:#[0-9A-Fa-f]{6}"> ?dot<\/span>/);
  });

  it('shows the neuron output 4.8 that scratchnet computed during the build', () => {
    const html = read(chapterFile);
    expect(html).toContain('<output data-testid="neuron-output">4.8</output>');
  });

  it('lists the chapter on the index page with a link to it', () => {
    const html = read(join(outDir, 'index.html'));
    expect(html).toMatch(new RegExp(`<a href="${chapterPath}"[^>]*>A single neuron</a>`));
  });

  it('emits the KaTeX stylesheet and every font it uses into dist/site', () => {
    const css = walk(outDir).filter((file) => file.endsWith('.css')).map((file) => [file, read(file)] as const);
    const katex = css.find(([, text]) => text.includes('.katex{'));
    expect(katex, 'no built CSS file contains the KaTeX rules').toBeDefined();
    const [cssFile, cssText] = katex!;
    const fonts = referencedUrls(cssText).filter((url) => /KaTeX_.*\.(woff2?|ttf)$/.test(url));
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      const onDisk = font.startsWith('/') ? join(outDir, font) : resolve(dirname(cssFile), font);
      expect(existsSync(onDisk), `${font} referenced by ${relative(outDir, cssFile)} is missing`).toBe(true);
    }
  });

  it('references no other host from any built HTML, CSS or JS file', () => {
    const files = walk(outDir).filter((file) => /\.(html|css|js|mjs)$/.test(file));
    expect(files.length).toBeGreaterThan(0);
    const external = files.flatMap((file) =>
      referencedUrls(read(file))
        .filter(isExternal)
        .map((url) => `${relative(outDir, file)}: ${url}`),
    );
    expect(external).toEqual([]);
  });

  it('serves the chapter page and the index over HTTP with astro preview', async () => {
    const chapter = await fetch(`${baseUrl}${chapterPath}`);
    expect(chapter.status).toBe(200);
    expect(chapter.headers.get('content-type')).toMatch(/text\/html/);
    const chapterHtml = await chapter.text();
    expect(chapterHtml).toContain('<output data-testid="neuron-output">4.8</output>');
    expect(chapterHtml).toContain('class="katex"');

    const index = await fetch(`${baseUrl}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain(`href="${chapterPath}"`);
  });

  it('serves the KaTeX fonts from the site itself', async () => {
    const html = await (await fetch(`${baseUrl}${chapterPath}`)).text();
    const stylesheets = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => new URL(m[1], baseUrl));
    // Resolve each font against the stylesheet that names it, as the browser does.
    const fonts = await Promise.all(
      stylesheets.map(async (sheet) => referencedUrls(await (await fetch(sheet)).text()).map((url) => new URL(url, sheet))),
    );
    const font = fonts.flat().find((url) => /KaTeX_Main-Regular.*\.woff2$/.test(url.pathname));
    expect(font, 'the page links no stylesheet with the KaTeX fonts').toBeDefined();
    expect(font!.origin).toBe(baseUrl);
    const response = await fetch(font!);
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });
});
