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
import datasets from './site/integrations/datasets.ts';

const fromRoot = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  srcDir: './site',
  outDir: './dist/site',
  publicDir: './site/public',
  server: { host: 'localhost' },
  // datasets() copies MNIST (and Fashion-MNIST when installed) into the build for the last chapter.
  integrations: [mdx(), datasets()],
  markdown: {
    // Astro 7's default processor (satteri) runs no remark/rehype plugins, so pick unified;
    // @astrojs/mdx reuses markdown.processor, so .mdx chapters get the same math pipeline.
    processor: unified({
      // remarkCells runs every ```ts cell block at build time and writes its output into the page.
      remarkPlugins: [remarkMath, remarkCells],
      // KaTeX renders at build time: the page ships HTML + MathML and the local KaTeX CSS, no JS.
      rehypePlugins: [rehypeKatex],
    }),
    syntaxHighlight: 'shiki',
    shikiConfig: {
      // Light colours are inline; the dark theme rides along as --shiki-dark / --shiki-dark-bg
      // variables on each token, so dark mode can later switch with CSS alone, no rebuild.
      themes: { light: 'github-light', dark: 'github-dark' },
      defaultColor: 'light',
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
