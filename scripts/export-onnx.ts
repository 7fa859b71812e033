// Writes a saved model (either form) as an ONNX file (lib/onnx.ts), so the network trained here runs in
// onnxruntime and the other ONNX runtimes; the tests check onnxruntime-node predicts as scratchnet does.
// Usage: npm run export-onnx -- --model models/mnist-model.json [--out models/mnist.onnx] [--opset N]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Dense, ONNX_IR_VERSION, formatBytes } from '../lib/index.ts';
import { loadModel, saveONNX } from '../lib/node.ts';
import { COMMANDS, UsageError, handleErrors, parseCommand } from './cli.ts';

handleErrors();
const options = parseCommand(COMMANDS.exportONNX);
if (resolve(options.out) === resolve(options.model)) throw new UsageError(`--out ${options.out} is the model file itself: give another path for the ONNX file`);
const model = await loadModel(options.model);
await saveONNX(model, options.out, { opset: options.opset, producerVersion: scratchnetVersion() });
const dense = model.layers.filter((layer): layer is Dense => layer instanceof Dense);
const sizes = dense.length ? [dense[0].nInputs, ...dense.map((layer) => layer.nOutputs)] : [];
const shape = (width: number | undefined) => `batch × ${width ?? 'features'}`;
console.log(`wrote ${options.out} (${formatBytes(readFileSync(options.out).length)}, ONNX IR version ${ONNX_IR_VERSION}, opset ${options.opset}): ${sizes.join(' → ') || 'no Dense layers'}, ${model.parameterCount.toLocaleString('en-US')} parameters`);
console.log(`its input is "input" (${shape(sizes[0])}, float32) and its output "output" (${shape(sizes.at(-1))}); run it with onnxruntime, e.g. InferenceSession.create('${options.out}')`);

/** The version in scratchnet's package.json: the repository's, or in the installed package the one above dist/scripts. */
function scratchnetVersion(): string | undefined {
  for (let folder = import.meta.dirname; folder !== dirname(folder); folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
    if (name === 'scratchnet') return version;
  }
  return undefined;
}
