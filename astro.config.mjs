// Astro config for the Scratchnet site: pages live in site/, chapters in chapters/ (MDX),
// the build goes to dist/site so it never collides with the library's package, built in dist/package.
// Math is remark-math + rehype-katex on the unified processor, which MDX inherits.
import { fileURLToPath } from 'node:url';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import { defineConfig } from 'astro/config';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';
import remarkCells from './site/notebook/remark-cells.ts';
import { codeThemes, untimedTokenizer } from './site/notebook/code-theme.ts';
import datasets from './site/integrations/datasets.ts';
import rehypeApiLinks from './site/integrations/rehype-api-links.ts';
import rehypeBase from './site/integrations/rehype-base.ts';
import search from './site/integrations/search.ts';

const fromRoot = (path) => fileURLToPath(new URL(path, import.meta.url));
// The path the site is served under: '/' unless SCRATCHNET_BASE names a sub-folder, e.g.
// SCRATCHNET_BASE=/scratchnet/ for https://user.github.io/scratchnet/ (README, Deploying the site).
// Pages and scripts read it as import.meta.env.BASE_URL (site/utils/base.ts).
const base = `/${(process.env.SCRATCHNET_BASE ?? '').replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');

export default defineConfig({
  base,
  srcDir: './site',
  outDir: './dist/site',
  publicDir: './site/public',
  server: { host: 'localhost' },
  // datasets() copies MNIST (and Fashion-MNIST when installed) into the build for the last chapter.
  // search() indexes the chapters with Pagefind into pagefind/, for the header's search box.
  integrations: [mdx(), datasets(), search()],
  // The site's promise, enforced: every page gets a Content-Security-Policy <meta> (works on any
  // static host) that allows nothing but the site itself. Astro adds the hashes of the scripts it
  // inlines; Base.astro adds its own inline script's hash, and 'unsafe-eval' on chapter pages only.
  // The cell and lab Workers start from blob: URLs, so they inherit this policy (blob-worker.ts).
  security: {
    csp: {
      directives: [
        "default-src 'self'",
        "connect-src 'self'", // fetch: the datasets and the shipped models, nothing elsewhere
        "img-src 'self' data:", // figures and the lab's images are PNG data: URLs
        "font-src 'self' data:", // Vite inlines the smallest font files as data: URLs
        "worker-src 'self' blob:", // the blob: URL each Worker starts from
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      scriptDirective: { resources: ["'self'"] },
      // KaTeX and Shiki colour with style attributes, and Astro inlines small stylesheets:
      // style-src needs 'unsafe-inline' (styles cannot run code, and connect-src and img-src
      // still hold them to this site). Astro's build warns that Shiki needs this; it has it.
      styleDirective: { resources: ["'self'", "'unsafe-inline'"] },
    },
  },
  markdown: {
    // Astro 7's default processor (satteri) runs no remark/rehype plugins, so pick unified;
    // @astrojs/mdx reuses markdown.processor, so .mdx chapters get the same math pipeline.
    processor: unified({
      // remarkCells runs every ```ts cell block at build time and writes its output into the page.
      remarkPlugins: [remarkMath, remarkCells],
      // KaTeX renders at build time: the page ships HTML + MathML and the local KaTeX CSS, no JS.
      // KaTeX's class names change between minor versions, so the CSS Base.astro loads must come
      // from the katex that renders: package.json keeps katex on the line rehype-katex depends on
      // (^0.16), npm installs that one copy, and tests/e2e/math.test.ts fails if they drift apart.
      // rehypeApiLinks links each chapter's first mention of a library name to the API reference;
      // rehypeBase then puts the base path in front of the Markdown's links from the site's root.
      rehypePlugins: [rehypeKatex, rehypeApiLinks, [rehypeBase, { base }]],
    }),
    syntaxHighlight: 'shiki',
    shikiConfig: {
      // Light colours are inline; the dark theme rides along as --shiki-dark / --shiki-dark-bg
      // variables on each token, so dark mode switches with CSS alone, no rebuild. The cell editor
      // uses the same colours (site/notebook/code-theme.ts names the themes for both); GitHub's
      // "default" themes keep every token at 4.5:1 or more, which github-light/-dark do not.
      themes: codeThemes,
      defaultColor: 'light',
      transformers: [untimedTokenizer],
    },
  },
  vite: {
    resolve: {
      // Pages import the library's TypeScript source, so the site shows what lib/ computes today.
      // The more specific subpath must come first.
      alias: [
        { find: /^scratchnet\/node$/, replacement: fromRoot('./lib/node.ts') },
        { find: /^scratchnet$/, replacement: fromRoot('./lib/index.ts') },
      ],
    },
    build: {
      rolldownOptions: {
        // Astro's own MDX output starts with the directive "use astro:head-inject", which Astro
        // reads before bundling; the bundler then warns once per chapter that it may drop it. That
        // warning is about Astro's code, not ours, so it alone is dropped; every other one shows.
        onwarn(warning, warn) {
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && String(warning.message).includes('use astro:head-inject')) return;
          warn(warning);
        },
      },
    },
  },
});
