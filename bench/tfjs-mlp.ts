// The tfjs side of `npm run bench`: the same 784-128-128-10 MLP, Adam, starting weights and batch
// order as scratchnet, with tfjs's pure-JS `cpu` backend or its `wasm` backend (SIMD, 1 thread).
// tfjs, the peer we compare with, is a bench-only dependency (bench/package.json, installed into
// bench/node_modules by `npm run bench:setup`). Prints one JSON line.
// Usage: node bench/tfjs-mlp.ts <folder written by scripts/bench.ts> cpu|wasm <epochs>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Scalar, Tensor2D } from '@tensorflow/tfjs';
// tfjs's ES modules omit file extensions, which Node's ESM loader refuses, so its CommonJS
// bundles are loaded instead; the union package also registers every gradient. Resolving from
// this file finds bench/node_modules first.
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
const { setWasmPaths } = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');

const [folder, backend, epochArg] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(join(folder, 'spec.json'), 'utf8')) as { train: number; test: number; sizes: number[]; batchSize: number; learningRate: number };
const epochs = Number(epochArg);
const f32 = (name: string) => new Float32Array(new Uint8Array(readFileSync(join(folder, name))).buffer);
const i32 = (name: string) => new Int32Array(new Uint8Array(readFileSync(join(folder, name))).buffer);

if (backend === 'wasm') {
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/');
  setWasmPaths(dist.endsWith('/') ? dist : `${dist}/`);
}
await tf.setBackend(backend);
await tf.ready();

const x = f32('x.f32');
const y = i32('y.i32');
const weights = spec.sizes.slice(0, -1).map((n, i) => tf.variable(tf.tensor2d(f32(`w${i}.f32`), [n, spec.sizes[i + 1]])));
const biases = spec.sizes.slice(1).map((n) => tf.variable(tf.zeros([1, n])));
const optimizer = tf.train.adam(spec.learningRate, 0.9, 0.999, 1e-7);
const logits = (input: Tensor2D): Tensor2D => {
  let out = input;
  weights.forEach((w, i) => {
    out = tf.add(tf.matMul(out, w), biases[i]);
    if (i < weights.length - 1) out = tf.relu(out);
  });
  return out;
};

const times: number[] = [];
for (let epoch = 0; epoch < epochs; epoch++) {
  const order = i32(`order${epoch}.i32`);
  const started = performance.now();
  for (let start = 0; start < spec.train; start += spec.batchSize) {
    const indices = order.subarray(start, start + spec.batchSize);
    const batch = new Float32Array(indices.length * 784);
    const labels = new Int32Array(indices.length);
    indices.forEach((row, i) => {
      batch.set(x.subarray(row * 784, row * 784 + 784), i * 784);
      labels[i] = y[row];
    });
    tf.tidy(() => {
      const xb = tf.tensor2d(batch, [indices.length, 784]);
      const yb = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, logits(xb)) as Scalar);
    });
  }
  await tf.ready();
  times.push((performance.now() - started) / 1000);
}
const predictions = tf.tidy(() => tf.argMax(logits(tf.tensor2d(f32('tx.f32'), [spec.test, 784])), 1).dataSync());
const ty = i32('ty.i32');
let correct = 0;
for (let i = 0; i < spec.test; i++) if (predictions[i] === ty[i]) correct += 1;
console.log(JSON.stringify({ secondsPerEpoch: times, testAccuracy: correct / spec.test, version: tf.version_core }));
