// Checks that every kind of cell output renders to the expected hast tree: text in <pre>,
// matrices as tables, checks and errors, and figures as SVG with PNG data URLs decoded here;
// that nothing a cell prints becomes markup; and that ticks() picks round axis values.
import { describe, expect, it } from 'vitest';
import type { Figure, Output } from '../../site/notebook/outputs.ts';
import { PALETTE, renderOutput, renderOutputs, ticks, type HElement, type HNode } from '../../site/notebook/render.ts';
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

/** The single SVG a figure renders. */
function svgOf(tree: HElement): HElement {
  const svgs = byTag(tree, 'svg');
  expect(svgs).toHaveLength(1);
  return svgs[0];
}

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

  it('renders a <figure> holding an SVG and a caption with the title', () => {
    const tree = figure({ type: 'line', title: 'Training', series });
    expect(tree).toMatchObject({ tagName: 'figure', properties: { class: 'out out-figure' } });
    const svg = svgOf(tree);
    expect(svg.properties).toMatchObject({ role: 'img', 'aria-label': 'Training' });
    expect(byTag(tree, 'figcaption').map(textOf)).toEqual(['Training']);
  });

  it('draws one path per series', () => {
    expect(byTag(figure({ type: 'line', series }), 'path')).toHaveLength(2);
    expect(byTag(figure({ type: 'line', series: series.slice(0, 1) }), 'path')).toHaveLength(1);
  });

  it('maps the first point to the top left of the plot area and the last to the bottom right', () => {
    // x 1…3 spans 56…584 and y 1…3 spans 276…16 in the 600 × 320 viewBox.
    const [path] = byTag(figure({ type: 'line', series: series.slice(0, 1) }), 'path');
    expect(path.properties.d).toBe('M56 16L320 146L584 276');
  });

  it('breaks the line at a value that is not finite', () => {
    const [path] = byTag(figure({ type: 'line', series: [{ name: 'loss', x: [1, 2, 3], y: [3, NaN, 1] }] }), 'path');
    expect(path.properties.d).toBe('M56 16M584 276');
  });

  it('gives each series its own colour and a legend entry with its name', () => {
    const tree = figure({ type: 'line', series });
    const strokes = byTag(tree, 'path').map((p) => p.properties.stroke);
    expect(new Set(strokes).size).toBe(2);
    const texts = byTag(tree, 'text').map(textOf);
    expect(texts).toContain('loss');
    expect(texts).toContain('accuracy');
  });

  it('labels the axes and draws round tick values', () => {
    const tree = figure({ type: 'line', xLabel: 'epoch', yLabel: 'loss', series: series.slice(0, 1) });
    const texts = byTag(tree, 'text').map(textOf);
    expect(texts).toEqual(expect.arrayContaining(['epoch', 'loss', '1', '1.5', '2', '2.5', '3']));
  });

  it('thins a long series to about 600 points and keeps its last point', () => {
    const y = Array.from({ length: 6000 }, (_, i) => Math.sin(i / 100));
    const [path] = byTag(figure({ type: 'line', series: [{ name: 'long', x: y.map((_, i) => i + 1), y }] }), 'path');
    const points = String(path.properties.d).match(/[ML]/g)!.length;
    expect(points).toBeGreaterThan(500);
    expect(points).toBeLessThanOrEqual(602);
    expect(String(path.properties.d)).toMatch(/L584 [\d.]+$/);
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

  it('draws one circle per point, coloured by its class', () => {
    const circles = byTag(figure(base), 'circle');
    expect(circles).toHaveLength(4);
    expect(circles.map((c) => c.properties.fill)).toEqual([0, 1, 2, 1].map((k) => `rgb(${PALETTE[k].join(' ')})`));
  });

  // colour(label) indexes PALETTE[label % 10]: a label of −1 (a ±1 target), 0.5 or NaN gives
  // undefined, and rendering throws "Cannot read properties of undefined (reading 'join')",
  // after the cell ran, so the build fails without naming the cell.
  it('renders points whose labels are not class indices (−1, 0.5, NaN) without failing', () => {
    const circles = byTag(figure({ ...base, labels: [-1, 0.5, NaN, 1] }), 'circle');
    expect(circles).toHaveLength(4);
    for (const circle of circles) expect(String(circle.properties.fill)).toMatch(/^rgb\(\d+ \d+ \d+\)$/);
  });

  it('places points by the figure’s ranges', () => {
    const [first] = byTag(figure(base), 'circle');
    // x = 0 is an eighth of the way along 56…584; y = 0 a quarter of the way up 376…16 (height 420).
    expect(first.properties.cx).toBe(122);
    expect(first.properties.cy).toBe(286);
  });

  it('draws no image without a decision boundary', () => {
    expect(byTag(figure(base), 'image')).toHaveLength(0);
  });

  it('draws the decision boundary as a palette PNG with one pixel per grid cell', () => {
    const classes = [0, 1, 2, 3, 4, 5, 12, 0, 1];
    const tree = figure({ ...base, boundary: { width: 3, height: 3, classes } });
    const images = byTag(tree, 'image');
    expect(images).toHaveLength(1);
    expect(String(images[0].properties.href)).toMatch(/^data:image\/png;base64,/);
    const png = pngOf(images[0]);
    expect([png.width, png.height, png.colourType]).toEqual([3, 3, 3]);
    expect(png.pixels).toEqual(classes.map((c) => c % PALETTE.length));
    expect(Array.from(png.palette!.subarray(0, 6))).toEqual([...PALETTE[0], ...PALETTE[1]]);
    expect(new Set(png.transparency)).toEqual(new Set([90]));
    // The image goes under the points.
    const order = elements(tree).map((e) => e.tagName);
    expect(order.indexOf('image')).toBeLessThan(order.indexOf('circle'));
  });
});

