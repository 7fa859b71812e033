// An Astro integration that builds the site's full-text search with Pagefind after every
// production build: it indexes the pages that mark their content with data-pagefind-body (the
// chapters' prose, headings and code, not the navigation) and writes pagefind/ into the site, so the
// header's search (site/utils/search.ts) loads its index and WebAssembly from the site itself.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pagefind from 'pagefind';

/**
 * What the index leaves out inside a page's content, besides data-pagefind-ignore: KaTeX's visual
 * copy of each formula (its MathML would index as loose symbols, so both go), the cells' toolbars
 * and outputs (timings and printed numbers), and the figures.
 */
export const EXCLUDED = ['.katex-html', '.katex-mathml', '.cell-toolbar', '.cell-output', 'figure svg'];

/** Pagefind writes every UI it ships; the site uses only pagefind.js and its worker, so these go. */
const UNUSED = ['pagefind-ui.js', 'pagefind-ui.css', 'pagefind-modular-ui.js', 'pagefind-modular-ui.css', 'pagefind-component-ui.js', 'pagefind-component-ui.css', 'pagefind-highlight.js'];

/** Indexes the built site in `outDir` and writes `outDir/pagefind/`; returns how many pages it read and how many it indexed. */
export async function buildSearchIndex(outDir: string): Promise<{ read: number; indexed: number }> {
  try {
    const { index, errors } = await pagefind.createIndex({ excludeSelectors: EXCLUDED, forceLanguage: 'en' });
    if (!index) throw new Error(`search: Pagefind could not start: ${errors.join('; ')}`);
    const added = await index.addDirectory({ path: outDir });
    if (added.errors.length > 0) throw new Error(`search: indexing ${outDir} failed: ${added.errors.join('; ')}`);
    const outputPath = join(outDir, 'pagefind');
    const written = await index.writeFiles({ outputPath });
    if (written.errors.length > 0) throw new Error(`search: writing ${outputPath} failed: ${written.errors.join('; ')}`);
    await Promise.all(UNUSED.map((file) => rm(join(outputPath, file), { force: true })));
    // Pagefind reads every page but indexes only those with data-pagefind-body: one fragment each.
    const indexed = (await readdir(join(outputPath, 'fragment'))).length;
    if (indexed === 0) throw new Error(`search: no page in ${outDir} has data-pagefind-body, so the index is empty`);
    return { read: added.page_count, indexed };
  } finally {
    // Pagefind runs as a child process; without this the build would not exit.
    await pagefind.close();
  }
}

/** The integration: builds the search index after every production build. */
export default function search() {
  return {
    name: 'scratchnet-search',
    hooks: {
      'astro:build:done': async ({ dir, logger }: { dir: URL; logger: { info(message: string): void } }) => {
        const started = performance.now();
        const { read, indexed } = await buildSearchIndex(fileURLToPath(dir));
        logger.info(`indexed ${indexed} of ${read} pages into pagefind/ in ${Math.round(performance.now() - started)} ms`);
      },
    },
  };
}
