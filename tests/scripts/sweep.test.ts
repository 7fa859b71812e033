// The learning-rate sweep command end to end on a small seeded subset of MNIST: a table with one row
// per rate (its loss and a bar, or "diverged"), the lowest and the suggested rate marked by the
// sweep's rule, and the command to train with it; the same seed gives the same table.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';

const root = resolve(import.meta.dirname, '../..');
const env = { ...process.env, NODE_COMPILE_CACHE: join(tmpdir(), 'scratchnet-test-compile-cache') };
const QUICK = ['--dataset', 'mnist', '--train-size', '1000', '--hidden', '16', '--steps', '10', '--count', '8', '--from', '0.0001', '--to', '1000'];

/** Runs npm run sweep with `args`, as a user would. */
function sweep(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'scripts/sweep.ts'), ...args], { cwd: root, env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let swept: ReturnType<typeof sweep>;
beforeAll(() => {
  swept = sweep(QUICK);
}, 60_000);

/** The table's rows: rate, loss (NaN for diverged) and the mark after the bar. */
function rows(stdout: string): Array<{ rate: number; loss: number; mark: string }> {
  const table = stdout.slice(stdout.indexOf('learning rate      loss'));
  return table.split('\n').slice(1).filter((line) => /^ +[\d.e-]+ +(\d\.\d{4}|diverged)/.test(line)).map((line) => {
    const [, rate, loss, mark] = /^ +([\d.e-]+) +(\d\.\d{4}|diverged) *█*(.*)$/.exec(line)!;
    return { rate: Number(rate), loss: loss === 'diverged' ? Number.NaN : Number(loss), mark: mark.trim() };
  });
}

describe('npm run sweep', () => {
  it('prints one row per rate, a factor of 10 apart from 0.0001 to 1000, the largest diverged and the smallest barely learning', () => {
    expect(swept.stderr).toBe('');
    expect(swept.status).toBe(0);
    expect(swept.stdout).toContain('8 learning rates from 0.0001 to 1000, 10 steps of 128 each from the same start, on 1000 training images · 784 → 16 → 10 · adam decay 0.0005 · dropout 0.2 · input dropout 0.2 · seed 1\n');
    const table = rows(swept.stdout);
    expect(table.map(({ rate }) => rate)).toEqual([0.0001, 0.001, 0.01, 0.1, 1, 10, 100, 1000]);
    expect(Number.isNaN(table.at(-1)!.loss)).toBe(true);
    expect(table[0].loss).toBeGreaterThan(2);
  });

  it('marks the lowest loss and, at most a third of its rate, the suggested one, and says how to train with it', () => {
    const table = rows(swept.stdout);
    const finite = table.filter(({ loss }) => !Number.isNaN(loss));
    const lowest = finite.reduce((best, row) => (row.loss < best.loss ? row : best));
    expect(table.filter(({ mark }) => mark === '← lowest')).toEqual([lowest]);
    const suggested = table.filter(({ rate }) => rate <= lowest.rate / 3).at(-1)!;
    expect(suggested.mark).toBe('← suggested');
    expect(swept.stdout).toContain(`at learning rate ${lowest.rate}\n`);
    expect(swept.stdout).toContain(`suggested learning rate: ${suggested.rate} (`);
    expect(swept.stdout.trim().split('\n').at(-1)).toBe(`train with it: npm run train -- --dataset mnist --hidden 16 --optimizer adam --learning-rate ${suggested.rate}`);
  });

  it('gives the same table from the same seed', () => {
    const again = sweep(QUICK);
    expect(rows(again.stdout)).toEqual(rows(swept.stdout));
  }, 60_000);
});
