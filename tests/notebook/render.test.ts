// Checks that every kind of cell output renders to the expected hast tree: text in <pre>,
// matrices as tables, checks and errors, and figures (data in an SVG, ticks, legends and titles
// as HTML around it, a summary for screen readers; heatmaps as shaded tables or PNG images,
// decoded here); that nothing a cell prints becomes markup; and that the axes pick round ticks,
// whole numbers on an integer axis and powers of ten on a log axis.
import { describe, expect, it } from 'vitest';
import type { Figure, Output } from '../../site/notebook/outputs.ts';
import { PALETTE, RAMPS, REGION_ALPHA, contrast, logTicks, makeAxis, renderOutput, renderOutputs, tickLabel, ticks, type HElement, type HNode } from '../../site/notebook/render.ts';
import { barChart, contourPlot, linePlot } from '../../site/notebook/figures.ts';
import { formatNumber } from '../../lib/format.ts';
import { decodePNG, fromDataURL } from './read-png.ts';

/** Every element in the tree, the root first. */
function elements(node: HNode): HElement[] {
  if (node.type === 'text') return [];
  return [node, ...node.children.flatMap(elements)];
}

const byTag = (node: HNode, tagName: string): HElement[] => elements(node).filter((e) => e.tagName === tagName);

/** Every text node's value, in order. */
function textOf(node: HNode): string {
  return node.type === 'text' ? node.value : node.children.map(textOf).join('');
}

function figure(value: Figure): HElement {
  return renderOutput({ kind: 'figure', figure: value });
}

/** The elements whose class list holds `name`. */
const byClass = (node: HNode, name: string): HElement[] => elements(node).filter((e) => String(e.properties.class ?? '').split(' ').includes(name));

/** The one element with class `name`. */
function one(node: HNode, name: string): HElement {
  const found = byClass(node, name);
  expect(found, name).toHaveLength(1);
  return found[0];
}

/** The texts of the x or y tick labels, in order. */
const tickTexts = (tree: HElement, axis: 'x' | 'y'): string[] => byClass(tree, `tick-${axis}`).map(textOf);

/** A #rrggbb colour as [r, g, b]. */
const rgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

/** A style attribute's custom properties, by name. */
const styleOf = (element: HElement): Record<string, string> =>
  Object.fromEntries(String(element.properties.style ?? '').split(';').map((part) => part.split(':').map((side) => side.trim())).filter(([name]) => name));

/** The PNG behind an `<image href>` or `<img src>`. */
function pngOf(element: HElement): ReturnType<typeof decodePNG> {
  const url = String(element.properties.href ?? element.properties.src);
  expect(url.startsWith('data:image/png;base64,')).toBe(true);
  return decodePNG(fromDataURL(url));
}

describe('text, value and matrix outputs', () => {
  it('renders text in a <pre class="out out-text"> holding one text node', () => {
    expect(renderOutput({ kind: 'text', text: 'hello\nworld' })).toEqual({
      type: 'element',
      tagName: 'pre',
      properties: { class: 'out out-text' },
      children: [{ type: 'text', value: 'hello\nworld' }],
    });
  });

  it('renders a value in a <pre class="out out-value">', () => {
    const tree = renderOutput({ kind: 'value', text: '4.8' });
    expect(tree).toMatchObject({ tagName: 'pre', properties: { class: 'out out-value' }, children: [{ type: 'text', value: '4.8' }] });
  });

  it('renders a matrix as its shape and dtype above a table with one <td> per shown value', () => {
    const rows = [['1', '2', '3'], ['4', '…', '6']];
    const tree = renderOutput({ kind: 'matrix', shape: '2×3', dtype: 'float32', rows });
    expect(tree).toMatchObject({ tagName: 'div', properties: { class: 'out out-matrix' } });
    const [shape, scroll] = tree.children as HElement[];
    expect(shape).toMatchObject({ tagName: 'div', properties: { class: 'out-shape' } });
    expect(textOf(shape)).toBe('Matrix 2×3 · float32');
    expect(scroll).toMatchObject({ tagName: 'div', properties: { class: 'out-scroll' } });
    const table = byTag(scroll, 'table');
    expect(table).toHaveLength(1);
    const trs = byTag(table[0], 'tr');
    expect(trs).toHaveLength(2);
    expect(trs.map((tr) => tr.children.map((td) => (td as HElement).tagName))).toEqual([['td', 'td', 'td'], ['td', 'td', 'td']]);
    expect(trs.map((tr) => tr.children.map(textOf))).toEqual(rows);
    expect(byTag(tree, 'td')).toHaveLength(6);
    expect(byTag(tree, 'td')[4].children).toEqual([{ type: 'text', value: '…' }]);
  });
});

describe('check and error outputs', () => {
  it('renders a passing check with class pass and ✓', () => {
    const tree = renderOutput({ kind: 'check', passed: true, message: 'shapes agree' });
    expect(tree).toMatchObject({ tagName: 'p', properties: { class: 'out out-check pass' } });
    expect(textOf(tree)).toBe('✓ shapes agree');
  });

  it('renders a failing check with class fail and ✗', () => {
    const tree = renderOutput({ kind: 'check', passed: false, message: 'shapes agree' });
    expect(tree.properties.class).toBe('out out-check fail');
    expect(textOf(tree)).toBe('✗ shapes agree');
  });

  it('renders an error with role alert, its name in <strong>, its message and its line', () => {
    const tree = renderOutput({ kind: 'error', name: 'ShapeError', message: 'matmul: (3×4) · (3×3)', line: 7 });
    expect(tree).toMatchObject({ tagName: 'div', properties: { class: 'out out-error', role: 'alert' } });
    expect(tree.children[0]).toMatchObject({ tagName: 'strong', children: [{ type: 'text', value: 'ShapeError' }] });
    expect(tree.children[1]).toEqual({ type: 'text', value: ': matmul: (3×4) · (3×3)' });
    expect(tree.children[2]).toMatchObject({ tagName: 'span', properties: { class: 'out-line' } });
    expect(textOf(tree)).toBe('ShapeError: matmul: (3×4) · (3×3) (line 7)');
  });

  it('leaves the line out of an error that has none', () => {
    const tree = renderOutput({ kind: 'error', name: 'Error', message: 'a value was thrown: 42' });
    expect(byTag(tree, 'span')).toHaveLength(0);
    expect(textOf(tree)).toBe('Error: a value was thrown: 42');
  });

  it('renders a list of outputs in order, one tree each', () => {
    const trees = renderOutputs([{ kind: 'text', text: 'a' }, { kind: 'check', passed: true, message: 'b' }, { kind: 'value', text: 'c' }]);
    expect(trees.map((t) => t.tagName)).toEqual(['pre', 'p', 'pre']);
  });
});

