// Reads a chapter's MDX the way the site build does (remark with math and MDX): its frontmatter,
// and its cells (fenced ```ts cell blocks) with their flags. The build plugin, the tests and
// scripts/run-cells.ts all read chapters here, so they see exactly the cells the page shows.
import { load } from 'js-yaml';
import remarkMath from 'remark-math';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { Code, Parent, Root } from 'mdast';
import { outputText } from './outputs.ts';
import { NotebookSession, runCells, type CellsRun, type RunnableCell, type UnexpectedResult } from './runtime.ts';
import type { DatasetSource } from './datasets.ts';
import { nodeDatasetSource } from './datasets-node.ts';

/** One cell: its place, source and `throws` flag, the MDX line its fence opens on, and whether it prints timings. */
export interface Cell extends RunnableCell {
  line: number;
  /** Marked `ts cell timed`: its numbers depend on the machine, so only its words are compared. */
  timed: boolean;
}

/** The frontmatter fields the notebook uses, and what follows the frontmatter. */
export interface Frontmatter {
  title: string;
  seed: number;
  /** The MDX without its frontmatter. */
  body: string;
  /** How many lines the frontmatter took, so lines in `body` can be turned into lines of the file. */
  lines: number;
}

/** A chapter's frontmatter fields that the notebook uses, and its cells. */
export interface ChapterCells {
  title: string;
  seed: number;
  cells: Cell[];
  /** The MDX without its frontmatter. */
  body: string;
}

/** A cell's fence in a parsed tree, with its parent and position there, so the build can replace it. */
export interface CellNode {
  cell: Cell;
  node: Code;
  parent: Parent;
  position: number;
}

/** True when a fence's meta holds `word` as a whole word. */
function hasFlag(node: Code, word: string): boolean {
  return new RegExp(`(^|\\s)${word}(\\s|$)`).test(node.meta ?? '');
}

/** True for a fenced block that is a live cell: language ts (or typescript) with `cell` in its meta. */
export function isCell(node: Code): boolean {
  return (node.lang === 'ts' || node.lang === 'typescript') && hasFlag(node, 'cell');
}

/** True for a cell marked `timed`: it measures speed, so its numbers differ from run to run. */
export function isTimed(node: Code): boolean {
  return hasFlag(node, 'timed');
}

/** True for a cell marked `throws`: its error is part of the lesson. */
export function isThrows(node: Code): boolean {
  return hasFlag(node, 'throws');
}

/** A timed cell's output with every number replaced by #, for comparing runs on different machines. */
export function withoutNumbers(text: string): string {
  return text.replace(/\d+(?:[.,]\d+)*/g, '#');
}

/** Splits off the YAML frontmatter (between `---` lines at the top) and reads its title and seed. */
export function readFrontmatter(mdx: string): Frontmatter {
  const match = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/.exec(mdx);
  const fields = (match?.[1].trim() ? load(match[1]) : null) as { title?: unknown; seed?: unknown } | null;
  return {
    title: typeof fields?.title === 'string' ? fields.title : '',
    seed: typeof fields?.seed === 'number' ? fields.seed : 0,
    body: match ? mdx.slice(match[0].length) : mdx,
    lines: match ? match[0].split('\n').length - 1 : 0,
  };
}

/** The cells of a parsed chapter, in order; `lineOffset` counts lines cut off above the tree (the frontmatter). */
export function findCells(tree: Root, lineOffset = 0): CellNode[] {
  const found: CellNode[] = [];
  visit(tree, 'code', (node: Code, position, parent) => {
    if (!isCell(node) || !parent || position === undefined) return;
    const line = (node.position?.start.line ?? 0) + lineOffset;
    found.push({ cell: { index: found.length, source: node.value, line, throws: isThrows(node), timed: isTimed(node) }, node, parent, position });
  });
  return found;
}

/** Splits off the YAML frontmatter and finds the cells, in order. */
export function readChapter(mdx: string): ChapterCells {
  const { title, seed, body, lines } = readFrontmatter(mdx);
  const tree = unified().use(remarkParse).use(remarkMath).use(remarkMdx).parse(body) as Root;
  return { title, seed, cells: findCells(tree, lines).map(({ cell }) => cell), body };
}

/** Runs a chapter's cells with runCells, in one fresh session seeded with the chapter's seed, reading datasets from the installed files. */
export async function runChapter(chapter: ChapterCells, options: { datasets?: DatasetSource; session?: NotebookSession } = {}): Promise<CellsRun<Cell>> {
  return runCells(options.session ?? chapterSession(chapter, options), chapter.cells);
}

/** A fresh session for a chapter: seeded with its seed, reading datasets from the installed files. */
export function chapterSession(chapter: { seed: number }, options: { datasets?: DatasetSource } = {}): NotebookSession {
  return new NotebookSession({ seed: chapter.seed, datasets: options.datasets ?? nodeDatasetSource() });
}

/** What went wrong, naming the file, the cell and its line: the message the build fails with. */
export function unexpectedMessage(file: string, { cell, result }: UnexpectedResult<Cell>): string {
  const where = `${file}: cell ${cell.index + 1} (line ${cell.line || '?'})`;
  if (!result.failed) return `${where} is marked "throws" but ran without an error`;
  const last = result.outputs[result.outputs.length - 1];
  return `${where} failed: ${last ? outputText(last) : 'unknown error'}`;
}
