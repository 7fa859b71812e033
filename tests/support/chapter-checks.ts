// The checks every chapter test makes, declared once: every cell runs (and the cells marked
// `throws` do fail), every number the prose states is printed by a cell or asserted by the test,
// and the exercises fail as written and pass with their intended answers. Also finders that pick
// a cell by what its source contains, never by position, so adding a cell breaks no test.
import { expect, it } from 'vitest';
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

/** What a chapter test declares for the shared checks. */
export interface ChapterCheckOptions {
  /** The chapter's file in chapters/, e.g. '01-a-single-neuron.mdx', re-run with the exercises solved. */
  file: string;
  /** The message of each exercise's check(...), in the chapter's order, e.g. 'the neuron outputs 0': ✗ as written, ✓ once solved. */
  exercises: string[];
  /** Edits that solve every exercise: [text of the chapter as written, the intended answer]. */
  solutions: Array<[string, string]>;
  /** A marker for each cell whose fence is marked `throws`: those must fail, and no other cell may. */
  throwing?: Marker[];
  /** Numbers the prose states (as proseNumbers writes them) that no cell prints and the test asserts itself. */
  checkedElsewhere?: string[];
  /** Only for a chapter whose prose states no numbers at all: without it, finding none fails. */
  noProseNumbers?: boolean;
}

/** The checks a chapter test gets from chapterChecks, for its own extra tests. */
export interface ChapterChecks {
  /** The chapter run again with `solutions` applied (run once, then shared). */
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
 * unsolved as written and solved by `solutions`. `chapter` returns the chapter its beforeAll ran.
 */
export function chapterChecks(chapter: () => RanChapter, options: ChapterCheckOptions): ChapterChecks {
  const { file, exercises, solutions, throwing = [], checkedElsewhere = [], noProseNumbers = false } = options;
  if (exercises.length === 0 || solutions.length === 0) throw new Error(`chapterChecks(${file}): list the exercises and the edits that solve them`);
  if (noProseNumbers && checkedElsewhere.length > 0) throw new Error(`chapterChecks(${file}): noProseNumbers, yet numbers checked elsewhere`);
  let solvedRun: Promise<RanChapter> | undefined;
  const solved = (): Promise<RanChapter> => (solvedRun ??= runChapterFile(file, solutions));

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
  });

  it('has exercises that a correct answer solves', async () => {
    const ran = await solved();
    expectOnlyThrowingCellsFail(ran, throwing);
    const checks = checksMade(ran);
    expect(checks.filter((check) => !check.passed).map((check) => `${where(ran, check.cell)}: ✗ ${check.message}`), 'the checks that still fail').toEqual([]);
    expect(exercises.filter((message) => !checks.some((check) => check.message === message)), 'exercises whose check no longer runs').toEqual([]);
  });

  return { solved };
}
