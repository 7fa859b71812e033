// The scratchnet library: a neural network from scratch, one concept per module.
// This file only re-exports; each module says which chapter teaches it.
export * from './errors.ts';
export * from './format.ts';
export * from './matrix.ts';
export * from './ops.ts';
export * from './random.ts';
export * from './targets.ts';
export * from './layers.ts';
export * from './regularization.ts';
export * from './dropout.ts';
export * from './activations.ts';
export * from './losses.ts';
export * from './optimizers.ts';
export * from './metrics.ts';
export * from './scoring.ts';
export * from './training.ts';
export * from './model.ts';
export * from './mlp.ts';
export * from './data.ts';
export * from './gradcheck.ts';
export * from './schema.ts';
export * from './serialize.ts';
export * from './idx.ts';
export * from './datasets.ts';
export * from './backend.ts';
