// The published package: `npm pack` produces a tarball that a brand-new project can install
// and import as `scratchnet` (and `scratchnet/node`), with types, in plain Node and TypeScript.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'scratchnet-pack-'));
const consumer = join(work, 'consumer');
let files: string[] = [];

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  // `npm pack` runs the prepack script, which compiles lib/ into dist/lib.
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  files = packed[0].files.map((file) => file.path);
  const tarball = join(work, packed[0].filename);
  run('mkdir', ['-p', consumer], work);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], consumer);
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the npm package', () => {
  it('contains the compiled library with type declarations, and no site, tests or chapters', () => {
    expect(files).toContain('dist/lib/index.js');
    expect(files).toContain('dist/lib/index.d.ts');
    expect(files).toContain('dist/lib/node.js');
    expect(files).toContain('dist/lib/node.d.ts');
    expect(files).toContain('package.json');
    expect(files.filter((file) => /^(site|tests|chapters)\//.test(file))).toEqual([]);
  });

  it('installs with no runtime dependencies', () => {
    const installed = readdirSync(join(consumer, 'node_modules')).filter((name) => !name.startsWith('.'));
    expect(installed).toEqual(['scratchnet']);
  });

  it('can be imported by name in a new Node project and computes the book\'s 4.8', () => {
    writeFileSync(
      join(consumer, 'neuron.mjs'),
      `import { Dense, Matrix, formatNumber } from 'scratchnet';
       const neuron = new Dense(4, 1);
       neuron.weights = [[0.2], [0.8], [-0.5], [1.0]];
       neuron.biases = [2];
       const output = neuron.forward(Matrix.fromRows([[1, 2, 3, 2.5]]));
       console.log(formatNumber(output.get(0, 0), { dtype: 'float32' }));`,
    );
    expect(run('node', ['neuron.mjs'], consumer).trim()).toBe('4.8');
  });

  it('exposes the Node-only file helpers under scratchnet/node', () => {
    writeFileSync(
      join(consumer, 'files.mjs'),
      `import { Sequential, Dense, Softmax, Random } from 'scratchnet';
       import { saveModel, loadModel } from 'scratchnet/node';
       const model = new Sequential([new Dense(3, 2, { rng: new Random(1) }), new Softmax()]);
       await saveModel(model, 'model.snet');
       const copy = await loadModel('model.snet');
       console.log(copy.layers.map((layer) => layer.name).join(','), copy.layers[0].weights.get(1, 1) === model.layers[0].weights.get(1, 1));`,
    );
    expect(run('node', ['files.mjs'], consumer).trim()).toBe('Dense,Softmax true');
  });

  it('type-checks a TypeScript consumer against the shipped declarations', () => {
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', skipLibCheck: false, types: [] } }),
    );
    writeFileSync(
      join(consumer, 'good.ts'),
      `import { Adam, Dense, Matrix, ReLU, Sequential, Softmax, CategoricalCrossEntropy, type History } from 'scratchnet';
       const model = new Sequential([new Dense(2, 4), new ReLU(), new Dense(4, 3), new Softmax()], { loss: new CategoricalCrossEntropy(), optimizer: new Adam({ learningRate: 0.01 }) });
       const history: History = model.train(Matrix.fromRows([[0, 1]]), [2], { epochs: 1 });
       const rows: number[][] = model.predict(Matrix.fromRows([[0, 1]])).toRows();
       export { history, rows };`,
    );
    const typecheck = (): { status: number | null; output: string } => {
      const result = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: consumer, encoding: 'utf8' });
      return { status: result.status, output: result.stdout + result.stderr };
    };
    expect(typecheck()).toEqual({ status: 0, output: '' });
    // The declarations must be real: a wrong call fails to type-check.
    writeFileSync(join(consumer, 'bad.ts'), `import { Dense } from 'scratchnet';\nconst layer: Dense = new Dense('two', 3);\nexport { layer };\n`);
    const bad = typecheck();
    expect(bad.status).not.toBe(0);
    expect(bad.output).toMatch(/bad\.ts.*Argument of type 'string'/s);
  });
});
