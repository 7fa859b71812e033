// Renders cell outputs as a hast tree (HTML as plain data): text in <pre>, matrices as tables,
// checks, errors with their line, and figures drawn here from numbers: the data in an SVG that
// stretches with the page, the words (ticks, legends, axis titles) as HTML around it so they stay
// readable on a phone, and a summary for screen readers. The build puts the tree into the static
// page; the page turns the same tree into DOM nodes. No cell output is ever parsed as HTML, so
// nothing a reader prints can become markup. Colours come from site/styles/figures.css.
import { figureSummary, omittedText, type BarFigure, type ContourFigure, type Figure, type HeatmapFigure, type ImagesFigure, type LineFigure, type Output, type ScatterFigure } from './outputs.ts';
import { bands, isoLines } from './contours.ts';
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
    case 'omitted':
      return h('p', { class: 'out out-omitted' }, [omittedText(output)]);
    case 'figure':
      return h('figure', { class: `out out-figure figure-${output.figure.type}` }, [
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
    case 'bar':
      return barChart(figure);
    case 'contour':
      return contourPlot(figure);
  }
}

// ── Colours ──────────────────────────────────────────────────────────────────────────────────

/**
 * The Okabe–Ito colours (blue, vermillion, bluish green, reddish purple, orange, sky blue,
 * yellow, grey), told apart with every common colour-vision deficiency. Lines and points take
 * them from CSS classes s0…s7 / c0…c7 (figures.css holds a darker and a lighter shade of each, so
 * both themes keep 3:1 contrast); decision regions are these, faint, in a PNG.
 */
export const PALETTE: Array<[number, number, number]> = [
  [0, 114, 178], [213, 94, 0], [0, 158, 115], [204, 121, 167], [230, 159, 0], [86, 180, 233], [240, 228, 66], [153, 153, 153],
];
/** How opaque the decision regions are (of 255): a tint that the points stand out on, in either theme. */
export const REGION_ALPHA = 64;

/** The palette slot of class or series i; labels that are not whole numbers (−1, 0.5, NaN) still get one. */
const slot = (i: number): number => (((Math.trunc(i) || 0) % PALETTE.length) + PALETTE.length) % PALETTE.length;

type RGB = [number, number, number];

const hex = (rgb: RGB): string => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
const parse = (text: string): RGB => [1, 3, 5].map((i) => parseInt(text.slice(i, i + 2), 16)) as RGB;

/** WCAG relative luminance of an sRGB colour. */
export function luminance([r, g, b]: RGB): number {
  const linear = (c: number): number => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG contrast ratio of two colours, 1 to 21. */
export function contrast(a: RGB, b: RGB): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high + 0.05) / (low + 0.05);
}

/** The colour at t ∈ [0, 1] along a ramp of evenly spaced stops, mixed in linear light. */
function along(stops: readonly string[], t: number): RGB {
  const position = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(position));
  const f = position - i;
  const toLinear = (c: number): number => (c / 255) ** 2.2;
  const [a, b] = [parse(stops[i]), parse(stops[i + 1])];
  return a.map((c, k) => 255 * ((1 - f) * toLinear(c) + f * toLinear(b[k])) ** (1 / 2.2)) as RGB;
}

/**
 * The heatmap ramps, one per theme: counts run from the page's own tone to deep blue (light) or
 * pale blue (dark); values that change sign run blue – neutral – red. Each cell's number is black
 * or white, whichever contrasts more: never below 4.58:1, whatever the cell.
 */
export const RAMPS = {
  counts: { light: ['#f6f9fc', '#9ecae1', '#3b83bd', '#08306b'], dark: ['#131a23', '#1d4877', '#4b8fd0', '#cfe6fb'] },
  diverging: { light: ['#2166ac', '#92c5de', '#f4f6f8', '#f4a582', '#b2182b'], dark: ['#8ec5ef', '#2f6ca8', '#161b22', '#b0453a', '#f3a08f'] },
  // A contour map's ground: greys from low to high, so every path's colour stands out on it.
  surface: { light: ['#fafaf8', '#e2e0da', '#c4c0b8', '#a19d93'], dark: ['#15181d', '#252a31', '#3a414b', '#5b6370'] },
} as const;
const INKS: RGB[] = [[0, 0, 0], [255, 255, 255]];

/** Softer inks for a count of zero, so the counts that matter stand out; used only where they keep 4.5:1. */
const QUIET = { light: parse('#5c6670'), dark: parse('#939ba5') };

/** The ink for a number on `fill`: `preferred` if it keeps 4.5:1 there, else black or white, whichever contrasts more. */
export function inkOn(fill: RGB, preferred?: RGB): RGB {
  if (preferred && contrast(fill, preferred) >= 4.5) return preferred;
  return contrast(fill, INKS[0]) >= contrast(fill, INKS[1]) ? INKS[0] : INKS[1];
}

