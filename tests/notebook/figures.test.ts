// Checks the figure builders, which turn matrices and series into the data the page draws, and
// that figures.ts stays free of the cell compiler, so the lab can draw a plot without bundling
// acorn and sucrase: its imports are read from the source files.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dense, Matrix, Sequential, Softmax } from '../../lib/index.ts';
import { BOUNDARY_RESOLUTION, CONTOUR_RESOLUTION, barChart, confusionFigure, contourPlot, heatmapFigure, imagesFigure, linePlot, scatterPlot, type Classifier } from '../../site/notebook/figures.ts';

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

  it('keeps fixed axis ranges given as xRange and yRange, and leaves them out when not given', () => {
    const figure = linePlot({ loss: [3, 2, 1] }, { xRange: [0, 10], yRange: [0, 5] });
    expect(figure).toMatchObject({ xRange: [0, 10], yRange: [0, 5] });
    expect(linePlot({ loss: [3, 2, 1] })).not.toHaveProperty('yRange');
  });

  it('rejects a range that is not two finite numbers, low below high, naming linePlot and the option', () => {
    expect(() => linePlot({ y: [1] }, { yRange: [1, 0] })).toThrow('linePlot: yRange must be [low, high], two finite numbers with low < high, not [1,0]');
    expect(() => linePlot({ y: [1] }, { xRange: [0, Infinity] })).toThrow('linePlot: xRange must be [low, high]');
    expect(() => linePlot({ y: [1] }, { xRange: [0] as unknown as [number, number] })).toThrow('linePlot: xRange must be [low, high]');
    expect(() => linePlot({ y: [1] }, { yRange: [0, 1], yScale: 'log' })).toThrow('linePlot: yRange starts at 0, but a log axis holds only positive values');
  });

  it('marks points with their labels, and rejects a point without finite x and y', () => {
    const figure = linePlot({ y: [1, 4] }, { points: [{ x: 1, y: 1, label: 'touch' }, { x: 2, y: 4 }] });
    expect(figure.points).toEqual([{ x: 1, y: 1, label: 'touch' }, { x: 2, y: 4 }]);
    expect(() => linePlot({ y: [1] }, { points: [{ x: 1, y: NaN }] })).toThrow('linePlot: points[0] needs finite numbers x and y');
    expect(() => linePlot({ y: [1] }, { points: [{ x: 1, y: 2, label: 3 as unknown as string }] })).toThrow('linePlot: points[0].label must be text, not number');
  });

  it('marks the series named in dashed, and rejects a name that is not a series', () => {
    const figure = linePlot({ curve: [1, 4], tangent: [2, 3] }, { dashed: ['tangent'] });
    expect(figure.series.map((series) => series.dashed)).toEqual([undefined, true]);
    expect(() => linePlot({ curve: [1] }, { dashed: ['tangnet'] })).toThrow('linePlot: dashed names "tangnet", which is not one of the series (curve)');
  });
});

describe('barChart', () => {
  it('makes a bar figure from bar names and heights, with a fixed range and a bar picked out by name', () => {
    expect(barChart({ cat: 0.7, dog: 0.2, bird: 0.1 }, { yRange: [0, 1], yLabel: 'probability', highlight: 'dog', title: 'Softmax' })).toEqual({
      type: 'bar',
      title: 'Softmax',
      yLabel: 'probability',
      labels: ['cat', 'dog', 'bird'],
      values: [0.7, 0.2, 0.1],
      yRange: [0, 1],
      highlight: 1,
    });
  });

  it('takes an array, a typed array or a one-row Matrix of heights, named by labels or by 0, 1, 2, …', () => {
    expect(barChart([1, -2], { labels: ['a', 'b'] })).toMatchObject({ labels: ['a', 'b'], values: [1, -2] });
    expect(barChart(new Float32Array([0.5, 0.25]))).toMatchObject({ labels: ['0', '1'], values: [0.5, 0.25] });
    expect(barChart(Matrix.fromRows([[3, 1, 2]]), { highlight: 0 })).toMatchObject({ labels: ['0', '1', '2'], values: [3, 1, 2], highlight: 0 });
  });

  it('rejects labels that do not match the values, a highlight that is no bar, a bad range and a matrix of many rows', () => {
    expect(() => barChart([1, 2], { labels: ['a'] })).toThrow('barChart: 1 labels for 2 values');
    expect(() => barChart({ cat: 1 }, { labels: ['dog'] })).toThrow('barChart: labels are for an array of values');
    expect(() => barChart({ cat: 1, dog: 2 }, { highlight: 'cow' })).toThrow('barChart: highlight "cow" is not one of the bars (cat, dog)');
    expect(() => barChart([1], { yRange: [0, 0] })).toThrow('barChart: yRange must be [low, high]');
    expect(() => barChart(Matrix.zeros(2, 2))).toThrow('barChart: needs one row or one column of values, not a 2×2 matrix');
    expect(() => barChart({ cat: '1' as unknown as number })).toThrow('barChart: the value of "cat" must be a number, not string');
  });
});

