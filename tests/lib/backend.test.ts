// The fast path: the WebAssembly SIMD kernels (dense and sparse matrix products, ReLU, Adam) agree
// with the readable loops to float32 rounding on random shapes (odd sizes, transposes, zeros), are
// what the library picks for large float32 work, can be switched off, and are exactly what
// lib/wasm/gemm.wat assembles to.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Matrix } from '../../lib/matrix.ts';
import { matmul } from '../../lib/ops.ts';
import { Random } from '../../lib/random.ts';
import { ReLU } from '../../lib/activations.ts';
import { Dense } from '../../lib/layers.ts';
import { Adam } from '../../lib/optimizers.ts';
import { SPARSE_DENSITY, WASM_MIN_ELEMENTS, WASM_MIN_WORK, getBackend, setBackend, wasmMatmul } from '../../lib/backend.ts';
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

  it.each([
    ['dense', 0.05],
    ['dense', 0.9],
    ['sparse', 0.05],
    ['sparse', 0.9],
  ] as const)('gives the same products from the %s kernel whatever share of A is nonzero (%f)', (kernel, density) => {
    const rng = new Random(density * 100 + kernel.length);
    for (const [n, k, m] of [[1, 1, 1], [3, 5, 7], [9, 31, 13], [36, 100, 40], [5, 64, 33]]) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const a = transposeA ? rng.randn(k, n) : rng.randn(n, k);
          for (let i = 0; i < a.size; i++) if (rng.next() > density) a.data[i] = 0;
          const b = transposeB ? rng.randn(m, k) : rng.randn(k, m);
          setBackend('js');
          const readable = matmul(a, b, { transposeA, transposeB });
          const fast = new Float32Array(n * m);
          wasmMatmul(a.data as Float32Array, b.data as Float32Array, fast, n, k, m, transposeA, transposeB, kernel);
          for (let i = 0; i < fast.length; i++) {
            expect(Math.abs(fast[i] - readable.data[i]), `(${n}×${k}×${m}) transposeA ${transposeA} transposeB ${transposeB} element ${i}`).toBeLessThan(1e-5 * (1 + Math.abs(readable.data[i])));
          }
        }
      }
    }
  });

  it('gives the same bits from the sparse and the dense kernel, since both add up each element in the same order', () => {
    expect(SPARSE_DENSITY).toBeGreaterThan(0.19); // MNIST images are about 19% nonzero
    const rng = new Random(11);
    const a = rng.randn(64, 300);
    for (let i = 0; i < a.size; i++) if (rng.next() > 0.19) a.data[i] = 0;
    const b = rng.randn(300, 50);
    setBackend('wasm');
    const auto = matmul(a, b);
    const sparse = new Float32Array(64 * 50);
    const dense = new Float32Array(64 * 50);
    wasmMatmul(a.data as Float32Array, b.data as Float32Array, sparse, 64, 300, 50, false, false, 'sparse');
    wasmMatmul(a.data as Float32Array, b.data as Float32Array, dense, 64, 300, 50, false, false, 'dense');
    // Both kernels add the products for each element in the same order, so skipping zeros changes no bit.
    expect(Array.from(auto.data)).toEqual(Array.from(sparse));
    expect(Array.from(auto.data)).toEqual(Array.from(dense));
  });

  it('lets NaN in either operand through both kernels instead of hiding it', () => {
    for (const kernel of ['dense', 'sparse'] as const) {
      const a = Matrix.zeros(8, 16);
      a.data[3] = Number.NaN; // row 0
      const b = Matrix.fromRows(Array.from({ length: 16 }, () => Array.from({ length: 8 }, () => 1)));
      const out = new Float32Array(8 * 8);
      wasmMatmul(a.data as Float32Array, b.data as Float32Array, out, 8, 16, 8, false, false, kernel);
      expect(Number.isNaN(out[0]), kernel).toBe(true);
      expect(out[8], kernel).toBe(0);
      const c = Matrix.fromRows(Array.from({ length: 8 }, () => Array.from({ length: 16 }, () => 1)));
      const d = Matrix.zeros(16, 8);
      d.data[0] = Number.NaN;
      wasmMatmul(c.data as Float32Array, d.data as Float32Array, out, 8, 16, 8, false, false, kernel);
      expect(out.filter((v, i) => i % 8 === 0).every(Number.isNaN), kernel).toBe(true);
    }
  });
});

describe('the WebAssembly ReLU', () => {
  it('matches the readable loops bit for bit, forward and backward, including NaN, ±0 and ±Infinity', () => {
    const rng = new Random(5);
    const inputs = rng.randn(37, 61); // odd sizes: the last group of 4 is partial
    inputs.data.set([Number.NaN, -0, 0, Infinity, -Infinity, 1e-45, -1e-45]);
    const dvalues = rng.randn(37, 61);
    dvalues.data.set([1, Number.NaN, Infinity, 2, 3, 4, 5]);
    expect(inputs.size).toBeGreaterThanOrEqual(WASM_MIN_ELEMENTS);
    const run = (backend: 'js' | 'wasm') => {
      setBackend(backend);
      const relu = new ReLU();
      const output = relu.forward(inputs);
      return { output: Array.from(output.data), dinputs: Array.from(relu.backward(dvalues).data) };
    };
    const fast = run('wasm');
    const readable = run('js');
    expect(fast.output).toEqual(readable.output);
    expect(fast.dinputs).toEqual(readable.dinputs);
    expect(fast.output.slice(0, 3)).toEqual([Number.NaN, 0, 0]);
    expect(Object.is(fast.output[1], 0)).toBe(true); // max(−0, 0) is +0 on both paths
  });
});

describe('the WebAssembly Adam step', () => {
  it('follows the readable update to float32 rounding over 200 steps on an odd-sized layer', () => {
    const rng = new Random(8);
    const inputs = rng.randn(16, 41);
    const gradients = Array.from({ length: 200 }, () => rng.randn(16, 33));
    const start = rng.randn(41, 33);
    const train = (backend: 'js' | 'wasm') => {
      setBackend(backend);
      const layer = new Dense(41, 33);
      layer.weights = start.clone();
      const adam = new Adam({ learningRate: 0.01, decay: 1e-3 });
      for (const dvalues of gradients) {
        layer.forward(inputs);
        layer.backward(dvalues);
        adam.step([layer]);
      }
      return { weights: layer.weights, state: adam.stateOf(layer) };
    };
    expect(41 * 33).toBeGreaterThanOrEqual(WASM_MIN_ELEMENTS);
    const fast = train('wasm');
    const readable = train('js');
    let moved = 0;
    for (let i = 0; i < start.size; i++) {
      moved = Math.max(moved, Math.abs(readable.weights.data[i] - start.data[i]));
      expect(Math.abs(fast.weights.data[i] - readable.weights.data[i]), `weight ${i}`).toBeLessThan(2e-5);
      expect(Math.abs(fast.state.weightCache!.data[i] - readable.state.weightCache!.data[i])).toBeLessThan(1e-4 * (readable.state.weightCache!.data[i] + 1e-6));
    }
    expect(moved).toBeGreaterThan(0.1); // the weights travelled far, so agreement is not trivial
  });
});

