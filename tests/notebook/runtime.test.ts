// Checks NotebookSession, which runs cells in order against one shared scope: names carry over,
// values and print() show as a reader expects, errors name the cell's line, runs are seeded, and
// the figure helpers put the figures.ts builders' data in the outputs; and runCells, the one loop
// that runs a chapter's cells, honouring `throws` and stopping after an unexpected failure.
import { describe, expect, it } from 'vitest';
import * as scratchnet from '../../lib/index.ts';
import { heatmapFigure, imagesFigure, linePlot, scatterPlot } from '../../site/notebook/figures.ts';
import { NotebookSession, runCells, type CellResult, type RunnableCell } from '../../site/notebook/runtime.ts';
import { outputText, type Output } from '../../site/notebook/outputs.ts';

/** A cell whose error is part of the test: marked `throws`, so the cells after it still run. */
const throwing = (source: string) => ({ throws: source });

/** Runs `cells` with runCells in one fresh session and returns the results of those that ran. */
async function runSources(cells: Array<string | { throws: string }>, seed?: number): Promise<CellResult[]> {
  const session = new NotebookSession(seed === undefined ? {} : { seed });
  const runnable = cells.map((cell, index): RunnableCell => (typeof cell === 'string' ? { index, source: cell, throws: false } : { index, source: cell.throws, throws: true }));
  return (await runCells(session, runnable)).results;
}

/** Runs one cell in a fresh session. */
async function runCell(source: string, seed?: number): Promise<CellResult> {
  return (await runSources([source], seed))[0];
}

const texts = (result: CellResult): string[] => result.outputs.map(outputText);

/** The output, which must be of `kind`. */
function as<K extends Output['kind']>(output: Output | undefined, kind: K): Extract<Output, { kind: K }> {
  expect(output?.kind, JSON.stringify(output)).toBe(kind);
  return output as Extract<Output, { kind: K }>;
}

/** The error a failed cell ended with. */
function errorOf(result: CellResult): Extract<Output, { kind: 'error' }> {
  expect(result.failed).toBe(true);
  return as(result.outputs[result.outputs.length - 1], 'error');
}

describe('cells share their top-level names', () => {
  it('makes a const declared in cell 1 visible in cell 2', async () => {
    const [, second] = await runSources(['const greeting = "hello";', 'greeting + " world"']);
    expect(texts(second)).toEqual(['hello world']);
  });

  it('carries a let reassigned in a later cell into the cells after it', async () => {
    const results = await runSources(['let count = 1;', 'count = count + 10;', 'count']);
    expect(results.map((r) => r.failed)).toEqual([false, false, false]);
    expect(texts(results[2])).toEqual(['11']);
  });

  it('lets a cell redeclare a name an earlier cell declared', async () => {
    const results = await runSources(['const value = 1;', 'const value = "two";\nvalue', 'typeof value']);
    expect(results[1].failed).toBe(false);
    expect(texts(results[1])).toEqual(['two']);
    expect(texts(results[2])).toEqual(['string']);
  });

  it('shares functions and classes, and objects by reference', async () => {
    const results = await runSources(['function double(x: number) { return 2 * x; }\nclass Box { items: number[] = []; }\nconst box = new Box();', 'box.items.push(double(21));', 'box instanceof Box ? box.items : "lost"']);
    expect(texts(results[2])).toEqual(['[42]']);
  });

  it('saves the names declared before a throw', async () => {
    const results = await runSources([throwing("const before = 7;\nthrow new Error('stop');\nconst after = 8;"), 'before', 'typeof after']);
    expect(results[0].failed).toBe(true);
    expect(texts(results[1])).toEqual(['7']);
    expect(texts(results[2])).toEqual(['undefined']);
  });

  it('saves a reassignment made before a throw', async () => {
    const results = await runSources(['let step = 0;', throwing("step = 5;\nthrow new Error('stop');"), 'step']);
    expect(texts(results[2])).toEqual(['5']);
  });

  // A function declared in an earlier cell reads that cell's own copy of its names, so a later
  // reassignment does not reach it: `rate = 0.5` in cell 2 leaves lr() returning 0.1. In a
  // notebook the reader expects the function to see the new value (e.g. an exercise that
  // changes a learning rate and calls train() again).
  it('lets a function from an earlier cell see a name reassigned in a later cell', async () => {
    const results = await runSources(['let rate = 0.1;\nfunction lr() { return rate; }', 'rate = 0.5;', 'lr()']);
    expect(texts(results[2])).toEqual(['0.5']);
  });

  // The same copy, the other way: a later cell writes back the copy it read at its start, so a
  // change made by calling a function from an earlier cell is lost (count stays 0).
  it('keeps a change that a function from an earlier cell makes to its own name', async () => {
    const results = await runSources(['let count = 0;\nfunction increment() { count += 1; }', 'increment();\nincrement();', 'count']);
    expect(texts(results[2])).toEqual(['2']);
  });
});