describe('contourPlot', () => {
  it('evaluates f on a grid spanning the ranges, corners included, row 0 at the top', () => {
    const figure = contourPlot((x, y) => 10 * x + y, { xRange: [0, 2], yRange: [0, 2], resolution: 3, levels: 1 });
    expect([figure.width, figure.height]).toEqual([3, 3]);
    expect(figure.values).toEqual([2, 12, 22, 1, 11, 21, 0, 10, 20]);
    expect(figure.levels).toEqual([11]);
  });

  it('uses about 100 points along the longer side by default, fewer along the shorter, so grid cells are about square', () => {
    const figure = contourPlot((x, y) => x * x + 10 * y * y, { xRange: [-2, 2], yRange: [-1, 1] });
    expect(CONTOUR_RESOLUTION).toBe(100);
    expect([figure.width, figure.height]).toEqual([100, 50]);
    expect(figure.values).toHaveLength(5000);
    expect(figure.levels).toHaveLength(10);
  });

  it('spaces the levels evenly, or geometrically with logLevels', () => {
    const even = contourPlot((x) => x, { xRange: [0, 4], yRange: [0, 1], levels: 3, resolution: 5 });
    expect(even.levels).toEqual([1, 2, 3]);
    const log = contourPlot((x) => 10 ** x, { xRange: [0, 4], yRange: [0, 1], levels: 3, logLevels: true, resolution: 5 });
    expect(log.log).toBe(true);
    log.levels.forEach((level, i) => expect(level).toBeCloseTo([10, 100, 1000][i], 6));
  });

  it('keeps the paths as [x, y] pairs, named', () => {
    const figure = contourPlot((x, y) => x + y, { xRange: [0, 1], yRange: [0, 1], resolution: 3, paths: { SGD: [[0, 0], [0.5, 0.25]], Adam: [new Float32Array([1, 1])] } });
    expect(figure.paths).toEqual([{ name: 'SGD', points: [[0, 0], [0.5, 0.25]] }, { name: 'Adam', points: [[1, 1]] }]);
  });

  it('rejects a missing function, missing or bad ranges, bad levels and resolution, and paths that are not [x, y] pairs, naming contourPlot', () => {
    const ranges = { xRange: [0, 1] as [number, number], yRange: [0, 1] as [number, number] };
    expect(() => contourPlot(3 as unknown as () => number, ranges)).toThrow('contourPlot: needs a function (x, y) => number first, not number');
    expect(() => contourPlot((x) => x, { xRange: [0, 1] } as typeof ranges)).toThrow('contourPlot: needs yRange: [low, high]');
    expect(() => contourPlot((x) => x, { ...ranges, xRange: [1, -1] })).toThrow('contourPlot: xRange must be [low, high], two finite numbers with low < high, not [1,-1]');
    expect(() => contourPlot((x) => x, { ...ranges, levels: 0 })).toThrow('contourPlot: levels must be a whole number from 1 to 50, not 0');
    expect(() => contourPlot((x) => x, { ...ranges, resolution: 1000 })).toThrow('contourPlot: resolution must be a whole number from 3 to 400, not 1000');
    expect(() => contourPlot((x) => x, { ...ranges, paths: { SGD: [[0, 0, 0]] } })).toThrow('contourPlot: point 0 of path "SGD" must be an [x, y] pair of numbers, not [0,0,0]');
    expect(() => contourPlot((x) => x, { ...ranges, paths: { SGD: 'up' as unknown as number[][] } })).toThrow('contourPlot: path "SGD" must be an array of [x, y] points, not string');
    expect(() => contourPlot(() => 'low' as unknown as number, ranges)).toThrow('contourPlot: f(x, y) must return a number, not string');
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
