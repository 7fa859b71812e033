// The fast kernels: the WebAssembly SIMD products, ReLU and Adam agree with the readable kernels to
// float32 rounding on random shapes (odd sizes, every transpose, zeros on both sides of the sparse
// threshold), hand small and float64 work to the readable kernels, fall back to them where the module
// cannot load, and are exactly what lib/wasm/kernels.wat builds to, whose export names type-check.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Random } from '../../../lib/random.ts';
import { Matrix } from '../../../lib/matrix.ts';
import { matmul } from '../../../lib/ops.ts';
import { ReLU } from '../../../lib/activations.ts';
import { Adam } from '../../../lib/optimizers.ts';
import { Dense } from '../../../lib/layers.ts';
import { getBackend, setBackend } from '../../../lib/backend.ts';
import * as readable from '../../../lib/kernels/readable.ts';
import { SPARSE_DENSITY, WASM_MIN_ELEMENTS, WASM_MIN_WORK, fastKernels, forceProductKernelForTests, setModuleLoaderForTests } from '../../../lib/kernels/wasm.ts';
import { KERNELS_WASM, bindKernels } from '../../../lib/wasm/kernels.ts';
import { build } from '../../../scripts/build-wasm.ts';

const root = resolve(import.meta.dirname, '../../..');
const wat = readFileSync(join(root, 'lib/wasm/kernels.wat'), 'utf8');

/** The exports of a fresh instance of the real module. */
function realExports(): Record<string, unknown> {
  return new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(KERNELS_WASM, 'base64'))).exports;
}

afterEach(() => {
  setBackend('auto');
  setModuleLoaderForTests();
  forceProductKernelForTests();
});

/** A float32 (rows × cols) matrix of standard normal draws with about `zeros` of them set to 0. */
function sparse(rng: Random, rows: number, cols: number, zeros: number): Matrix {
  const a = rng.randn(rows, cols);
  for (let i = 0; i < a.size; i++) if (rng.next() < zeros) a.data[i] = 0;
  return a;
}

/** op(A) · op(B) from the fast and from the readable kernels. */
function both(a: Matrix, b: Matrix, n: number, k: number, m: number, transposeA: boolean, transposeB: boolean): { fast: Float32Array; readable: Float32Array } {
  const fast = new Float32Array(n * m);
  const slow = new Float32Array(n * m);
  fastKernels.matmul(a.data, b.data, fast, n, k, m, transposeA, transposeB);
  readable.matmul(a.data, b.data, slow, n, k, m, transposeA, transposeB);
  return { fast, readable: slow };
}

/** Largest |fast − readable| relative to Σ|a·b| for that element: float32 rounding is about 1e-7 per term. */
function disagreement(a: Matrix, b: Matrix, n: number, k: number, m: number, transposeA: boolean, transposeB: boolean): number {
  const { fast, readable: slow } = both(a, b, n, k, m, transposeA, transposeB);
  const magnitude = new Float32Array(n * m);
  readable.matmul(a.data.map(Math.abs), b.data.map(Math.abs), magnitude, n, k, m, transposeA, transposeB);
  let worst = 0;
  for (let i = 0; i < fast.length; i++) worst = Math.max(worst, Math.abs(fast[i] - slow[i]) / (magnitude[i] || 1));
  return worst;
}

/** Random operands for op(A) (n × k) and op(B) (k × m), stored transposed where asked. */
function operands(rng: Random, n: number, k: number, m: number, transposeA: boolean, transposeB: boolean, zeros = 0): [Matrix, Matrix] {
  return [transposeA ? sparse(rng, k, n, zeros) : sparse(rng, n, k, zeros), transposeB ? rng.randn(m, k) : rng.randn(k, m)];
}

const transposes = [[false, false], [true, false], [false, true], [true, true]] as const;

