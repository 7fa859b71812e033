// The checks every chapter test makes, declared once: every cell runs (and the cells marked
// `throws` do fail), every number the prose states is printed by a cell or asserted by the test,
// and the exercises fail as written and pass with the worked solutions the page shows. Also finders
// that pick a cell by what its source contains, never by position, so adding a cell breaks no test.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import remarkMath from 'remark-math';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { Code, Node, Parent, Root } from 'mdast';
import { findCells, isCell, readFrontmatter } from '../../site/notebook/chapter.ts';
import type { Figure, Output } from '../../site/notebook/outputs.ts';
import { cellWith, lines, proseNumbers, type RanChapter, runChapterFile, throwingCells } from './chapters.ts';

/** Picks one cell: a text its source contains (see cellWith), or a pattern its source matches. */
export type Marker = string | RegExp;

/** The index of the only cell whose source contains (or matches) `marker`; throws unless exactly one does. */
export function findCell(chapter: RanChapter, marker: Marker): number {
  if (typeof marker === 'string') return cellWith(chapter, marker);
  const found = chapter.cells.flatMap((cell, i) => (marker.test(cell.source) ? [i] : []));
  if (found.length !== 1) throw new Error(`expected one cell matching ${marker}, found ${found.length}`);
  return found[0];
}

/** The outputs of the cell `marker` picks, as text, one output per line. */
export function textOf(chapter: RanChapter, marker: Marker): string {
  return chapter.text(findCell(chapter, marker));
}

/** The lines of the cell `marker` picks, trimmed, with runs of spaces collapsed to one (see lines). */
export function linesOf(chapter: RanChapter, marker: Marker): string[] {
  return lines(chapter, findCell(chapter, marker));
}

/** The outputs of the cell `marker` picks. */
export function outputsOf(chapter: RanChapter, marker: Marker): Output[] {
  const result = chapter.results[findCell(chapter, marker)];
  if (!result) throw new Error(`the cell picked by ${String(marker)} did not run: an earlier cell failed`);
  return result.outputs;
}

/** The figures of one type that the cell `marker` picks drew, in order. */
export function figuresOf<T extends Figure['type']>(chapter: RanChapter, marker: Marker, type: T): Array<Extract<Figure, { type: T }>> {
  return outputsOf(chapter, marker).flatMap((output) =>
    output.kind === 'figure' && output.figure.type === type ? [output.figure as Extract<Figure, { type: T }>] : [],
  );
}

/** The first figure of one type that the cell `marker` picks drew; throws if it drew none. */
export function figureOf<T extends Figure['type']>(chapter: RanChapter, marker: Marker, type: T): Extract<Figure, { type: T }> {
  const [figure] = figuresOf(chapter, marker, type);
  if (!figure) throw new Error(`the cell picked by ${String(marker)} drew no ${type} figure`);
  return figure;
}

/** The numbers of every matrix the cell `marker` picks showed, one flat list per matrix. */
export function matricesOf(chapter: RanChapter, marker: Marker): number[][] {
  return outputsOf(chapter, marker).flatMap((output) => (output.kind === 'matrix' ? [output.rows.flat().map(Number)] : []));
}

/** True when `text` shows `number` whole, not as part of a longer number: 0.5 is not in -0.5, 0.55, 10.5 or 0.5e-3. */
export function showsNumber(text: string, number: string): boolean {
  const escaped = number.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\d.-])${escaped}(?!\\d|\\.\\d|e[-+]?\\d)`).test(text);
}

const root = resolve(import.meta.dirname, '../..');

/** A <Hint>, <Solution> or other component in a chapter's MDX, as remark-mdx parses it. */
interface JsxElement extends Parent {
  type: 'mdxJsxFlowElement';
  name: string | null;
}

/** One exercise as its page shows it: the cell the reader edits, and the worked solution below it. */
export interface ChapterExercise {
  /** The exercise cell's index among the chapter's cells, as RanChapter counts them. */
  cell: number;
  /** The line of the chapter file its fence opens on. */
  line: number;
  /** The cell's fence as the chapter file spells it, from ``` to ```. */
  fence: string;
  /** The cell's code as written. */
  source: string;
  /** The code of its <Solution>'s ```ts block: the whole cell, solved. */
  solution: string;
}

