// Renders cell outputs as a hast tree (HTML as plain data): text in <pre>, matrices as tables,
// checks, errors with their line, and figures as SVG drawn here from numbers. The build puts
// the tree into the static page; the page turns the same tree into DOM nodes. No cell output is
// ever parsed as HTML, so nothing a reader prints can become markup.
import type { Figure, HeatmapFigure, ImagesFigure, LineFigure, Output, ScatterFigure } from './outputs.ts';
import { encodePNG, pngDataURL } from './png.ts';
import { formatNumber } from '../../lib/format.ts';

/** A hast text node. */
export interface HText {
  type: 'text';
  value: string;
}

/** A hast element. */
export interface HElement {
  type: 'element';
  tagName: string;
  properties: Record<string, string | number | boolean>;
  children: HNode[];
}

/** A node of the rendered tree. */
export type HNode = HElement | HText;

/** Builds an element; strings among the children become text nodes. */
export function h(tagName: string, properties: HElement['properties'] = {}, children: Array<HNode | string> = []): HElement {
  return { type: 'element', tagName, properties, children: children.map((child) => (typeof child === 'string' ? { type: 'text', value: child } : child)) };
}

/** Colours for classes and series (Tableau 10), readable on light and dark backgrounds. */
export const PALETTE: Array<[number, number, number]> = [
  [78, 121, 167], [242, 142, 43], [225, 87, 89], [118, 183, 178], [89, 161, 79],
  [237, 201, 72], [176, 122, 161], [255, 157, 167], [156, 117, 95], [186, 176, 172],
];
/** The palette slot of class or series i; labels that are not whole numbers (−1, 0.5, NaN) still get one. */
const slot = (i: number): number => (((Math.trunc(i) || 0) % PALETTE.length) + PALETTE.length) % PALETTE.length;
const colour = (i: number): string => `rgb(${PALETTE[slot(i)].join(' ')})`;

/** One output as a tree. */
export function renderOutput(output: Output): HElement {
  switch (output.kind) {
    case 'text':
      return h('pre', { class: 'out out-text' }, [output.text]);
    case 'value':
      return h('pre', { class: 'out out-value' }, [output.text]);
    case 'matrix':
      return h('div', { class: 'out out-matrix' }, [
        h('div', { class: 'out-shape' }, [`Matrix ${output.shape} · ${output.dtype}`]),
        h('div', { class: 'out-scroll' }, [
          h('table', {}, [h('tbody', {}, output.rows.map((row) => h('tr', {}, row.map((cell) => h('td', {}, [cell])))))]),
        ]),
      ]);
    case 'check':
      return h('p', { class: ['out', 'out-check', output.passed ? 'pass' : 'fail'].join(' ') }, [`${output.passed ? '✓' : '✗'} ${output.message}`]);
    case 'error':
      return h('div', { class: 'out out-error', role: 'alert' }, [
        h('strong', {}, [output.name]),
        `: ${output.message}`,
        ...(output.line ? [h('span', { class: 'out-line' }, [` (line ${output.line})`])] : []),
      ]);
    case 'figure':
      return h('figure', { class: 'out out-figure' }, [
        renderFigure(output.figure),
        ...(output.figure.title ? [h('figcaption', {}, [output.figure.title])] : []),
      ]);
  }
}

/** Every output of a cell, in a container. */
export function renderOutputs(outputs: Output[]): HElement[] {
  return outputs.map(renderOutput);
}

function renderFigure(figure: Figure): HElement {
  switch (figure.type) {
    case 'line':
      return linePlot(figure);
    case 'scatter':
      return scatterPlot(figure);
    case 'heatmap':
      return heatmap(figure);
    case 'images':
      return images(figure);
  }
}

const WIDTH = 600;
const HEIGHT = 320;
const MARGIN = { left: 56, right: 16, top: 16, bottom: 44 };

