// Checks NotebookSession, which runs cells in order against one shared scope: names carry over,
// values and print() show as a reader expects, errors name the cell's line, runs are seeded,
// and the figure helpers produce the data the page draws.
import { describe, expect, it } from 'vitest';
import * as scratchnet from '../../lib/index.ts';
import { NotebookSession, type CellResult } from '../../site/notebook/runtime.ts';
import { outputText, type Figure, type Output } from '../../site/notebook/outputs.ts';

/** Runs `cells` in order in one fresh session and returns every result. */
async function runCells(cells: string[], seed?: number): Promise<CellResult[]> {
  const session = new NotebookSession(seed === undefined ? {} : { seed });
  const results: CellResult[] = [];
  for (const [index, source] of cells.entries()) results.push(await session.run(source, index));
  return results;
}

/** Runs one cell in a fresh session. */
async function runCell(source: string, seed?: number): Promise<CellResult> {
  return (await runCells([source], seed))[0];
}

const texts = (result: CellResult): string[] => result.outputs.map(outputText);

/** The output, which must be of `kind`. */
function as<K extends Output['kind']>(output: Output | undefined, kind: K): Extract<Output, { kind: K }> {
  expect(output?.kind, JSON.stringify(output)).toBe(kind);
  return output as Extract<Output, { kind: K }>;
}

/** The only output of a cell that ran without error, which must be a figure of `type`. */
function figureOf<T extends Figure['type']>(result: CellResult, type: T): Extract<Figure, { type: T }> {
  expect(result.failed, JSON.stringify(result.outputs)).toBe(false);
  expect(result.outputs).toHaveLength(1);
  const figure = as(result.outputs[0], 'figure').figure;
  expect(figure.type).toBe(type);
  return figure as Extract<Figure, { type: T }>;
}

/** The error a failed cell ended with. */
function errorOf(result: CellResult): Extract<Output, { kind: 'error' }> {
  expect(result.failed).toBe(true);
  return as(result.outputs[result.outputs.length - 1], 'error');
}

