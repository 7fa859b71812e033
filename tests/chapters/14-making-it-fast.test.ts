// The chapter "Making it fast": runs its cells as the page does and checks what they show (the work
// per sample, memory order, the share of zeros, the sparse product by hand, the fast product
// against the readable one), that only the timing cells are marked timed, that it quotes the real
// kernels, that every exercise is solvable, and that every figure the prose quotes is the measured one.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SPARSE_DENSITY, WASM_MIN_ELEMENTS } from '../../lib/kernels/wasm.ts';
import { Dense, Sequential } from '../../lib/index.ts';
import { loadIDXDataset } from '../../lib/node.ts';
import { DATASETS, datasetFolder } from '../../scripts/datasets.ts';
import { chapterChecks, findCell, linesOf } from '../support/chapter-checks.ts';
import { quotes, type RanChapter, runChapterFile } from '../support/chapters.ts';

const file = '14-making-it-fast.mdx';
const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** A row of the README's speed table: seconds per epoch and samples per second. */
function speedRow(name: string): { seconds: string; samples: number } {
  const row = readme.split('\n').find((line) => line.startsWith(`| ${name}`));
  if (!row) throw new Error(`README.md has no speed table row starting with ${JSON.stringify(name)}`);
  const cells = row.split('|').map((cell) => cell.trim());
  return { seconds: cells[2], samples: Number(cells[3].replace(/,/g, '')) };
}

let chapter: RanChapter;

/** The README's measured rows that the prose quotes. */
const fast = speedRow('scratchnet, WebAssembly SIMD');
const readable = speedRow('scratchnet, readable TypeScript');
const numpy = speedRow('NumPy');
const tfjs = speedRow('tfjs 4.22 `wasm`');

beforeAll(async () => {
  chapter = await runChapterFile(file);
});

