// Choosing the kernels: setBackend('js') runs the readable kernels everywhere, bit for bit, 'auto'
// and 'wasm' use the fast ones only where the WebAssembly module loads, unknown names are refused,
// and the public API offers setBackend and getBackend and nothing else of the kernels.
import { afterEach, describe, expect, it } from 'vitest';
import { Random } from '../../lib/random.ts';
import { matmul } from '../../lib/ops.ts';
import { ReLU } from '../../lib/activations.ts';
import { Adam } from '../../lib/optimizers.ts';
import { Dense } from '../../lib/layers.ts';
import { getBackend, setBackend } from '../../lib/backend.ts';
import * as readable from '../../lib/kernels/readable.ts';
import { setModuleLoaderForTests } from '../../lib/kernels/wasm.ts';

afterEach(() => {
  setBackend('auto');
  setModuleLoaderForTests();
});

/** A large float32 product, ReLU and Adam step (large enough for the fast kernels) with the backend in use. */
function largeWork(): { product: number[]; relu: number[]; weights: number[] } {
  const rng = new Random(6);
  const a = rng.randn(128, 300);
  const b = rng.randn(300, 64);
  const layer = new Dense(300, 64, { rng });
  layer.forward(a);
  layer.backward(rng.randn(128, 64));
  new Adam().step([layer]);
  return { product: Array.from(matmul(a, b).data), relu: Array.from(new ReLU().forward(a).data), weights: Array.from(layer.weights.data) };
}

describe('setBackend and getBackend', () => {
  it("run the readable kernels under 'js', bit for bit, even for large float32 work", () => {
    setBackend('js');
    expect(getBackend()).toBe('js');
    const work = largeWork();
    const rng = new Random(6);
    const a = rng.randn(128, 300);
    const b = rng.randn(300, 64);
    const product = new Float32Array(128 * 64);
    readable.matmul(a.data, b.data, product, 128, 300, 64, false, false);
    expect(work.product).toEqual(Array.from(product));
    const relu = new Float32Array(a.size);
    readable.relu(a.data, relu);
    expect(work.relu).toEqual(Array.from(relu));
  });

  it("use the fast kernels under 'auto' and 'wasm' where the module loads, which sum in float32", () => {
    setBackend('js');
    const slow = largeWork();
    for (const backend of ['auto', 'wasm'] as const) {
      setBackend(backend);
      expect(getBackend()).toBe('wasm');
      const fast = largeWork();
      expect(fast.product, backend).not.toEqual(slow.product);
      expect(fast.weights, backend).not.toEqual(slow.weights);
      expect(fast.relu, backend).toEqual(slow.relu); // ReLU is exact on both paths
    }
  });

  it("report 'js' under 'auto' and 'wasm' where the module cannot load", () => {
    setModuleLoaderForTests(() => {
      throw new Error('no WebAssembly SIMD here');
    });
    setBackend('js');
    const slow = largeWork();
    for (const backend of ['auto', 'wasm'] as const) {
      setBackend(backend);
      expect(getBackend(), backend).toBe('js');
      expect(largeWork(), backend).toEqual(slow);
    }
  });

  it('refuse unknown backends', () => {
    expect(() => setBackend('gpu' as 'js')).toThrow(`setBackend: use 'js', 'wasm' or 'auto', not "gpu"`);
  });
});

describe('the public API', () => {
  it('offers setBackend and getBackend, and no fast kernel, threshold or test hook', async () => {
    const names = Object.keys(await import('../../lib/index.ts'));
    expect(names).toEqual(expect.arrayContaining(['setBackend', 'getBackend']));
    expect(names.filter((name) => /wasm|kernel|threshold|_MIN_|SPARSE|ForTests/i.test(name))).toEqual([]);
  });
});