describe('line figures', () => {
  const series = [
    { name: 'loss', x: [1, 2, 3], y: [3, 2, 1] },
    { name: 'accuracy', x: [1, 2, 3], y: [1, 1.5, 3] },
  ];

  it('renders a <figure> holding a chart with role img and a caption with the title', () => {
    const tree = figure({ type: 'line', title: 'Training', series });
    expect(tree).toMatchObject({ tagName: 'figure', properties: { class: 'out out-figure figure-line' } });
    expect(one(tree, 'chart').properties.role).toBe('img');
    expect(byTag(tree, 'figcaption').map(textOf)).toEqual(['Training']);
  });

  it('summarises the plot for screen readers: each series with its first and last values and its range, and the axes', () => {
    const label = String(one(figure({ type: 'line', xLabel: 'epoch', yLabel: 'value', series }), 'chart').properties['aria-label']);
    expect(label).toBe(
      'Line plot of 2 series: epoch from 1 to 3 across, value from 1 to 3 up. loss: from 3 at 1 to 1 at 3, lowest 1, highest 3. accuracy: from 1 at 1 to 3 at 3, lowest 1, highest 3.',
    );
  });

  it('draws one path per series in the data area, each with its own colour class', () => {
    const svg = one(figure({ type: 'line', series }), 'chart-svg');
    const paths = byTag(svg, 'path');
    expect(paths.map((p) => p.properties.class)).toEqual(['series s0', 'series s1']);
    expect(byTag(one(figure({ type: 'line', series: series.slice(0, 1) }), 'chart-svg'), 'path')).toHaveLength(1);
  });

  it('stretches the data area’s 1000 × 1000 viewBox to its box, so the first point is the top left and the last the bottom right', () => {
    const svg = one(figure({ type: 'line', series: series.slice(0, 1) }), 'chart-svg');
    expect(svg.properties).toMatchObject({ viewBox: '0 0 1000 1000', preserveAspectRatio: 'none' });
    expect(byTag(svg, 'path')[0].properties.d).toBe('M0 0L500 500L1000 1000');
  });

  it('breaks the line at a value that is not finite', () => {
    const [path] = byTag(one(figure({ type: 'line', series: [{ name: 'loss', x: [1, 2, 3], y: [3, NaN, 1] }] }), 'chart-svg'), 'path');
    expect(path.properties.d).toBe('M0 0M1000 1000');
  });

  it('puts the legend in the head above the data area, never inside it, one entry per series with its swatch', () => {
    const tree = figure({ type: 'line', series });
    const head = one(tree, 'chart-head');
    expect(byClass(head, 'chart-key').map(textOf)).toEqual(['loss', 'accuracy']);
    expect(byClass(head, 'chart-swatch').map((swatch) => byTag(swatch, 'line')[0].properties.class)).toEqual(['series s0', 'series s1']);
    expect(byClass(one(tree, 'chart-area'), 'chart-key')).toEqual([]);
  });

  it('leaves the legend out for one series whose name the y-axis title already gives', () => {
    expect(byClass(figure({ type: 'line', yLabel: 'loss', series: series.slice(0, 1) }), 'chart-legend')).toEqual([]);
    expect(byClass(figure({ type: 'line', series: series.slice(0, 1) }), 'chart-key').map(textOf)).toEqual(['loss']);
  });

  it('labels the axes and widens the y axis to round ticks at its ends', () => {
    const tree = figure({ type: 'line', xLabel: 'step', yLabel: 'loss', series: [{ name: 'loss', x: [0.5, 1, 1.5], y: [0.33, 0.62, 0.97] }] });
    expect(textOf(one(tree, 'chart-y-title'))).toBe('loss');
    expect(textOf(one(tree, 'chart-x-title'))).toBe('step');
    expect(tickTexts(tree, 'y')).toEqual(['0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9', '1']);
    expect(tickTexts(tree, 'x')).toEqual(['0.6', '0.8', '1', '1.2', '1.4']);
  });

  // An axis of whole epochs used to read 1, 1.5, 2, 2.5, 3.
  it('gives an axis of whole numbers (epochs, steps) whole-number ticks only', () => {
    const tree = figure({ type: 'line', xLabel: 'epoch', series: series.slice(0, 1) });
    expect(tickTexts(tree, 'x')).toEqual(['1', '2', '3']);
    expect(tickTexts(tree, 'y')).toEqual(['1', '2', '3']);
    for (const epochs of [2, 3, 4, 7, 12, 30, 300]) {
      const y = Array.from({ length: epochs }, (_, i) => 1 / (i + 1));
      const labels = tickTexts(figure({ type: 'line', series: [{ name: 'loss', x: y.map((_, i) => i + 1), y }] }), 'x');
      expect(labels.length, `${epochs} epochs`).toBeGreaterThanOrEqual(2);
      for (const label of labels) expect(label, `${epochs} epochs`).toMatch(/^\d+$/);
    }
  });

  it('places ticks by percent along the data area and sizes the margins to the longest labels, so none is cut', () => {
    const tree = figure({ type: 'line', series: [{ name: 'loss', x: [0, 10000], y: [-0.0125, 0.0125] }] });
    const xs = byClass(tree, 'tick-x');
    expect(xs.map((t) => styleOf(t).left)).toEqual(['0%', '20%', '40%', '60%', '80%', '100%']);
    const longestY = Math.max(...tickTexts(tree, 'y').map((t) => t.length));
    const { '--gutter': gutter, '--right': right } = styleOf(one(tree, 'chart'));
    expect(parseFloat(gutter)).toBeGreaterThanOrEqual(longestY);
    expect(parseFloat(right)).toBeGreaterThanOrEqual(textOf(xs[xs.length - 1]).length / 2);
    expect(tickTexts(tree, 'y')[0]).toBe('−0.015');
  });

  it('hides every other x tick on a narrow chart when there are more than five, never the last', () => {
    const tree = figure({ type: 'line', series: [{ name: 'loss', x: [0, 10000], y: [1, 2] }] });
    const alt = byClass(tree, 'tick-x').map((t) => String(t.properties.class).includes('tick-alt'));
    expect(alt).toEqual([true, false, true, false, true, false]);
    expect(byClass(figure({ type: 'line', series }), 'tick-alt')).toEqual([]);
  });

  it('draws a log x axis at powers of ten, says so in its title, and skips values that are not positive', () => {
    const x = [0, 1e-4, 1e-3, 1e-2, 0.1, 1];
    const tree = figure({ type: 'line', xScale: 'log', xLabel: 'learning rate', series: [{ name: 'loss', x, y: [9, 2, 1.5, 1, 1.2, 3] }] });
    expect(tickTexts(tree, 'x')).toEqual(['0.0001', '0.001', '0.01', '0.1', '1']);
    expect(textOf(one(tree, 'chart-x-title'))).toBe('learning rate (log scale)');
    const d = String(byTag(one(tree, 'chart-svg'), 'path')[0].properties.d);
    expect(d.match(/[ML]/g)).toHaveLength(5);
    expect(d.startsWith('M0 ')).toBe(true);
    expect(d).toMatch(/L1000 [\d.]+$/);
    // The y axis ignores the value at x = 0, which is not drawn: 9 would stretch it.
    expect(tickTexts(tree, 'y').at(-1)).toBe('3');
  });

  it('draws log-log axes for an error that shrinks over many powers of ten, labelled 10ⁿ', () => {
    const h = [1, 1e-2, 1e-4, 1e-6, 1e-8];
    const tree = figure({ type: 'line', xScale: 'log', yScale: 'log', yLabel: 'error', series: [{ name: 'error', x: h, y: h.map((v) => v * v + 1e-12) }] });
    expect(tickTexts(tree, 'x')).toEqual(['10⁻⁸', '10⁻⁷', '10⁻⁶', '10⁻⁵', '10⁻⁴', '10⁻³', '10⁻²', '10⁻¹', '10⁰']);
    expect(tickTexts(tree, 'y')).toEqual(['10⁻¹²', '10⁻¹⁰', '10⁻⁸', '10⁻⁶', '10⁻⁴', '10⁻²', '10⁰']);
    expect(textOf(one(tree, 'chart-y-title'))).toBe('error (log scale)');
  });

  it('thins a long series to about 600 points and keeps its last point', () => {
    const y = Array.from({ length: 6000 }, (_, i) => Math.sin(i / 100));
    const [path] = byTag(one(figure({ type: 'line', series: [{ name: 'long', x: y.map((_, i) => i + 1), y }] }), 'chart-svg'), 'path');
    const points = String(path.properties.d).match(/[ML]/g)!.length;
    expect(points).toBeGreaterThan(500);
    expect(points).toBeLessThanOrEqual(602);
    expect(String(path.properties.d)).toMatch(/L1000 [\d.]+$/);
  });

  it('renders a figure with no series without failing', () => {
    expect(one(figure({ type: 'line', series: [] }), 'chart').properties['aria-label']).toBe('Line plot of 0 series: x across, y up.');
  });
});

