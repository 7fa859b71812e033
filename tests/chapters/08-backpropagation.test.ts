// Chapter 8, backpropagation: runs its cells as the page does and checks the book's numbers (the
// neuron's 6 and its gradients, the batch example, ReLU, the softmax Jacobian and its row and column
// sums, the combined and separate gradients, the clip and underflow), the spiral network's backward
// pass, the gradient check passing and catching a broken ReLU, the exercises, and the prose's numbers.
import { beforeAll, describe, expect, it } from 'vitest';
import { CategoricalCrossEntropy, Matrix, Softmax, SoftmaxCrossEntropy, formatNumber, matmul, max, map, subtract, transpose } from '../../lib/index.ts';
import { chapterChecks, linesOf, outputsOf } from '../support/chapter-checks.ts';
import { type RanChapter, runChapterFile } from '../support/chapters.ts';

const FILE = '08-backpropagation.mdx';

/** The cell that runs the gradient check on the small network. */
const GRADIENT_CHECK = 'gradientCheck(small, smallX, smallY)';

/** The largest relative error a gradient-check line reports, e.g. "layer 0 (Dense) weights  largest relative error 1.3"; 0 for "below 1e-6". */
function reportedError(line: string): number {
  const shown = /largest relative error (.+)$/.exec(line)![1];
  return shown === 'below 1e-6' ? 0 : Number(shown);
}

/** The cell's printing of a gradient-check error, replaced in one run to see the raw numbers. */
const errorTextSource = "(error < 1e-6 ? 'below 1e-6' : formatNumber(error, { digits: 2 }))";

let chapter: RanChapter;

beforeAll(async () => {
  chapter = await runChapterFile(FILE);
});

