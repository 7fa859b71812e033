// The CLI's shared pieces: every command's --help lists each option of its table with its default,
// user errors end in one `error:` line while a bug keeps its stack trace, saving falls back to a
// temporary folder instead of losing the model, and counts carry their unit.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { FormatError, ScratchnetError } from '../../lib/errors.ts';
import { COMMANDS, UsageError, isUserError, parseCommand, plural, saveWithFallback } from '../../scripts/cli.ts';
import { helpText, type Option } from '../../scripts/options.ts';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'scratchnet-cli-pieces-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const env = { ...process.env, NODE_COMPILE_CACHE: join(tmpdir(), 'scratchnet-test-compile-cache') };

/** Runs Node with `args` from the project folder. */
function node(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const SCRIPTS = { train: 'train.ts', sweep: 'sweep.ts', evaluate: 'evaluate.ts', download: 'download.ts', bench: 'bench.ts', benchBrowser: 'bench-browser.ts', benchInputs: 'bench-inputs.ts', screenshots: 'screenshots.ts' } as const;

describe('--help', () => {
  it.each(Object.entries(COMMANDS))('lists every option of %s with a sentence and its default', (_, command) => {
    const lines = helpText(command).split('\n');
    expect(lines[0]).toMatch(new RegExp(`^usage: npm run ${command.name} -- `));
    for (const [name, option] of Object.entries(command.options) as Array<[string, Option]>) {
      const line = lines.find((text) => text.startsWith(`  --${name} `) || text === `  --${name}`) ?? '';
      const stated = option.required ? '(required)' : option.kind.flag ? '(default: off)' : `(default: ${option.defaultText ?? option.default})`;
      expect(line, `--${name}`).toContain(`${option.description} ${stated}`);
      expect(option.description).toMatch(/^[A-Z].*\.$/);
    }
    expect(lines.at(-1)).toMatch(/^ {2}-h, --help +Prints this help and exits\.$/);
  });

  const scripts = (Object.keys(SCRIPTS) as Array<keyof typeof SCRIPTS>).map((key) => [COMMANDS[key].name, key] as const);
  it.each(scripts)('is what npm run %s -- --help prints, with status 0', (_, key) => {
    const result = node([join(root, 'scripts', SCRIPTS[key]), '--help']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${helpText(COMMANDS[key])}\n`);
  });

  it.each(['train', 'evaluate'] as const)('is also what -h prints for %s, even after other arguments', (name) => {
    const result = node([join(root, 'scripts', SCRIPTS[name]), '--epochs', '-1', '-h']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${helpText(COMMANDS[name])}\n`);
  });
});

describe('bench:inputs', () => {
  it('says to build the site first when the folder holds no built chapters', () => {
    const result = node([join(root, 'scripts', 'bench-inputs.ts'), '--site', work]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`error: bench:inputs needs a built site, and ${work} has no chapters: run \`npm run build\` first (or pass --site DIR).\n`);
  });
});

describe("train's table", () => {
  it('gives the same settings as before when only the dataset is named', () => {
    const mnist = parseCommand(COMMANDS.train, ['--dataset', 'mnist', '--out', join(work, 'm.json')]);
    expect(mnist).toEqual({
      dataset: 'mnist', epochs: 26, 'batch-size': 128, hidden: [512, 512], optimizer: 'adam', 'learning-rate': 0.001, decay: 5e-4, dropout: 0.2, 'input-dropout': 0.2, l2: 0, 'batch-norm': false, 'label-smoothing': 0,
      seed: 1, validation: 5000, augment: false, 'max-shift': 2, 'max-rotation': 10, 'max-scale': 0.1, patience: undefined,
      'train-size': undefined, 'test-size': undefined, 'data-dir': undefined, out: join(work, 'm.json'),
    });
    expect(parseCommand(COMMANDS.train, ['--dataset', 'fashion-mnist', '--optimizer', 'sgd', '--out', join(work, 'f.json')])).toMatchObject({ epochs: 26, 'learning-rate': 0.1, 'input-dropout': 0, 'max-rotation': 0, 'max-scale': 0 });
  });

  it('saves to models/<dataset>-model.json, a folder git ignores, by default', () => {
    expect(COMMANDS.train.options.out.default({ dataset: 'fashion-mnist' } as never)).toBe('models/fashion-mnist-model.json');
    expect(readFileSync(join(root, '.gitignore'), 'utf8').split('\n')).toContain('/models/');
  });
});

describe('how a command ends on an error', () => {
  it('counts bad arguments, library refusals and files the system refused as the user\'s to fix', async () => {
    const missing = await readFile(join(work, 'missing')).catch((error: unknown) => error);
    for (const error of [new UsageError('x'), new ScratchnetError('op', 'x'), new FormatError('op', 'x'), missing]) expect(isUserError(error)).toBe(true);
    for (const error of [new TypeError('x'), new RangeError('x'), 'a string']) expect(isUserError(error)).toBe(false);
  });

  const script = (thrown: string) => ['--input-type=module', '-e', `const cli = await import(${JSON.stringify(join(root, 'scripts/cli.ts'))}); cli.handleErrors(); await Promise.resolve(); throw ${thrown};`];

  it('prints a user error as one line, with status 1 and no stack trace', () => {
    const result = node(script("new cli.UsageError('--epochs must be a positive whole number, not -1')"));
    expect(result.stderr).toBe('error: --epochs must be a positive whole number, not -1\n');
    expect(result.status).toBe(1);
  });

  it('keeps the stack trace of anything else, a bug to report', () => {
    const result = node(script("new TypeError('cannot read x of undefined')"));
    expect(result.stderr).toMatch(/^internal error \(please report it\): TypeError: cannot read x of undefined\n {4}at /);
    expect(result.status).toBe(1);
  });
});

describe('saveWithFallback', () => {
  const write = (contents: string) => (path: string) => writeFile(path, contents);

  it('saves where it was asked to when it can', async () => {
    const path = join(work, 'model.json');
    expect(await saveWithFallback(path, write('weights'))).toEqual({ path });
    expect(readFileSync(path, 'utf8')).toBe('weights');
  });

  it('keeps the work in a new temporary folder when the folder has gone, and says why', async () => {
    const fallbackRoot = mkdtempSync(join(work, 'fallback-'));
    const saved = await saveWithFallback(join(work, 'removed-folder', 'model.json'), write('weights'), fallbackRoot);
    expect(dirname(dirname(saved.path))).toBe(fallbackRoot);
    expect(saved.path.endsWith(join('model.json'))).toBe(true);
    expect(saved.problem).toMatch(/^ENOENT: no such file or directory/);
    expect(readFileSync(saved.path, 'utf8')).toBe('weights');
  });

  it('names both places when the fallback fails too', async () => {
    const refuse = async (path: string) => {
      throw new Error(`disk full at ${path}`);
    };
    await expect(saveWithFallback(join(work, 'a.json'), refuse, work)).rejects.toThrow(new RegExp(`^could not save to ${join(work, 'a.json')} \\(disk full at .*\\), nor to .*a\\.json \\(disk full at`));
  });
});

describe('plural', () => {
  it('writes a count with its unit, singular for one', () => {
    expect([plural(1, 'epoch'), plural(12, 'epoch'), plural(0, 'test image'), plural(1, 'test image')]).toEqual(['1 epoch', '12 epochs', '0 test images', '1 test image']);
  });
});