/** About five round tick values covering [low, high]. */
export function ticks(low: number, high: number, count = 5): number[] {
  if (!(high > low)) return [low];
  const raw = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => raw <= s) ?? 10 * power;
  const out: number[] = [];
  for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function domain(values: number[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  if (low > high) return [0, 1];
  if (low === high) {
    low -= 0.5;
    high += 0.5;
  }
  return [low, high];
}

function svg(children: HNode[], label: string, height = HEIGHT): HElement {
  return h('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': label, class: 'plot' }, children);
}

function axes(x: [number, number], y: [number, number], sx: (v: number) => number, sy: (v: number) => number, labels: { x?: string; y?: string }, height = HEIGHT): HNode[] {
  const nodes: HNode[] = [];
  const bottom = height - MARGIN.bottom;
  for (const t of ticks(...x)) {
    nodes.push(h('line', { x1: sx(t), x2: sx(t), y1: MARGIN.top, y2: bottom, class: 'grid' }));
    nodes.push(h('text', { x: sx(t), y: bottom + 16, 'text-anchor': 'middle' }, [formatNumber(t, { digits: 6 })]));
  }
  for (const t of ticks(...y)) {
    nodes.push(h('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: sy(t), y2: sy(t), class: 'grid' }));
    nodes.push(h('text', { x: MARGIN.left - 6, y: sy(t) + 4, 'text-anchor': 'end' }, [formatNumber(t, { digits: 6 })]));
  }
  nodes.push(h('rect', { x: MARGIN.left, y: MARGIN.top, width: WIDTH - MARGIN.left - MARGIN.right, height: bottom - MARGIN.top, class: 'frame' }));
  if (labels.x) nodes.push(h('text', { x: (MARGIN.left + WIDTH - MARGIN.right) / 2, y: height - 6, 'text-anchor': 'middle', class: 'label' }, [labels.x]));
  if (labels.y) nodes.push(h('text', { x: 14, y: (MARGIN.top + bottom) / 2, 'text-anchor': 'middle', transform: `rotate(-90 14 ${(MARGIN.top + bottom) / 2})`, class: 'label' }, [labels.y]));
  return nodes;
}

function scales(x: [number, number], y: [number, number], height = HEIGHT): [(v: number) => number, (v: number) => number] {
  const round = (v: number): number => Math.round(v * 10) / 10;
  const sx = (v: number): number => round(MARGIN.left + ((v - x[0]) / (x[1] - x[0])) * (WIDTH - MARGIN.left - MARGIN.right));
  const sy = (v: number): number => round(height - MARGIN.bottom - ((v - y[0]) / (y[1] - y[0])) * (height - MARGIN.bottom - MARGIN.top));
  return [sx, sy];
}

function linePlot(figure: LineFigure): HElement {
  const x = domain(figure.series.flatMap((s) => s.x));
  const y = domain(figure.series.flatMap((s) => s.y));
  const [sx, sy] = scales(x, y);
  const nodes = axes(x, y, sx, sy, { x: figure.xLabel, y: figure.yLabel });
  figure.series.forEach((series, i) => {
    // Long runs are thinned to about 600 points: more would not show at this width.
    const stride = Math.max(1, Math.ceil(series.y.length / 600));
    let path = '';
    let pen = 'M';
    series.y.forEach((value, j) => {
      if (j % stride !== 0 && j !== series.y.length - 1) return;
      if (!Number.isFinite(value)) {
        pen = 'M';
        return;
      }
      path += `${pen}${sx(series.x[j])} ${sy(value)}`;
      pen = 'L';
    });
    nodes.push(h('path', { d: path, fill: 'none', stroke: colour(i), 'stroke-width': 2 }));
  });
  if (figure.series.length > 1 || figure.series[0]?.name) {
    figure.series.forEach((series, i) => {
      const top = MARGIN.top + 8 + i * 16;
      nodes.push(h('rect', { x: WIDTH - MARGIN.right - 120, y: top - 8, width: 10, height: 10, fill: colour(i) }));
      nodes.push(h('text', { x: WIDTH - MARGIN.right - 104, y: top + 1 }, [series.name]));
    });
  }
  return svg(nodes, figure.title ?? `line plot of ${figure.series.map((s) => s.name).join(', ')}`);
}

function scatterPlot(figure: ScatterFigure): HElement {
  const height = 420;
  const [sx, sy] = scales(figure.xRange, figure.yRange, height);
  const nodes: HNode[] = [];
  if (figure.boundary) {
    const { width, height: rows, classes } = figure.boundary;
    const palette = PALETTE.map(([r, g, b]): [number, number, number, number] => [r, g, b, 90]);
    const href = pngDataURL(encodePNG(width, rows, Uint8Array.from(classes, slot), palette));
    nodes.push(
      h('image', {
        href,
        x: MARGIN.left,
        y: MARGIN.top,
        width: WIDTH - MARGIN.left - MARGIN.right,
        height: height - MARGIN.top - MARGIN.bottom,
        preserveAspectRatio: 'none',
        style: 'image-rendering: pixelated',
      }),
    );
  }
  nodes.push(...axes(figure.xRange, figure.yRange, sx, sy, {}, height));
  figure.x.forEach((value, i) => {
    nodes.push(h('circle', { cx: sx(value), cy: sy(figure.y[i]), r: 2.6, fill: colour(figure.labels[i]), class: 'point' }));
  });
  return svg(nodes, figure.title ?? `scatter plot of ${figure.x.length} points`, height);
}

/** A diverging ramp: blue for negative, white at zero, red for positive. */
function divergingPalette(): Array<[number, number, number, number]> {
  return Array.from({ length: 256 }, (_, i) => {
    const t = (i - 127.5) / 127.5;
    const [r, g, b] = t < 0 ? [59, 76, 192] : [180, 4, 38];
    const k = Math.abs(t);
    return [Math.round(255 + (r - 255) * k), Math.round(255 + (g - 255) * k), Math.round(255 + (b - 255) * k), 255];
  });
}

function heatmap(figure: HeatmapFigure): HElement {
  let limit = 1e-12; // a loop, not Math.max(...values), which overflows the stack on big matrices
  for (const v of figure.values) if (Number.isFinite(v) && Math.abs(v) > limit) limit = Math.abs(v);
  const pixels = Uint8Array.from(figure.values, (v) => (Number.isFinite(v) ? Math.round(((v / limit + 1) / 2) * 255) : 128));
  const href = pngDataURL(encodePNG(figure.cols, figure.rows, pixels, divergingPalette()));
  const boxWidth = WIDTH - 120;
  const boxHeight = Math.min(360, Math.max(40, (boxWidth * figure.rows) / figure.cols));
  const height = boxHeight + 40;
  return svg(
    [
      h('image', { href, x: 20, y: 10, width: boxWidth, height: boxHeight, preserveAspectRatio: 'none', style: 'image-rendering: pixelated' }),
      h('text', { x: boxWidth + 34, y: 24 }, [`+${formatNumber(limit, { digits: 3 })}`]),
      h('text', { x: boxWidth + 34, y: boxHeight / 2 + 14 }, ['0']),
      h('text', { x: boxWidth + 34, y: boxHeight + 8 }, [`−${formatNumber(limit, { digits: 3 })}`]),
      h('text', { x: 20 + boxWidth / 2, y: boxHeight + 32, 'text-anchor': 'middle', class: 'label' }, [`${figure.rows} × ${figure.cols}`]),
    ],
    figure.title ?? `heatmap of a ${figure.rows}×${figure.cols} matrix`,
    height,
  );
}

function images(figure: ImagesFigure): HElement {
  return h(
    'div',
    { class: 'out-images' },
    figure.images.map((image, i) => {
      const pixels = Uint8Array.from(image, (v) => Math.round(v * 255));
      const caption = figure.captions?.[i];
      return h('figure', {}, [
        h('img', { src: pngDataURL(encodePNG(figure.width, figure.height, pixels)), width: 56, height: 56, alt: caption ?? `image ${i + 1}` }),
        ...(caption ? [h('figcaption', {}, [caption])] : []),
      ]);
    }),
  );
}