describe('scatter figures', () => {
  const base: Extract<Figure, { type: 'scatter' }> = {
    type: 'scatter',
    x: [0, 1, 2, 3],
    y: [0, 1, 0, 1],
    labels: [0, 1, 2, 1],
    xRange: [-0.5, 3.5],
    yRange: [-0.5, 1.5],
  };
  /** Each class's dots path, by its colour class. */
  const dotsOf = (tree: HElement): Record<string, string> =>
    Object.fromEntries(byClass(tree, 'dots').map((p) => [String(p.properties.class).replace('dots ', ''), String(p.properties.d)]));

  it('draws each class’s points as one path of dots in the class’s colour, over rings for every point', () => {
    const tree = figure(base);
    expect(Object.keys(dotsOf(tree))).toEqual(['c0', 'c1', 'c2']);
    expect(dotsOf(tree).c1.match(/h0/g)).toHaveLength(2);
    expect(String(one(tree, 'rings').properties.d).match(/h0/g)).toHaveLength(4);
    const order = elements(one(tree, 'chart-svg')).map((e) => String(e.properties.class));
    expect(order.indexOf('rings')).toBeLessThan(order.indexOf('dots c0'));
  });

  // The palette slot of label −1 (a ±1 target), 0.5 or NaN used to be undefined, and rendering
  // threw after the cell ran, so the build failed without naming the cell.
  it('renders points whose labels are not class indices (−1, 0.5, NaN) without failing', () => {
    const dots = dotsOf(figure({ ...base, labels: [-1, 0.5, NaN, 1] }));
    expect(Object.values(dots).join('').match(/h0/g)).toHaveLength(4);
    for (const name of Object.keys(dots)) expect(name).toMatch(/^c[0-7]$/);
  });

  it('places points by the figure’s ranges', () => {
    // x = 0 is an eighth of the way along −0.5…3.5; y = 0 a quarter of the way up −0.5…1.5.
    expect(dotsOf(figure(base)).c0).toBe('M125 750h0');
  });

  it('keeps the data area’s shape to the ranges’ (equal scales), within limits', () => {
    expect(styleOf(one(figure(base), 'chart'))['--ratio']).toBe('1.8');
    expect(styleOf(one(figure({ ...base, xRange: [-1, 1], yRange: [-1, 1] }), 'chart'))['--ratio']).toBe('1');
  });

  it('shows a legend of the classes and summarises the points and the regions', () => {
    const tree = figure({ ...base, boundary: { width: 2, height: 2, classes: [0, 0, 0, 1] } });
    expect(byClass(tree, 'chart-key').map(textOf)).toEqual(['class 0', 'class 1', 'class 2']);
    expect(one(tree, 'chart').properties['aria-label']).toBe(
      'Scatter plot of 4 points in 3 classes (1 of class 0, 2 of class 1, 1 of class 2), x from −0.5 to 3.5, y from −0.5 to 1.5. The background shows the class the model predicts at each place: class 0 75%, class 1 25% of the area.',
    );
  });

  it('draws no image without a decision boundary', () => {
    expect(byTag(figure(base), 'image')).toHaveLength(0);
  });

  it('draws the decision boundary under the points as a faint palette PNG, one pixel per grid cell, smoothed when scaled', () => {
    const classes = [0, 1, 2, 3, 4, 5, 12, 0, 1];
    const tree = figure({ ...base, boundary: { width: 3, height: 3, classes } });
    const images = byTag(tree, 'image');
    expect(images).toHaveLength(1);
    expect(images[0].properties).toMatchObject({ class: 'regions', width: 1000, height: 1000, preserveAspectRatio: 'none' });
    expect(images[0].properties.style).toBeUndefined(); // no image-rendering: pixelated
    const png = pngOf(images[0]);
    expect([png.width, png.height, png.colourType]).toEqual([3, 3, 3]);
    expect(png.pixels).toEqual(classes.map((c) => c % PALETTE.length));
    expect(Array.from(png.palette!.subarray(0, 6))).toEqual([...PALETTE[0], ...PALETTE[1]]);
    expect(new Set(png.transparency)).toEqual(new Set([REGION_ALPHA]));
    const order = elements(tree).map((e) => String(e.properties.class));
    expect(order.indexOf('regions')).toBeLessThan(order.indexOf('rings'));
  });
});

