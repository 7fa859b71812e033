// The multilayer perceptron the book's last chapters train, built from a list of layer sizes:
// Dense and ReLU (and BatchNormalization and Dropout) for every hidden width, then Dense and
// Softmax, with categorical cross-entropy. The CLI, the training lab and the benchmarks all
// build their networks here.
import { ScratchnetError } from './errors.ts';
import { exceedsAllocationLimit, sizeError } from './matrix.ts';
import { ReLU, Softmax } from './activations.ts';
import { Dropout } from './dropout.ts';
import { Dense, type Initializer, type Layer } from './layers.ts';
import { BatchNormalization } from './normalization.ts';
import { CategoricalCrossEntropy } from './losses.ts';
import { Sequential } from './model.ts';
import type { Optimizer } from './optimizers.ts';
import type { Random } from './random.ts';

/** Optional settings for mlp(). */
export interface MLPOptions {
  /** The fraction of units a Dropout layer after every hidden ReLU drops; 0 (the default) adds none. */
  dropout?: number;
  /** The fraction of inputs a Dropout layer before the first Dense layer drops (pixels, for images); 0 (the default) adds none. */
  inputDropout?: number;
  /** Puts a BatchNormalization layer between every hidden Dense layer and its ReLU; false by default. */
  batchNormalization?: boolean;
  /** The L2 penalty λ every Dense layer puts on its weights (weightRegularizerL2); 0 by default. */
  l2?: number;
  /** The generator for the first weights and the dropout masks; defaults to the shared one reset by `seed()`. */
  rng?: Random;
  /** How the hidden layers draw their first weights; defaults to 'heNormal', which suits ReLU. */
  hiddenInitializer?: Initializer;
  /** How the output layer draws its first weights; defaults to 'glorotUniform'. */
  outputInitializer?: Initializer;
  /** The optimizer training will use; it can also be set later on the model. */
  optimizer?: Optimizer;
}

/**
 * A classifier for `sizes` = [inputs, ...hidden widths, classes], e.g. mlp([784, 256, 128, 10]):
 * the layers are made in order, so each draws its weights from `rng` after the one before.
 */
export function mlp(sizes: readonly number[], options: MLPOptions = {}): Sequential {
  if (sizes.length < 2) throw new ScratchnetError('mlp', `sizes needs at least the inputs and the classes, e.g. [784, 128, 10], not [${sizes.join(', ')}]`);
  // Every size is checked before any layer is built, so a layer too big to allocate costs nothing before it.
  sizes.forEach((size) => {
    if (!Number.isInteger(size) || size < 1) throw new ScratchnetError('mlp', `every size must be a positive whole number, not ${String(size)} in [${sizes.join(', ')}]`);
  });
  for (let i = 1; i < sizes.length; i++) {
    const [nInputs, nOutputs] = [sizes[i - 1], sizes[i]];
    const subject = `the ${nInputs}→${nOutputs} layer (Dense layer ${i} of ${sizes.length - 1})`;
    if (exceedsAllocationLimit(nInputs * nOutputs)) throw sizeError('mlp', nInputs * nOutputs, 'float32', subject, 'weights', 'use narrower layers (nothing was built)');
  }
  const { dropout = 0, inputDropout = 0, l2 = 0, rng } = options;
  const layers: Layer[] = inputDropout > 0 ? [new Dropout(inputDropout, { rng })] : [];
  for (let i = 1; i < sizes.length - 1; i++) {
    layers.push(new Dense(sizes[i - 1], sizes[i], { initializer: options.hiddenInitializer ?? 'heNormal', rng, weightRegularizerL2: l2 }));
    if (options.batchNormalization) layers.push(new BatchNormalization(sizes[i]));
    layers.push(new ReLU());
    if (dropout > 0) layers.push(new Dropout(dropout, { rng }));
  }
  layers.push(new Dense(sizes[sizes.length - 2], sizes[sizes.length - 1], { initializer: options.outputInitializer ?? 'glorotUniform', rng, weightRegularizerL2: l2 }), new Softmax());
  return new Sequential(layers, { loss: new CategoricalCrossEntropy(), optimizer: options.optimizer });
}
