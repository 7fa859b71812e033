// Checks the figure builders, which turn matrices and series into the data the page draws, and
// that figures.ts stays free of the cell compiler, so the lab can draw a plot without bundling
// acorn and sucrase: its imports are read from the source files.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dense, Matrix, Sequential, Softmax } from '../../lib/index.ts';
import { BOUNDARY_RESOLUTION, confusionFigure, heatmapFigure, imagesFigure, linePlot, scatterPlot, type Classifier } from '../../site/notebook/figures.ts';

const root = resolve(import.meta.dirname, '../..');

/** Every module a source file reaches through its imports: repository paths for files, names for packages. */
function importGraph(start: string): Set<string> {
  const reached = new Set<string>();
  const visit = (file: string): void => {
    if (reached.has(file)) return;
    reached.add(file);
    const path = join(root, file);
    if (!existsSync(path)) return; // a generated file that is not built yet
    const source = readFileSync(path, 'utf8');
    const specifiers = source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g);
    for (const [, specifier] of specifiers) {
      if (specifier.startsWith('.')) visit(join(dirname(file), specifier.replace(/\?.*$/, '')));
      else reached.add(specifier);
    }
  };
  visit(start);
  return reached;
}

/** The modules in `graph` that belong to the cell compiler. */
const compilerIn = (graph: Set<string>): string[] => [...graph].filter((name) => /^(acorn|sucrase)(\/|$)|site\/notebook\/transform\.ts$/.test(name));

describe('the figures module', () => {
  it('does not reach transform.ts, acorn or sucrase through its imports', () => {
    const graph = importGraph('site/notebook/figures.ts');
    expect(graph).toContain('lib/index.ts');
    expect(compilerIn(graph)).toEqual([]);
  });

  it('is told apart from the cell runtime, which does reach the compiler', () => {
    expect(compilerIn(importGraph('site/notebook/runtime.ts')).sort()).toEqual(['acorn', 'site/notebook/transform.ts', 'sucrase']);
  });

  it('keeps the lab page, which draws with linePlot, free of the compiler', () => {
    expect(compilerIn(importGraph('site/lab/lab.ts'))).toEqual([]);
  });
});