/** Every coordinate in path data. */
const coordinates = (d: string): number[] => (d.match(/-?[\d.]+(e-?\d+)?/g) ?? []).map(Number);

describe('line figures with fixed ranges, marked points and dashed series', () => {
  const steep = linePlot({ loss: [-5, 0.5, 9e12] }, { xRange: [1, 3], yRange: [0, 1] });

  it('keeps the axis ticks inside a fixed yRange and xRange, and ends the axes there rather than at round ticks around the data', () => {
    const tree = figure(steep);
    expect(tickTexts(tree, 'y')).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(tickTexts(tree, 'x')[0]).toBe('1');
    expect(tickTexts(tree, 'x').at(-1)).toBe('3');
    const shifted = figure(linePlot({ loss: [0.3, 0.31] }, { yRange: [-0.25, 2.5] }));
    expect(tickTexts(shifted, 'y')).toEqual(['0', '0.5', '1', '1.5', '2', '2.5']);
  });

  it('clips a line that leaves a fixed range to the data area, in a nested SVG that hides what overflows it, with no coordinate far outside', () => {
    const clip = one(figure(steep), 'chart-clip');
    expect(clip).toMatchObject({ tagName: 'svg', properties: { x: 0, y: 0, width: 1000, height: 1000, overflow: 'hidden' } });
    const [path] = byTag(clip, 'path');
    expect(path.properties.class).toBe('series s0');
    const numbers = coordinates(String(path.properties.d));
    expect(Math.min(...numbers)).toBeGreaterThanOrEqual(-1000);
    expect(Math.max(...numbers)).toBeLessThanOrEqual(2000);
  });

  it('draws the lines of autoscaled axes without a clip, so a line on the edge keeps its full width', () => {
    expect(byClass(figure(linePlot({ loss: [3, 2, 1] })), 'chart-clip')).toEqual([]);
  });

  it('gives a dashed series the dashed class, on its line and in its legend', () => {
    const tree = figure(linePlot({ curve: [1, 4, 9], tangent: [2, 4, 6] }, { dashed: ['tangent'] }));
    expect(byTag(one(tree, 'chart-svg'), 'path').map((p) => p.properties.class)).toEqual(['series s0', 'series s1 dashed']);
    expect(byClass(one(tree, 'chart-head'), 'chart-swatch').map((swatch) => byTag(swatch, 'line')[0].properties.class)).toEqual(['series s0', 'series s1 dashed']);
  });

  it('marks points as dots on rings over the lines, labels them beside the dot, and leaves out a point outside a fixed range', () => {
    const tree = figure(linePlot({ y: [0, 1, 2] }, { yRange: [0, 2], points: [{ x: 2, y: 1, label: 'touch' }, { x: 3, y: 2 }, { x: 1, y: 5, label: 'gone' }] }));
    const svg = one(tree, 'chart-svg');
    expect(one(svg, 'marks').properties.d).toBe('M500 500h0M1000 0h0');
    expect(one(svg, 'mark-rings').properties.d).toBe(one(svg, 'marks').properties.d);
    const order = elements(svg).map((e) => String(e.properties.class));
    expect(order.indexOf('series s0')).toBeLessThan(order.indexOf('marks'));
    const labels = byClass(tree, 'mark-label');
    expect(labels.map(textOf)).toEqual(['touch']);
    expect(styleOf(labels[0])).toEqual({ left: '50%', top: '50%' });
  });

  it('puts a label near the right edge to the left of its dot, and one near the top under it', () => {
    const tree = figure(linePlot({ y: [0, 1] }, { yRange: [0, 1], points: [{ x: 1.9, y: 0.95, label: 'corner' }] }));
    expect(one(tree, 'mark-label').properties.class).toBe('mark-label mark-label-left mark-label-below');
  });
});