describe('the WebAssembly matrix product', () => {
  it.each([
    [4, 8, 8],
    [5, 7, 9],
    [33, 65, 17],
    [128, 784, 128],
    [1, 300, 301],
    [300, 1, 250],
    [127, 129, 131],
  ])('agrees with the readable kernel on (%i×%i) · (%i×…) in every transpose combination', (n, k, m) => {
    forceProductKernelForTests(); // chosen by size and density, as in training
    const rng = new Random(n * 1000 + k * 10 + m);
    for (const [transposeA, transposeB] of transposes) {
      const [a, b] = operands(rng, n, k, m, transposeA, transposeB);
      expect(disagreement(a, b, n, k, m, transposeA, transposeB), `transposeA ${transposeA}, transposeB ${transposeB}`).toBeLessThan(1e-6);
    }
  });

  it.each([
    ['dense', 0.05],
    ['dense', 0.9],
    ['sparse', 0.05],
    ['sparse', 0.9],
  ] as const)('agrees with the readable kernel from the %s kernel whatever share of A is nonzero (%f)', (kernel, density) => {
    forceProductKernelForTests(kernel);
    const rng = new Random(density * 100 + kernel.length);
    for (const [n, k, m] of [[1, 1, 1], [3, 5, 7], [9, 31, 13], [36, 100, 40], [5, 64, 33]]) {
      for (const [transposeA, transposeB] of transposes) {
        const [a, b] = operands(rng, n, k, m, transposeA, transposeB, 1 - density);
        const { fast, readable: slow } = both(a, b, n, k, m, transposeA, transposeB);
        for (let i = 0; i < fast.length; i++) {
          expect(Math.abs(fast[i] - slow[i]), `(${n}×${k}×${m}) transposeA ${transposeA} transposeB ${transposeB} element ${i}`).toBeLessThan(1e-5 * (1 + Math.abs(slow[i])));
        }
      }
    }
  });

  it('gives the same bits from the sparse and the dense kernel, since both add up each element in the same order', () => {
    const rng = new Random(11);
    // MNIST images are about 19% nonzero: below SPARSE_DENSITY, so training uses the sparse kernel.
    const a = sparse(rng, 64, 300, 0.81);
    const b = rng.randn(300, 50);
    const run = (kernel?: 'dense' | 'sparse'): number[] => {
      forceProductKernelForTests(kernel);
      return Array.from(both(a, b, 64, 300, 50, false, false).fast);
    };
    const chosen = run();
    expect(chosen).toEqual(run('sparse'));
    expect(chosen).toEqual(run('dense'));
    expect(chosen).not.toEqual(Array.from(both(a, b, 64, 300, 50, false, false).readable)); // float32 sums, not float64
  });

  it('chooses the sparse kernel below SPARSE_DENSITY and the dense one above it', () => {
    // NaN in B shows which kernel ran: the sparse one never multiplies B's rows by A's zeros.
    const b = Matrix.fromRows(Array.from({ length: 64 }, (_, p) => Array.from({ length: 64 }, () => (p === 0 ? Number.NaN : 1))));
    for (const [share, sparseKernel] of [[SPARSE_DENSITY - 0.05, true], [SPARSE_DENSITY + 0.05, false]] as const) {
      const a = Matrix.zeros(64, 64);
      for (let i = 0; i < a.size; i++) if (i % 64 !== 0 && (i % 64) / 64 <= share) a.data[i] = 1;
      const out = new Float32Array(64 * 64);
      fastKernels.matmul(a.data, b.data, out, 64, 64, 64, false, false);
      expect(out.some(Number.isNaN), `share ${share}`).toBe(!sparseKernel);
    }
  });

  it('lets NaN in either operand through both kernels instead of hiding it', () => {
    for (const kernel of ['dense', 'sparse'] as const) {
      forceProductKernelForTests(kernel);
      const a = Matrix.zeros(8, 16);
      a.data[3] = Number.NaN; // row 0
      const ones = (rows: number, cols: number) => Matrix.fromRows(Array.from({ length: rows }, () => Array.from({ length: cols }, () => 1)));
      const out = new Float32Array(8 * 8);
      fastKernels.matmul(a.data, ones(16, 8).data, out, 8, 16, 8, false, false);
      expect(Number.isNaN(out[0]), kernel).toBe(true);
      expect(out[8], kernel).toBe(0);
      const d = Matrix.zeros(16, 8);
      d.data[0] = Number.NaN;
      fastKernels.matmul(ones(8, 16).data, d.data, out, 8, 16, 8, false, false);
      expect(out.filter((_, i) => i % 8 === 0).every(Number.isNaN), kernel).toBe(true);
    }
  });

  it('gives zeros for rows of zeros', () => {
    forceProductKernelForTests();
    const out = new Float32Array(8 * 200).fill(1);
    fastKernels.matmul(new Float32Array(8 * 200), new Random(7).randn(200, 200).data, out, 8, 200, 200, false, false);
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it('leaves products under WASM_MIN_WORK multiply-adds, and float64 ones, to the readable kernel', () => {
    const rng = new Random(3);
    const side = Math.floor(Math.cbrt(WASM_MIN_WORK - 1)); // just under the threshold
    const a = rng.randn(side, side);
    const small = both(a, a, side, side, side, false, false);
    expect(Array.from(small.fast)).toEqual(Array.from(small.readable));
    const tall = rng.randn(side + 10, side);
    const large = both(tall, a, side + 10, side, side, false, false); // over it: float32 sums differ somewhere
    expect(Array.from(large.fast)).not.toEqual(Array.from(large.readable));
    const wide = rng.randn(64, 64, { dtype: 'float64' });
    const fast = new Float64Array(64 * 64);
    const slow = new Float64Array(64 * 64);
    fastKernels.matmul(wide.data, wide.data, fast, 64, 64, 64, false, false);
    readable.matmul(wide.data, wide.data, slow, 64, 64, 64, false, false);
    expect(Array.from(fast)).toEqual(Array.from(slow));
  });
});

describe('the WebAssembly ReLU', () => {
  it('matches the readable kernel bit for bit, forward and backward, including NaN, ±0 and ±Infinity', () => {
    const rng = new Random(5);
    const inputs = rng.randn(37, 61); // odd sizes: the last group of 4 is partial
    inputs.data.set([Number.NaN, -0, 0, Infinity, -Infinity, 1e-45, -1e-45]);
    const dvalues = rng.randn(37, 61);
    dvalues.data.set([1, Number.NaN, Infinity, 2, 3, 4, 5]);
    expect(inputs.size).toBeGreaterThanOrEqual(WASM_MIN_ELEMENTS); // so the fast kernel runs
    const run = (kernels: Pick<typeof readable, 'relu' | 'reluBackward'>) => {
      const output = new Float32Array(inputs.size);
      const dinputs = new Float32Array(inputs.size);
      kernels.relu(inputs.data, output);
      kernels.reluBackward(inputs.data, dvalues.data, dinputs);
      return { output: Array.from(output), dinputs: Array.from(dinputs) };
    };
    const fast = run(fastKernels);
    expect(fast).toEqual(run(readable));
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
    expect(start.size).toBeGreaterThanOrEqual(WASM_MIN_ELEMENTS); // so the fast kernel runs
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
    const fast = train('wasm');
    const slow = train('js');
    let moved = 0;
    for (let i = 0; i < start.size; i++) {
      moved = Math.max(moved, Math.abs(slow.weights.data[i] - start.data[i]));
      expect(Math.abs(fast.weights.data[i] - slow.weights.data[i]), `weight ${i}`).toBeLessThan(2e-5);
      expect(Math.abs(fast.state.weightCache!.data[i] - slow.state.weightCache!.data[i])).toBeLessThan(1e-4 * (slow.state.weightCache!.data[i] + 1e-6));
    }
    expect(moved).toBeGreaterThan(0.1); // the weights travelled far, so agreement is not trivial
    expect(Array.from(fast.weights.data)).not.toEqual(Array.from(slow.weights.data)); // and the fast kernel did run
  });
});

describe('without the WebAssembly module', () => {
  it('runs every kernel as the readable one, bit for bit and without a TypeError, and reports js', () => {
    setModuleLoaderForTests(() => {
      throw new Error('no WebAssembly SIMD here');
    });
    setBackend('wasm');
    expect(getBackend()).toBe('js');
    const rng = new Random(9);
    const a = sparse(rng, 128, 300, 0.8);
    const b = rng.randn(300, 64);
    const product = both(a, b, 128, 300, 64, false, false);
    expect(Array.from(product.fast)).toEqual(Array.from(product.readable));
    expect(Array.from(matmul(a, b).data)).toEqual(Array.from(product.readable));
    const relu = new ReLU();
    const expected = new Float32Array(a.size);
    readable.relu(a.data, expected);
    expect(Array.from(relu.forward(a).data)).toEqual(Array.from(expected));
    const step = { learningRate: 0.01, epsilon: 1e-7, beta1: 0.9, beta2: 0.999, correction1: 0.1, correction2: 0.001 };
    const [p1, p2] = [a.data.slice(), a.data.slice()];
    const [m1, m2, v1, v2] = [new Float32Array(a.size), new Float32Array(a.size), new Float32Array(a.size), new Float32Array(a.size)];
    const grad = rng.randn(128, 300).data;
    fastKernels.adam(p1, grad, m1, v1, step);
    readable.adam(p2, grad, m2, v2, step);
    expect(Array.from(p1)).toEqual(Array.from(p2));
  });

  it('falls back the same way when the module lacks an export the kernels need', () => {
    const { reluBackward: _dropped, ...rest } = realExports();
    setModuleLoaderForTests(() => bindKernels(rest));
    setBackend('wasm');
    expect(getBackend()).toBe('js');
    const inputs = new Random(2).randn(40, 40);
    const [fast, slow] = [new Float32Array(inputs.size), new Float32Array(inputs.size)];
    fastKernels.reluBackward(inputs.data, inputs.data, fast);
    readable.reluBackward(inputs.data, inputs.data, slow);
    expect(Array.from(fast)).toEqual(Array.from(slow));
  });
});

describe('lib/wasm/kernels.ts', () => {
  it('is exactly what lib/wasm/kernels.wat builds to, so the source and the bytes cannot drift apart', async () => {
    expect(readFileSync(join(root, 'lib/wasm/kernels.ts'), 'utf8')).toBe(await build(wat));
  });

  it('binds every export by name, and refuses a missing one or one with the wrong number of parameters', () => {
    const real = realExports();
    expect(Object.keys(bindKernels(real)).sort()).toEqual(Object.keys(real).sort());
    expect(() => bindKernels({ ...real, relu: (x: number) => x })).toThrow('kernels.wat exports no function relu of 3 parameters');
    const { adam: _dropped, ...rest } = real;
    expect(() => bindKernels(rest)).toThrow('kernels.wat exports no function adam of 9 parameters');
  });

  it('makes lib/kernels/wasm.ts fail to type-check when an export it uses is renamed in the .wat', async () => {
    const renamed = wat.replace('(func (export "reluBackward")', '(func (export "reluGradient")');
    expect(renamed).not.toBe(wat);
    const typeCheck = (generated: string) => {
      const folder = mkdtempSync(join(tmpdir(), 'scratchnet-kernels-'));
      try {
        cpSync(join(root, 'lib'), join(folder, 'lib'), { recursive: true });
        writeFileSync(join(folder, 'lib/wasm/kernels.ts'), generated);
        writeFileSync(join(folder, 'package.json'), '{ "type": "module" }');
        const core = JSON.parse(readFileSync(join(root, 'tsconfig.core.json'), 'utf8')) as { include: string[] };
        const globals = core.include.filter((path) => path.endsWith('.d.ts')).map((path) => join(root, path));
        writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({ extends: join(root, 'tsconfig.core.json'), include: [join(folder, 'lib/kernels/wasm.ts'), ...globals], exclude: [] }));
        const run = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd: folder, encoding: 'utf8' });
        return { status: run.status, output: run.stdout + run.stderr };
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    };
    expect(typeCheck(await build(wat))).toEqual({ status: 0, output: '' });
    const broken = typeCheck(await build(renamed));
    expect(broken.status).not.toBe(0);
    expect(broken.output).toMatch(/lib\/kernels\/wasm\.ts.*'reluBackward' does not exist on type 'KernelsExports'/);
  }, 60_000);
});