describe('heatmap figures', () => {
  const values = [-2, 0, 1, 2, 0.5, NaN];

  it('draws the matrix as a palette PNG, one pixel per value, zero in the middle of the ramp', () => {
    const images = byTag(figure({ type: 'heatmap', rows: 2, cols: 3, values }), 'image');
    expect(images).toHaveLength(1);
    const png = pngOf(images[0]);
    expect([png.width, png.height, png.colourType]).toEqual([3, 2, 3]);
    expect(png.palette).toHaveLength(256 * 3);
    expect(png.transparency).toHaveLength(256);
    // −limit → 0, 0 → 128, +limit → 255; a value that is not finite is drawn as 0.
    expect(png.pixels).toEqual([0, 128, 191, 255, 159, 128]);
  });

  it('colours negative values blue, zero white and positive values red', () => {
    const png = pngOf(byTag(figure({ type: 'heatmap', rows: 1, cols: 3, values: [-1, 0, 1] }), 'image')[0]);
    const colour = (index: number): number[] => Array.from(png.palette!.subarray(3 * index, 3 * index + 3));
    expect(colour(png.pixels[0])).toEqual([59, 76, 192]);
    expect(colour(png.pixels[2])).toEqual([180, 4, 38]);
    expect(colour(png.pixels[1]).every((c) => c >= 250)).toBe(true);
  });

  it('labels the colour scale with ± the largest magnitude and the shape', () => {
    const texts = byTag(figure({ type: 'heatmap', rows: 2, cols: 3, values }), 'text').map(textOf);
    expect(texts).toEqual(['+2', '0', '−2', '2 × 3']);
  });

  // Math.max(...values) passes every value as an argument; past about 125,000 values (e.g. the
  // weights of a Dense(784, 256) layer) that overflows the stack and the build fails.
  it('renders the heatmap of a 400 × 400 matrix', () => {
    const big = Array.from({ length: 400 * 400 }, (_, i) => Math.sin(i));
    const png = pngOf(byTag(figure({ type: 'heatmap', rows: 400, cols: 400, values: big }), 'image')[0]);
    expect([png.width, png.height]).toEqual([400, 400]);
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
      { kind: 'figure', figure: { type: 'line', title: evil, xLabel: evil, yLabel: evil, series: [{ name: evil, x: [1, 2], y: [1, 2] }] } },
      { kind: 'figure', figure: { type: 'images', title: evil, width: 1, height: 1, images: [[0]], captions: [evil] } },
    ];
    const tags = new Set(['pre', 'div', 'table', 'tbody', 'tr', 'td', 'p', 'strong', 'span', 'figure', 'figcaption', 'svg', 'line', 'text', 'rect', 'path', 'img', 'image', 'circle']);
    const attributes = new Set(['class', 'role', 'aria-label', 'viewBox', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'width', 'height', 'd', 'fill', 'stroke', 'stroke-width', 'text-anchor', 'transform', 'href', 'src', 'alt', 'preserveAspectRatio', 'style']);
    for (const tree of renderOutputs(outputs)) {
      for (const element of elements(tree)) {
        expect(tags.has(element.tagName), element.tagName).toBe(true);
        for (const name of Object.keys(element.properties)) expect(attributes.has(name), name).toBe(true);
      }
      expect(textOf(tree) + JSON.stringify(elements(tree).map((e) => e.properties))).toContain(evil);
    }
  });
});

describe('ticks', () => {
  it('gives round values covering the range', () => {
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(ticks(-1, 1)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(ticks(1.3, 8.7)).toEqual([2, 4, 6, 8]);
    expect(ticks(0, 0.003)).toEqual([0, 0.001, 0.002, 0.003]);
    expect(ticks(0, 0.3)).toEqual([0, 0.1, 0.2, 0.3]);
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
