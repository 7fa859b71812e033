// Astro config for the Scratchnet site: pages live in site/, chapters in chapters/ (MDX),
// the build goes to dist/site so it never collides with the library's dist/lib.
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

const fromRoot = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  srcDir: './site',
  outDir: './dist/site',
  publicDir: './site/public',
  server: { host: 'localhost' },
  // datasets() copies MNIST (and Fashion-MNIST when installed) into the build for the last chapter.
  integrations: [mdx(), datasets()],
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
      rehypePlugins: [rehypeKatex],
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
  },
});
