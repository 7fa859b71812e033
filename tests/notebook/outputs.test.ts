// Checks what a cell's outputs hold as plain data: formatValue prints values as a reader
// expects, matrixOutput lays out a matrix as rows of text with long sides elided, and
// outputText gives every kind of output as text for tests, and figureSummary describes each
// figure in words for screen readers.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../lib/matrix.ts';
import { figureSummary, formatValue, matrixOutput, outputFor, outputText, type Output } from '../../site/notebook/outputs.ts';

/** The matrix output's rows (it must be a matrix output). */
function matrixRows(output: Output): string[][] {
  if (output.kind !== 'matrix') throw new Error(`expected a matrix output, got ${output.kind}`);
  return output.rows;
}

describe('formatValue', () => {
  it('prints numbers as a reader expects', () => {
    expect(formatValue(4.800000000000001)).toBe('4.8');
    expect(formatValue(0.1 + 0.2)).toBe('0.3');
    expect(formatValue(-0)).toBe('0');
    expect(formatValue(42)).toBe('42');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(-Infinity)).toBe('-Infinity');
    expect(formatValue(1e-7)).toBe('1e-7');
  });

  it('prints a string as it is at the top level and quoted inside arrays and objects', () => {
    expect(formatValue('plain "text"')).toBe('plain "text"');
    expect(formatValue(['a', 'b"c'])).toBe('["a", "b\\"c"]');
    expect(formatValue({ name: 'x' })).toBe('{ name: "x" }');
  });

  it('prints bigints, booleans, null, undefined and symbols', () => {
    expect(formatValue(12n)).toBe('12n');
    expect(formatValue(true)).toBe('true');
    expect(formatValue(false)).toBe('false');
    expect(formatValue(null)).toBe('null');
    expect(formatValue(undefined)).toBe('undefined');
    expect(formatValue(Symbol('tag'))).toBe('Symbol(tag)');
  });

  it('prints functions by name', () => {
    function forward(): void {}
    expect(formatValue(forward)).toBe('[function forward]');
    expect(formatValue([() => 1][0])).toBe('[function anonymous]');
  });

  it('prints arrays and nested arrays', () => {
    expect(formatValue([1, 0.1 + 0.2, [2, [3]]])).toBe('[1, 0.3, [2, [3]]]');
    expect(formatValue([])).toBe('[]');
  });

  it('prints a large whole number with all its digits, even one float32 holds exactly', () => {
    expect(formatValue(2 ** 31)).toBe('2147483648');
    expect(formatValue([3 * 2 ** 35])).toBe('[103079215104]');
  });

  it('prints typed arrays like arrays', () => {
    expect(formatValue(new Int32Array([1, -2, 3]))).toBe('[1, -2, 3]');
    expect(formatValue(new Float64Array([0.1 + 0.2]))).toBe('[0.3]');
  });

  it('prints a Float32Array with float32 precision, 0.1 as 0.1', () => {
    // A float32 matrix's .data: its 0.1 is 0.100000001490116…
    expect(formatValue(new Float32Array([0.1, 4.8, -0.26]))).toBe('[0.1, 4.8, -0.26]');
  });

  it('shows the first 100 items of a long array and counts the rest', () => {
    const text = formatValue(Array.from({ length: 105 }, (_, i) => i));
    expect(text.startsWith('[0, 1, 2, ')).toBe(true);
    expect(text).toContain(', 99, … 5 more]');
    expect(text).not.toContain('100');
  });

  it('prints objects as key: value pairs', () => {
    expect(formatValue({ loss: 0.1 + 0.2, sizes: [2, 3], nested: { ok: true } })).toBe('{ loss: 0.3, sizes: [2, 3], nested: { ok: true } }');
  });

  it('stops at depth 4 with …, so a cycle cannot loop forever', () => {
    expect(formatValue([[[[[1]]]]])).toBe('[[[[…]]]]');
    const cycle: Record<string, unknown> = { name: 'a' };
    cycle.self = cycle;
    expect(formatValue(cycle)).toBe('{ name: "a", self: { name: "a", self: { name: "a", self: { name: "a", self: … } } } }');
  });

  it('prints a Matrix with its shape and its aligned table', () => {
    expect(formatValue(Matrix.fromRows([[1, 2.5], [-3, 4]]))).toBe('Matrix 2×2\n[[ 1  2.5]\n [-3  4  ]]');
  });

  it('prints an Error as name: message', () => {
    expect(formatValue(new RangeError('out of range'))).toBe('RangeError: out of range');
  });
});

describe('outputFor', () => {
  it('makes a matrix output for a Matrix, whichever kind is asked for', () => {
    const m = Matrix.fromRows([[1]]);
    expect(outputFor(m, 'text').kind).toBe('matrix');
    expect(outputFor(m, 'value').kind).toBe('matrix');
  });

  it('makes a text or value output with the formatted value for anything else', () => {
    expect(outputFor(4.800000000000001, 'text')).toEqual({ kind: 'text', text: '4.8' });
    expect(outputFor([1, 'a'], 'value')).toEqual({ kind: 'value', text: '[1, "a"]' });
  });
});