describe('bar charts', () => {
  const softmax = barChart({ cat: 0.7, dog: 0.2, bird: 0.1 }, { yRange: [0, 1], yLabel: 'probability', highlight: 'cat' });

  it('draws one bar per value from the zero line, up for a positive value and down for a negative one', () => {
    const bars = byTag(figure(barChart({ up: 2, down: -1 })), 'rect');
    expect(bars).toHaveLength(2);
    // The axis runs from −1 to 2, so zero is a third of the way up.
    const [up, down] = bars.map((bar) => ({ top: Number(bar.properties.y), bottom: Number(bar.properties.y) + Number(bar.properties.height) }));
    expect(up).toEqual({ top: 0, bottom: 666.7 });
    expect(down.top).toBeCloseTo(666.7, 0);
    expect(down.bottom).toBeCloseTo(1000, 0);
  });

  it('draws the zero line when the axis goes below zero', () => {
    expect(byClass(figure(barChart([2, -1])), 'zero')).toHaveLength(1);
    expect(byClass(figure(softmax), 'zero')).toHaveLength(0);
  });

  it('prints each bar’s value at its end: above a rising bar, under a falling one, to three digits (two past six bars)', () => {
    const values = byClass(figure(barChart([0.12345, -2.5])), 'bar-value');
    expect(values.map(textOf)).toEqual(['0.123', '−2.5']);
    expect(values.map((v) => v.properties.class)).toEqual(['bar-value', 'bar-value bar-value-below']);
    const many = byClass(figure(barChart(Array.from({ length: 10 }, (_, i) => 0.12345 * (i + 1)))), 'bar-value').map(textOf);
    expect(many.slice(0, 3)).toEqual(['0.12', '0.25', '0.37']);
  });

  it('keeps the value axis to a fixed yRange and its ticks inside it', () => {
    const tree = figure(softmax);
    expect(tickTexts(tree, 'y')).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(byTag(tree, 'rect')[0].properties).toMatchObject({ y: 300, height: 700 });
    expect(one(tree, 'chart-y-title').children).toEqual([{ type: 'text', value: 'probability' }]);
  });

  it('names the bars in a row under the data area, one column each, and picks out the highlighted bar, its value and its name', () => {
    const tree = figure(softmax);
    const row = one(tree, 'bar-labels');
    expect(styleOf(row)).toEqual({ '--bars': '3' });
    expect(byClass(row, 'bar-label').map(textOf)).toEqual(['cat', 'dog', 'bird']);
    expect(byClass(tree, 'bar-picked').map((e) => e.tagName)).toEqual(['rect', 'span', 'span']);
    expect(byClass(tree, 'bar-picked').map(textOf)).toEqual(['', '0.7', 'cat']);
  });

  it('marks names too long to sit side by side on a phone, so that a narrow chart stands them on end', () => {
    const fashion = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
    expect(one(figure(barChart(fashion.map(() => 1), { labels: fashion })), 'bar-labels').properties.class).toBe('bar-labels bar-labels-long');
    expect(one(figure(barChart(fashion.map(() => 1))), 'bar-labels').properties.class).toBe('bar-labels');
    expect(one(figure(softmax), 'bar-labels').properties.class).toBe('bar-labels');
  });

  it('summarises every bar and its value, the highest, and the one picked out', () => {
    expect(one(figure(softmax), 'chart').properties['aria-label']).toBe('Bar chart of 3 bars (probability): cat 0.7, dog 0.2, bird 0.1. Highest: cat. Picked out: cat.');
  });
});

describe('contour maps', () => {
  const bowl = contourPlot((x, y) => x * x + 4 * y * y, {
    xRange: [-2, 2],
    yRange: [-1, 1],
    levels: 5,
    resolution: 40,
    paths: { SGD: [[-1.5, 0.8], [-1, 0.4], [-0.5, 0.1], [0, 0]], wild: [[1, 0.5], [3, -2], [1e9, 1e9]] },
  });
  const tree = figure(bowl);

  it('draws the bands as one palette PNG per theme, a pixel per grid point, from the palest band at the bottom to deeper ones', () => {
    const images = byTag(tree, 'image');
    expect(images.map((image) => image.properties.class)).toEqual(['bands bands-light', 'bands bands-dark']);
    const light = pngOf(images[0]);
    expect([light.width, light.height]).toEqual([bowl.width, bowl.height]);
    // The centre is the lowest band (0), the corners the highest (5 levels lie below them).
    const centre = Math.floor(bowl.height / 2) * bowl.width + Math.floor(bowl.width / 2);
    expect(light.pixels[centre]).toBe(0);
    expect(light.pixels[0]).toBe(5);
    const shade = (png: typeof light, band: number): number => png.palette![3 * band] + png.palette![3 * band + 1] + png.palette![3 * band + 2];
    expect(shade(light, 5)).toBeLessThan(shade(light, 0)); // deeper is darker in the light theme
    const dark = pngOf(images[1]);
    expect(shade(dark, 5)).toBeGreaterThan(shade(dark, 0)); // and brighter in the dark one
  });

  it('draws the iso-lines as one path, and each path as a line with its steps, a ring at its start and a mark at its end, all clipped to the data area', () => {
    const clip = one(tree, 'chart-clip');
    expect(one(clip, 'iso').properties.d).toMatch(/^M[\d.]+ [\d.]+L/);
    expect(byClass(clip, 'series').map((p) => p.properties.class)).toEqual(['series s0', 'series s1']);
    expect(byClass(clip, 'dots')[0].properties.d).toBe('M250 300h0M375 450h0');
    expect(byClass(clip, 'trail-start')[0].properties.d).toBe('M125 100h0');
    expect(byClass(clip, 'trail-end')[0].properties.d).toBe('M500 500h0');
  });

  it('clips a path that leaves the range rather than widening the axes, and draws no mark far outside', () => {
    expect(tickTexts(tree, 'x')[0]).toBe('−2');
    expect(tickTexts(tree, 'x').at(-1)).toBe('2');
    const wild = byClass(one(tree, 'chart-clip'), 'series')[1];
    const numbers = coordinates(String(wild.properties.d));
    expect(Math.max(...numbers.map(Math.abs))).toBeLessThanOrEqual(2000);
    expect(byClass(tree, 'trail-end')[1].properties.d).toBe('');
  });

  it('keeps equal scales: the data area is as wide for its height as the ranges are', () => {
    expect(styleOf(one(tree, 'chart'))['--ratio']).toBe('1.8');
    expect(styleOf(one(figure(contourPlot((x, y) => x + y, { xRange: [0, 1], yRange: [0, 1], resolution: 5 })), 'chart'))['--ratio']).toBe('1');
  });

  it('names the paths in the legend, with the range of values beside them', () => {
    const head = one(tree, 'chart-head');
    const keys = byClass(head, 'chart-key');
    expect(keys.slice(0, 2).map(textOf)).toEqual(['SGD', 'wild']);
    // The lowest and highest values on the grid: the grid misses the minimum, 0, by a little.
    const lowest = Math.min(...bowl.values);
    expect(lowest).toBeGreaterThan(0);
    expect(one(keys[2], 'chart-ramp').children.map(textOf)).toEqual([formatNumber(lowest, { digits: 3 }), '', '8']);
  });
});