describe('what a cell shows', () => {
  it('shows the value of the last expression', async () => {
    expect((await runCell('const a = 2;\na * 21')).outputs).toEqual([{ kind: 'value', text: '42' }]);
  });

  it('shows a Matrix value as a matrix output', async () => {
    const matrix = as((await runCell('Matrix.fromRows([[1, 2.5], [3, 4]])')).outputs[0], 'matrix');
    expect(matrix.shape).toBe('2×2');
    expect(matrix.dtype).toBe('float32');
    expect(matrix.rows).toEqual([['1', '2.5'], ['3', '4']]);
  });

  it('shows nothing for an expression whose value is undefined', async () => {
    const result = await runCell('const a = 1;\nundefined');
    expect(result).toMatchObject({ failed: false, outputs: [] });
    expect((await runCell('[1, 2].forEach(() => {})')).outputs).toEqual([]);
  });

  it('shows null, which is a value', async () => {
    expect(texts(await runCell('null'))).toEqual(['null']);
  });

  it('shows nothing when the cell ends with a declaration', async () => {
    expect((await runCell('const a = 2;')).outputs).toEqual([]);
  });

  it('reports how long the cell took', async () => {
    const result = await runCell('await new Promise((resolve) => setTimeout(resolve, 20));');
    expect(result.milliseconds).toBeGreaterThanOrEqual(15);
  });
});

describe('print', () => {
  it('prints 4.800000000000001 as 4.8', async () => {
    const sum = '1.6 * 3';
    expect((0, eval)(sum)).toBe(4.800000000000001);
    expect((await runCell(`print(${sum})`)).outputs).toEqual([{ kind: 'text', text: '4.8' }]);
  });

  it('prints a string as it is, without quotes', async () => {
    expect(texts(await runCell("print('a \"quoted\" word')"))).toEqual(['a "quoted" word']);
  });

  it('prints arrays, with strings inside them quoted', async () => {
    expect(texts(await runCell("print([0.1 + 0.2, 'a', [1, 2]])"))).toEqual(['[0.3, "a", [1, 2]]']);
  });

  it('prints typed arrays like arrays', async () => {
    expect(texts(await runCell('print(new Float64Array([0.1 + 0.2, 2]))'))).toEqual(['[0.3, 2]']);
    expect(texts(await runCell('print(argmax(Matrix.fromRows([[0, 1], [5, 2]])))'))).toEqual(['[1, 0]']);
  });

  it('prints objects with their keys', async () => {
    expect(texts(await runCell("print({ loss: 0.1 + 0.2, name: 'spiral', sizes: [2, 3] })"))).toEqual(['{ loss: 0.3, name: "spiral", sizes: [2, 3] }']);
  });

  it('prints several arguments on one line, separated by spaces', async () => {
    expect((await runCell("print('output:', 4.800000000000001, [1, 2], true)")).outputs).toEqual([{ kind: 'text', text: 'output: 4.8 [1, 2] true' }]);
  });

  it('prints one output per call, in order, before the final value', async () => {
    expect(texts(await runCell("print('first');\nprint('second');\n'last'"))).toEqual(['first', 'second', 'last']);
  });

  it('prints a Matrix on its own as a matrix output', async () => {
    as((await runCell('print(Matrix.fromRows([[1, 2]]))')).outputs[0], 'matrix');
  });

  it('prints a Matrix given among several arguments as its shape and table', async () => {
    const result = await runCell("print('weights:', Matrix.fromRows([[1.5, 2], [3, 4]]))");
    expect(result.outputs).toEqual([{ kind: 'text', text: 'weights: Matrix 2×2\n[[1.5  2]\n [3    4]]' }]);
  });

  it('sends console.log, console.info, console.warn and console.error to print', async () => {
    const result = await runCell("console.log('log', 0.1 + 0.2);\nconsole.info('info');\nconsole.warn('warn');\nconsole.error('error');");
    expect(result.outputs).toEqual([
      { kind: 'text', text: 'log 0.3' },
      { kind: 'text', text: 'info' },
      { kind: 'text', text: 'warn' },
      { kind: 'text', text: 'error' },
    ]);
  });
});

