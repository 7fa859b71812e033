// ReLU, Softmax, Sigmoid and Linear: forward passes on worked examples from the book
// (chapters 4 and 5), backward passes against derivatives worked by hand or the explicit
// softmax Jacobian, predictions, numerical stability, and the errors for misuse.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../lib/matrix.ts';
import { Linear, ReLU, Sigmoid, Softmax } from '../../lib/activations.ts';
import { ShapeError } from '../../lib/errors.ts';
import { expectArrayClose, expectMatrixClose } from '../support/expect.ts';

describe('ReLU', () => {
  const inputs = () =>
    Matrix.fromRows([
      [-2, 0, 3],
      [1.5, -0.5, 0],
    ]);

  it('keeps positive values and replaces negatives and zeros with 0', () => {
    expect(new ReLU().forward(inputs()).toRows()).toEqual([
      [0, 0, 3],
      [1.5, 0, 0],
    ]);
  });

  it("gives the book's chapter 4 output for [0, 2, −1, 3.3, −2.7, 1.1, 2.2, −100]", () => {
    const out = new ReLU().forward(Matrix.fromRows([[0, 2, -1, 3.3, -2.7, 1.1, 2.2, -100]]));
    expectMatrixClose(out, [[0, 2, 0, 3.3, 0, 1.1, 2.2, 0]]);
  });

  it('passes the gradient only where the input was positive (not where it was 0)', () => {
    const relu = new ReLU();
    relu.forward(inputs());
    const dinputs = relu.backward(
      Matrix.fromRows([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    expect(dinputs.toRows()).toEqual([
      [0, 0, 3],
      [4, 0, 0],
    ]);
    expect(relu.dinputs).toBe(dinputs);
  });

  // Exposes a bug: `x > 0 ? x : 0` turns NaN into 0, so a layer whose weights have diverged to
  // NaN feeds zeros onward and the loss stays finite; the book's np.maximum(0, x) keeps the NaN.
  it("lets NaN through as the book's np.maximum(0, x) does, so divergence is not hidden", () => {
    const out = new ReLU().forward(Matrix.fromRows([[Number.NaN, 1, -1]]));
    expect(out.get(0, 0)).toBeNaN();
    expect(out.get(0, 1)).toBe(1);
    expect(out.get(0, 2)).toBe(0);
  });

  it('returns its outputs as the predictions', () => {
    const out = Matrix.fromRows([[1, 2]]);
    expect(new ReLU().predictions(out)).toBe(out);
  });

  it('refuses backward before forward, and dvalues of the wrong shape', () => {
    expect(() => new ReLU().backward(Matrix.zeros(2, 3))).toThrow(/ReLU\.backward: call forward/);
    const relu = new ReLU();
    relu.forward(inputs());
    const act = () => relu.backward(Matrix.zeros(3, 2));
    expect(act).toThrow(ShapeError);
    expect(act).toThrow(/ReLU\.backward: dvalues \(3×2\) must match the output \(2×3\)/);
  });

  it('refuses nested arrays in place of a Matrix', () => {
    expect(() => new ReLU().forward([[1]] as unknown as Matrix)).toThrow(/ReLU\.forward: inputs must be a Matrix/);
  });
});

describe('Softmax', () => {
  it("gives the book's [0.89528266, 0.02470831, 0.08000903] for [[4.8, 1.21, 2.385]]", () => {
    // e^4.8 = 121.510418, e^1.21 = 3.353485, e^2.385 = 10.859063; each over their sum 135.722965
    expectMatrixClose(new Softmax().forward(Matrix.fromRows([[4.8, 1.21, 2.385]])), [[0.89528266, 0.02470831, 0.08000903]]);
  });

  it('normalizes each row of a batch on its own, so every row sums to 1', () => {
    const out = new Softmax().forward(
      Matrix.fromRows([
        [1, 2, 3],
        [0, 0, 0],
        [-1, 0, 1],
        [4.8, 1.21, 2.385],
      ]),
    );
    // softmax([1, 2, 3]) = [e^−2, e^−1, 1] / (e^−2 + e^−1 + 1) = [0.09003057, 0.24472847, 0.66524096]
    expectMatrixClose(out, [
      [0.09003057, 0.24472847, 0.66524096],
      [1 / 3, 1 / 3, 1 / 3],
      [0.09003057, 0.24472847, 0.66524096],
      [0.89528266, 0.02470831, 0.08000903],
    ]);
    for (const row of out.toRows()) expect(row[0] + row[1] + row[2]).toBeCloseTo(1, 6);
  });

  it('stays finite for huge inputs like [1000, 1001, 1002] by subtracting the row maximum first', () => {
    // e^1000 overflows to Infinity; e^(x − 1002) gives the same ratios as [1, 2, 3].
    const out = new Softmax().forward(
      Matrix.fromRows([
        [1000, 1001, 1002],
        [-1000, -1001, -1002],
      ]),
    );
    expect(out.toArray().every(Number.isFinite)).toBe(true);
    expectMatrixClose(out, [
      [0.09003057, 0.24472847, 0.66524096],
      [0.66524096, 0.24472847, 0.09003057],
    ]);
  });

  it('keeps the dtype of its inputs', () => {
    expect(new Softmax().forward(Matrix.fromRows([[1, 2]], { dtype: 'float64' })).dtype).toBe('float64');
    expect(new Softmax().forward(Matrix.fromRows([[1, 2]])).dtype).toBe('float32');
  });

  it('multiplies dvalues by the Jacobian diag(s) − s sᵀ, worked by hand for s = [0.7, 0.1, 0.2]', () => {
    const softmax = new Softmax();
    softmax.output = Matrix.fromRows([[0.7, 0.1, 0.2]], { dtype: 'float64' });
    // Σ d·s = 1·0.7 − 2·0.1 + 0.5·0.2 = 0.6; dinputs = s·(d − 0.6) = [0.7·0.4, 0.1·(−2.6), 0.2·(−0.1)]
    const dinputs = softmax.backward(Matrix.fromRows([[1, -2, 0.5]], { dtype: 'float64' }));
    expectMatrixClose(dinputs, [[0.28, -0.26, -0.02]], 1e-12);
    expect(softmax.dinputs).toBe(dinputs);
  });

  it('matches the explicit Jacobian built in the test for each row of a batch', () => {
    const softmax = new Softmax();
    const s = softmax.forward(
      Matrix.fromRows(
        [
          [1, 2, 0.5, -1],
          [0.3, -0.2, 2, 1],
        ],
        { dtype: 'float64' },
      ),
    );
    const dvalues = Matrix.fromRows(
      [
        [0.5, -1, 2, 0.25],
        [-0.3, 0.7, 0.1, -1.2],
      ],
      { dtype: 'float64' },
    );
    const dinputs = softmax.backward(dvalues);
    for (let r = 0; r < 2; r++) {
      const sr = s.row(r);
      const dr = dvalues.row(r);
      // jacobian[i][j] = s_i·(δ_ij − s_j), as np.diagflat(s) − np.dot(s, s.T) in the book
      const jacobian = sr.map((si, i) => sr.map((sj, j) => (i === j ? si : 0) - si * sj));
      const expected = jacobian.map((row) => row.reduce((total, value, j) => total + value * dr[j], 0));
      expectArrayClose(dinputs.row(r), expected, 1e-12);
    }
    // The gradient of a softmax sums to 0 along each row, since the outputs always sum to 1.
    for (const row of dinputs.toRows()) expect(Math.abs(row.reduce((a, b) => a + b, 0))).toBeLessThan(1e-12);
  });

  it('predicts the class with the highest probability in each row', () => {
    const predictions = new Softmax().predictions(
      Matrix.fromRows([
        [0.7, 0.2, 0.1],
        [0.1, 0.3, 0.6],
        [0.2, 0.5, 0.3],
      ]),
    );
    expect(Array.from(predictions)).toEqual([0, 2, 1]);
  });

  it('refuses backward before forward, and dvalues of the wrong shape', () => {
    expect(() => new Softmax().backward(Matrix.zeros(1, 3))).toThrow(/Softmax\.backward: call forward/);
    const softmax = new Softmax();
    softmax.forward(Matrix.fromRows([[1, 2, 3]]));
    expect(() => softmax.backward(Matrix.zeros(1, 2))).toThrow(/Softmax\.backward: dvalues \(1×2\) must match the output \(1×3\)/);
  });
});

describe('Sigmoid', () => {
  it('gives 1 / (1 + e^−x): 0.5 at 0, 0.75 at ln 3 and 0.25 at −ln 3', () => {
    // 1 / (1 + e^−ln3) = 1 / (1 + 1/3) = 0.75
    const out = new Sigmoid().forward(Matrix.fromRows([[0, Math.log(3), -Math.log(3)]]));
    expectMatrixClose(out, [[0.5, 0.75, 0.25]]);
  });

  it('saturates to 0 and 1 for huge inputs without NaN', () => {
    expect(new Sigmoid().forward(Matrix.fromRows([[-1000, 1000]])).toRows()).toEqual([[0, 1]]);
  });

  it('multiplies the gradient by σ(x)·(1 − σ(x))', () => {
    const sigmoid = new Sigmoid();
    sigmoid.forward(Matrix.fromRows([[0, Math.log(3), -Math.log(3)]]));
    // σ(1 − σ) = 0.25, 0.75·0.25 = 0.1875, 0.25·0.75 = 0.1875; times [1, 2, 4]
    expectMatrixClose(sigmoid.backward(Matrix.fromRows([[1, 2, 4]])), [[0.25, 0.375, 0.75]]);
  });

  it('predicts 1 above 0.5 and 0 at or below it', () => {
    expect(new Sigmoid().predictions(Matrix.fromRows([[0.9, 0.5, 0.51, 0.1]])).toRows()).toEqual([[1, 0, 1, 0]]);
  });

  it('refuses backward before forward', () => {
    expect(() => new Sigmoid().backward(Matrix.zeros(1, 1))).toThrow(/Sigmoid\.backward: call forward/);
  });
});

describe('Linear', () => {
  it('returns its inputs unchanged', () => {
    const inputs = Matrix.fromRows([[-1.5, 0, 2]]);
    const linear = new Linear();
    expect(linear.forward(inputs).toRows()).toEqual([[-1.5, 0, 2]]);
    expect(linear.output).toBe(inputs);
  });

  it('passes a copy of the gradient back unchanged, since its derivative is 1', () => {
    const linear = new Linear();
    linear.forward(Matrix.fromRows([[1, 2]]));
    const dvalues = Matrix.fromRows([[3, -4]]);
    const dinputs = linear.backward(dvalues);
    expect(dinputs.toRows()).toEqual([[3, -4]]);
    expect(dinputs).not.toBe(dvalues);
    expect(linear.predictions(dinputs)).toBe(dinputs);
  });

  it('refuses dvalues of the wrong shape', () => {
    const linear = new Linear();
    linear.forward(Matrix.fromRows([[1, 2]]));
    expect(() => linear.backward(Matrix.zeros(2, 2))).toThrow(/Linear\.backward: dvalues \(2×2\) must match the output \(1×2\)/);
  });
});
