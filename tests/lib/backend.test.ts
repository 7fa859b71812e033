// The fast path: the WebAssembly SIMD matrix product agrees with the readable loops to float32
// rounding on random shapes (odd sizes, transposes, zeros), is what matmul picks for large
// float32 products, can be switched off, and is exactly what lib/wasm/gemm.wat assembles to.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Matrix } from '../../lib/matrix.ts';
import { matmul } from '../../lib/ops.ts';
import { Random } from '../../lib/random.ts';
import { WASM_MIN_WORK, getBackend, setBackend } from '../../lib/backend.ts';
import { assemble, embed } from '../../scripts/build-wasm.ts';

const root = resolve(import.meta.dirname, '../..');
afterEach(() => setBackend('auto'));

/** matmul with the given backend. */
function product(backend: 'js' | 'wasm', a: Matrix, b: Matrix, transposeA: boolean, transposeB: boolean): Matrix {
  setBackend(backend);
  return matmul(a, b, { transposeA, transposeB });
}

/** Largest |fast − readable| relative to Σ|a·b| for that element: float32 rounding is about 1e-7 per term. */
function disagreement(a: Matrix, b: Matrix, transposeA: boolean, transposeB: boolean): number {
  const readable = product('js', a, b, transposeA, transposeB);
  const fast = product('wasm', a, b, transposeA, transposeB);
  const magnitude = matmul(
    new Matrix(a.rows, a.cols, a.data.map(Math.abs)),
    new Matrix(b.rows, b.cols, b.data.map(Math.abs)),
    { transposeA, transposeB },
  );
  expect(fast.shape).toEqual(readable.shape);
  let worst = 0;
  for (let i = 0; i < fast.size; i++) worst = Math.max(worst, Math.abs(fast.data[i] - readable.data[i]) / (magnitude.data[i] || 1));
  return worst;
}

describe('the WebAssembly matrix product', () => {
  it('is available here and chosen automatically', () => {
    expect(getBackend()).toBe('wasm');
  });

  it.each([
    [4, 8, 8],
    [5, 7, 9],
    [33, 65, 17],
    [128, 784, 128],
    [1, 300, 301],
    [300, 1, 250],
    [127, 129, 131],
  ])('agrees with the readable loops on (%i×%i) · (%i×…) in every transpose combination', (n, k, m) => {
    const rng = new Random(n * 1000 + k * 10 + m);
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const a = transposeA ? rng.randn(k, n) : rng.randn(n, k);
        const b = transposeB ? rng.randn(m, k) : rng.randn(k, m);
        expect(disagreement(a, b, transposeA, transposeB), `transposeA ${transposeA}, transposeB ${transposeB}`).toBeLessThan(1e-6);
      }
    }
  });

  it('handles rows of zeros and sparse inputs like ReLU outputs and blank pixels', () => {
    const rng = new Random(7);
    const a = rng.randn(64, 200).data.map((v, i) => (i % 200 < 120 || v < 0 ? 0 : v));
    const left = new Matrix(64, 200, a);
    const right = rng.randn(200, 40);
    expect(disagreement(left, right, false, false)).toBeLessThan(1e-6);
    const zeros = Matrix.zeros(8, 200);
    setBackend('wasm');
    expect(Array.from(matmul(zeros, right).data).every((v) => v === 0)).toBe(true);
  });

  it('is used for large float32 products only: small ones and float64 stay on the readable loops', () => {
    const rng = new Random(3);
    // Below the threshold the result is the readable loops' to the bit (they sum in float64).
    const a = rng.randn(10, 10);
    const b = rng.randn(10, 10);
    expect(10 * 10 * 10).toBeLessThan(WASM_MIN_WORK);
    expect(Array.from(product('wasm', a, b, false, false).data)).toEqual(Array.from(product('js', a, b, false, false).data));
    const big = rng.randn(64, 64, { dtype: 'float64' });
    expect(Array.from(product('wasm', big, big, false, false).data)).toEqual(Array.from(product('js', big, big, false, false).data));
  });

  it('can be switched off, and refuses unknown backends', () => {
    setBackend('js');
    expect(getBackend()).toBe('js');
    setBackend('auto');
    expect(getBackend()).toBe('wasm');
    expect(() => setBackend('gpu' as 'js')).toThrow(`setBackend: use 'js', 'wasm' or 'auto', not "gpu"`);
  });

  it('is exactly what lib/wasm/gemm.wat assembles to, so the source and the bytes cannot drift apart', async () => {
    const wat = readFileSync(join(root, 'lib/wasm/gemm.wat'), 'utf8');
    expect(readFileSync(join(root, 'lib/wasm/gemm.ts'), 'utf8')).toBe(embed(await assemble(wat)));
  });
});
