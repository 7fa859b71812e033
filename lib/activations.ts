// Activation functions with the layers' forward/backward contract: ReLU (chapter 4),
// Softmax (chapter 5), Sigmoid and Linear. Each backward is the derivative of its forward,
// applied to the incoming gradient by the chain rule (chapter 8).
import { ScratchnetError, ShapeError } from './errors.ts';
import { Matrix } from './matrix.ts';
import { argmax, map, shapeOf } from './ops.ts';
import { kernels } from './kernels/kernels.ts';
import type { Layer } from './layers.ts';

function checkInputs(op: string, inputs: unknown): asserts inputs is Matrix {
  if (!(inputs instanceof Matrix)) throw new ShapeError(op, 'inputs must be a Matrix');
}

function checkBackward(op: string, forwardValue: Matrix | undefined, dvalues: Matrix): Matrix {
  if (!forwardValue) throw new ScratchnetError(op, 'call forward(inputs) before backward(dvalues)');
  if (!(dvalues instanceof Matrix) || dvalues.rows !== forwardValue.rows || dvalues.cols !== forwardValue.cols) {
    const shape = dvalues instanceof Matrix ? shapeOf(dvalues) : String(dvalues);
    throw new ShapeError(op, `dvalues ${shape} must match the output ${shapeOf(forwardValue)}`);
  }
  return forwardValue;
}

/** The rectified linear unit: max(0, x), element by element. */
export class ReLU implements Layer {
  readonly name = 'ReLU';
  inputs?: Matrix;
  output?: Matrix;
  dinputs?: Matrix;

  /** Keeps positive values and replaces the rest with 0. */
  forward(inputs: Matrix): Matrix {
    checkInputs('ReLU.forward', inputs);
    this.inputs = inputs;
    const out = Matrix.zeros(inputs.rows, inputs.cols, { dtype: inputs.dtype });
    kernels().relu(inputs.data, out.data); // the loop: relu in lib/kernels/readable.ts
    this.output = out;
    return out;
  }

  /** Passes the gradient where the input was positive, and 0 elsewhere. */
  backward(dvalues: Matrix): Matrix {
    const inputs = checkBackward('ReLU.backward', this.inputs, dvalues);
    const out = Matrix.zeros(dvalues.rows, dvalues.cols, { dtype: dvalues.dtype });
    kernels().reluBackward(inputs.data, dvalues.data, out.data); // reluBackward in lib/kernels/readable.ts
    this.dinputs = out;
    return out;
  }

  /** ReLU outputs are the predictions themselves. */
  predictions(outputs: Matrix): Matrix {
    return outputs;
  }
}

/** Softmax: turns each row of scores into probabilities that sum to 1. */
export class Softmax implements Layer {
  readonly name = 'Softmax';
  output?: Matrix;
  dinputs?: Matrix;

  /** exp(x − max) / Σ exp(x − max) per row; subtracting the row's max keeps exp from overflowing. */
  forward(inputs: Matrix): Matrix {
    checkInputs('Softmax.forward', inputs);
    const { rows, cols } = inputs;
    const out = Matrix.zeros(rows, cols, { dtype: inputs.dtype });
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let max = -Infinity;
      for (let c = 0; c < cols; c++) max = Math.max(max, inputs.data[base + c]);
      let total = 0;
      for (let c = 0; c < cols; c++) {
        const e = Math.exp(inputs.data[base + c] - max);
        out.data[base + c] = e;
        total += e;
      }
      for (let c = 0; c < cols; c++) out.data[base + c] /= total;
    }
    this.output = out;
    return out;
  }

  /** Multiplies by the Jacobian per row: dinputs_i = s_i · (d_i − Σ_j d_j s_j). */
  backward(dvalues: Matrix): Matrix {
    const s = checkBackward('Softmax.backward', this.output, dvalues);
    const { rows, cols } = s;
    const out = Matrix.zeros(rows, cols, { dtype: dvalues.dtype === 'float64' ? 'float64' : s.dtype });
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      // (diag(s) − s sᵀ) · d, without building the cols × cols Jacobian.
      let weighted = 0;
      for (let c = 0; c < cols; c++) weighted += dvalues.data[base + c] * s.data[base + c];
      for (let c = 0; c < cols; c++) out.data[base + c] = s.data[base + c] * (dvalues.data[base + c] - weighted);
    }
    this.dinputs = out;
    return out;
  }

  /** The most probable class of each sample. */
  predictions(outputs: Matrix): Int32Array {
    return argmax(outputs);
  }
}

/** The logistic sigmoid: 1 / (1 + e^−x), squashing any number into (0, 1). */
export class Sigmoid implements Layer {
  readonly name = 'Sigmoid';
  output?: Matrix;
  dinputs?: Matrix;

  /** σ(x) = 1 / (1 + e^−x), element by element. */
  forward(inputs: Matrix): Matrix {
    checkInputs('Sigmoid.forward', inputs);
    const out = Matrix.zeros(inputs.rows, inputs.cols, { dtype: inputs.dtype });
    for (let i = 0; i < out.size; i++) out.data[i] = 1 / (1 + Math.exp(-inputs.data[i]));
    this.output = out;
    return out;
  }

  /** σ'(x) = σ(x) · (1 − σ(x)). */
  backward(dvalues: Matrix): Matrix {
    const s = checkBackward('Sigmoid.backward', this.output, dvalues);
    const out = Matrix.zeros(dvalues.rows, dvalues.cols, { dtype: dvalues.dtype });
    for (let i = 0; i < out.size; i++) out.data[i] = dvalues.data[i] * s.data[i] * (1 - s.data[i]);
    this.dinputs = out;
    return out;
  }

  /** 1 where the output is above 0.5, else 0. */
  predictions(outputs: Matrix): Matrix {
    return map(outputs, (y) => (y > 0.5 ? 1 : 0));
  }
}

/** The identity, f(x) = x: the output activation for regression. */
export class Linear implements Layer {
  readonly name = 'Linear';
  output?: Matrix;
  dinputs?: Matrix;

  /** Returns the inputs unchanged. */
  forward(inputs: Matrix): Matrix {
    checkInputs('Linear.forward', inputs);
    this.output = inputs;
    return inputs;
  }

  /** The derivative is 1, so the gradient passes through unchanged. */
  backward(dvalues: Matrix): Matrix {
    checkBackward('Linear.backward', this.output, dvalues);
    this.dinputs = dvalues.clone();
    return this.dinputs;
  }

  /** The outputs are the predictions. */
  predictions(outputs: Matrix): Matrix {
    return outputs;
  }
}
