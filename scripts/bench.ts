// `npm run bench`: trains the reference configuration (MNIST, 784-128-128-10, ReLU, softmax,
// Adam lr 0.001, batch 128, float32) for a few epochs with scratchnet's readable (js) and fast
// (wasm) kernels, with NumPy where `python3 -c 'import numpy'` works, and with tfjs's wasm and cpu
// backends — all from the same starting weights and batch order — and prints seconds per epoch,
// samples per second, test accuracy, ratios, the training time to 97.42% test accuracy, and a
// GEMM microbenchmark in GFLOP/s for the shapes training uses.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random, matmul, setBackend, type Backend } from '../lib/index.ts';
import { REFERENCE, median, referenceModel, referenceRun, referenceStart, trainStep } from '../bench/reference.ts';
import { loadIDXDataset } from '../lib/node.ts';
import { COMMANDS, fail, handleErrors, parseCommand, plural } from './cli.ts';
import { DATASETS, datasetFolder } from './datasets.ts';

handleErrors();
const args = parseCommand(COMMANDS.bench);

/** Whether tfjs, a bench-only dependency (bench/package.json), resolves from bench/ as bench/tfjs-mlp.ts will load it. */
function tfjsInstalled(): boolean {
  const resolveFromBench = createRequire(join(import.meta.dirname, '../bench/package.json')).resolve;
  try {
    ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'].forEach((name) => resolveFromBench(name));
    return true;
  } catch {
    return false;
  }
}
// Checked before anything runs, so a missing tfjs is said at once rather than minutes in.
if (!args['skip-tfjs'] && !tfjsInstalled()) {
  fail('tfjs, a bench-only dependency, is not installed: run `npm run bench:setup` once (it installs bench/package.json into bench/node_modules, about 300 MB), or pass --skip-tfjs');
}
const epochs = args.epochs;
const { sizes, batchSize, learningRate } = REFERENCE;

const { train, test } = await loadIDXDataset(await datasetFolder(DATASETS.mnist));
const { weights: initial, orders } = referenceStart(train.x.rows, epochs);

interface Result {
  name: string;
  secondsPerEpoch: number[];
  testAccuracy: number;
}

/** Trains the reference network with scratchnet on the shared weights and batch order. */
function scratchnet(backend: Backend): Result {
  setBackend(backend);
  const run = referenceRun(train, test, epochs, (epoch, seconds) => process.stdout.write(`  scratchnet (${backend}) epoch ${epoch}: ${seconds.toFixed(2)} s\n`));
  setBackend('auto');
  return { name: `scratchnet (${backend})`, secondsPerEpoch: run.secondsPerEpoch, testAccuracy: run.testAccuracy };
}

// The shared data, starting weights and batch orders, as raw files the NumPy and tfjs runs read.
const shared = mkdtempSync(join(tmpdir(), 'scratchnet-bench-'));
process.on('exit', () => rmSync(shared, { recursive: true, force: true }));
const raw = (data: Float32Array | Int32Array): Uint8Array => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
writeFileSync(join(shared, 'x.f32'), raw(train.x.data as Float32Array));
writeFileSync(join(shared, 'y.i32'), raw(train.y));
writeFileSync(join(shared, 'tx.f32'), raw(test.x.data as Float32Array));
writeFileSync(join(shared, 'ty.i32'), raw(test.y));
initial.forEach((w, i) => writeFileSync(join(shared, `w${i}.f32`), raw(w.data as Float32Array)));
orders.forEach((order, i) => writeFileSync(join(shared, `order${i}.i32`), raw(order)));
writeFileSync(join(shared, 'spec.json'), JSON.stringify({ train: train.x.rows, test: test.x.rows, sizes, epochs, batchSize, learningRate }));