describe('chapter 8, backpropagation', () => {
  const checks = chapterChecks(() => chapter, {
    file: FILE,
    exercises: ['dweights', 'dinputs', 'ŷ − y for one sample', "gradientCheck accepts your sigmoid's backward"],
    // The float32 versions of the batch example, checked below.
    checkedElsewhere: ['-0.07000001', '-0.7600001'],
  });

  it("runs the book's neuron forward to 6 and backward to dw = [1, -2, 3], db = 1, dx = [-3, -1, 2]", () => {
    expect(linesOf(chapter, 'const xw =')).toEqual(['products: [-3, 2, 6] sum plus bias: 6 ReLU output: 6']);
    expect(linesOf(chapter, 'const dReluDz')).toEqual(['dw = [1, -2, 3]', 'db = 1', 'dx = [-3, -1, 2]']);
  });

  it("takes the book's small step and lowers the output from 6 to 5.985", () => {
    expect(linesOf(chapter, 'const stepSize')).toEqual(['new weights: [-3.001, -0.998, 1.997] new bias: 0.999', 'output before: 6 after: 5.985']);
  });

  it('gets the same numbers from Dense and ReLU, with dweights as a column', () => {
    expect(linesOf(chapter, 'const neuron = new Dense(3, 1)')).toEqual(['forward: 6', 'dweights (a column, like the weights):', '1', '-2', '3', 'dbiases: [1] dinputs: [-3, -1, 2]']);
    expect(outputsOf(chapter, 'const neuron = new Dense(3, 1)')[2]).toMatchObject({ kind: 'matrix', shape: '3×1' });
  });

  it("computes the book's batch example: dinputs, dweights and dbiases", () => {
    expect(linesOf(chapter, 'const firstSample')).toEqual([
      'dinputs of sample 0 by loops: [0.44, -0.38, -0.07, 1.37]',
      'dinputs = dvalues · weightsᵀ',
      '0.44 -0.38 -0.07 1.37',
      '0.88 -0.76 -0.14 2.74',
      '1.32 -1.14 -0.21 4.11',
      'dweights = inputsᵀ · dvalues',
      '0.5 0.5 0.5',
      '20.1 20.1 20.1',
      '10.9 10.9 10.9',
      '4.1 4.1 4.1',
      'dbiases = column sums of dvalues',
      '6 6 6',
    ]);
    expect(outputsOf(chapter, 'const firstSample').filter((o) => o.kind === 'matrix').map((o) => (o.kind === 'matrix' ? o.shape : ''))).toEqual(['3×4', '4×3', '1×3']);
  });

  it('shows that in float32 the batch example prints -0.07000001 and -0.7600001, from weights rounded on the way in', () => {
    const dvalues = Matrix.fromRows([[1, 1, 1], [2, 2, 2], [3, 3, 3]]);
    const weights = transpose(Matrix.fromRows([[0.2, 0.8, -0.5, 1], [0.5, -0.91, 0.26, -0.5], [-0.26, -0.27, 0.17, 0.87]]));
    const dinputs = matmul(dvalues, transpose(weights));
    expect(formatNumber(dinputs.get(0, 2), { dtype: 'float32' })).toBe('-0.07000001');
    expect(formatNumber(dinputs.get(1, 1), { dtype: 'float32' })).toBe('-0.7600001');
    // As the prose says: the weights are rounded on the way in, the sum runs in 64 bits and rounds once.
    const f = Math.fround;
    expect(dinputs.get(0, 2)).toBe(f(-0.5 + f(0.26) + f(0.17)));
    expect(dinputs.get(1, 1)).toBe(f(2 * f(0.8) + 2 * f(-0.91) + 2 * f(-0.27)));
    expect(dinputs.get(0, 2)).not.toBe(f(-0.07));
    expect(dinputs.get(1, 1)).not.toBe(f(-0.76));
  });

  it("matches Dense.backward's results exactly", () => {
    expect(linesOf(chapter, 'const layer = new Dense(4, 3, f64)')).toEqual(['same dinputs: true', 'same dweights: true', 'same dbiases: true']);
  });

  it("passes ReLU's gradient only where its input was positive", () => {
    expect(linesOf(chapter, 'const reluLayer')).toEqual(['1 2 0 0', '5 0 0 8', '0 10 11 0']);
  });

  it("builds the softmax Jacobian for [0.7, 0.1, 0.2] and Softmax.backward gives its first row", () => {
    expect(linesOf(chapter, 'const jacobian')).toEqual(['0.21 -0.07 -0.14', '-0.07 0.09 -0.02', '-0.14 -0.02 0.16']);
    expect(linesOf(chapter, 'const softmax = new Softmax()')).toEqual(['softmax output: [0.7, 0.1, 0.2]', '0.21 -0.07 -0.14']);
  });

  it('sums the Jacobian along its rows and down its columns to 0, up to float64 rounding', () => {
    expect(linesOf(chapter, 'const rowSums')).toEqual(['row sums: [0, 0, 0]', 'column sums: [0, 0, 0]', 'every sum below 1e-15: true']);
    // The two sums mean different things: a row sum is one output's change when every input shifts
    // (softmax ignores a shift), a column sum is the outputs' total change when one input moves (they sum to 1).
    const softmax = (z: number[]) => {
      const exps = z.map(Math.exp);
      const total = exps.reduce((a, b) => a + b, 0);
      return exps.map((v) => v / total);
    };
    const z = [0.7, 0.1, 0.2].map(Math.log);
    const shifted = softmax(z.map((v) => v + 0.5));
    softmax(z).forEach((value, j) => expect(shifted[j]).toBeCloseTo(value, 14));
    for (let k = 0; k < 3; k++) {
      const nudged = softmax(z.map((v, i) => (i === k ? v + 0.5 : v)));
      expect(nudged.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    }
  });

  it("computes cross-entropy's gradient −y/ŷ/n for the book's three samples", () => {
    expect(linesOf(chapter, 'const lossFunction = new CategoricalCrossEntropy()')).toEqual(['-0.47619047619 0 0', '0 -0.666666666667 0', '0 -0.37037037037 0']);
  });

  it("gets the book's combined gradient both ways, agreeing to within float64's rounding", () => {
    const text = linesOf(chapter, 'largest difference below 1e-15');
    const book = ['-0.1 0.0333333333333 0.0666666666667', '0.0333333333333 -0.166666666667 0.133333333333', '0.00666666666667 -0.0333333333333 0.0266666666667'];
    expect(text).toEqual(['combined: (ŷ − y) / n', ...book, 'separate: cross-entropy backward, then softmax backward', ...book, 'largest difference below 1e-15: true']);
    // The same computation here: the difference is a rounding error, far below the 1e-15 printed.
    const outputs = Matrix.fromRows([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]], { dtype: 'float64' });
    const softmax = new Softmax();
    softmax.output = outputs;
    const separate = softmax.backward(new CategoricalCrossEntropy().backward(outputs, [0, 1, 1]));
    const difference = max(map(subtract(new SoftmaxCrossEntropy().backward(outputs, [0, 1, 1]), separate), Math.abs));
    expect(difference).toBeLessThan(1e-16);
  });

  it('shows the clipped separate path giving a gradient 48.5 times too small for a confidently wrong prediction', () => {
    expect(linesOf(chapter, 'the separate gradient is')).toEqual([
      'probabilities: [2.06115361394e-9, 0.999999995878, 2.06115361394e-9]',
      'combined gradient: [-0.999999997939, 0.999999995878, 2.06115361394e-9]',
      'separate gradient: [-0.0206115360969, 0.0206115360545, 4.24835422027e-11]',
      'the separate gradient is 48.5 times too small',
    ]);
  });

  it('shows the unclipped separate path turning an underflowed probability into NaN, and the combined one staying right', () => {
    expect(linesOf(chapter, 'const farBehind =')).toEqual([
      'probability of the target class: 0',
      '−y / ŷ without the clip: -Infinity',
      'then softmax backward: [NaN, NaN, NaN]',
      'the combined gradient: [-1, 1, 0]',
    ]);
  });

  it('underflows a float32 probability to 0 at a score gap of about 104, and a float64 one at about 745, as the prose says', () => {
    const targetProbability = (gap: number, dtype: 'float32' | 'float64') => {
      const softmax = new Softmax();
      softmax.forward(Matrix.fromRows([[0, gap, 0]], { dtype }));
      return softmax.output!.get(0, 0);
    };
    expect(targetProbability(103, 'float32')).toBeGreaterThan(0);
    expect(targetProbability(104, 'float32')).toBe(0);
    expect(targetProbability(744, 'float64')).toBeGreaterThan(0);
    expect(targetProbability(746, 'float64')).toBe(0);
    // "below about 1e-45": the smallest positive float32.
    expect(Math.fround(1.4e-45)).toBeGreaterThan(0);
    expect(Math.fround(0.7e-45)).toBe(0);
  });

  it('gets the confidently wrong example right on the separate path in float64 once the clip is left out', () => {
    const softmax = new Softmax();
    softmax.forward(Matrix.fromRows([[0, 20, 0]], { dtype: 'float64' }));
    const p = softmax.output!.toArray();
    expect(p[0]).toBeCloseTo(2e-9, 9); // "about 2 × 10⁻⁹"
    const unclipped = softmax.backward(Matrix.fromRows([[-1 / p[0], 0, 0]], { dtype: 'float64' })).toArray();
    const combined = new SoftmaxCrossEntropy().backward(softmax.output!, [0]).toArray();
    unclipped.forEach((value, i) => expect(value).toBeCloseTo(combined[i], 12));
  });

  it('runs the spiral network forward to a loss near log 3 and backward to a gradient of every shape', () => {
    const text = linesOf(chapter, 'const dense1 = new Dense(2, 64)');
    const loss = Number(/^loss: (\S+)/.exec(text[0])![1]);
    expect(loss).toBeCloseTo(Math.log(3), 3);
    expect(text.slice(1)).toEqual(['dense1.dweights 2×64', 'dense1.dbiases 1×64', 'dense2.dweights 64×3', 'dense2.dbiases 1×3', 'dense1.dinputs 300×2']);
    expect(outputsOf(chapter, /^\s*dense1\.dweights!\s*$/)[0]).toMatchObject({ kind: 'matrix', shape: '2×64' });
  });

  it('passes the gradient check with every relative error below 1e-6, printed as that comparison only', () => {
    expect(linesOf(chapter, GRADIENT_CHECK)).toEqual([
      'layer 0 (Dense) weights largest relative error below 1e-6',
      'layer 0 (Dense) biases largest relative error below 1e-6',
      'layer 2 (Dense) weights largest relative error below 1e-6',
      'layer 2 (Dense) biases largest relative error below 1e-6',
      'the inputs largest relative error below 1e-6',
    ]);
  });

  it('has gradient-check errors around 1e-9, as the prose says, when the cell prints them raw', async () => {
    const raw = await runChapterFile(FILE, [[errorTextSource, 'String(error)']]);
    const errors = linesOf(raw, GRADIENT_CHECK).map(reportedError);
    expect(errors).toHaveLength(5);
    for (const error of errors) {
      expect(error).toBeGreaterThan(1e-11);
      expect(error).toBeLessThan(1e-8);
    }
  });

  it('catches the forgetful ReLU: large errors below it, tiny ones above it', () => {
    const text = linesOf(chapter, 'class ForgetfulReLU');
    expect(text).toHaveLength(6);
    expect(reportedError(text[0])).toBeGreaterThan(1);
    expect(reportedError(text[1])).toBeGreaterThan(1);
    expect(text[2]).toBe('layer 2 (Dense) weights largest relative error below 1e-6');
    expect(text[3]).toBe('layer 2 (Dense) biases largest relative error below 1e-6');
    expect(reportedError(text[4])).toBeGreaterThan(1);
    // The worst weight's two gradients have opposite signs.
    const [, analytic, numeric] = /backward says (\S+), the loss says (\S+)$/.exec(text[5])!.map(Number);
    expect(Math.sign(analytic)).toBe(-Math.sign(numeric));
  });

  it("shows the solved sigmoid passing the gradient check", async () => {
    expect(linesOf(await checks.solved(), 'class MySigmoid')).toEqual(['largest relative error: below 1e-6', "✓ gradientCheck accepts your sigmoid's backward"]);
  });
});