describe('chapter "Making it fast"', () => {
  chapterChecks(() => chapter, {
    file,
    exercises: ['A · B from rows of A and rows of Bᵀ', 'the work of the sparse and of the dense product'],
    // The share of zero pixels, the sparse threshold and the bench's figures: each has its test below.
    checkedElsewhere: ['81%', '40%', '19%', fast.seconds, numpy.seconds, tfjs.seconds, readable.seconds, '97.42%'],
  });

  it('follows "Training on real data", the chapter that trains MNIST in the browser, as its first line says', () => {
    expect(chapter.body).toMatch(/^The network of the last chapter learned MNIST in your browser/m);
    const orders = readdirSync(join(root, 'chapters'))
      .filter((name) => /^\d\d-.*\.mdx$/.test(name))
      .map((name) => {
        const mdx = readFileSync(join(root, 'chapters', name), 'utf8');
        return { order: Number(/^order: (\d+)$/m.exec(mdx)![1]), title: /^title: (.+)$/m.exec(mdx)![1] };
      })
      .sort((a, b) => a.order - b.order);
    const at = orders.findIndex((entry) => entry.title === 'Making it fast');
    expect(orders[at - 1]?.title).toBe('Training on real data');
  });

  it('marks exactly the cells that measure time as timed', () => {
    expect(chapter.cells.filter((cell) => cell.timed).length).toBeGreaterThan(0);
    for (const [i, cell] of chapter.cells.entries()) expect(cell.timed, `cell ${i + 1}`).toBe(/performance\.now|bestOf\(/.test(cell.source));
  });

  it('counts 253,696 multiply-adds per sample, 79% of them in the first layer, 30.4 billion operations an epoch', () => {
    expect(linesOf(chapter, 'const perSample')).toEqual(['multiply-adds per sample: 253696', 'share in the first layer: 79%', 'floating-point operations per epoch of 60,000 images: 30.4 billion']);
    expect(2 * (784 * 128 + 128 * 128 + 128 * 10) + 128 * 128 + 128 * 10).toBe(253696);
  });

  it('shows which elements of B each loop order reads', () => {
    expect(linesOf(chapter, 'const ikj')).toEqual(['i-j-k reads B at 0 4 8 12 1 5 9 13 2 6 10 14 3 7 11 15', 'i-k-j reads B at 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15']);
  });

  it('times reading along rows and down columns, and finds the columns slower', () => {
    const [rows, columns] = linesOf(chapter, 'const alongRows');
    expect(rows).toMatch(/^along the rows: \d+\.\d ms$/);
    expect(columns).toMatch(/^down the columns: \d+\.\d ms \(\d+\.\d× slower\)$/);
  });

  it('finds about half of the ReLU outputs at exactly 0', () => {
    const [line] = linesOf(chapter, 'share of ReLU outputs');
    const share = Number(/: (\d+\.\d)%$/.exec(line)![1]);
    expect(share).toBeGreaterThan(45);
    expect(share).toBeLessThan(55);
  });

  it('builds the CSR form by hand and multiplies with it to the same result as matmul', () => {
    expect(linesOf(chapter, 'function compress')).toEqual(['start: 0 1 1 3 columns: 1 0 3 values: 2 1 3', '6 8', '0 0', '22 26', '✓ the sparse product equals matmul']);
  });

  it('measures both backends on the first and second layer products', () => {
    const measured = linesOf(chapter, 'function gflops');
    expect(measured).toHaveLength(2);
    for (const line of measured) expect(line).toMatch(/: \d+\.\d GFLOP\/s readable, \d+\.\d GFLOP\/s fast \(\d+×\)$/);
  });

  it('compares the fast product with the readable one and finds float32 rounding only', () => {
    const [backend, difference, verdict] = linesOf(chapter, 'const readableProduct');
    expect(backend).toBe('kernels in use: wasm');
    expect(Number(/relative: (\S+)$/.exec(difference)![1])).toBeLessThan(1e-5);
    expect(verdict).toBe('✓ the fast product matches the readable one to float32 rounding');
  });

  it('trains with both backends and quotes the README figures as the reference machine', () => {
    const measured = linesOf(chapter, 'function samplesPerSecond');
    expect(measured[0]).toMatch(/^readable loops: \d+ samples\/s \(reference machine: \d+\)$/);
    expect(measured[1]).toMatch(/^fast kernels: \d+ samples\/s \(reference machine: \d+\)$/);
    expect(measured[2]).toMatch(/^the fast kernels train \d+\.\d× faster here$/);
    expect(chapter.cells[findCell(chapter, 'function samplesPerSecond')].source).toContain(`const reference = { readable: ${readable.samples}, fast: ${fast.samples} };`);
  });

  it('quotes the readable product, one step of the WebAssembly kernel, the hand-off in matmul and the staging from the real files', () => {
    const quoted = quotes(chapter.body);
    for (const quote of quoted) expect(quote.file).toBe(quote.imported);
    const from = (file: string): string => {
      const found = quoted.filter((quote) => quote.imported === file);
      expect(found, file).toHaveLength(1);
      return found[0].text;
    };
    const loop = from('lib/kernels/readable.ts');
    expect(loop).toContain('export function matmulAB(');
    expect(loop).toContain('for (let j = 0; j < m; j++) row[j] += aip * B[bRow + j];'); // i-k-j: j innermost
    const instructions = from('lib/wasm/kernels.wat').split('\n');
    expect(instructions).toHaveLength(14); // 2 loads of B, then 4 × (splat, 2 multiply-adds)
    expect(instructions.filter((line) => line.includes('v128.load32_splat'))).toHaveLength(4);
    expect(instructions.filter((line) => line.includes('f32x4.mul'))).toHaveLength(8);
    expect(from('lib/ops.ts')).toContain('kernels().matmul(a.data, b.data, out.data, n, k, m, transposeA, transposeB);');
    const staging = from('lib/kernels/wasm.ts');
    expect(staging).toContain('wasm.nonzeros(aAt, n * k)');
    expect(staging.split('\n').at(-1)).toBe('if (nonzero < sparseBelow * n * k) {');
  });

  it('quotes the measured results of npm run bench that the README reports', () => {
    expect(chapter.body).toContain(`fast kernels take about ${fast.seconds} seconds per epoch, against ${numpy.seconds} for\nNumPy`);
    expect(chapter.body).toContain(`and ${tfjs.seconds} for\nTensorFlow.js's WebAssembly backend. The readable loops take ${readable.seconds}.`);
    expect(readme).toContain('97.42%');
  });

  it('states the real share of zero pixels in MNIST and the real sparse-kernel threshold', async () => {
    const { test } = await loadIDXDataset(await datasetFolder(DATASETS.mnist));
    let zeros = 0;
    for (const value of test.x.data) if (value === 0) zeros++;
    const share = Math.round((zeros / test.x.size) * 100);
    expect(share).toBe(81);
    expect(chapter.body).toContain(`about ${share}% of its pixels are exactly 0`);
    expect(chapter.body).toContain(`MNIST-like images (${100 - share}%\nnonzero)`);
    expect(chapter.body).toContain(`when fewer than ${SPARSE_DENSITY * 100}% are nonzero`);
  });

  it('states the real parameter count Adam updates and the real size below which the readable loops run', () => {
    const model = new Sequential([new Dense(784, 128), new Dense(128, 128), new Dense(128, 10)]);
    const parameters = model.layers.reduce((total, layer) => total + (layer as Dense).parameterCount, 0);
    expect(parameters).toBe(118282);
    expect(chapter.body).toContain('every one of the 118,282\nparameters');
    expect(WASM_MIN_ELEMENTS).toBe(1024);
    expect(chapter.body).toContain('of at least a thousand\nelements');
  });
});