/** A chapter's exercises, and what is wrong with the hints and solutions around them (nothing, if all is well). */
export interface ChapterExercises {
  exercises: ChapterExercise[];
  problems: string[];
}

function isElement(node: Node | undefined, name?: string): node is JsxElement {
  return node?.type === 'mdxJsxFlowElement' && (name === undefined || (node as JsxElement).name === name);
}

/** True for the components that go with an exercise. */
function isAid(node: Node | undefined): node is JsxElement {
  return isElement(node, 'Hint') || isElement(node, 'Solution');
}

/** The plain text of a node and its children, e.g. a heading's title. */
function plainText(node: Node): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  return 'children' in node ? (node as Parent).children.map(plainText).join('') : '';
}

/** What is wrong with one exercise's hint or solution, if anything: `where` names the exercise. */
function aidProblems(aid: JsxElement, where: string, source: string): string[] {
  const code = aid.children.filter((child): child is Code => child.type === 'code');
  const prose = aid.children.filter((child) => child.type !== 'code' && plainText(child).trim() !== '');
  if (aid.name === 'Hint') {
    if (code.length > 0) return [`the <Hint> of ${where} shows a code block: a hint nudges, the solution shows the code`];
    return prose.length === 0 ? [`the <Hint> of ${where} says nothing`] : [];
  }
  const problems: string[] = [];
  if (code.length !== 1 || code[0].lang !== 'ts' || isCell(code[0])) problems.push(`the <Solution> of ${where} must hold exactly one \`\`\`ts block (not a cell), found ${code.length} code blocks`);
  else if (code[0].value.trim() === source.trim()) problems.push(`the <Solution> of ${where} shows the cell unchanged`);
  if (prose.length === 0) problems.push(`the <Solution> of ${where} does not say why it works`);
  return problems;
}

/**
 * Reads a chapter's exercises from its MDX: every cell under `## Exercises` that calls check(...)
 * must be followed right away by one <Hint> and then one <Solution> whose ```ts block is the
 * whole cell, solved, and every <Hint> and <Solution> must follow such a cell.
 */
export function readExercises(mdx: string): ChapterExercises {
  const { body, lines } = readFrontmatter(mdx);
  const before = mdx.length - body.length;
  const tree = unified().use(remarkParse).use(remarkMath).use(remarkMdx).parse(body) as Root;
  const inExercises = new Set<Node>();
  let section = '';
  for (const node of tree.children) {
    if (node.type === 'heading' && node.depth <= 2) section = plainText(node).trim();
    else if (section === 'Exercises') inExercises.add(node);
  }
  const problems: string[] = [];
  const placed = new Set<Node>();
  const exercises = findCells(tree, lines).flatMap(({ cell, node, parent, position }): ChapterExercise[] => {
    if (!inExercises.has(node) || !node.value.includes('check(')) return [];
    const where = `the exercise cell at line ${cell.line}`;
    const aids: JsxElement[] = [];
    for (let next = position + 1; isAid(parent.children[next]); next++) aids.push(parent.children[next] as JsxElement);
    aids.forEach((aid) => placed.add(aid));
    const names = aids.map((aid) => `<${aid.name}>`).join(', ') || 'nothing';
    if (names !== '<Hint>, <Solution>') problems.push(`${where} is followed by ${names}: it needs one <Hint>, then one <Solution>, right after it`);
    problems.push(...aids.flatMap((aid) => aidProblems(aid, where, node.value)));
    const code = aids.find((aid) => aid.name === 'Solution')?.children.find((child): child is Code => child.type === 'code');
    const fence = mdx.slice(before + node.position!.start.offset!, before + node.position!.end.offset!);
    return [{ cell: cell.index, line: cell.line, fence, source: node.value, solution: code?.value ?? '' }];
  });
  visit(tree, (node: Node) => {
    if (isAid(node) && !placed.has(node)) problems.push(`the <${node.name}> at line ${(node.position?.start.line ?? 0) + lines} does not follow an exercise cell under ## Exercises`);
  });
  return { exercises, problems };
}

