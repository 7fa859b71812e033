// Helpers for chapter tests: run a chapter's cells the way the page does, read each cell's
// output as text, and list the numbers its prose states, so a test can prove every one of them
// comes from a cell or is asserted, and text and code cannot drift apart.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chapterSession, readChapter, runChapter, unexpectedMessage, type Cell, type ChapterCells } from '../../site/notebook/chapter.ts';
import { runCells, type CellResult, type CellsRun } from '../../site/notebook/runtime.ts';
import { cellNames } from '../../site/notebook/dependencies.ts';
import { cellsToRerun } from '../../site/notebook/rerun.ts';
import type { InputValue } from '../../site/notebook/inputs.ts';
import { outputText } from '../../site/notebook/outputs.ts';
import { excerpt } from '../../site/notebook/excerpt.ts';

const root = resolve(import.meta.dirname, '../..');

/**
 * A chapter after running its cells as the build and the page do (runCells): `results` has one
 * entry per cell that ran, so after a cell that failed unexpectedly it stops at that cell, and
 * `unexpected` says what went wrong.
 */
export interface RanChapter extends ChapterCells, CellsRun<Cell> {
  mdx: string;
  /** Cell i's outputs (0-based) as text, one output per line; throws, naming the failed cell, for a cell that did not run. */
  text(index: number): string;
  /** Every cell's outputs as text, joined. */
  allText: string;
  /**
   * Sets the inputs of the cell containing `marker` (by label; the others keep their values) and
   * re-runs what the page would: that cell and the later cells that depend on it, in the same
   * session. Resolves to the re-run cells' results by index.
   */
  setInputs(marker: string, values: Record<string, InputValue>): Promise<Map<number, CellResult>>;
}

/** What a re-run gave: each re-run cell's result, by cell index. */
export function rerunText(results: Map<number, CellResult>, index: number): string {
  const result = results.get(index);
  if (!result) throw new Error(`cell ${index + 1} was not re-run (re-run: ${[...results.keys()].map((i) => i + 1).join(', ') || 'none'})`);
  return result.outputs.map(outputText).join('\n');
}

/** The lines of cell `index`'s text, trimmed, with runs of spaces collapsed to one. */
export function lines(chapter: RanChapter, index: number): string[] {
  return chapter.text(index).split('\n').map((line) => line.trim().replace(/\s+/g, ' '));
}

/** The index of the (only) cell whose source contains `marker`. */
export function cellWith(chapter: RanChapter, marker: string): number {
  const found = chapter.cells.flatMap((cell, i) => (cell.source.includes(marker) ? [i] : []));
  if (found.length !== 1) throw new Error(`expected one cell containing ${JSON.stringify(marker)}, found ${found.length}`);
  return found[0];
}

/** Reads chapters/<file> and runs its cells in a fresh session with the chapter's seed. */
export async function runChapterFile(file: string, replace: Array<[string, string]> = []): Promise<RanChapter> {
  let mdx = readFileSync(join(root, 'chapters', file), 'utf8');
  for (const [from, to] of replace) {
    if (!mdx.includes(from)) throw new Error(`runChapterFile: ${file} does not contain ${JSON.stringify(from)}`);
    mdx = mdx.replace(from, to);
  }
  const chapter = readChapter(mdx);
  const session = chapterSession(chapter);
  const run = await runChapter(chapter, { session });
  const text = (index: number): string => {
    const result = run.results[index];
    if (!result) throw new Error(notRun(`chapters/${file}`, chapter, run, index));
    return result.outputs.map(outputText).join('\n');
  };
  const names = chapter.cells.map((cell) => cellNames(cell.source));
  const setInputs = async (marker: string, values: Record<string, InputValue>): Promise<Map<number, CellResult>> => {
    const found = chapter.cells.filter((cell) => cell.source.includes(marker));
    if (found.length !== 1) throw new Error(`setInputs: expected one cell containing ${JSON.stringify(marker)}, found ${found.length}`);
    const index = found[0].index;
    session.inputValues.set(index, { ...session.inputValues.get(index), ...values });
    const indices = cellsToRerun(names, [index], chapter.cells.map(() => true));
    const rerun = await runCells(session, indices.map((i) => chapter.cells[i]));
    if (rerun.unexpected.length > 0) throw new Error(unexpectedMessage(`chapters/${file}`, rerun.unexpected[0]));
    return new Map(rerun.results.map((result, k) => [indices[k], result]));
  };
  return { ...chapter, ...run, mdx, text, allText: run.results.map((_, i) => text(i)).join('\n'), setInputs };
}