describe('check', () => {
  it('shows ✓ and the message when the condition holds, ✗ when it does not', async () => {
    const result = await runCell("check(1 + 1 === 2, 'one and one make two');\ncheck(0.1 + 0.2 === 0.3, 'floats add exactly');\nconst done = true;");
    expect(result.outputs).toEqual([
      { kind: 'check', passed: true, message: 'one and one make two' },
      { kind: 'check', passed: false, message: 'floats add exactly' },
    ]);
    expect(texts(result)).toEqual(['✓ one and one make two', '✗ floats add exactly']);
  });

  it('treats truthy and falsy values as passing and failing', async () => {
    const result = await runCell("check('yes', 'a string');\ncheck(0, 'zero');\nconst done = true;");
    expect(result.outputs.map((o) => as(o, 'check').passed)).toEqual([true, false]);
  });

  it('does not fail the cell when a check fails', async () => {
    expect((await runCell("check(false, 'not yet');")).failed).toBe(false);
  });

  // Exercise cells end with check(...): its result must not add a "true"/"false" line.
  it('shows only the ✓ or ✗ when a cell ends with check()', async () => {
    expect(texts(await runCell("const answer = 4.8;\ncheck(answer === 4.8, 'the answer is 4.8')"))).toEqual(['✓ the answer is 4.8']);
  });
});

describe('imports and the library in scope', () => {
  it("imports from 'scratchnet', with renames and namespaces", async () => {
    const result = await runCell("import { Dense, Matrix as M } from 'scratchnet';\nimport * as sn from 'scratchnet';\n[Dense === sn.Dense, M === sn.Matrix, new Dense(2, 3).weights.shapeText]");
    expect(texts(result)).toEqual(['[true, true, "2×3"]']);
  });

  it('fails any other import with a message naming the module', async () => {
    const error = errorOf(await runCell("const a = 1;\nimport { readFileSync } from 'node:fs';"));
    expect(error.message).toBe("cells can import only 'scratchnet', not 'node:fs'");
    expect(error.line).toBe(2);
  });

  it('puts every export of the library in scope', () => {
    const session = new NotebookSession();
    const names = Object.keys(scratchnet);
    expect(names).toEqual(expect.arrayContaining(['Matrix', 'Dense', 'matmul', 'Adam', 'seed', 'formatNumber']));
    // defaultRandom is a live binding that seed() replaces; it is checked by behaviour below.
    for (const name of names.filter((n) => n !== 'defaultRandom')) expect(session.scope[name], name).toBe(scratchnet[name as keyof typeof scratchnet]);
    expect(session.scope).toHaveProperty('defaultRandom');
  });

  it('gives defaultRandom as seeded by the session', async () => {
    expect(texts(await runCell('defaultRandom.next() === new Random(21).next()', 21))).toEqual(['true']);
  });

  it('makes defaultRandom follow seed() called in an earlier cell', async () => {
    const results = await runSources(['seed(7);', 'defaultRandom.next() === new Random(7).next()'], 1);
    expect(texts(results[1])).toEqual(['true']);
  });

  // seed() replaces the library's defaultRandom. The scope's getter is read once, by the cell's
  // prologue (let { …, defaultRandom, … } = __scope), so for the rest of the cell that calls
  // seed(7), defaultRandom is still the generator from before.
  it('makes defaultRandom follow seed() called earlier in the same cell', async () => {
    expect(texts(await runCell('seed(7);\ndefaultRandom.next() === new Random(7).next()', 1))).toEqual(['true']);
  });

  it('lets a cell use the library without importing it', async () => {
    const result = await runCell('matmul(Matrix.fromRows([[1, 2]]), Matrix.fromRows([[3], [4]])).get(0, 0) + dot([1, 2], [3, 4])');
    expect(texts(result)).toEqual(['22']);
  });

  it('gives cells print, console, check and the figure helpers', async () => {
    const result = await runCell("[print, console.log, check, linePlot, scatterPlot, heatmap, showImages].map((f) => typeof f).join(' ')");
    expect(texts(result)).toEqual([Array(7).fill('function').join(' ')]);
  });
});