describe('linePlot', () => {
  it('makes a line figure with one series per key, plotted against 1, 2, …', () => {
    expect(linePlot({ loss: [3, 2, 1.5], accuracy: new Float32Array([0.5, 0.75, 1]) }, { title: 'Training', xLabel: 'epoch', yLabel: 'value' })).toEqual({
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

  it('works without options', () => {
    expect(linePlot({ y: [1, 4, 9] })).toEqual({ type: 'line', series: [{ name: 'y', x: [1, 2, 3], y: [1, 4, 9] }] });
  });

  it('plots every series against the x values given in the options', () => {
    const figure = linePlot({ a: [1, 4], b: [2, 3] }, { x: new Float64Array([0.5, 1.5]), xLabel: 'x' });
    expect(figure).toEqual({ type: 'line', xLabel: 'x', series: [{ name: 'a', x: [0.5, 1.5], y: [1, 4] }, { name: 'b', x: [0.5, 1.5], y: [2, 3] }] });
  });

  it('asks for log axes with xScale and yScale, and leaves linear axes unsaid', () => {
    const figure = linePlot({ error: [0.1, 0.001] }, { x: [0.1, 0.01], xScale: 'log', yScale: 'log' });
    expect(figure).toMatchObject({ xScale: 'log', yScale: 'log' });
    expect(linePlot({ y: [1, 2] }, { xScale: 'linear' })).not.toHaveProperty('xScale');
  });

  it('rejects an axis scale that is neither linear nor log', () => {
    expect(() => linePlot({ y: [1, 2] }, { yScale: 'logarithmic' as 'log' })).toThrow(`linePlot: yScale must be 'linear' or 'log', not "logarithmic"`);
  });

  it('rejects a series whose length differs from the x values, naming it', () => {
    expect(() => linePlot({ good: [1, 2, 3], bad: [1, 2] }, { x: [1, 2, 3] })).toThrow('linePlot: series "bad" has 2 values but x has 3');
  });
});

describe('scatterPlot', () => {
  const points = Matrix.fromRows([[0, 0], [1, 2], [2, 1]]);
  /** A model that predicts class 1 where `pick(x, y)` holds. */
  const splitBy = (pick: (x: number, y: number) => boolean): Classifier => ({
    predict: (grid) => Matrix.fromRows(grid.toRows().map(([x, y]) => (pick(x, y) ? [0, 1] : [1, 0]))),
  });

  it('makes a scatter figure with the points, labels and padded ranges', () => {
    const figure = scatterPlot(points, [0, 1, 2], { title: 'Three' });
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

  it('takes labels from a typed array, such as the output of argmax', () => {
    expect(scatterPlot(points, new Int32Array([2, 2, 0])).labels).toEqual([2, 2, 0]);
  });

  it('with a model, adds a decision grid of resolution² predicted classes', () => {
    const { boundary } = scatterPlot(points, [0, 1, 1], { model: splitBy((x) => x > 1), resolution: 10 });
    expect(boundary).toBeDefined();
    expect(boundary!.width).toBe(10);
    expect(boundary!.height).toBe(10);
    expect(boundary!.classes).toHaveLength(100);
    // Columns run left to right over x from -0.1 to 2.1: x > 1 from the sixth column on.
    for (let row = 0; row < 10; row++) expect(boundary!.classes.slice(row * 10, row * 10 + 10)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it("reads a single output as a sigmoid's yes-or-no: class 1 where it is above 0.5", () => {
    const sigmoidLike: Classifier = { predict: (grid) => Matrix.fromRows(grid.toRows().map(([x]) => [x > 1 ? 0.9 : 0.2])) };
    const { boundary } = scatterPlot(points, [0, 1, 1], { model: sigmoidLike, resolution: 10 });
    for (let row = 0; row < 10; row++) expect(boundary!.classes.slice(row * 10, row * 10 + 10)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it('puts row 0 of the decision grid at the top, the largest y', () => {
    const { boundary } = scatterPlot(points, [0, 1, 1], { model: splitBy((_, y) => y > 1.5), resolution: 4 });
    expect(boundary!.classes).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('uses a 200 × 200 grid by default, fine enough for smooth borders, and a real model works', () => {
    const { boundary } = scatterPlot(points, [0, 1, 2], { model: new Sequential([new Dense(2, 3), new Softmax()]) });
    expect(BOUNDARY_RESOLUTION).toBe(200);
    expect([boundary!.width, boundary!.height]).toEqual([200, 200]);
    expect(boundary!.classes).toHaveLength(200 * 200);
    expect(boundary!.classes.every((c) => c >= 0 && c < 3)).toBe(true);
  });

  it('rejects points that are not (n×2) with a message giving the shape', () => {
    expect(() => scatterPlot(Matrix.zeros(4, 3), [0, 0, 0, 0])).toThrow('scatterPlot: needs (n×2) points, not 4×3');
  });

  it('rejects points that are not a Matrix', () => {
    expect(() => scatterPlot([[0, 0]] as unknown as Matrix, [0])).toThrow('scatterPlot: needs (n×2) points, not object');
  });

  it('rejects a label count that differs from the point count', () => {
    expect(() => scatterPlot(points, [0, 1])).toThrow('scatterPlot: 2 labels for 3 points');
  });
});

describe('heatmapFigure', () => {
  it('makes a heatmap figure with the matrix’s shape and values', () => {
    const figure = heatmapFigure(Matrix.fromRows([[1, -2, 3], [0.5, 0, -1]]), { title: 'Weights' });
    expect(figure).toEqual({ type: 'heatmap', title: 'Weights', rows: 2, cols: 3, values: [1, -2, 3, 0.5, 0, -1] });
  });

  it('takes rows of numbers as well as a Matrix, and names for the rows and columns', () => {
    const figure = heatmapFigure([[3, 1], [0, 4]], { labels: ['cat', 'dog'], rowTitle: 'true', colTitle: 'predicted', counts: true });
    expect(figure).toEqual({ type: 'heatmap', title: undefined, rows: 2, cols: 2, values: [3, 1, 0, 4], rowLabels: ['cat', 'dog'], colLabels: ['cat', 'dog'], rowTitle: 'true', colTitle: 'predicted', counts: true });
  });

  it('rejects names that do not match the shape, and negative counts', () => {
    expect(() => heatmapFigure([[1, 2]], { rowLabels: ['a', 'b'] })).toThrow('heatmap: 2 row labels for 1 rows');
    expect(() => heatmapFigure([[1, 2]], { colLabels: ['a'] })).toThrow('heatmap: 1 column labels for 2 columns');
    expect(() => heatmapFigure([[1, -2]], { counts: true })).toThrow('heatmap: counts cannot be negative');
  });
});

describe('confusionFigure', () => {
  it('makes a heatmap of counts with the classes on both axes, true by row and predicted by column', () => {
    expect(confusionFigure([[5, 1], [2, 7]], ['0', '1'], { title: 'Test set' })).toEqual({
      type: 'heatmap',
      title: 'Test set',
      rows: 2,
      cols: 2,
      values: [5, 1, 2, 7],
      rowLabels: ['0', '1'],
      colLabels: ['0', '1'],
      rowTitle: 'true',
      colTitle: 'predicted',
      counts: true,
    });
  });
});

describe('imagesFigure', () => {
  it('makes an images figure with one image per row, size from a square row length', () => {
    const figure = imagesFigure(Matrix.fromRows([[0, 0.25, 0.5, 1], [1, 1, 0, 0]]), { captions: ['a', 'b'], title: 'Two' });
    expect(figure).toEqual({ type: 'images', title: 'Two', width: 2, height: 2, images: [[0, 0.25, 0.5, 1], [1, 1, 0, 0]], captions: ['a', 'b'] });
  });

  it('scales images from 0–255 to [0, 1]', () => {
    const figure = imagesFigure(Matrix.fromRows([[0, 51, 255, 255]]));
    expect(figure.images).toHaveLength(1);
    expect(figure.images[0][0]).toBe(0);
    expect(figure.images[0][1]).toBeCloseTo(0.2, 6);
    expect(figure.images[0][2]).toBe(1);
  });

  it('takes a width and height for images that are not square', () => {
    const figure = imagesFigure(Matrix.zeros(3, 6), { width: 3, height: 2 });
    expect([figure.width, figure.height, figure.images.length]).toEqual([3, 2, 3]);
  });

  it('rejects rows that are not width × height pixels, in the words of showImages', () => {
    expect(() => imagesFigure(Matrix.zeros(2, 6))).toThrow('showImages: rows of 6 values are not 2×2 images');
    expect(() => imagesFigure(Matrix.zeros(2, 6), { width: 4, height: 2 })).toThrow('showImages: rows of 6 values are not 4×2 images');
  });
});