/** Edits for runChapterFile that replace every exercise cell's code with its worked solution; throws if the page's layout is wrong. */
export function solutionEdits(mdx: string): Array<[string, string]> {
  const { exercises, problems } = readExercises(mdx);
  if (problems.length > 0) throw new Error(`the exercises' hints and solutions:\n${problems.join('\n')}`);
  return exercises.map(({ fence, source, solution, line }): [string, string] => {
    if (mdx.split(fence).length !== 2) throw new Error(`the exercise cell at line ${line} appears more than once in the chapter`);
    // String.replace reads $ in its replacement as a pattern ($&, $1…); $$ stands for one $.
    return [fence, fence.replace(source, () => solution).replaceAll('$', '$$$$')];
  });
}

/** The chapter's MDX with every exercise cell's code replaced by its worked solution. */
export function withSolutions(mdx: string): string {
  return solutionEdits(mdx).reduce((text, [from, to]) => text.replace(from, to), mdx);
}

/** What a chapter test declares for the shared checks. */
export interface ChapterCheckOptions {
  /** The chapter's file in chapters/, e.g. '01-a-single-neuron.mdx', re-run with the exercises solved. */
  file: string;
  /**
   * The message of each exercise's check(...), in the chapter's order, e.g. 'the neuron outputs 0':
   * ✗ as written, ✓ once every exercise cell is replaced by its <Solution> (see readExercises).
   */
  exercises: string[];
  /** A marker for each cell whose fence is marked `throws`: those must fail, and no other cell may. */
  throwing?: Marker[];
  /** Numbers the prose states (as proseNumbers writes them) that no cell prints and the test asserts itself. */
  checkedElsewhere?: string[];
  /** Only for a chapter whose prose states no numbers at all: without it, finding none fails. */
  noProseNumbers?: boolean;
}

/** The checks a chapter test gets from chapterChecks, for its own extra tests. */
export interface ChapterChecks {
  /** The chapter run again with every exercise cell replaced by its worked solution (run once, then shared). */
  solved(): Promise<RanChapter>;
}

/** One check(...) a cell made, and which cell made it. */
interface CheckMade {
  cell: number;
  passed: boolean;
  message: string;
}

/** Every check(...) the cells that ran made, in order. */
function checksMade(chapter: RanChapter): CheckMade[] {
  return chapter.results.flatMap((result, cell) =>
    result.outputs.flatMap((output) => (output.kind === 'check' ? [{ cell, passed: output.passed, message: output.message }] : [])),
  );
}

/** Where a cell is, for failure messages: the line its fence opens on. */
function where(chapter: RanChapter, cell: number): string {
  return `the cell at line ${chapter.cells[cell].line}`;
}

/** Asserts that exactly the cells `throwing` picks failed, and that they are the cells marked `throws`. */
function expectOnlyThrowingCellsFail(chapter: RanChapter, throwing: Marker[]): void {
  const expected = throwing.map((marker) => findCell(chapter, marker)).sort((a, b) => a - b);
  expect(throwingCells(chapter), 'the cells marked throws').toEqual(expected);
  // A cell without a result did not run: the run stops after a cell that fails unexpectedly.
  const wrong = chapter.cells.flatMap((_, i) => {
    const result = chapter.results[i];
    if (!result) return [`${where(chapter, i)} did not run`];
    return result.failed === expected.includes(i) ? [] : [`${where(chapter, i)} ${result.failed ? 'failed' : 'did not fail'}: ${chapter.text(i)}`];
  });
  expect(wrong, 'cells that did not do what their fence says').toEqual([]);
}