describe('top-level await', () => {
  it('awaits at the top level of a cell', async () => {
    const result = await runCell('const v = await new Promise<number>((resolve) => setTimeout(() => resolve(6), 5));\nv * 7');
    expect(texts(result)).toEqual(['42']);
  });

  it('awaits a promise the last expression gives', async () => {
    expect(texts(await runCell('Promise.resolve(4.800000000000001)'))).toEqual(['4.8']);
  });

  it('reports a rejected await as the cell’s error', async () => {
    const error = errorOf(await runCell("const a = 1;\nawait Promise.reject(new RangeError('too far'));"));
    expect(error).toMatchObject({ name: 'RangeError', message: 'too far', line: 2 });
  });
});

describe('errors', () => {
  it('gives a runtime error’s name, message and cell line', async () => {
    const result = await runCell('const a: number[] = [];\nconst b = (a as any).missing.value;');
    expect(result.outputs).toEqual([{ kind: 'error', name: 'TypeError', message: expect.stringContaining("reading 'value'") as unknown as string, line: 2 }]);
  });

  it('gives the line in the cell that called into the library, with the library’s error name', async () => {
    const error = errorOf(await runCell('const a = Matrix.zeros(3, 4);\nconst b = Matrix.zeros(3, 3);\n\nmatmul(a, b)'));
    expect(error.name).toBe('ShapeError');
    expect(error.message).toMatch(/^matmul: /);
    expect(error.line).toBe(4);
  });

  it('gives the line in the current cell when the throw is in a function from an earlier cell', async () => {
    const results = await runSources(["function fail() {\n  throw new Error('inside');\n}", 'const x = 1;\n\nfail();'], undefined);
    expect(errorOf(results[1])).toMatchObject({ message: 'inside', line: 3 });
  });

  it('numbers the cell by its index, so cell 2 reports its own line', async () => {
    const results = await runSources(['1', '2', "\n\n\nthrow new Error('fourth line')"]);
    expect(errorOf(results[2]).line).toBe(4);
  });

  it('keeps the outputs printed before the error', async () => {
    const result = await runCell("print('before');\nthrow new Error('after');");
    expect(texts(result)).toEqual(['before', 'Error: after (line 2)']);
  });

  it('reports a syntax error with its line, without running the cell', async () => {
    const result = await runCell("print('not printed');\nconst x = ;");
    expect(result.outputs).toEqual([{ kind: 'error', name: 'SyntaxError', message: expect.any(String) as unknown as string, line: 2 }]);
  });

  it('reports export as an error', async () => {
    expect(errorOf(await runCell('export const x = 1;'))).toMatchObject({ name: 'SyntaxError', line: 1 });
  });

  it('reports a thrown value that is not an Error', async () => {
    expect((await runCell('throw 42;')).outputs).toEqual([{ kind: 'error', name: 'Error', message: 'a value was thrown: 42' }]);
    expect(errorOf(await runCell("throw 'plain text';")).message).toBe('a value was thrown: plain text');
  });

  it('stays usable after a cell fails', async () => {
    const session = new NotebookSession();
    expect((await session.run("const kept = 2;\nthrow new Error('first')", 0)).failed).toBe(true);
    const after = await session.run('kept + 1', 1);
    expect(after.failed).toBe(false);
    expect(texts(after)).toEqual(['3']);
  });
});

describe('seeding', () => {
  const draw = 'const layer = new Dense(3, 4);\nlayer.weights';

  it('gives identical outputs for two sessions with the same seed', async () => {
    const first = await runCell(draw, 11);
    const second = await runCell(draw, 11);
    expect(first.failed).toBe(false);
    expect(second.outputs).toEqual(first.outputs);
  });

  it('gives different outputs for different seeds', async () => {
    const first = await runCell(draw, 11);
    const second = await runCell(draw, 12);
    expect(as(second.outputs[0], 'matrix').rows).not.toEqual(as(first.outputs[0], 'matrix').rows);
  });

  it('seeds with 0 when no seed is given', async () => {
    expect((await runCell(draw)).outputs).toEqual((await runCell(draw, 0)).outputs);
  });

  it('continues one random stream across the cells of a session', async () => {
    const results = await runSources([draw, draw], 3);
    expect(as(results[1].outputs[0], 'matrix').rows).not.toEqual(as(results[0].outputs[0], 'matrix').rows);
    const again = await runSources([draw, draw], 3);
    expect(again.map((r) => r.outputs)).toEqual(results.map((r) => r.outputs));
  });
});

