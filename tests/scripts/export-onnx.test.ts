// npm run export-onnx, run as a user would: it writes an ONNX file (from either model form) that
// onnxruntime-node loads and runs as scratchnet does, next to the model unless --out says where, with
// the opset asked for; bad input (a missing or damaged model, an unwritable --out) ends in one `error:` line.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Matrix, Random, encodeModel, mlp, serializeModel } from '../../lib/index.ts';
import { COMMANDS } from '../../scripts/cli.ts';
import { helpText } from '../../scripts/options.ts';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'scratchnet-export-onnx-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const at = (name: string) => join(work, name);

const network = mlp([6, 5, 3], { rng: new Random(4) });
writeFileSync(at('model.json'), JSON.stringify(serializeModel(network)));
writeFileSync(at('model.snet'), encodeModel(network));
writeFileSync(at('damaged.json'), '{"format": "scratchnet-model", "version": 1, "layers": [');
writeFileSync(at('conv.json'), JSON.stringify({ ...serializeModel(network), layers: [...serializeModel(network).layers, { type: 'Conv2D' }] }));
mkdirSync(at('locked'));
chmodSync(at('locked'), 0o500);
const env = { ...process.env, NODE_COMPILE_CACHE: join(tmpdir(), 'scratchnet-test-compile-cache') };

function exportONNX(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'scripts/export-onnx.ts'), ...args], { cwd: root, env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The ONNX file's outputs for x, run by onnxruntime-node. */
async function runFile(path: string, x: Matrix): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(path);
  try {
    const results = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.data), [x.rows, x.cols]) });
    return results.output.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('npm run export-onnx', () => {
  const x = new Matrix(3, 6, Float32Array.from({ length: 18 }, (_, i) => Math.sin(i)));

  it.each(['model.json', 'model.snet'])('writes an ONNX file from %s that onnxruntime runs as scratchnet does', async (name) => {
    const out = at(`${name}.onnx`);
    const result = exportONNX('--model', at(name), '--out', out);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^wrote ${out} \\([\\d.]+ (kB|bytes), ONNX IR version 8, opset 13\\): 6 → 5 → 3, 53 parameters\\n`));
    const ours = network.predict(x).data;
    const theirs = await runFile(out, x);
    expect(Math.max(...Array.from(ours, (value, i) => Math.abs(value - theirs[i])))).toBeLessThan(1e-5);
  });

  it('writes next to the model, as .onnx, unless --out says where, importing the opset asked for', async () => {
    const result = exportONNX('--model', at('model.json'), '--opset', '17');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`wrote ${at('model.onnx')} (`);
    expect(result.stdout).toContain('opset 17');
    expect((await runFile(at('model.onnx'), x)).length).toBe(9);
    // producer_name "scratchnet" and producer_version, the package's version (ModelProto fields 2 and 3).
    const bytes = readFileSync(at('model.onnx'));
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    expect(bytes.includes(Buffer.from(`\x12\x0ascratchnet\x1a${String.fromCharCode(version.length)}${version}`))).toBe(true);
  });

  it('prints its help, made from its table', () => {
    const result = exportONNX('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${helpText(COMMANDS.exportONNX)}\n`);
  });

  const badInputs: Array<[string, string[], string]> = [
    ['a missing model file', ['--model', at('missing.json')], `error: --model must be an existing file, not "${at('missing.json')}" (no such file)\n`],
    ['a damaged model file', ['--model', at('damaged.json'), '--out', at('damaged.onnx')], `error: ${at('damaged.json')}: `],
    ['a model with a layer scratchnet does not know', ['--model', at('conv.json'), '--out', at('conv.onnx')], `error: ${at('conv.json')}: deserializeModel: layers[4].type "Conv2D" is not a layer scratchnet knows`],
    ['an --out in a folder that does not exist', ['--model', at('model.json'), '--out', at('nowhere/model.onnx')], `error: --out must be a file in a folder that exists and can be written, not "${at('nowhere/model.onnx')}" (${at('nowhere')} does not exist)\n`],
    ['an --out that is a folder', ['--model', at('model.json'), '--out', work], `error: --out must be a file in a folder that exists and can be written, not "${work}" (it is a folder: give a file name in it)\n`],
    ['an --out that is the model itself', ['--model', at('model.snet'), '--out', at('model.snet')], `error: --out ${at('model.snet')} is the model file itself: give another path for the ONNX file\n`],
    ['an opset out of range', ['--model', at('model.json'), '--opset', '12'], 'error: --opset must be a whole number from 13 to 18, not 12\n'],
  ];
  // Root ignores folder permissions, so the read-only folder only counts for other users.
  if (process.getuid?.() !== 0) badInputs.push(['an --out in a folder that cannot be written', ['--model', at('model.json'), '--out', at('locked/model.onnx')], `error: --out must be a file in a folder that exists and can be written`]);

  it.each(badInputs)('ends with one error line for %s, writing nothing', (_, args, message) => {
    const result = exportONNX(...args);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.stderr.slice(0, message.length)).toBe(message);
    const out = args[args.indexOf('--out') + 1];
    if (args.includes('--out') && out.endsWith('.onnx') && !out.endsWith('model.snet')) expect(existsSync(out)).toBe(false);
  });
});