/** Trains the same network with NumPy, if it is installed. */
function numpy(): Result | string {
  if (spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status !== 0) return 'NumPy is not installed (python3 -c "import numpy" failed)';
  const run = spawnSync('python3', [join(import.meta.dirname, '../bench/numpy_mlp.py'), shared], { encoding: 'utf8' });
  if (run.status !== 0) return `NumPy run failed: ${run.stderr.trim().split('\n').at(-1)}`;
  const parsed = JSON.parse(run.stdout) as { secondsPerEpoch: number[]; testAccuracy: number; numpy: string };
  return { name: `NumPy ${parsed.numpy} (1 thread)`, secondsPerEpoch: parsed.secondsPerEpoch, testAccuracy: parsed.testAccuracy };
}

/** Trains the same network with tfjs's cpu or wasm backend, for `count` epochs. */
function tfjs(backend: 'cpu' | 'wasm', count: number): Result | string {
  const run = spawnSync(process.execPath, [join(import.meta.dirname, '../bench/tfjs-mlp.ts'), shared, backend, String(count)], { encoding: 'utf8' });
  if (run.status !== 0) return `tfjs ${backend} run failed: ${run.stderr.trim().split('\n').at(-1)}`;
  const parsed = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { secondsPerEpoch: number[]; testAccuracy: number; version: string };
  return { name: `tfjs ${parsed.version} ${backend}`, secondsPerEpoch: parsed.secondsPerEpoch, testAccuracy: parsed.testAccuracy };
}

/** GFLOP/s of one product shape with one backend, best of a few repetitions. */
function gflops(backend: Backend, n: number, k: number, m: number, options: { transposeA?: boolean; transposeB?: boolean }): number {
  setBackend(backend);
  const r = new Random(9);
  const a = options.transposeA ? r.randn(k, n) : r.randn(n, k);
  const b = options.transposeB ? r.randn(m, k) : r.randn(k, m);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    matmul(a, b, options);
    best = Math.min(best, performance.now() - started);
  }
  setBackend('auto');
  return (2 * n * k * m) / (best / 1000) / 1e9;
}

console.log(`reference: MNIST, ${sizes.join('-')}, Adam ${learningRate}, batch ${batchSize}, float32, ${plural(epochs, 'epoch')} of ${train.x.rows} samples, same start and batch order for every implementation\n`);
const results: Array<Result | string> = [];
/**
 * Time to the seed's 97.42% MNIST test accuracy: the reference network with a larger Adam step
 * that decays (lr 0.003, decay 0.002), checked on the test set every quarter epoch. The clock
 * runs only while training, not while checking.
 */
function timeToTarget(target: number): { seconds: number; epochs: number; accuracy: number } | undefined {
  setBackend('auto');
  const model = referenceModel(initial, { learningRate: 0.003, decay: 0.002 });
  const steps = Math.ceil(train.x.rows / batchSize);
  const checkEvery = Math.ceil(steps / 4);
  const rng = new Random(2);
  let clock = 0;
  for (let epoch = 0; epoch < 6; epoch++) {
    const order = rng.permutation(train.x.rows);
    for (let step = 0; step < steps; step++) {
      const started = performance.now();
      trainStep(model, train.x, train.y, order.subarray(step * batchSize, (step + 1) * batchSize));
      clock += (performance.now() - started) / 1000;
      if ((step + 1) % checkEvery === 0 || step === steps - 1) {
        const accuracy = model.accuracy(test.x, test.y);
        const epochs = epoch + (step + 1) / steps;
        console.log(`  after ${clock.toFixed(2)} s of training (epoch ${epochs.toFixed(2)}): test accuracy ${accuracy.toFixed(4)}`);
        if (accuracy >= target) return { seconds: clock, epochs, accuracy };
      }
    }
  }
  return undefined;
}