describe('matrixOutput', () => {
  it('gives the shape, dtype and every value of a small matrix', () => {
    expect(matrixOutput(Matrix.fromRows([[1, 2, 3], [4.5, -0.25, 0]]))).toEqual({ kind: 'matrix', shape: '2×3', dtype: 'float32', rows: [['1', '2', '3'], ['4.5', '-0.25', '0']] });
  });

  it('formats float32 values with float32 precision and float64 values with float64 precision', () => {
    expect(matrixRows(matrixOutput(Matrix.fromRows([[0.1, 4.8]])))).toEqual([['0.1', '4.8']]);
    const m64 = Matrix.fromRows([[0.1 + 0.2, 1 / 3]], { dtype: 'float64' });
    expect(matrixOutput(m64)).toMatchObject({ dtype: 'float64', rows: [['0.3', '0.333333333333']] });
  });

  it('shows a 12 × 12 matrix whole', () => {
    const rows = matrixRows(matrixOutput(Matrix.zeros(12, 12)));
    expect(rows).toHaveLength(12);
    expect(rows.every((row) => row.length === 12 && !row.includes('…'))).toBe(true);
  });

  it('elides the middle of a 20 × 20 matrix with …, keeping the first and last 6 rows and columns', () => {
    const m = Matrix.fromRows(Array.from({ length: 20 }, (_, r) => Array.from({ length: 20 }, (_, c) => 100 * r + c)));
    const output = matrixOutput(m);
    expect(output).toMatchObject({ shape: '20×20', dtype: 'float32' });
    const rows = matrixRows(output);
    const kept = [0, 1, 2, 3, 4, 5, 14, 15, 16, 17, 18, 19];
    expect(rows).toHaveLength(13);
    expect(rows[6]).toEqual(Array(13).fill('…'));
    const visible = rows.filter((_, i) => i !== 6);
    visible.forEach((row, i) => {
      expect(row).toHaveLength(13);
      expect(row[6]).toBe('…');
      expect(row.filter((_, j) => j !== 6)).toEqual(kept.map((c) => String(100 * kept[i] + c)));
    });
  });

  it('elides only the long side of a tall, narrow matrix', () => {
    const rows = matrixRows(matrixOutput(Matrix.fromRows(Array.from({ length: 30 }, (_, r) => [r, -r]))));
    expect(rows).toHaveLength(13);
    expect(rows[0]).toEqual(['0', '0']);
    expect(rows[6]).toEqual(['…', '…']);
    expect(rows[12]).toEqual(['29', '-29']);
  });
});

describe('outputText', () => {
  it('gives text and value outputs as their text', () => {
    expect(outputText({ kind: 'text', text: 'printed' })).toBe('printed');
    expect(outputText({ kind: 'value', text: 'shown' })).toBe('shown');
  });

  it('gives a matrix as its rows, values separated by spaces', () => {
    expect(outputText({ kind: 'matrix', shape: '2×2', dtype: 'float32', rows: [['1', '2'], ['…', '4']] })).toBe('1 2\n… 4');
  });

  it('gives a figure as its type and title', () => {
    expect(outputText({ kind: 'figure', figure: { type: 'heatmap', rows: 1, cols: 1, values: [0] } })).toBe('[heatmap figure]');
    expect(outputText({ kind: 'figure', figure: { type: 'line', title: 'Loss', series: [] } })).toBe('[line figure: Loss]');
  });

  it('gives a check as ✓ or ✗ and its message', () => {
    expect(outputText({ kind: 'check', passed: true, message: 'right' })).toBe('✓ right');
    expect(outputText({ kind: 'check', passed: false, message: 'wrong' })).toBe('✗ wrong');
  });

  it('gives an error as name: message, with its line when known', () => {
    expect(outputText({ kind: 'error', name: 'TypeError', message: 'x is not a function', line: 3 })).toBe('TypeError: x is not a function (line 3)');
    expect(outputText({ kind: 'error', name: 'Error', message: 'a value was thrown: 42' })).toBe('Error: a value was thrown: 42');
  });
});