describe('heatmap figures drawn as images', () => {
  // Past 32 rows or columns a heatmap is an image: one pixel per value.
  const values = [-2, 0, 1, 2, 0.5, NaN, ...new Array(40 * 40 - 6).fill(0)];
  const big = { type: 'heatmap', rows: 40, cols: 40, values } as const;

  it('draws the matrix as a palette PNG, one pixel per value, zero in the middle of the ramp', () => {
    const images = byTag(figure(big), 'image');
    expect(images).toHaveLength(1);
    expect(images[0].properties.class).toBe('cells');
    const png = pngOf(images[0]);
    expect([png.width, png.height, png.colourType]).toEqual([40, 40, 3]);
    expect(png.palette).toHaveLength(256 * 3);
    expect(png.transparency).toHaveLength(256);
    // −limit → 0, 0 → 128, +limit → 255; a value that is not finite is drawn as 0.
    expect(png.pixels.slice(0, 6)).toEqual([0, 128, 191, 255, 159, 128]);
  });

  it('colours negative values blue and positive ones red, fading to transparent at zero so it sits on either theme', () => {
    const png = pngOf(byTag(figure(big), 'image')[0]);
    const colour = (index: number): number[] => Array.from(png.palette!.subarray(3 * index, 3 * index + 3));
    expect(colour(png.pixels[0])).toEqual([33, 102, 172]);
    expect(colour(png.pixels[3])).toEqual([178, 24, 43]);
    expect(png.transparency![png.pixels[0]]).toBe(255);
    expect(png.transparency![png.pixels[3]]).toBe(255);
    expect(png.transparency![png.pixels[1]]).toBeLessThanOrEqual(1);
  });

  it('labels the colour ramp with ± the largest magnitude, the axes with the shape, and summarises the largest cells', () => {
    const tree = figure(big);
    expect(textOf(one(tree, 'chart-ramp'))).toBe('−2+2');
    expect(textOf(one(tree, 'chart-x-title'))).toBe('column (of 40)');
    expect(textOf(one(tree, 'chart-y-title'))).toBe('row (of 40)');
    expect(one(tree, 'chart').properties['aria-label']).toBe(
      'Heatmap of a 40 × 40 matrix, values from −2 to 2, blue below zero and red above. Largest in size: −2 at row 0, column 0; 2 at row 0, column 3; 1 at row 0, column 2.',
    );
  });

  // Math.max(...values) passes every value as an argument; past about 125,000 values (e.g. the
  // weights of a Dense(784, 256) layer) that overflows the stack and the build fails.
  it('renders the heatmap of a 400 × 400 matrix', () => {
    const many = Array.from({ length: 400 * 400 }, (_, i) => Math.sin(i));
    const png = pngOf(byTag(figure({ type: 'heatmap', rows: 400, cols: 400, values: many }), 'image')[0]);
    expect([png.width, png.height]).toEqual([400, 400]);
  });
});

