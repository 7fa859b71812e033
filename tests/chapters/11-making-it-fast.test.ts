// Chapter 11, making it fast: runs its cells as the page does and checks what they show (the work
// per sample, memory order, the share of zeros, the sparse product by hand, the fast product
// against the readable one), that only the timing cells are marked timed, that every exercise
// is solvable, and that every figure the prose quotes is the README's measured one.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SPARSE_DENSITY, WASM_MIN_ELEMENTS } from '../../lib/backend.ts';
import { Dense, Sequential } from '../../lib/index.ts';
import { loadIDXDataset } from '../../lib/node.ts';
import { DATASETS, datasetFolder } from '../../scripts/datasets.ts';
import { lines, printedNumbers, proseNumbers, quotes, type RanChapter, runChapterFile, throwingCells } from '../support/chapters.ts';

const file = '11-making-it-fast.mdx';
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

beforeAll(async () => {
  chapter = await runChapterFile(file);
});

describe('chapter 11, making it fast', () => {
  it('runs every cell without an error, and marks none as throwing', () => {
    expect(chapter.cells).toHaveLength(10);
    expect(throwingCells(chapter)).toEqual([]);
    chapter.results.forEach((result, i) => expect(result.failed, `cell ${i + 1}: ${chapter.text(i)}`).toBe(false));
  });

  it('marks exactly the cells that measure time as timed', () => {
    expect(chapter.cells.flatMap((cell, i) => (cell.timed ? [i] : []))).toEqual([2, 5, 7]);
    for (const [i, cell] of chapter.cells.entries()) expect(cell.timed, `cell ${i + 1}`).toBe(/performance\.now|bestOf\(/.test(cell.source));
  });

  it('counts 253,696 multiply-adds per sample, 79% of them in the first layer, 30.4 billion operations an epoch', () => {
    expect(lines(chapter, 0)).toEqual(['multiply-adds per sample: 253696', 'share in the first layer: 79%', 'floating-point operations per epoch of 60,000 images: 30.4 billion']);
    expect(2 * (784 * 128 + 128 * 128 + 128 * 10) + 128 * 128 + 128 * 10).toBe(253696);
  });

  it('shows which elements of B each loop order reads', () => {
    expect(lines(chapter, 1)).toEqual(['i-j-k reads B at 0 4 8 12 1 5 9 13 2 6 10 14 3 7 11 15', 'i-k-j reads B at 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15']);
  });

  it('times reading along rows and down columns, and finds the columns slower', () => {
    const [rows, columns] = lines(chapter, 2);
    expect(rows).toMatch(/^along the rows: \d+\.\d ms$/);
    expect(columns).toMatch(/^down the columns: \d+\.\d ms \(\d+\.\d× slower\)$/);
  });

  it('finds about half of the ReLU outputs at exactly 0', () => {
    const [line] = lines(chapter, 3);
    const share = Number(/: (\d+\.\d)%$/.exec(line)![1]);
    expect(share).toBeGreaterThan(45);
    expect(share).toBeLessThan(55);
  });

  it('builds the CSR form by hand and multiplies with it to the same result as matmul', () => {
    expect(lines(chapter, 4)).toEqual(['start: 0 1 1 3 columns: 1 0 3 values: 2 1 3', '6 8', '0 0', '22 26', '✓ the sparse product equals matmul']);
  });

  it('measures both backends on the first and second layer products', () => {
    const measured = lines(chapter, 5);
    expect(measured).toHaveLength(2);
    for (const line of measured) expect(line).toMatch(/: \d+\.\d GFLOP\/s readable, \d+\.\d GFLOP\/s fast \(\d+×\)$/);
  });

  it('compares the fast product with the readable one and finds float32 rounding only', () => {
    const [backend, difference, verdict] = lines(chapter, 6);
    expect(backend).toBe('kernels in use: wasm');
    expect(Number(/relative: (\S+)$/.exec(difference)![1])).toBeLessThan(1e-5);
    expect(verdict).toBe('✓ the fast product matches the readable one to float32 rounding');
  });

  it('trains with both backends and quotes the README figures as the reference machine', () => {
    const measured = lines(chapter, 7);
    expect(measured[0]).toMatch(/^readable loops: \d+ samples\/s \(reference machine: \d+\)$/);
    expect(measured[1]).toMatch(/^fast kernels: \d+ samples\/s \(reference machine: \d+\)$/);
    expect(measured[2]).toMatch(/^the fast kernels train \d+\.\d× faster here$/);
    const fast = speedRow('scratchnet, WebAssembly SIMD');
    const readable = speedRow('scratchnet, readable TypeScript');
    expect(chapter.cells[7].source).toContain(`const reference = { readable: ${readable.samples}, fast: ${fast.samples} };`);
  });

  it('quotes one step of the WebAssembly kernel and the dispatch in matmul from the real files', () => {
    const [step, dispatch] = quotes(chapter.body);
    expect(step.imported).toBe('lib/wasm/gemm.wat');
    const instructions = step.text.split('\n');
    expect(instructions).toHaveLength(14); // 2 loads of B, then 4 × (splat, 2 multiply-adds)
    expect(instructions.filter((line) => line.includes('v128.load32_splat'))).toHaveLength(4);
    expect(instructions.filter((line) => line.includes('f32x4.mul'))).toHaveLength(8);
    expect(dispatch.imported).toBe('lib/ops.ts');
    expect(dispatch.text).toContain('wasmMatmul(A, B, C, n, k, m, transposeA, transposeB);');
  });

  it('leaves every exercise unsolved as written', () => {
    for (const i of [8, 9]) {
      expect(chapter.text(i)).toContain('✗');
      expect(chapter.text(i)).not.toContain('✓');
    }
  });

  it('has exercises that the intended answers solve', async () => {
    const solved = await runChapterFile(file, [
      ['  // your code here\n', '  for (let i = 0; i < A.rows; i++) for (let j = 0; j < Bt.rows; j++) C.data[i * C.cols + j] = dot(A.data.subarray(i * A.cols, (i + 1) * A.cols), Bt.data.subarray(j * Bt.cols, (j + 1) * Bt.cols));\n'],
      ['const sparseWork = 0; // your answer here', 'const sparseWork = 6;'],
      ['const denseWork = 0; // your answer here', 'const denseWork = 24;'],
    ]);
    solved.results.forEach((result, i) => expect(result.failed, `cell ${i + 1}: ${solved.text(i)}`).toBe(false));
    expect(solved.text(8)).toContain('✓ A · B from rows of A and rows of Bᵀ');
    expect(solved.text(9)).toContain('✓ the work of the sparse and of the dense product');
  });

  it('quotes the measured results of npm run bench that the README reports', () => {
    const fast = speedRow('scratchnet, WebAssembly SIMD');
    const readable = speedRow('scratchnet, readable TypeScript');
    const numpy = speedRow('NumPy');
    const tfjs = speedRow('tfjs 4.22 `wasm`');
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

  it('states only numbers that a cell prints or this test checks', () => {
    const printed = printedNumbers(chapter.allText);
    const checked = ['81%', '19%', '40%', '97.42%', speedRow('scratchnet, WebAssembly SIMD').seconds, speedRow('NumPy').seconds, speedRow('tfjs 4.22 `wasm`').seconds, speedRow('scratchnet, readable TypeScript').seconds];
    const unexplained = proseNumbers(chapter.body).filter((n) => !printed.has(n) && !checked.includes(n));
    expect(unexplained).toEqual([]);
  });
});