describe('figureSummary', () => {
  it('gives a line plot’s axes and, for each series, its first and last points and its range', () => {
    const summary = figureSummary({
      type: 'line',
      xLabel: 'epoch',
      yLabel: 'accuracy',
      series: [
        { name: 'Dense → Dense', x: [1, 2, 3, 4], y: [0.31, 0.45, 0.44, 0.44] },
        { name: 'Dense → ReLU → Dense', x: [1, 2, 3, 4], y: [0.33, 0.5, 0.8, 0.897] },
      ],
    });
    expect(summary).toBe(
      'Line plot of 2 series: epoch from 1 to 4 across, accuracy from 0.31 to 0.897 up. ' +
        'Dense → Dense: from 0.31 at 1 to 0.44 at 4, lowest 0.31, highest 0.45. ' +
        'Dense → ReLU → Dense: from 0.33 at 1 to 0.897 at 4, lowest 0.33, highest 0.897.',
    );
  });

  it('says when an axis is logarithmic and leaves out the values it cannot draw', () => {
    const summary = figureSummary({ type: 'line', xScale: 'log', xLabel: 'learning rate', series: [{ name: 'loss', x: [0, 0.001, 0.1], y: [5, 2, NaN] }] });
    expect(summary).toBe('Line plot of 1 series: learning rate (log scale) from 0.001 to 0.1 across, y from 2 to 5 up. loss: from 2 at 0.001 to 2 at 0.001, lowest 2, highest 2.');
  });

  it('counts a scatter plot’s points per class and gives the share of the area each region covers', () => {
    const summary = figureSummary({ type: 'scatter', x: [0, 1, 2], y: [0, 1, 0], labels: [1, 0, 1], xRange: [-1, 3], yRange: [-0.5, 1.5], boundary: { width: 2, height: 1, classes: [1, 1] } });
    expect(summary).toBe('Scatter plot of 3 points in 2 classes (1 of class 0, 2 of class 1), x from −1 to 3, y from −0.5 to 1.5. The background shows the class the model predicts at each place: class 1 100% of the area.');
  });

  it('gives a confusion matrix’s total, its diagonal and its largest mistakes, by class name', () => {
    const summary = figureSummary({ type: 'heatmap', rows: 2, cols: 2, values: [90, 10, 0, 100], rowLabels: ['cat', 'dog'], colLabels: ['cat', 'dog'], rowTitle: 'true', colTitle: 'predicted', counts: true });
    expect(summary).toBe('Heatmap of a 2 × 2 matrix of counts, true by row and predicted by column, 200 in all, each cell shaded by its count. The diagonal holds 190 (95%). Largest cells off the diagonal: 10 at true cat, predicted dog.');
  });

  it('gives a heatmap’s size, its range and its three largest values by size', () => {
    expect(figureSummary({ type: 'heatmap', rows: 2, cols: 3, values: [0.1, -0.9, 0.3, 0.2, 0.5, 0] })).toBe(
      'Heatmap of a 2 × 3 matrix, values from −0.9 to 0.5, blue below zero and red above. Largest in size: −0.9 at row 0, column 1; 0.5 at row 1, column 1; 0.3 at row 0, column 2.',
    );
  });

  it('gives the number and size of images, with their captions', () => {
    expect(figureSummary({ type: 'images', width: 28, height: 28, images: [[0], [1]], captions: ['seven', 'two'] })).toBe('2 images of 28 × 28 pixels: seven; two.');
  });

  it('gives a line plot’s fixed ranges as its axes, says which series are dashed, and lists the marked points', () => {
    const summary = figureSummary({
      type: 'line',
      xRange: [-2, 2],
      yRange: [0, 4],
      series: [{ name: 'curve', x: [-1, 0, 1], y: [1, 0, 1] }, { name: 'tangent', x: [0, 1], y: [-1, 1], dashed: true }],
      points: [{ x: 1, y: 1, label: 'touch' }, { x: 0, y: 0 }],
    });
    expect(summary).toBe(
      'Line plot of 2 series: x from −2 to 2 across, y from 0 to 4 up. curve: from 1 at −1 to 1 at 1, lowest 0, highest 1. tangent (dashed): from −1 at 0 to 1 at 1, lowest −1, highest 1. Marked: touch at (1, 1); at (0, 0).',
    );
  });

  it('reads a bar chart’s bars and values, its highest bar and the one picked out', () => {
    expect(figureSummary({ type: 'bar', yLabel: 'score', labels: ['a', 'b', 'c'], values: [-1.5, 2, 0.25], highlight: 0 })).toBe('Bar chart of 3 bars (score): a −1.5, b 2, c 0.25. Highest: b. Picked out: a.');
    expect(figureSummary({ type: 'bar', labels: ['only'], values: [1] })).toBe('Bar chart of 1 bar: only 1.');
  });

  it('reads a contour map’s ranges and levels, the lowest value on the grid and where, and each path’s steps, start and end', () => {
    // A 3 × 2 grid over x from 0 to 2 and y from 0 to 1, row 0 at the top (y = 1).
    const summary = figureSummary({
      type: 'contour',
      xLabel: 'w₁',
      xRange: [0, 2],
      yRange: [0, 1],
      width: 3,
      height: 2,
      values: [5, 4, 3, 2, 0.5, 1],
      levels: [1, 2, 4],
      log: true,
      paths: [{ name: 'SGD', points: [[0, 0], [0.5, 0.5], [1, 0]] }, { name: 'wild', points: [[1, 0.5], [9, 9]] }, { name: 'empty', points: [] }],
    });
    expect(summary).toBe(
      'Contour map of w₁ from 0 to 2 across and y from 0 to 1 up, 3 log-spaced levels from 1 to 4. Lowest on the grid: 0.5 at (1, 0). SGD: 2 steps from (0, 0) to (1, 0). wild: 1 step from (1, 0.5) to (9, 9), leaving the plotted range.',
    );
  });
});
