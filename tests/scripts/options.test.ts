// The option table machinery on a small table of its own: values are parsed and checked in the
// table's order, defaults are checked like typed text, every mistake throws a UsageError that names
// the option and what it must be, a mistyped option gets the nearest real one, and --help is built.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError, Value, defineCommand, editDistance, helpText, listOf, nearestOptions, parseCommand, usageLine } from '../../scripts/options.ts';

const work = mkdtempSync(join(tmpdir(), 'scratchnet-options-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
writeFileSync(join(work, 'file.txt'), 'a file');

const command = defineCommand({
  name: 'fit',
  summary: 'Fits a thing.',
  options: {
    kind: { kind: Value.oneOf(['small', 'large']), required: true, description: 'Which thing to fit.' },
    steps: { kind: Value.whole(1), default: (chosen) => (chosen.kind === 'small' ? '10' : '20'), defaultText: '10 or 20', description: 'How many steps.' },
    rate: { kind: Value.number({ above: 0 }), default: '0.5', description: 'How fast.' },
    keep: { kind: Value.number({ atLeast: 0, below: 1 }), default: '0', description: 'How much to keep.' },
    sizes: { kind: Value.counts, default: '4,2', description: 'The sizes.' },
    limit: { kind: Value.whole(1), description: 'At most this many.', defaultText: 'none' },
    input: { kind: Value.existingFile, description: 'A file to read.', defaultText: 'none' },
    output: { kind: Value.writableFile, default: join(work, 'out.json'), description: 'A file to write.' },
    quiet: { kind: Value.flag, description: 'Says less.' },
  },
});

/** The message of the UsageError that parsing `argv` throws. */
function refusal(argv: string[]): string {
  try {
    parseCommand(command, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('parseCommand', () => {
  it('returns every value converted, with defaults computed from the options before them', () => {
    expect(parseCommand(command, ['--kind', 'large', '--rate', '1e-3', '--sizes', '8, 4', '--quiet'])).toEqual({
      kind: 'large', steps: 20, rate: 0.001, keep: 0, sizes: [8, 4], limit: undefined, input: undefined, output: join(work, 'out.json'), quiet: true,
    });
    expect(parseCommand(command, ['--kind=small', '--steps=3'])).toMatchObject({ steps: 3, quiet: false });
  });

  it('lets a negative number through to the option\'s own check, written either way', () => {
    expect(refusal(['--kind', 'small', '--steps', '-1'])).toBe('--steps must be a positive whole number, not -1');
    expect(refusal(['--kind', 'small', '--steps=-1'])).toBe('--steps must be a positive whole number, not -1');
    expect(refusal(['--kind', 'small', '--rate', '-.5'])).toBe('--rate must be a number above 0, not -.5');
  });

  it('quotes text that is not a number, and refuses hexadecimal, Infinity and blanks', () => {
    for (const text of ['ten', '0x10', 'Infinity', '', ' ']) expect(refusal(['--kind', 'small', '--steps', text])).toBe(`--steps must be a positive whole number, not ${JSON.stringify(text)}`);
  });

  it('checks each kind of value', () => {
    expect(refusal(['--kind', 'medium'])).toBe('--kind must be small or large, not "medium"');
    expect(refusal(['--kind', 'small', '--keep', '1'])).toBe('--keep must be a number of at least 0 and below 1, not 1');
    expect(refusal(['--kind', 'small', '--sizes', '4,0'])).toBe('--sizes must be a comma-separated list of positive whole numbers, such as 256,128, not "4,0"');
    expect(refusal(['--kind', 'small', '--input', join(work, 'none')])).toBe(`--input must be an existing file, not "${join(work, 'none')}" (no such file)`);
    expect(refusal(['--kind', 'small', '--input', work])).toBe(`--input must be an existing file, not "${work}" (it is a folder)`);
    expect(refusal(['--kind', 'small', '--output', join(work, 'gone', 'x.json')])).toBe(`--output must be a file in a folder that exists and can be written, not "${join(work, 'gone', 'x.json')}" (${join(work, 'gone')} does not exist)`);
  });

  it('checks a default like typed text, and says it was the default', () => {
    const table = defineCommand({ name: 'x', summary: '', options: { output: { kind: Value.writableFile, default: join(work, 'file.txt', 'out.json'), description: 'Out.' } } });
    expect(() => parseCommand(table, [])).toThrow(`--output must be a file in a folder that exists and can be written, not "${join(work, 'file.txt', 'out.json')}", its default (${join(work, 'file.txt')} is not a folder)`);
  });

  it('refuses a missing required option, listing the choices', () => {
    expect(refusal([])).toBe(`--kind is required: small or large\n${usageLine(command)}`);
  });

  it('refuses unknown, repeated, valueless and stray arguments, and values given to a flag', () => {
    expect(refusal(['--kind', 'small', '--step', '3'])).toBe(`unknown option --step; did you mean --steps?\n${usageLine(command)}`);
    expect(refusal(['--kind', 'small', '--steps', '3', '--steps', '4'])).toBe('--steps is given twice; give it once');
    expect(refusal(['--kind', 'small', '--steps'])).toBe(`--steps needs a value: a positive whole number\n${usageLine(command)}`);
    expect(refusal(['--kind', '--quiet'])).toBe(`--kind needs a value: small or large\n${usageLine(command)}`);
    expect(refusal(['--kind', 'small', 'now'])).toMatch(/^unexpected argument "now": every value follows the option it is for/);
    expect(refusal(['--kind', 'small', '--quiet=yes'])).toBe('--quiet takes no value, not "yes"');
  });
});

describe('nearestOptions', () => {
  const names = ['dataset', 'data-dir', 'epochs', 'batch-size', 'learning-rate', 'optimizer', 'out'];

  it('suggests the option a few edits away, or the one a prefix begins', () => {
    expect(nearestOptions('--epoch', names)).toEqual(['epochs']);
    expect(nearestOptions('--Epcohs', names)).toEqual(['epochs']);
    expect(nearestOptions('--optimiser', names)).toEqual(['optimizer']);
    expect(nearestOptions('--learning_rate', names)).toEqual(['learning-rate']);
    expect(nearestOptions('--batch', names)).toEqual(['batch-size']);
    expect(nearestOptions('--data', names)).toEqual(['dataset']);
  });

  it('suggests the option whose initials a short name is, before any that is a few edits away', () => {
    expect(nearestOptions('--lr', [...names, 'l2'])).toEqual(['learning-rate']);
    expect(nearestOptions('--bs', names)).toEqual(['batch-size']);
  });

  it('suggests nothing for a name far from every option', () => {
    expect(nearestOptions('--xq', names)).toEqual([]);
    expect(nearestOptions('-x', names)).toEqual([]);
  });

  it('counts single-character edits', () => {
    expect([editDistance('', 'abc'), editDistance('kitten', 'sitting'), editDistance('same', 'same')]).toEqual([3, 3, 0]);
  });
});

describe('helpText', () => {
  it('shows the usage line, the summary, and each option with its placeholder, sentence and default', () => {
    expect(helpText(command).split('\n')).toEqual([
      'usage: npm run fit -- --kind small|large [--steps N] [--rate X] [--keep X] [--sizes N,N] [--limit N] [--input FILE] [--output FILE] [--quiet]',
      '',
      'Fits a thing.',
      '',
      'options:',
      '  --kind small|large  Which thing to fit. (required)',
      '  --steps N           How many steps. (default: 10 or 20)',
      '  --rate X            How fast. (default: 0.5)',
      '  --keep X            How much to keep. (default: 0)',
      '  --sizes N,N         The sizes. (default: 4,2)',
      '  --limit N           At most this many. (default: none)',
      '  --input FILE        A file to read. (default: none)',
      `  --output FILE       A file to write. (default: ${join(work, 'out.json')})`,
      '  --quiet             Says less. (default: off)',
      '  -h, --help          Prints this help and exits.',
    ]);
  });

  it('joins words with "or" or "and"', () => {
    expect([listOf(['a']), listOf(['a', 'b']), listOf(['a', 'b', 'c'], 'and')]).toEqual(['a', 'a or b', 'a, b and c']);
  });
});