describe('cells share their top-level names', () => {
  it('makes a const declared in cell 1 visible in cell 2', async () => {
    const [, second] = await runCells(['const greeting = "hello";', 'greeting + " world"']);
    expect(texts(second)).toEqual(['hello world']);
  });

  it('carries a let reassigned in a later cell into the cells after it', async () => {
    const results = await runCells(['let count = 1;', 'count = count + 10;', 'count']);
    expect(results.map((r) => r.failed)).toEqual([false, false, false]);
    expect(texts(results[2])).toEqual(['11']);
  });

  it('lets a cell redeclare a name an earlier cell declared', async () => {
    const results = await runCells(['const value = 1;', 'const value = "two";\nvalue', 'typeof value']);
    expect(results[1].failed).toBe(false);
    expect(texts(results[1])).toEqual(['two']);
    expect(texts(results[2])).toEqual(['string']);
  });

  it('shares functions and classes, and objects by reference', async () => {
    const results = await runCells(['function double(x: number) { return 2 * x; }\nclass Box { items: number[] = []; }\nconst box = new Box();', 'box.items.push(double(21));', 'box instanceof Box ? box.items : "lost"']);
    expect(texts(results[2])).toEqual(['[42]']);
  });

  it('saves the names declared before a throw', async () => {
    const results = await runCells(["const before = 7;\nthrow new Error('stop');\nconst after = 8;", 'before', 'typeof after']);
    expect(results[0].failed).toBe(true);
    expect(texts(results[1])).toEqual(['7']);
    expect(texts(results[2])).toEqual(['undefined']);
  });

  it('saves a reassignment made before a throw', async () => {
    const results = await runCells(['let step = 0;', "step = 5;\nthrow new Error('stop');", 'step']);
    expect(texts(results[2])).toEqual(['5']);
  });

  // A function declared in an earlier cell reads that cell's own copy of its names, so a later
  // reassignment does not reach it: `rate = 0.5` in cell 2 leaves lr() returning 0.1. In a
  // notebook the reader expects the function to see the new value (e.g. an exercise that
  // changes a learning rate and calls train() again).
  it('lets a function from an earlier cell see a name reassigned in a later cell', async () => {
    const results = await runCells(['let rate = 0.1;\nfunction lr() { return rate; }', 'rate = 0.5;', 'lr()']);
    expect(texts(results[2])).toEqual(['0.5']);
  });

  // The same copy, the other way: a later cell writes back the copy it read at its start, so a
  // change made by calling a function from an earlier cell is lost (count stays 0).
  it('keeps a change that a function from an earlier cell makes to its own name', async () => {
    const results = await runCells(['let count = 0;\nfunction increment() { count += 1; }', 'increment();\nincrement();', 'count']);
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
    const results = await runCells(['seed(7);', 'defaultRandom.next() === new Random(7).next()'], 1);
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
    const results = await runCells(["function fail() {\n  throw new Error('inside');\n}", 'const x = 1;\n\nfail();'], undefined);
    expect(errorOf(results[1])).toMatchObject({ message: 'inside', line: 3 });
  });

  it('numbers the cell by its index, so cell 2 reports its own line', async () => {
    const results = await runCells(['1', '2', "\n\n\nthrow new Error('fourth line')"]);
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

  it('goes on to run later cells after a failed one', async () => {
    const results = await runCells(["throw new Error('first')", '1 + 1']);
    expect(results.map((r) => r.failed)).toEqual([true, false]);
    expect(texts(results[1])).toEqual(['2']);
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
    const results = await runCells([draw, draw], 3);
    expect(as(results[1].outputs[0], 'matrix').rows).not.toEqual(as(results[0].outputs[0], 'matrix').rows);
    const again = await runCells([draw, draw], 3);
    expect(again.map((r) => r.outputs)).toEqual(results.map((r) => r.outputs));
  });
});

describe('linePlot', () => {
  it('makes a line figure with one series per key, plotted against 1, 2, …', async () => {
    const figure = figureOf(await runCell("linePlot({ loss: [3, 2, 1.5], accuracy: new Float32Array([0.5, 0.75, 1]) }, { title: 'Training', xLabel: 'epoch', yLabel: 'value' })"), 'line');
    expect(figure).toEqual({
      type: 'line',
      title: 'Training',
      xLabel: 'epoch',
      yLabel: 'value',
      series: [
        { name: 'loss', x: [1, 2, 3], y: [3, 2, 1.5] },
        { name: 'accuracy', x: [1, 2, 3], y: [0.5, 0.75, 1] },
      ],
    });
  });

  it('works without options', async () => {
    expect(figureOf(await runCell('linePlot({ y: [1, 4, 9] })'), 'line').series).toHaveLength(1);
  });

  it('plots every series against the x values given in the options', async () => {
    const figure = figureOf(await runCell("linePlot({ a: [1, 4], b: [2, 3] }, { x: new Float64Array([0.5, 1.5]), xLabel: 'x' })"), 'line');
    expect(figure).toEqual({ type: 'line', xLabel: 'x', series: [{ name: 'a', x: [0.5, 1.5], y: [1, 4] }, { name: 'b', x: [0.5, 1.5], y: [2, 3] }] });
  });

  it('rejects a series whose length differs from the x values, naming it', async () => {
    const error = errorOf(await runCell('linePlot({ good: [1, 2, 3], bad: [1, 2] }, { x: [1, 2, 3] });'));
    expect(error.message).toBe('linePlot: series "bad" has 2 values but x has 3');
  });
});

describe('scatterPlot', () => {
  const points = 'const points = Matrix.fromRows([[0, 0], [1, 2], [2, 1]]);\n';

  it('makes a scatter figure with the points, labels and padded ranges', async () => {
    const figure = figureOf(await runCell(`${points}scatterPlot(points, [0, 1, 2], { title: 'Three' })`), 'scatter');
    expect(figure.x).toEqual([0, 1, 2]);
    expect(figure.y).toEqual([0, 2, 1]);
    expect(figure.labels).toEqual([0, 1, 2]);
    expect(figure.title).toBe('Three');
    expect(figure.xRange[0]).toBeCloseTo(-0.1);
    expect(figure.xRange[1]).toBeCloseTo(2.1);
    expect(figure.yRange[0]).toBeCloseTo(-0.1);
    expect(figure.yRange[1]).toBeCloseTo(2.1);
    expect(figure.boundary).toBeUndefined();
  });

  it('takes labels from a typed array, such as the output of argmax', async () => {
    const figure = figureOf(await runCell(`${points}scatterPlot(points, new Int32Array([2, 2, 0]))`), 'scatter');
    expect(figure.labels).toEqual([2, 2, 0]);
  });

  it('with a model, adds a decision grid of resolution² predicted classes', async () => {
    const cell = `${points}const model = { predict: (g: Matrix) => Matrix.fromRows(g.toRows().map(([x]) => (x > 1 ? [0, 1] : [1, 0]))) };\nscatterPlot(points, [0, 1, 1], { model, resolution: 10 })`;
    const { boundary } = figureOf(await runCell(cell), 'scatter');
    expect(boundary).toBeDefined();
    expect(boundary!.width).toBe(10);
    expect(boundary!.height).toBe(10);
    expect(boundary!.classes).toHaveLength(100);
    // Columns run left to right over x from -0.1 to 2.1: x > 1 from the sixth column on.
    for (let row = 0; row < 10; row++) expect(boundary!.classes.slice(row * 10, row * 10 + 10)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it('puts row 0 of the decision grid at the top, the largest y', async () => {
    const cell = `${points}const model = { predict: (g: Matrix) => Matrix.fromRows(g.toRows().map(([, y]) => (y > 1.5 ? [0, 1] : [1, 0]))) };\nscatterPlot(points, [0, 1, 1], { model, resolution: 4 })`;
    const { boundary } = figureOf(await runCell(cell), 'scatter');
    expect(boundary!.classes).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('uses an 80 × 80 grid by default, and a real model works', async () => {
    const cell = `${points}const model = new Sequential([new Dense(2, 3), new Softmax()]);\nscatterPlot(points, [0, 1, 2], { model })`;
    const result = await runCell(cell);
    if (result.failed) throw new Error(texts(result).join('\n'));
    const { boundary } = figureOf(result, 'scatter');
    expect(boundary!.classes).toHaveLength(80 * 80);
    expect(boundary!.classes.every((c) => c >= 0 && c < 3)).toBe(true);
  });

  it('rejects points that are not (n×2) with a message giving the shape', async () => {
    const error = errorOf(await runCell('scatterPlot(Matrix.zeros(4, 3), [0, 0, 0, 0]);'));
    expect(error.message).toBe('scatterPlot: needs (n×2) points, not 4×3');
    expect(error.line).toBe(1);
  });

  it('rejects points that are not a Matrix', async () => {
    expect(errorOf(await runCell('scatterPlot([[0, 0]] as any, [0]);')).message).toBe('scatterPlot: needs (n×2) points, not object');
  });

  it('rejects a label count that differs from the point count', async () => {
    expect(errorOf(await runCell(`${points}scatterPlot(points, [0, 1]);`)).message).toBe('scatterPlot: 2 labels for 3 points');
  });
});

describe('heatmap and showImages', () => {
  it('makes a heatmap figure with the matrix’s shape and values', async () => {
    const figure = figureOf(await runCell("heatmap(Matrix.fromRows([[1, -2, 3], [0.5, 0, -1]]), { title: 'Weights' })"), 'heatmap');
    expect(figure).toEqual({ type: 'heatmap', title: 'Weights', rows: 2, cols: 3, values: [1, -2, 3, 0.5, 0, -1] });
  });

  it('makes an images figure with one image per row, size from a square row length', async () => {
    const figure = figureOf(await runCell("showImages(Matrix.fromRows([[0, 0.25, 0.5, 1], [1, 1, 0, 0]]), { captions: ['a', 'b'], title: 'Two' })"), 'images');
    expect(figure).toEqual({ type: 'images', title: 'Two', width: 2, height: 2, images: [[0, 0.25, 0.5, 1], [1, 1, 0, 0]], captions: ['a', 'b'] });
  });

  it('scales images from 0–255 to [0, 1]', async () => {
    const figure = figureOf(await runCell('showImages(Matrix.fromRows([[0, 51, 255, 255]]))'), 'images');
    expect(figure.images).toHaveLength(1);
    expect(figure.images[0][0]).toBe(0);
    expect(figure.images[0][1]).toBeCloseTo(0.2, 6);
    expect(figure.images[0][2]).toBe(1);
  });

  it('takes a width and height for images that are not square', async () => {
    const figure = figureOf(await runCell('showImages(Matrix.zeros(3, 6), { width: 3, height: 2 })'), 'images');
    expect([figure.width, figure.height, figure.images.length]).toEqual([3, 2, 3]);
  });

  it('rejects rows that are not width × height pixels', async () => {
    expect(errorOf(await runCell('showImages(Matrix.zeros(2, 6));')).message).toBe('showImages: rows of 6 values are not 2×2 images');
    expect(errorOf(await runCell('showImages(Matrix.zeros(2, 6), { width: 4, height: 2 });')).message).toBe('showImages: rows of 6 values are not 4×2 images');
  });

  it('shows each figure as its own output, in order, without a value for the call', async () => {
    const result = await runCell("linePlot({ a: [1, 2] });\nprint('between');\nheatmap(Matrix.zeros(1, 1))");
    expect(texts(result)).toEqual(['[line figure]', 'between', '[heatmap figure]']);
  });
});