// ── Axes ─────────────────────────────────────────────────────────────────────────────────────

/**
 * The step between about `count` round ticks over [low, high]: 1, 2 or 5 times a power of ten,
 * whichever gives a count nearest `count` (as d3 picks it), and at least 1 on an integer axis.
 */
function tickStep(low: number, high: number, count: number, integer: boolean): number {
  const raw = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(raw) + 1e-12);
  const error = raw / power;
  const step = (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.SQRT2 ? 2 : 1) * power;
  return integer ? Math.max(1, Math.round(step)) : step;
}

/** About five round tick values covering [low, high]; only whole numbers when `integer` is set. */
export function ticks(low: number, high: number, count = 5, options: { integer?: boolean } = {}): number[] {
  if (!(high > low)) return [low];
  return multiples(low, high, tickStep(low, high, count, options.integer ?? false));
}

/** The multiples of `step` in [low, high], free of floating-point noise. */
function multiples(low: number, high: number, step: number): number[] {
  const out: number[] = [];
  for (let k = Math.ceil(low / step - 1e-9); k * step <= high + step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** Ticks for a log axis over [low, high] (both positive): powers of ten, thinned past ten decades; 1-2-5 within a decade or two. */
export function logTicks(low: number, high: number): number[] {
  if (!(high > low) || low <= 0) return [low];
  const first = Math.floor(Math.log10(low) + 1e-9);
  const last = Math.ceil(Math.log10(high) - 1e-9);
  const inside = (v: number): boolean => v >= low * (1 - 1e-9) && v <= high * (1 + 1e-9);
  if (last - first <= 2) {
    const out: number[] = [];
    for (let e = first; e <= last; e++) for (const m of [1, 2, 5]) out.push(Number((m * 10 ** e).toPrecision(12)));
    const kept = out.filter(inside);
    if (kept.length >= 2) return kept;
  }
  const every = Math.max(1, Math.ceil((last - first + 1) / 10));
  const out: number[] = [];
  for (let e = Math.ceil(first / every) * every; e <= last; e += every) out.push(Number((10 ** e).toPrecision(12)));
  return out.filter(inside);
}

/** Three significant digits, a true minus sign. */
const brief = (value: number): string => formatNumber(value, { digits: 3 }).replace(/^-/, '−');

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** A tick's label: as few digits as it needs and a true minus sign, or (`powers`) a power of ten written 10ⁿ. */
export function tickLabel(value: number, powers = false): string {
  if (powers) {
    const e = Math.round(Math.log10(value));
    if (Math.abs(value / 10 ** e - 1) < 1e-9) return `10${String(e).replace(/./g, (c) => SUPERSCRIPT[c])}`;
  }
  return formatNumber(value, { digits: 6 }).replace(/^-/, '−');
}

/** Whether a log axis's ticks read better as 10ⁿ: when any is below 0.0001 or above 100,000. */
const wantsPowers = (values: number[]): boolean => values.some((v) => v < 1e-4 || v > 1e5);

/** One axis: its domain, its ticks and labels, and where a value falls along it (0 at the start, 1 at the end). */
interface Axis {
  domain: [number, number];
  ticks: number[];
  labels: string[];
  log: boolean;
  at(value: number): number;
}

/** Whether a value can be drawn on the axis (finite, and positive on a log axis). */
const drawable = (value: number, log: boolean): boolean => Number.isFinite(value) && (!log || value > 0);

/**
 * An axis for `values`. `nice` widens the domain to the ticks around it (a y axis whose frame ends
 * on a gridline); `fixed` gives the domain outright (a scatter plot's padded ranges). When every
 * value is a whole number (epochs, steps) the ticks are whole numbers too.
 */
export function makeAxis(values: number[], options: { log?: boolean; nice?: boolean; fixed?: [number, number]; count?: number } = {}): Axis {
  const log = options.log ?? false;
  const shown = values.filter((v) => drawable(v, log));
  const integer = shown.length > 0 && shown.every(Number.isInteger);
  let [low, high] = options.fixed ?? [Infinity, -Infinity];
  if (!options.fixed) {
    for (const v of shown) {
      if (v < low) low = v;
      if (v > high) high = v;
    }
    if (low > high) [low, high] = log ? [1, 10] : [0, 1];
    if (low === high) [low, high] = log ? [low / 10, high * 10] : integer ? [low - 1, high + 1] : [low - 0.5, high + 0.5];
  }
  let tickValues: number[];
  if (log) {
    if (options.nice) {
      const [a, b] = [10 ** Math.floor(Math.log10(low) + 1e-9), 10 ** Math.ceil(Math.log10(high) - 1e-9)];
      [low, high] = a < b ? [a, b] : [a / 10, b * 10];
    }
    tickValues = logTicks(low, high);
  } else {
    const step = tickStep(low, high, options.count ?? 5, integer);
    // A nice axis ends on ticks of the same step as those inside it.
    if (options.nice) [low, high] = [Math.floor(low / step + 1e-9) * step, Math.ceil(high / step - 1e-9) * step].map((v) => Number(v.toPrecision(12))) as [number, number];
    tickValues = multiples(low, high, step);
  }
  const [start, end] = log ? [Math.log10(low), Math.log10(high)] : [low, high];
  return {
    domain: [low, high],
    ticks: tickValues,
    labels: tickValues.map((v) => tickLabel(v, log && wantsPowers(tickValues))),
    log,
    at: (value) => ((log ? Math.log10(value) : value) - start) / (end - start),
  };
}

// ── Chart frame ──────────────────────────────────────────────────────────────────────────────

/** The data area's viewBox: a square of 1000 units that CSS stretches to the area's shape. */
const SIDE = 1000;
const round1 = (v: number): number => Math.round(v * 10) / 10;
const percent = (t: number): string => `${round1(t * 100)}%`;

/** The width of a label in `ch` (the width of a digit), generously: a minus sign counts as 1.3, so the margins never cut it. */
const chars = (label: string): number => [...label].reduce((width, c) => width + (c === '−' ? 1.3 : 1), 0);

interface FrameParts {
  kind: string;
  summary: string;
  x: Axis;
  y: Axis;
  xTitle?: string;
  yTitle?: string;
  legend?: HElement;
  /** The SVG's content: gridlines are added around it. */
  data: HNode[];
  /** Width ÷ height of the data area, when it must keep one (a scatter plot's equal scales). */
  ratio?: number;
  /** Gridlines: horizontal ones (the default, a line plot), both ways (a scatter plot), or none (a heatmap). */
  grid?: 'both' | 'y' | 'none';
  /** Words placed over the data area (HTML, positioned in percent), e.g. a bar's value. */
  overlay?: HElement[];
  /** A row under the data area in place of x ticks, e.g. a bar chart's names. */
  below?: HElement;
}

/**
 * A chart: a head (y-axis title and legend, wrapping), the data area (an SVG stretched to the
 * area, strokes kept at their width) with its ticks as HTML around it, and the x-axis title. The
 * margins are sized in `ch` from the tick labels, so no label is ever cut.
 */
function frame(parts: FrameParts): HElement {
  const { x, y } = parts;
  const xs = x.ticks.map((t) => x.at(t));
  const ys = y.ticks.map((t) => y.at(t));
  const firstX = xs.length && xs[0] < 0.05 ? chars(x.labels[0]) / 2 : 0;
  const lastX = xs.length && xs[xs.length - 1] > 0.95 ? chars(x.labels[x.labels.length - 1]) / 2 : 0;
  // The y labels' widths, their 0.5em padding (about 0.9ch) and a little air.
  const gutter = Math.max(Math.max(1, ...y.labels.map(chars)) + 1.3, firstX + 0.2);
  const right = Math.max(0.5, lastX + 0.2);
  // Past five x ticks, every other one hides in a narrow chart (the last one always shows).
  const alternate = x.ticks.length > 5;
  const grid: HNode[] = [];
  if (parts.grid !== 'none') ys.forEach((t) => grid.push(h('line', { x1: 0, x2: SIDE, y1: round1((1 - t) * SIDE), y2: round1((1 - t) * SIDE), class: 'grid' })));
  if (parts.grid === 'both') xs.forEach((t) => grid.push(h('line', { x1: round1(t * SIDE), x2: round1(t * SIDE), y1: 0, y2: SIDE, class: 'grid' })));
  grid.push(h('line', { x1: 0, x2: SIDE, y1: SIDE, y2: SIDE, class: 'axis' }));
  xs.forEach((t) => grid.push(h('line', { x1: round1(t * SIDE), x2: round1(t * SIDE), y1: SIDE, y2: SIDE + 12, class: 'axis' })));
  const svg = h('svg', { class: 'chart-svg', viewBox: `0 0 ${SIDE} ${SIDE}`, preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' }, [...grid, ...parts.data]);
  const tickX = x.labels.map((label, i) => {
    const alt = alternate && (x.ticks.length - 1 - i) % 2 === 1;
    return h('span', { class: alt ? 'tick tick-x tick-alt' : 'tick tick-x', style: `left: ${percent(xs[i])}` }, [label]);
  });
  const tickY = y.labels.map((label, i) => h('span', { class: 'tick tick-y', style: `top: ${percent(1 - ys[i])}` }, [label]));
  const style = [`--gutter: ${round1(gutter)}ch`, `--right: ${round1(right)}ch`, ...(parts.ratio ? [`--ratio: ${round1(parts.ratio * 100) / 100}`] : [])].join('; ');
  const head = [
    ...(parts.yTitle ? [h('span', { class: 'chart-y-title' }, [parts.yTitle + (y.log ? ' (log scale)' : '')])] : []),
    ...(parts.legend ? [parts.legend] : []),
  ];
  // One image to a screen reader, named by its summary: the words inside are hidden from it, since
  // a list of tick numbers read one by one would say less than the summary does.
  const hidden = { 'aria-hidden': 'true' };
  return h('div', { class: `chart chart-${parts.kind}`, role: 'img', 'aria-label': parts.summary, style }, [
    ...(head.length ? [h('div', { class: 'chart-head', ...hidden }, head)] : []),
    h('div', { class: 'chart-body', ...hidden }, [h('div', { class: 'chart-area' }, [svg, ...tickX, ...tickY, ...(parts.overlay ?? [])]), ...(parts.below ? [parts.below] : [])]),
    ...(parts.xTitle || x.log ? [h('div', { class: 'chart-x-title', ...hidden }, [(parts.xTitle ?? 'x') + (x.log ? ' (log scale)' : '')])] : []),
  ]);
}

/** A legend: one entry per name, each with its swatch; entries wrap, long names wrap inside their entry. */
function legend(entries: Array<{ name: string; swatch: HElement }>): HElement {
  return h('ul', { class: 'chart-legend' }, entries.map(({ name, swatch }) => h('li', { class: 'chart-key' }, [swatch, h('span', {}, [name])])));
}

const lineSwatch = (i: number, dashed = false): HElement =>
  h('svg', { class: 'chart-swatch', viewBox: '0 0 24 12', 'aria-hidden': 'true', focusable: 'false' }, [h('line', { x1: 1, x2: 23, y1: 6, y2: 6, class: `series s${slot(i)}${dashed ? ' dashed' : ''}` })]);
const dotSwatch = (k: number): HElement =>
  h('svg', { class: 'chart-swatch chart-swatch-dot', viewBox: '0 0 12 12', 'aria-hidden': 'true', focusable: 'false' }, [h('circle', { cx: 6, cy: 6, r: 4, class: `dot c${slot(k)}` })]);

// ── Line plots ───────────────────────────────────────────────────────────────────────────────

function linePlot(figure: LineFigure): HElement {
  const log = { x: figure.xScale === 'log', y: figure.yScale === 'log' };
  const x = makeAxis(figure.series.flatMap((s) => s.x), { log: log.x, fixed: figure.xRange });
  const y = makeAxis(
    figure.series.flatMap((s) => s.y.filter((_, j) => drawable(s.x[j], log.x))),
    { log: log.y, nice: !figure.yRange, fixed: figure.yRange },
  );
  const at = (px: number, py: number): [number, number] => [x.at(px) * SIDE, (1 - y.at(py)) * SIDE];
  const lines = figure.series.map((series, i) => {
    // Long runs are thinned to about 600 points: more would not show at this width.
    const stride = Math.max(1, Math.ceil(series.y.length / 600));
    const points: Array<[number, number] | null> = [];
    series.y.forEach((value, j) => {
      if (j % stride !== 0 && j !== series.y.length - 1) return;
      points.push(drawable(value, log.y) && drawable(series.x[j], log.x) ? at(series.x[j], value) : null);
    });
    return h('path', { d: polyline(points), class: `series s${slot(i)}${series.dashed ? ' dashed' : ''}` });
  });
  // A fixed range clips what falls outside it to the data area.
  const data: HNode[] = figure.xRange || figure.yRange ? [clipped(lines)] : lines;
  const marks = pointMarks(figure, x, y);
  const named = figure.series.length > 1 || (figure.series.length === 1 && !figure.yLabel && figure.series[0].name !== '');
  return frame({
    kind: 'line',
    summary: figureSummary(figure),
    x,
    y,
    xTitle: figure.xLabel,
    yTitle: figure.yLabel,
    legend: named ? legend(figure.series.map((series, i) => ({ name: series.name, swatch: lineSwatch(i, series.dashed) }))) : undefined,
    data: [...data, ...marks.data],
    overlay: marks.labels,
    grid: 'y',
  });
}

/** A line plot's marked points inside its axes: dots on rings (drawn after the lines), and their labels as HTML beside them. */
function pointMarks(figure: LineFigure, x: Axis, y: Axis): { data: HNode[]; labels: HElement[] } {
  const inside = (figure.points ?? []).filter((p) => drawable(p.x, x.log) && drawable(p.y, y.log) && [x.at(p.x), y.at(p.y)].every((t) => t >= -1e-9 && t <= 1 + 1e-9));
  if (inside.length === 0) return { data: [], labels: [] };
  const d = inside.map((p) => `M${round1(x.at(p.x) * SIDE)} ${round1((1 - y.at(p.y)) * SIDE)}h0`).join('');
  const labels = inside.flatMap((p) => {
    if (!p.label) return [];
    const [tx, ty] = [x.at(p.x), y.at(p.y)];
    // Beside the dot, on the side with room: left of it near the right edge, under it near the top.
    const side = `${tx > 0.7 ? ' mark-label-left' : ''}${ty > 0.85 ? ' mark-label-below' : ''}`;
    return [h('span', { class: `mark-label${side}`, style: `left: ${percent(tx)}; top: ${percent(1 - ty)}` }, [p.label])];
  });
  return { data: [h('path', { d, class: 'mark-rings' }), h('path', { d, class: 'marks' })], labels };
}

/**
 * Path data for a polyline in the data area's units (null breaks it). Each segment is cut to a
 * box one chart wide around the area, so a value far outside (a run that diverged) never puts a
 * coordinate near infinity; a nested SVG (clipped) then cuts it to the area itself.
 */
function polyline(points: Array<[number, number] | null>): string {
  let d = '';
  let previous: [number, number] | null = null;
  let end = '';
  const text = ([px, py]: [number, number]): string => `${round1(px)} ${round1(py)}`;
  for (const point of points) {
    if (point && previous) {
      const segment = clipSegment(previous, point);
      if (segment) {
        const [from, to] = segment.map(text);
        d += `${from === end ? '' : `M${from}`}L${to}`;
        end = to;
      }
    } else if (point && clipSegment(point, point)) {
      // A run starts here (a lone point still moves the pen, as a path of one point does).
      end = text(point);
      d += `M${end}`;
    }
    previous = point;
  }
  return d;
}

/** The part of a segment inside [−SIDE, 2·SIDE]² (Liang–Barsky), or null when none is. */
function clipSegment([x0, y0]: [number, number], [x1, y1]: [number, number]): [[number, number], [number, number]] | null {
  const [low, high] = [-SIDE, 2 * SIDE];
  const [dx, dy] = [x1 - x0, y1 - y0];
  if (!Number.isFinite(dx) || !Number.isFinite(dy)) return null;
  let [t0, t1] = [0, 1];
  for (const [p, q] of [[-dx, x0 - low], [dx, high - x0], [-dy, y0 - low], [dy, high - y0]]) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const r = q / p;
    if (p < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    if (t0 > t1) return null;
  }
  return [[x0 + t0 * dx, y0 + t0 * dy], [x0 + t1 * dx, y0 + t1 * dy]];
}

/** Content cut to the data area: a nested SVG that hides what overflows it (no ids, so figures never share a clip by mistake). */
const clipped = (children: HNode[]): HElement => h('svg', { class: 'chart-clip', x: 0, y: 0, width: SIDE, height: SIDE, overflow: 'hidden' }, children);

// ── Scatter plots ────────────────────────────────────────────────────────────────────────────

function scatterPlot(figure: ScatterFigure): HElement {
  const x = makeAxis(figure.x, { fixed: figure.xRange });
  const y = makeAxis(figure.y, { fixed: figure.yRange });
  const data: HNode[] = [];
  if (figure.boundary) {
    const { width, height, classes } = figure.boundary;
    const palette = PALETTE.map(([r, g, b]): [number, number, number, number] => [r, g, b, REGION_ALPHA]);
    // Smoothed when scaled up, so the borders between regions read as lines, not steps.
    const href = pngDataURL(encodePNG(width, height, Uint8Array.from(classes, slot), palette));
    data.push(h('image', { href, x: 0, y: 0, width: SIDE, height: SIDE, preserveAspectRatio: 'none', class: 'regions' }));
  }
  // Each point is a zero-length stroke with round caps: a dot that keeps its size however the
  // area stretches. A ring in the page's colour under every dot keeps neighbours apart.
  const dots = new Map<number, string>();
  let rings = '';
  figure.x.forEach((value, i) => {
    if (!Number.isFinite(value) || !Number.isFinite(figure.y[i])) return;
    const at = `M${round1(x.at(value) * SIDE)} ${round1((1 - y.at(figure.y[i])) * SIDE)}h0`;
    rings += at;
    const k = slot(figure.labels[i]);
    dots.set(k, (dots.get(k) ?? '') + at);
  });
  data.push(h('path', { d: rings, class: 'rings' }));
  for (const [k, d] of [...dots.entries()].sort((a, b) => a[0] - b[0])) data.push(h('path', { d, class: `dots c${k}` }));
  const classes = [...new Set(figure.labels.filter((k) => Number.isInteger(k)))].sort((a, b) => a - b);
  const span = (figure.xRange[1] - figure.xRange[0]) / (figure.yRange[1] - figure.yRange[0]);
  return frame({
    kind: 'scatter',
    summary: figureSummary(figure),
    x,
    y,
    legend: classes.length > 0 && classes.length <= PALETTE.length ? legend(classes.map((k) => ({ name: `class ${k}`, swatch: dotSwatch(k) }))) : undefined,
    data,
    ratio: Number.isFinite(span) ? Math.min(1.8, Math.max(0.6, span)) : 1,
    grid: 'both',
  });
}

// ── Heatmaps ─────────────────────────────────────────────────────────────────────────────────

/** Past this many rows or columns, a heatmap is drawn as an image without its numbers. */
const TABLE_LIMIT = 32;

function heatmap(figure: HeatmapFigure): HElement {
  const small = figure.rows <= TABLE_LIMIT && figure.cols <= TABLE_LIMIT;
  const labelled = Boolean(figure.counts || figure.rowLabels || figure.colLabels);
  return small && (labelled || figure.rows * figure.cols <= 144) ? heatTable(figure) : heatImage(figure);
}

/** Where each value falls on its ramp, 0 to 1: counts by square root (so a few mistakes still show), others by sign and size. */
function rampPositions(figure: HeatmapFigure): number[] {
  let limit = 0; // a loop, not Math.max(...values), which overflows the stack on big matrices
  for (const v of figure.values) if (Number.isFinite(v) && Math.abs(v) > limit) limit = Math.abs(v);
  if (limit === 0) limit = 1;
  return figure.values.map((v) => {
    if (!Number.isFinite(v)) return figure.counts ? 0 : 0.5;
    return figure.counts ? Math.sqrt(Math.max(0, v) / limit) : (v / limit + 1) / 2;
  });
}

/** A small heatmap as a table: every value printed on its shaded cell, the names once on each axis. */
function heatTable(figure: HeatmapFigure): HElement {
  const ramp = figure.counts ? RAMPS.counts : RAMPS.diverging;
  const positions = rampPositions(figure);
  const rowNames = figure.rowLabels ?? Array.from({ length: figure.rows }, (_, i) => String(i));
  const colNames = figure.colLabels ?? Array.from({ length: figure.cols }, (_, i) => String(i));
  const head: HElement[] = [];
  if (figure.colTitle) head.push(h('tr', {}, [h('td', { class: 'heat-corner' }), h('th', { colspan: figure.cols, scope: 'colgroup', class: 'heat-title heat-col-title' }, [`${figure.colTitle} →`])]));
  // Names longer than a count is wide stand on end, so ten of them fit a phone. The row title
  // heads the column of row names, in the corner.
  const long = colNames.some((name) => [...name].length > 4);
  head.push(
    h('tr', {}, [
      figure.rowTitle ? h('th', { scope: 'col', class: 'heat-title heat-row-title' }, [`${figure.rowTitle} ↓`]) : h('td', { class: 'heat-corner' }),
      ...colNames.map((name) => h('th', { scope: 'col', class: long ? 'heat-col heat-col-long' : 'heat-col' }, [h('span', {}, [name])])),
    ]),
  );
  const cellTexts = figure.values.map((v) => (figure.counts && Number.isInteger(v) ? String(v) : brief(v)));
  const body = rowNames.map((name, r) =>
    h('tr', {}, [
      h('th', { scope: 'row', class: 'heat-row' }, [name]),
      ...colNames.map((_, c) => {
        const i = r * figure.cols + c;
        const value = figure.values[i];
        const quiet = figure.counts && value === 0;
        const light = along(ramp.light, positions[i]);
        const dark = along(ramp.dark, positions[i]);
        const style = `--fill: ${hex(light)}; --ink: ${hex(inkOn(light, quiet ? QUIET.light : undefined))}; --fill-dark: ${hex(dark)}; --ink-dark: ${hex(inkOn(dark, quiet ? QUIET.dark : undefined))}`;
        const text = cellTexts[i];
        return h('td', { style, class: r === c && figure.rows === figure.cols ? 'heat-cell heat-diagonal' : 'heat-cell' }, [text]);
      }),
    ]),
  );
  // The table's width in em when compact (phones), generously: row names, then each column's
  // widest entry (a digit is at most about 0.64em wide, a letter 0.6em), with padding and gaps.
  // A narrow chart sets its type so that this fits.
  const width = (text: string): number => [...text].reduce((w, c) => w + (/[0-9−.]/.test(c) ? 0.64 : 0.6), 0);
  const columns = colNames.map((name, c) => Math.max(long ? 1.2 : width(name), ...rowNames.map((_, r) => width(cellTexts[r * figure.cols + c]))) + 0.3);
  const em = Math.max(...rowNames.map(width), figure.rowTitle ? width(`${figure.rowTitle} ↓`) : 0) + 1.5 + columns.reduce((a, b) => a + b, 0) + 0.1 * (figure.cols + 1);
  return h('div', { class: `chart-table${figure.counts ? ' chart-counts' : ''}`, style: `--heat-em: ${round1(em)}` }, [
    h('table', { class: 'heat' }, [h('caption', { class: 'chart-summary' }, [figureSummary(figure)]), h('thead', {}, head), h('tbody', {}, body)]),
  ]);
}

/** A large heatmap as an image, one pixel per value: blue below zero, red above, fading to nothing at zero (so it sits on either theme). */
function heatImage(figure: HeatmapFigure): HElement {
  const positions = rampPositions(figure);
  const pixels = Uint8Array.from(positions, (t) => Math.round(t * 255));
  const palette = figure.counts
    ? Array.from({ length: 256 }, (_, i): [number, number, number, number] => [33, 102, 172, i])
    : Array.from({ length: 256 }, (_, i): [number, number, number, number] => {
        const t = (i - 127.5) / 127.5;
        const [r, g, b] = t < 0 ? [33, 102, 172] : [178, 24, 43];
        return [r, g, b, Math.round(Math.abs(t) * 255)];
      });
  const href = pngDataURL(encodePNG(figure.cols, figure.rows, pixels, palette));
  let limit = 0;
  for (const v of figure.values) if (Number.isFinite(v) && Math.abs(v) > limit) limit = Math.abs(v);
  const x = makeAxis([0, figure.cols], { fixed: [0, figure.cols] });
  const y = makeAxis([0, figure.rows], { fixed: [0, figure.rows] });
  // Rows run down the page, as a matrix is printed: flip the y axis's ticks.
  const down: typeof y = { ...y, at: (v) => 1 - y.at(v) };
  const key = h('span', { class: 'chart-ramp' }, [
    h('span', {}, [figure.counts ? '0' : `−${brief(limit)}`]),
    h('span', { class: figure.counts ? 'chart-ramp-bar counts' : 'chart-ramp-bar' }),
    h('span', {}, [figure.counts ? brief(limit) : `+${brief(limit)}`]),
  ]);
  return frame({
    kind: 'heatmap',
    summary: figureSummary(figure),
    x,
    y: down,
    xTitle: figure.colTitle ?? `column (of ${figure.cols})`,
    yTitle: figure.rowTitle ?? `row (of ${figure.rows})`,
    legend: h('span', { class: 'chart-legend' }, [key]) as HElement,
    data: [h('image', { href, x: 0, y: 0, width: SIDE, height: SIDE, preserveAspectRatio: 'none', class: 'cells' })],
    grid: 'none',
    ratio: Math.min(3, Math.max(0.75, figure.cols / figure.rows)),
  });
}

// ── Bar charts ───────────────────────────────────────────────────────────────────────────────

/** A number on a bar: three significant digits, two when there are many bars (so ten fit a phone), a true minus sign. */
const barValue = (value: number, bars: number): string => formatNumber(value, { digits: bars > 6 ? 2 : 3 }).replace(/^-/, '−');

function barChart(figure: BarFigure): HElement {
  const n = Math.max(1, figure.values.length);
  // Bars stand on zero, so the axis always holds it.
  const y = makeAxis([0, ...figure.values.filter(Number.isFinite)], figure.yRange ? { fixed: figure.yRange } : { nice: true });
  const x: Axis = { domain: [0, n], ticks: [], labels: [], log: false, at: (v) => v / n };
  const inside = (t: number): number => Math.min(1, Math.max(0, t));
  const zero = inside(y.at(0));
  const data: HNode[] = [];
  const values: HElement[] = [];
  figure.values.forEach((value, i) => {
    const picked = i === figure.highlight ? ' bar-picked' : '';
    const left = (i + 0.5) / n;
    const end = Number.isFinite(value) ? inside(y.at(value)) : zero;
    const width = SIDE / n * 0.64;
    const [low, high] = [Math.min(zero, end), Math.max(zero, end)];
    data.push(h('rect', { x: round1(left * SIDE - width / 2), y: round1((1 - high) * SIDE), width: round1(width), height: round1((high - low) * SIDE), class: `bar${picked}` }));
    // The value above a bar that rises, below one that falls.
    values.push(h('span', { class: `bar-value${value < 0 ? ' bar-value-below' : ''}${picked}`, style: `left: ${percent(left)}; top: ${percent(1 - end)}` }, [barValue(value, figure.values.length)]));
  });
  if (zero > 0 && zero < 1) data.push(h('line', { x1: 0, x2: SIDE, y1: round1((1 - zero) * SIDE), y2: round1((1 - zero) * SIDE), class: 'axis zero' }));
  // Names that would not sit side by side on a phone (about 36 characters across) stand on end there (CSS).
  const long = Math.max(0, ...figure.labels.map((label) => [...label].length)) * n > 36 ? ' bar-labels-long' : '';
  const under = figure.values.some((v) => v < 0 && y.at(v) < 0.15) ? ' bar-labels-low' : '';
  const below = h('div', { class: `bar-labels${long}${under}`, style: `--bars: ${n}` }, figure.labels.map((label, i) => h('span', { class: `tick tick-x bar-label${i === figure.highlight ? ' bar-picked' : ''}` }, [label])));
  return frame({ kind: 'bar', summary: figureSummary(figure), x, y, yTitle: figure.yLabel, data, overlay: values, below, grid: 'y' });
}

// ── Contour maps ─────────────────────────────────────────────────────────────────────────────

/** Past this many steps, a path's dots are drawn every few steps. */
const PATH_DOTS = 40;

/** A contour map's bands as two images, one per theme (CSS shows the right one), a pixel per grid point, smoothed when scaled. */
function contourBands(figure: ContourFigure): HElement[] {
  const { width, height, levels } = figure;
  const indices = bands(figure.values, levels, levels.length + 1);
  // Grid points lie on the area's edges and pixels are centred on them: the image reaches half a pixel past the area (clipped).
  const [dx, dy] = [SIDE / (width - 1), SIDE / (height - 1)];
  return (['light', 'dark'] as const).map((theme) => {
    const palette = Array.from({ length: levels.length + 1 }, (_, b): [number, number, number, number] => [...along(RAMPS.surface[theme], b / Math.max(1, levels.length)), 255]);
    palette.push([0, 0, 0, 0]); // no value (NaN): nothing drawn
    const href = pngDataURL(encodePNG(width, height, indices, palette));
    return h('image', { href, x: round1(-dx / 2), y: round1(-dy / 2), width: round1(SIDE + dx), height: round1(SIDE + dy), preserveAspectRatio: 'none', class: `bands bands-${theme}` });
  });
}

/** One path over a contour map: its line on a halo, a dot every step (or every few), a ring at its start and a bigger mark at its end. */
function contourTrail(points: Array<[number, number]>, k: number, x: Axis, y: Axis): HNode[] {
  const svg = points.map(([px, py]): [number, number] | null => (Number.isFinite(px) && Number.isFinite(py) ? [x.at(px) * SIDE, (1 - y.at(py)) * SIDE] : null));
  const d = polyline(svg);
  const every = Math.ceil(points.length / PATH_DOTS);
  const dot = (p: [number, number] | null): string => (p && p.every((v) => Math.abs(v) < 2 * SIDE) ? `M${round1(p[0])} ${round1(p[1])}h0` : '');
  const dots = svg.map((p, i) => (i > 0 && i < svg.length - 1 && i % every === 0 ? dot(p) : '')).join('');
  const [start, end] = [dot(svg[0]), dot(svg[svg.length - 1])];
  const colour = `c${slot(k)}`;
  return [
    h('path', { d, class: 'trail-halo' }),
    h('path', { d, class: `series s${slot(k)}` }),
    h('path', { d: dots, class: `dots ${colour}` }),
    h('path', { d: start, class: `trail-start ${colour}` }),
    h('path', { d: start, class: 'trail-start-hole' }),
    h('path', { d: end, class: 'trail-end-halo' }),
    h('path', { d: end, class: `trail-end ${colour}` }),
  ];
}

function contourPlot(figure: ContourFigure): HElement {
  const { width, height, values, levels } = figure;
  const x = makeAxis([], { fixed: figure.xRange });
  const y = makeAxis([], { fixed: figure.yRange });
  const grid = ([col, row]: [number, number]): [number, number] => [(col / (width - 1)) * SIDE, (row / (height - 1)) * SIDE];
  const iso = levels.map((level) => isoLines(values, width, height, level).map((line) => polyline(line.map(grid))).join('')).join('');
  const trails = figure.paths.flatMap(({ points }, k) => contourTrail(points, k, x, y));
  let [low, high] = [Infinity, -Infinity];
  for (const v of values) if (Number.isFinite(v)) [low, high] = [Math.min(low, v), Math.max(high, v)];
  const gradient = (theme: 'light' | 'dark'): string => `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((t) => hex(along(RAMPS.surface[theme], t))).join(', ')})`;
  const ramp = low <= high ? [h('li', { class: 'chart-key' }, [h('span', { class: 'chart-ramp' }, [
    h('span', {}, [brief(low)]),
    h('span', { class: 'chart-ramp-bar contour', style: `--ramp-light: ${gradient('light')}; --ramp-dark: ${gradient('dark')}` }),
    h('span', {}, [brief(high)]),
  ])])] : [];
  const keys = legend(figure.paths.map(({ name }, k) => ({ name, swatch: lineSwatch(k) })));
  const span = (figure.xRange[1] - figure.xRange[0]) / (figure.yRange[1] - figure.yRange[0]);
  return frame({
    kind: 'contour',
    summary: figureSummary(figure),
    x,
    y,
    xTitle: figure.xLabel,
    yTitle: figure.yLabel,
    legend: h('ul', { class: 'chart-legend' }, [...keys.children as HElement[], ...ramp]),
    data: [clipped([...contourBands(figure), h('path', { d: iso, class: 'iso' }), ...trails])],
    ratio: Math.min(1.8, Math.max(0.6, span)),
    grid: 'none',
  });
}

// ── Images ───────────────────────────────────────────────────────────────────────────────────

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