results.push(scratchnet('wasm'));
// Right after the fast run, while the process is as fresh as it was for that run.
let reached: ReturnType<typeof timeToTarget> | 'skipped' = 'skipped';
if (!args['skip-target']) {
  console.log('\ntime to 97.42% MNIST test accuracy (784-128-128-10, Adam lr 0.003 decay 0.002, batch 128, wasm)');
  reached = timeToTarget(0.9742);
  console.log(reached ? `  reached ${reached.accuracy.toFixed(4)} after ${reached.seconds.toFixed(2)} s of training, at epoch ${reached.epochs.toFixed(2)}\n` : '  not reached in 6 epochs\n');
}

if (!args['skip-js']) results.push(scratchnet('js'));
if (!args['skip-numpy']) results.push(numpy());
if (!args['skip-tfjs']) {
  // tfjs's pure-JS backend takes tens of seconds an epoch, so it runs one epoch (its test accuracy is after that one).
  results.push(tfjs('wasm', epochs), tfjs('cpu', 1));
}

console.log('\nimplementation                 s/epoch (median)   samples/s   test accuracy');
const numpyResult = results.find((r): r is Result => typeof r !== 'string' && r.name.startsWith('NumPy'));
for (const result of results) {
  if (typeof result === 'string') {
    console.log(`(${result})`);
    continue;
  }
  const seconds = median(result.secondsPerEpoch);
  const ratio = numpyResult ? `  ${(seconds / median(numpyResult.secondsPerEpoch)).toFixed(2)}× NumPy's time` : '';
  const speedup = typeof results[0] !== 'string' ? seconds / median(results[0].secondsPerEpoch) : 0;
  const faster = result === results[0] || !speedup ? '' : speedup >= 1 ? `  (scratchnet wasm is ${speedup.toFixed(1)}× faster)` : `  (scratchnet wasm takes ${(1 / speedup).toFixed(2)}× its time)`;
  console.log(`${result.name.padEnd(30)} ${seconds.toFixed(2).padStart(8)}   ${Math.round(train.x.rows / seconds).toString().padStart(14)}   ${result.testAccuracy.toFixed(4).padStart(13)}${ratio}${faster}`);
}

console.log('\nGEMM microbenchmark (GFLOP/s, best of 5)');
const shapes: Array<[string, number, number, number, { transposeA?: boolean; transposeB?: boolean }]> = [
  ['layer 1 forward   (128×784)·(784×128)', 128, 784, 128, {}],
  ['layer 1 dweights  (128×784)ᵀ·(128×128)', 784, 128, 128, { transposeA: true }],
  ['layer 2 forward   (128×128)·(128×128)', 128, 128, 128, {}],
  ['layer 2 dinputs   (128×128)·(128×128)ᵀ', 128, 128, 128, { transposeB: true }],
];
for (const [label, n, k, m, options] of shapes) {
  console.log(`${label.padEnd(44)} js ${gflops('js', n, k, m, options).toFixed(2).padStart(6)}   wasm ${gflops('wasm', n, k, m, options).toFixed(2).padStart(6)}`);
}
const fast = results[0] as Result;
const tfjsWasm = results.find((r): r is Result => typeof r !== 'string' && r.name.startsWith('tfjs') && r.name.endsWith('wasm'));
console.log(
  `\nbench: scratchnet (wasm) ${median(fast.secondsPerEpoch).toFixed(2)} s/epoch, test accuracy ${fast.testAccuracy.toFixed(4)}` +
    (numpyResult ? `; NumPy ${median(numpyResult.secondsPerEpoch).toFixed(2)} s/epoch; ratio ${(median(fast.secondsPerEpoch) / median(numpyResult.secondsPerEpoch)).toFixed(2)}× NumPy's time` : '') +
    (tfjsWasm ? `; ${(median(tfjsWasm.secondsPerEpoch) / median(fast.secondsPerEpoch)).toFixed(1)}× faster than tfjs wasm` : '') +
    (reached === 'skipped' ? '' : reached ? `; 97.42% after ${reached.seconds.toFixed(2)} s of training` : '; 97.42% not reached'),
);