describe('heatmap figures drawn as tables (confusion matrices)', () => {
  const classes = ['cat', 'dog', 'T-shirt/top'];
  const confusion: Extract<Figure, { type: 'heatmap' }> = { type: 'heatmap', rows: 3, cols: 3, values: [50, 2, 0, 7, 41, 1, 0, 0, 1135], rowLabels: classes, colLabels: classes, rowTitle: 'true', colTitle: 'predicted', counts: true };

  it('prints every count in its cell, row by row', () => {
    const rows = byTag(byTag(figure(confusion), 'tbody')[0], 'tr');
    expect(rows.map((row) => byClass(row, 'heat-cell').map(textOf))).toEqual([['50', '2', '0'], ['7', '41', '1'], ['0', '0', '1135']]);
  });

  // The lab's table read "0 0", "1 1": an index and a class name.
  it('names each class once on each axis, as header cells, under the titles “true” and “predicted”', () => {
    const tree = figure(confusion);
    expect(byTag(tree, 'th').filter((th) => th.properties.scope === 'col' && String(th.properties.class).includes('heat-col')).map(textOf)).toEqual(classes);
    expect(byTag(tree, 'th').filter((th) => th.properties.scope === 'row').map(textOf)).toEqual(classes);
    expect(textOf(one(tree, 'heat-col-title'))).toBe('predicted →');
    expect(textOf(one(tree, 'heat-row-title'))).toBe('true ↓');
    expect(textOf(byTag(tree, 'tbody')[0])).not.toMatch(/\d cat|\d dog/);
  });

  it('shades cells by count along one ramp per theme, from the palest (0) to the deepest (the largest count)', () => {
    const cells = byClass(figure(confusion), 'heat-cell').map(styleOf);
    expect(cells[2]['--fill']).toBe(RAMPS.counts.light[0]);
    expect(cells[8]['--fill']).toBe(RAMPS.counts.light.at(-1));
    expect(cells[8]['--fill-dark']).toBe(RAMPS.counts.dark.at(-1));
    const lightness = (hex: string): number => rgb(hex).reduce((a, b) => a + b, 0);
    // More is darker in the light theme and brighter in the dark theme.
    expect(lightness(cells[0]['--fill'])).toBeLessThan(lightness(cells[1]['--fill']));
    expect(lightness(cells[0]['--fill-dark'])).toBeGreaterThan(lightness(cells[1]['--fill-dark']));
  });

  it('prints every number at 4.5:1 or more against its cell, in both themes, whatever the count', () => {
    const ramp = Array.from({ length: 101 }, (_, i) => i * i);
    const tree = figure({ type: 'heatmap', rows: 1, cols: ramp.length, values: ramp, counts: true });
    const wide = figure({ type: 'heatmap', rows: 1, cols: 11, values: [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5] });
    for (const cell of [...byClass(tree, 'heat-cell'), ...byClass(wide, 'heat-cell'), ...byClass(figure(confusion), 'heat-cell')]) {
      const style = styleOf(cell);
      expect(contrast(rgb(style['--fill']), rgb(style['--ink'])), style['--fill']).toBeGreaterThanOrEqual(4.5);
      expect(contrast(rgb(style['--fill-dark']), rgb(style['--ink-dark'])), style['--fill-dark']).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('stands long column names on end and marks the diagonal', () => {
    const tree = figure(confusion);
    expect(byClass(tree, 'heat-col-long')).toHaveLength(3);
    expect(byClass(tree, 'heat-diagonal').map(textOf)).toEqual(['50', '41', '1135']);
    expect(byClass(figure({ ...confusion, rowLabels: ['0', '1', '2'], colLabels: ['0', '1', '2'] }), 'heat-col-long')).toEqual([]);
  });

  it('gives the table a caption for screen readers: its size, total, diagonal and largest mistakes', () => {
    expect(textOf(byTag(figure(confusion), 'caption')[0])).toBe(
      'Heatmap of a 3 × 3 matrix of counts, true by row and predicted by column, 1240 in all, each cell shaded by its count. The diagonal holds 1230 (99.2%). Largest cells off the diagonal: 7 at true dog, predicted cat; 2 at true cat, predicted dog; 1 at true dog, predicted T-shirt/top.',
    );
  });

  it('draws a small matrix of signed values as a table too, on the diverging ramp, numbers to three digits', () => {
    const tree = figure({ type: 'heatmap', rows: 2, cols: 2, values: [-1, 0.123456, 0, 1] });
    expect(byClass(tree, 'heat-cell').map(textOf)).toEqual(['−1', '0.123', '0', '1']);
    const fills = byClass(tree, 'heat-cell').map((cell) => styleOf(cell)['--fill']);
    expect([fills[0], fills[2], fills[3]]).toEqual([RAMPS.diverging.light[0], RAMPS.diverging.light[2], RAMPS.diverging.light[4]]);
    expect(byTag(tree, 'th').filter((th) => th.properties.scope === 'col').map(textOf)).toEqual(['0', '1']);
  });
});

describe('image figures', () => {
  it('draws each image as an <img> with a PNG of its grey levels and its caption', () => {
    const tree = figure({ type: 'images', width: 2, height: 2, images: [[0, 0.2, 0.5, 1], [1, 1, 0, 0]], captions: ['seven'] });
    const container = byTag(tree, 'div');
    expect(container[0].properties.class).toBe('out-images');
    const imgs = byTag(tree, 'img');
    expect(imgs).toHaveLength(2);
    expect(imgs.map((img) => img.properties.alt)).toEqual(['seven', 'image 2']);
    expect(byTag(tree, 'figcaption').map(textOf)).toEqual(['seven']);
    const first = pngOf(imgs[0]);
    expect([first.width, first.height, first.colourType]).toEqual([2, 2, 0]);
    expect(first.pixels).toEqual([0, 51, 128, 255]);
    expect(pngOf(imgs[1]).pixels).toEqual([255, 255, 0, 0]);
  });
});

describe('nothing a cell prints becomes markup', () => {
  const evil = '<script>alert(1)</script>';

  it('keeps <script> in a text output as a single text node', () => {
    const tree = renderOutput({ kind: 'text', text: evil });
    expect(tree.children).toEqual([{ type: 'text', value: evil }]);
    expect(elements(tree)).toHaveLength(1);
  });

  it('never turns cell text into an element or attribute name, whatever the output', () => {
    const outputs: Output[] = [
      { kind: 'text', text: evil },
      { kind: 'value', text: evil },
      { kind: 'matrix', shape: evil, dtype: evil, rows: [[evil]] },
      { kind: 'check', passed: false, message: evil },
      { kind: 'error', name: evil, message: evil, line: 1 },
      { kind: 'figure', figure: { type: 'line', title: evil, xLabel: evil, yLabel: evil, series: [{ name: evil, x: [1, 2], y: [1, 2] }, { name: evil, x: [1, 2], y: [2, 1] }] } },
      { kind: 'figure', figure: { type: 'heatmap', title: evil, rows: 1, cols: 2, values: [1, 2], rowLabels: [evil], colLabels: [evil, evil], rowTitle: evil, colTitle: evil, counts: true } },
      { kind: 'figure', figure: { type: 'heatmap', title: evil, rows: 1, cols: 40, values: new Array(40).fill(1), rowTitle: evil, colTitle: evil } },
      { kind: 'figure', figure: { type: 'images', title: evil, width: 1, height: 1, images: [[0]], captions: [evil] } },
    ];
    const tags = new Set(['pre', 'div', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'p', 'strong', 'span', 'ul', 'li', 'figure', 'figcaption', 'svg', 'line', 'rect', 'path', 'circle', 'img', 'image']);
    const attributes = new Set(['class', 'role', 'aria-label', 'aria-hidden', 'focusable', 'viewBox', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'width', 'height', 'd', 'href', 'src', 'alt', 'preserveAspectRatio', 'style', 'colspan', 'rowspan', 'scope']);
    for (const tree of renderOutputs(outputs)) {
      for (const element of elements(tree)) {
        expect(tags.has(element.tagName), element.tagName).toBe(true);
        for (const name of Object.keys(element.properties)) expect(attributes.has(name), name).toBe(true);
        // Style attributes hold only numbers, percents and colours the renderer computed.
        if (element.properties.style !== undefined) expect(String(element.properties.style)).not.toContain('<');
      }
      expect(textOf(tree) + JSON.stringify(elements(tree).map((e) => e.properties))).toContain(evil);
    }
  });
});

describe('ticks', () => {
  it('gives round values covering the range, about as many as asked for', () => {
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(ticks(-1, 1)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(ticks(1.3, 8.7)).toEqual([2, 4, 6, 8]);
    expect(ticks(0, 0.003)).toEqual([0, 0.0005, 0.001, 0.0015, 0.002, 0.0025, 0.003]);
    expect(ticks(0, 0.3)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
    expect(ticks(-3, 3)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
  });

  it('gives only whole numbers on an integer axis, however short', () => {
    expect(ticks(1, 3, 5, { integer: true })).toEqual([1, 2, 3]);
    expect(ticks(1, 2, 5, { integer: true })).toEqual([1, 2]);
    expect(ticks(0, 4, 5, { integer: true })).toEqual([0, 1, 2, 3, 4]);
    expect(ticks(1, 300, 5, { integer: true })).toEqual([50, 100, 150, 200, 250, 300]);
    expect(ticks(1, 12, 5, { integer: true })).toEqual([2, 4, 6, 8, 10, 12]);
    expect(ticks(1, 3)).toEqual([1, 1.5, 2, 2.5, 3]); // what it gave before, for any axis
  });

  it('gives values free of floating-point noise', () => {
    for (const t of ticks(0.1, 0.9)) expect(String(t)).toMatch(/^\d(\.\d)?$/);
  });

  it('spaces the values evenly by 1, 2 or 5 times a power of ten, all inside the range and none missing at either end', () => {
    const ranges: Array<[number, number]> = [[0, 1], [-3.7, 12.2], [0.001, 0.0047], [1200, 98000], [-1e-5, 3e-5], [2, 2.9], [-50, -49.2], [0, 7]];
    for (const [low, high] of ranges) {
      const values = ticks(low, high);
      expect(values.length, `${low}…${high}`).toBeGreaterThanOrEqual(2);
      expect(values.length, `${low}…${high}`).toBeLessThanOrEqual(11);
      const step = values[1] - values[0];
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6), `step ${step}`).toBe(true);
      values.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(low - step * 1e-9);
        expect(v).toBeLessThanOrEqual(high + step * 1e-9);
        if (i > 0) expect(v - values[i - 1]).toBeCloseTo(step, 9);
        expect(Math.abs(v / step - Math.round(v / step))).toBeLessThan(1e-6); // a multiple of the step
      });
      expect(values[0] - low).toBeLessThan(step);
      expect(high - values[values.length - 1]).toBeLessThan(step);
    }
  });

  it('gives the single value of an empty range', () => {
    expect(ticks(0.5, 0.5)).toEqual([0.5]);
    expect(ticks(3, 1)).toEqual([3]);
  });
});

describe('axes', () => {
  it('widens a nice axis to ticks of the same step as those inside it', () => {
    const axis = makeAxis([1.108, 2.1], { nice: true });
    expect(axis.domain).toEqual([1, 2.2]);
    expect(axis.ticks).toEqual([1, 1.2, 1.4, 1.6, 1.8, 2, 2.2]);
  });

  it('gives log ticks at powers of ten, at 1, 2 and 5 within two decades, and thins them past ten', () => {
    expect(logTicks(1e-4, 1)).toEqual([1e-4, 1e-3, 0.01, 0.1, 1]);
    expect(logTicks(1, 50)).toEqual([1, 2, 5, 10, 20, 50]);
    expect(logTicks(1e-12, 1)).toEqual([1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1]);
  });

  it('labels ticks with a true minus sign, and powers of ten as 10ⁿ when asked', () => {
    expect(tickLabel(-0.5)).toBe('−0.5');
    expect(tickLabel(0.001)).toBe('0.001');
    expect(tickLabel(1e-8, true)).toBe('10⁻⁸');
    expect(tickLabel(1, true)).toBe('10⁰');
    expect(tickLabel(2e-8, true)).toBe('2e-8');
  });

  it('makes an axis of whole numbers only when every value is one', () => {
    expect(makeAxis([1, 2, 3]).ticks).toEqual([1, 2, 3]);
    expect(makeAxis([1, 2, 2.5]).ticks).toEqual([1, 1.2, 1.4, 1.6, 1.8, 2, 2.2, 2.4]);
    expect(makeAxis([5, 5]).ticks).toEqual([4, 5, 6]);
  });
});
