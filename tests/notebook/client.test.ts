// Checks how the notebook names cells in its messages (site/notebook/client.ts): in short, with
// runs of three or more written as ranges, so a stopped run says "Cells 3–14 must be re-run".
import { describe, expect, it } from 'vitest';
import { cellRanges, cellsNamed } from '../../site/notebook/client.ts';

describe('naming cells', () => {
  it('writes a run of three or more cells as a range', () => {
    expect(cellRanges([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14])).toBe('3–14');
  });

  it('lists one or two cells and the pieces of a broken run with "and"', () => {
    expect(cellRanges([4])).toBe('4');
    expect(cellRanges([4, 5])).toBe('4 and 5');
    expect(cellRanges([1, 2, 3, 5, 7, 8, 9, 10])).toBe('1–3, 5 and 7–10');
  });

  it('sorts the cells and names each once', () => {
    expect(cellRanges([9, 2, 1, 3, 2])).toBe('1–3 and 9');
  });

  it('says "Cell" for one and "Cells" for more', () => {
    expect(cellsNamed([3])).toBe('Cell 3');
    expect(cellsNamed([3, 3])).toBe('Cell 3');
    expect(cellsNamed([1, 2, 3, 4])).toBe('Cells 1–4');
  });
});
