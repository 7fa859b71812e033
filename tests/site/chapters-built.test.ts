// Every chapter's built page shows exactly the outputs its cells produce when the tests run
// them: the build and the tests share one runtime, and this proves they also agree on the
// result, cell by cell, for every chapter in chapters/ (timed cells: everything but the numbers).
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderOutputs, type HNode } from '../../site/notebook/render.ts';
import { withoutNumbers } from '../../site/notebook/chapter.ts';
import { runChapterFile } from '../support/chapters.ts';
import { site } from '../support/built-site.ts';

const root = resolve(import.meta.dirname, '../..');
const files = readdirSync(join(root, 'chapters')).filter((file) => file.endsWith('.mdx')).sort();

/** The text of a rendered tree, as a browser's textContent would give it. */
function text(node: HNode): string {
  return node.type === 'text' ? node.value : node.children.map(text).join('');
}

/** The text of each cell's output in a built page. */
function builtOutputs(html: string): string[] {
  const decode = (s: string): string =>
    s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
  return [...html.matchAll(/<div class="cell-output"[^>]*>([\s\S]*?)<\/div><\/section>/g)].map((match) => decode(match[1].replace(/<[^>]+>/g, '')));
}

describe('the built chapter pages', () => {
  it('include every chapter in chapters/', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readdirSync(join(site, 'chapters'))).toContain(file.replace(/\.mdx$/, ''));
  });

  it.each(files)('%s shows the outputs its cells produce in the tests', async (file) => {
    const chapter = await runChapterFile(file);
    const html = readFileSync(join(site, 'chapters', file.replace(/\.mdx$/, ''), 'index.html'), 'utf8');
    const built = builtOutputs(html);
    expect(built).toHaveLength(chapter.cells.length);
    // A timed cell's numbers are the build machine's measurements, so only its words must match.
    const comparable = (texts: string[]): string[] => texts.map((output, i) => (chapter.cells[i].timed ? withoutNumbers(output) : output));
    expect(comparable(built)).toEqual(comparable(chapter.results.map((result) => renderOutputs(result.outputs).map(text).join(''))));
  }, 60_000);
});