describe('the figure helpers in scope', () => {
  it('put what the figures.ts builders make into the outputs, with default options', async () => {
    const points = scratchnet.Matrix.fromRows([[0, 0], [1, 2], [2, 1]]);
    const result = await runCell("const points = Matrix.fromRows([[0, 0], [1, 2], [2, 1]]);\nlinePlot({ loss: [3, 2] });\nscatterPlot(points, [0, 1, 2]);\nheatmap(points);\nshowImages(Matrix.fromRows([[0, 1, 1, 0]]), { title: 'One' });");
    expect(result.failed, texts(result).join('\n')).toBe(false);
    expect(result.outputs).toEqual([
      { kind: 'figure', figure: linePlot({ loss: [3, 2] }) },
      { kind: 'figure', figure: scatterPlot(points, [0, 1, 2]) },
      { kind: 'figure', figure: heatmapFigure(points) },
      { kind: 'figure', figure: imagesFigure(scratchnet.Matrix.fromRows([[0, 1, 1, 0]]), { title: 'One' }) },
    ]);
  });

  it('report a builder’s error as the cell’s, with the cell’s line', async () => {
    const error = errorOf(await runCell('const a = 1;\nscatterPlot(Matrix.zeros(4, 3), [0, 0, 0, 0]);'));
    expect(error).toMatchObject({ name: 'Error', message: 'scatterPlot: needs (n×2) points, not 4×3', line: 2 });
  });

  it('show each figure as its own output, in order, without a value for the call', async () => {
    const result = await runCell("linePlot({ a: [1, 2] });\nprint('between');\nheatmap(Matrix.zeros(1, 1))");
    expect(texts(result)).toEqual(['[line figure]', 'between', '[heatmap figure]']);
  });
});

describe('runCells', () => {
  const cell = (index: number, source: string, throws = false): RunnableCell => ({ index, source, throws });

  it('runs the cells in order in the session, calling onStart and onFinish around each', async () => {
    const events: string[] = [];
    const run = await runCells(new NotebookSession(), [cell(0, 'const a = 20;'), cell(1, 'a + 1')], {
      onStart: (c) => events.push(`start ${c.index}`),
      onFinish: (c, result) => events.push(`finish ${c.index}: ${texts(result).join()}`),
    });
    expect(events).toEqual(['start 0', 'finish 0: ', 'start 1', 'finish 1: 21']);
    expect(run.results.map(texts)).toEqual([[], ['21']]);
    expect(run.unexpected).toEqual([]);
  });

  it('goes on after a cell marked throws fails, and reports nothing', async () => {
    const run = await runCells(new NotebookSession(), [cell(0, "throw new Error('on purpose')", true), cell(1, '1 + 1')]);
    expect(run.results.map((r) => r.failed)).toEqual([true, false]);
    expect(texts(run.results[1])).toEqual(['2']);
    expect(run.unexpected).toEqual([]);
  });

  it('stops after a cell that fails without the mark, reporting it last and starting no later cell', async () => {
    const started: number[] = [];
    const cells = [cell(0, '1'), cell(1, "throw new Error('broken')"), cell(2, '3'), cell(3, '4')];
    const run = await runCells(new NotebookSession(), cells, { onStart: (c) => started.push(c.index) });
    expect(started).toEqual([0, 1]);
    expect(run.results.map((r) => r.failed)).toEqual([false, true]);
    expect(run.unexpected).toEqual([{ cell: cells[1], result: run.results[1] }]);
  });

  it('reports a cell marked throws that runs without an error, and goes on', async () => {
    const cells = [cell(0, '1 + 1', true), cell(1, '2 + 2')];
    const run = await runCells(new NotebookSession(), cells);
    expect(run.results.map(texts)).toEqual([['2'], ['4']]);
    expect(run.unexpected).toEqual([{ cell: cells[0], result: run.results[0] }]);
  });

  it('names each cell by its own index, so a run that starts mid-chapter reports the right lines', async () => {
    const run = await runCells(new NotebookSession(), [cell(6, "\n\nthrow new Error('third line')", true)]);
    expect(errorOf(run.results[0]).line).toBe(3);
  });
});
