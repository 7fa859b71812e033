// Which cells an input change re-runs (site/notebook/rerun.ts), from the names each cell writes and
// uses (site/notebook/dependencies.ts).
import { describe, expect, it } from 'vitest';
import { cellNames } from '../../site/notebook/dependencies.ts';
import { cellsToRerun } from '../../site/notebook/rerun.ts';

describe('cellNames', () => {
  it('lists what a cell declares or assigns as written, and every variable it mentions as used', () => {
    const names = cellNames('const { a, b: [c] } = f(x); let d: number = 1; function g() { total += a.size; } class K {} x++;');
    expect(names.writes.sort()).toEqual(['K', 'a', 'c', 'd', 'g', 'total', 'x']);
    expect(names.uses).toEqual(expect.arrayContaining(['f', 'x', 'total', 'a']));
  });

  it('does not take property names for variables', () => {
    const { uses } = cellNames('print(model.layers, { weight: 1 })');
    expect(uses).toContain('model');
    expect(uses).not.toContain('layers');
    expect(uses).not.toContain('weight');
  });

  it('gives a cell that does not parse no names', () => {
    expect(cellNames('const = ;')).toEqual({ writes: [], uses: [] });
  });
});

describe('cellsToRerun', () => {
  const names = [
    'const data = spiral(100)',
    "const rate = slider('rate', { min: 0.01, max: 1, value: 0.1 }); const history = train(data, rate)",
    'print(data.x.rows)',
    'linePlot({ loss: history.loss })',
    'const last = history.loss.at(-1)',
    'print(last)',
  ].map(cellNames);

  it('re-runs the changed cell and, in order, the later cells that read what it or they write', () => {
    expect(cellsToRerun(names, [1], names.map(() => true))).toEqual([1, 3, 4, 5]);
  });

  it('first runs the earlier cells it needs that have not run yet, and skips the others', () => {
    // Cell 3 (print(data.x.rows)) has not run either, but nothing chosen needs it.
    expect(cellsToRerun(names, [1], [false, false, false, true, true, true])).toEqual([0, 1, 3, 4, 5]);
  });

  it('counts a cell that only uses a shared name as needed, since it may change what the name holds', () => {
    const mutating = ['const model = makeModel()', 'model.train(data)', 'const scale = slider("scale", { min: 0, max: 1, value: 0.5 }); print(model.predict(x), scale)', 'print(1 + 1)'].map(cellNames);
    expect(cellsToRerun(mutating, [2], [false, false, false, false])).toEqual([0, 1, 2]);
  });

  it('finds what the needed cells need in turn', () => {
    const chain = ['const a = 1', 'const b = a + 1', 'const unrelated = 5', "const c = b * slider('k', { min: 0, max: 1, value: 0.5 })"].map(cellNames);
    expect(cellsToRerun(chain, [3], [false, false, false, false])).toEqual([0, 1, 3]);
  });

  it('re-runs nothing when no input moved', () => {
    expect(cellsToRerun(names, [], names.map(() => true))).toEqual([]);
  });
});
