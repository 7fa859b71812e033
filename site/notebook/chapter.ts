// Reads a chapter's MDX the way the site build does (remark with math and MDX) and finds its
// cells: fenced ```ts cell blocks. Tests and scripts use it to run a chapter outside the build,
// with the chapter's seed, so they see exactly the cells the page shows.
import { load } from 'js-yaml';
import remarkMath from 'remark-math';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { Code, Root } from 'mdast';
import { NotebookSession, type CellResult } from './runtime.ts';

/** One cell: its source, the line of the MDX file its fence opens on, and whether it prints timings. */
export interface Cell {
  source: string;
  line: number;
  /** Marked `ts cell timed`: its numbers depend on the machine, so only its words are compared. */
  timed: boolean;
}

/** A chapter's frontmatter fields that the notebook uses, and its cells. */
export interface ChapterCells {
  title: string;
  seed: number;
  cells: Cell[];
  /** The MDX without its frontmatter. */
  body: string;
}

/** True for a fenced block that is a live cell: language ts (or typescript) with `cell` in its meta. */
export function isCell(node: Code): boolean {
  return (node.lang === 'ts' || node.lang === 'typescript') && /(^|\s)cell(\s|$)/.test(node.meta ?? '');
}

/** True for a cell marked `timed`: it measures speed, so its numbers differ from run to run. */
export function isTimed(node: Code): boolean {
  return /(^|\s)timed(\s|$)/.test(node.meta ?? '');
}

/** A timed cell's output with every number replaced by #, for comparing runs on different machines. */
export function withoutNumbers(text: string): string {
  return text.replace(/\d+(?:[.,]\d+)*/g, '#');
}

/** Splits off the YAML frontmatter and finds the cells, in order. */
export function readChapter(mdx: string): ChapterCells {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(mdx);
  const frontmatter = (match ? load(match[1]) : {}) as { title?: string; seed?: number };
  const body = match ? mdx.slice(match[0].length) : mdx;
  const offset = match ? match[0].split('\n').length - 1 : 0;
  const tree = unified().use(remarkParse).use(remarkMath).use(remarkMdx).parse(body) as Root;
  const cells: Cell[] = [];
  visit(tree, 'code', (node: Code) => {
    if (isCell(node)) cells.push({ source: node.value, line: (node.position?.start.line ?? 0) + offset, timed: isTimed(node) });
  });
  return { title: frontmatter.title ?? '', seed: frontmatter.seed ?? 0, cells, body };
}

/** Runs every cell of a chapter in order in one fresh session seeded with the chapter's seed. */
export async function runChapter(mdx: string): Promise<CellResult[]> {
  const chapter = readChapter(mdx);
  const session = new NotebookSession({ seed: chapter.seed });
  const results: CellResult[] = [];
  for (const [index, cell] of chapter.cells.entries()) results.push(await session.run(cell.source, index));
  return results;
}