/**
 * Declares, inside a chapter's describe, the tests every chapter test shares: every cell runs
 * (the ones marked `throws` fail), the prose states only checked numbers, and the exercises are
 * unsolved as written and solved by the worked solutions on the page. `chapter` returns the
 * chapter its beforeAll ran.
 */
export function chapterChecks(chapter: () => RanChapter, options: ChapterCheckOptions): ChapterChecks {
  const { file, exercises, throwing = [], checkedElsewhere = [], noProseNumbers = false } = options;
  if (exercises.length === 0) throw new Error(`chapterChecks(${file}): list the exercises' messages`);
  if (noProseNumbers && checkedElsewhere.length > 0) throw new Error(`chapterChecks(${file}): noProseNumbers, yet numbers checked elsewhere`);
  const mdx = (): string => readFileSync(join(root, 'chapters', file), 'utf8');
  let solvedRun: Promise<RanChapter> | undefined;
  const solved = (): Promise<RanChapter> => (solvedRun ??= Promise.resolve().then(() => runChapterFile(file, solutionEdits(mdx()))));

  it(throwing.length === 0 ? 'runs every cell without an error' : 'runs every cell without an error, except the ones marked throws, which fail', () => {
    expectOnlyThrowingCellsFail(chapter(), throwing);
  });

  if (noProseNumbers) {
    it('states no numbers in its prose', () => {
      expect(proseNumbers(chapter().body)).toEqual([]);
    });
  } else {
    it('states only numbers that a cell prints or this test checks', () => {
      const ran = chapter();
      const numbers = proseNumbers(ran.body);
      expect(numbers.length, 'numbers found in the prose (if it really has none, say noProseNumbers)').toBeGreaterThan(0);
      // A timed cell's numbers change from run to run, so they cannot back a sentence.
      const printed = ran.results.flatMap((_, i) => (ran.cells[i].timed ? [] : [ran.text(i)])).join('\n');
      expect(numbers.filter((n) => !showsNumber(printed, n) && !checkedElsewhere.includes(n)), 'numbers neither printed nor checked').toEqual([]);
      expect(checkedElsewhere.filter((n) => !numbers.includes(n)), 'numbers listed as checked that the prose does not state').toEqual([]);
    });
  }

  it('leaves the exercises unsolved as written', () => {
    const ran = chapter();
    const checks = checksMade(ran);
    expect(checks.filter((check) => !check.passed).map((check) => check.message), 'the checks that fail').toEqual(exercises);
    // An exercise's cell shows nothing but ✗ until it is solved.
    const exerciseCells = new Set(checks.filter((check) => exercises.includes(check.message)).map((check) => check.cell));
    const passing = checks.filter((check) => exerciseCells.has(check.cell) && check.passed).map((check) => `${where(ran, check.cell)}: ✓ ${check.message}`);
    expect(passing, 'checks that pass in an exercise cell as written').toEqual([]);
    // The cells that fail are the ones the page gives a hint and a worked solution.
    expect([...exerciseCells].map((cell) => where(ran, cell)), 'the cells whose checks fail').toEqual(readExercises(ran.mdx).exercises.map(({ cell }) => where(ran, cell)));
  });

  it('is solved by the worked solution its page shows for each exercise', async () => {
    const ran = await solved();
    expectOnlyThrowingCellsFail(ran, throwing);
    const checks = checksMade(ran);
    expect(checks.filter((check) => !check.passed).map((check) => `${where(ran, check.cell)}: ✗ ${check.message}`), 'the checks that still fail').toEqual([]);
    expect(exercises.filter((message) => !checks.some((check) => check.message === message && check.passed)), 'exercises whose check does not show ✓').toEqual([]);
  });

  return { solved };
}