/** Why cell `index` has no result: the chapter has no such cell, or the run stopped at an earlier failure. */
function notRun(file: string, chapter: ChapterCells, run: CellsRun<Cell>, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= chapter.cells.length) return `${file} has ${chapter.cells.length} cells, no cell at index ${index}`;
  const failure = run.unexpected[run.unexpected.length - 1];
  return `${unexpectedMessage(file, failure)}, so cell ${index + 1} did not run`;
}

/** The chapter's prose: the MDX without frontmatter, code, math, imports/exports and JSX tags. */
export function prose(body: string): string {
  return body
    .replace(/^```[\s\S]*?^```/gm, ' ')
    .replace(/\$\$[\s\S]*?\$\$/g, ' ')
    .replace(/\$[^$\n]+\$/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/^(import|export) .*$/gm, ' ')
    .replace(/\{\/\*[\s\S]*?\*\/\}/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\]\([^)]*\)/g, ']');
}

/** Numbers with a decimal point or a percent sign that the prose states, e.g. "4.8" or "92%". */
export function proseNumbers(body: string): string[] {
  return [...prose(body).matchAll(/(?<![\w.])−?-?\d+(?:,\d{3})*(?:\.\d+)?%|(?<![\w.])−?-?\d+\.\d+(?![\w.]*\d)/g)].map((m) => m[0].replace('−', '-'));
}

/** Every number a text shows, as written (e.g. "-1.5", "4.800000000000001", "2e-9"). */
export function printedNumbers(text: string): Set<string> {
  return new Set(text.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g) ?? []);
}

/** The indexes of the cells whose fence is marked `throws`. */
export function throwingCells(chapter: RanChapter): number[] {
  return chapter.cells.flatMap((cell, i) => (cell.throws ? [i] : []));
}

/** A chapter's MDX without its frontmatter, for checking prose in chapters that have no cells. */
export function readChapterBody(file: string): string {
  return readChapter(readFileSync(join(root, 'chapters', file), 'utf8')).body;
}

/** One <Source> quote in a chapter: the file it names, the file it imports, and the lines it shows. */
export interface Quote {
  file: string;
  imported: string;
  text: string;
}

/** Every <Source code={name} from="…" to="…" … file="…" /> in a chapter body, cut from the file its `?raw` import reads. */
export function quotes(body: string): Quote[] {
  const imports = new Map([...body.matchAll(/^import (\w+) from '\.\.\/(.+?)\?raw';$/gm)].map((m) => [m[1], m[2]]));
  return [...body.matchAll(/<Source ([^>]*)\/>/g)].map((match) => {
    const attribute = (name: string): string | undefined => new RegExp(`${name}=(?:"([^"]*)"|\\{([^}]*)\\})`).exec(match[1])?.slice(1).find((v) => v !== undefined);
    const imported = imports.get(attribute('code') ?? '');
    if (!imported) throw new Error(`quotes: <Source ${match[1]}/> uses a file the chapter does not import with ?raw`);
    const file = attribute('file')!;
    const { text } = excerpt(readFileSync(join(root, imported), 'utf8'), attribute('from')!, attribute('to')!, file, Number(attribute('after') ?? 0));
    return { file, imported, text };
  });
}
