// Checks how the notebook reads the reader's saved edits (site/notebook/saved-edits.ts): a corpus
// of bad entries (wrong types, bad JSON, missing fields, huge strings, cells the page does not
// have) is dropped from storage and named, good edits are kept, other pages' entries are left
// alone, and storage that throws never reaches the page.
import { describe, expect, it } from 'vitest';
import { MAX_SAVED_CHARACTERS, checkEdit, droppedNotice, editKey, readSavedEdits, type EditStorage } from '../../site/notebook/saved-edits.ts';

const PATH = '/chapters/01-a-single-neuron/';
const ORIGINALS = ['const a = 1;', 'print(a)', 'a + 1'];

/** A localStorage stand-in over a Map. */
function memoryStorage(entries: Record<string, string>): EditStorage & { entries: Map<string, string> } {
  const map = new Map(Object.entries(entries));
  return {
    entries: map,
    get length() {
      return map.size;
    },
    key: (index) => [...map.keys()][index] ?? null,
    getItem: (key) => map.get(key) ?? null,
    removeItem: (key) => void map.delete(key),
  };
}

const edit = (source: unknown, original: unknown = ORIGINALS[0]): string => JSON.stringify({ original, source });

/** Bad values for cell 0's entry, each with the words its reason must hold. */
const BAD_VALUES: Array<[string, string, RegExp]> = [
  ['source is a number', edit(42), /"source" is a number, not text/],
  ['source is null', edit(null), /"source" is null/],
  ['source is a list', edit(['print(1)']), /"source" is a list/],
  ['source is an object', edit({ code: 'x' }), /"source" is an object/],
  ['source is a boolean', edit(true), /"source" is a boolean/],
  ['original is a number', edit('print(2)', 7), /"original" is a number/],
  ['source is missing', JSON.stringify({ original: ORIGINALS[0] }), /no "source"/],
  ['original is missing', JSON.stringify({ source: 'x' }), /no "original"/],
  ['an empty object', '{}', /no "original"/],
  ['source only in the prototype', `{"original": ${JSON.stringify(ORIGINALS[0])}, "__proto__": {"source": "x"}}`, /no "source"/],
  ['cut-off JSON', '{"original": "const a', /not valid JSON/],
  ['not JSON at all', 'print(1)', /not valid JSON/],
  ['an empty string', '', /not valid JSON/],
  ['the word undefined', 'undefined', /not valid JSON/],
  ['JSON null', 'null', /it is null/],
  ['a JSON number', '12', /it is a number/],
  ['a JSON string', '"print(1)"', /it is a string/],
  ['a JSON list', '["const a = 1;", "print(2)"]', /it is a list/],
  ['a huge edit', edit('x'.repeat(MAX_SAVED_CHARACTERS)), /more than the 200,000 kept/],
  ['a huge non-JSON string', 'y'.repeat(5_000_000), /5,000,000 characters/],
];

describe('a saved edit with a bad value', () => {
  it.each(BAD_VALUES)('is dropped from storage with its reason: %s', (_name, value, reason) => {
    const storage = memoryStorage({ [editKey(PATH, 0)]: value });
    const saved = readSavedEdits(storage, PATH, ORIGINALS);
    expect(saved.edits.size).toBe(0);
    expect(saved.dropped).toHaveLength(1);
    expect(saved.dropped[0].cell).toBe(1);
    expect(saved.dropped[0].reason).toMatch(reason);
    expect(storage.entries.has(editKey(PATH, 0))).toBe(false);
  });
});

describe('a saved edit for a cell the page does not have', () => {
  it.each([
    ['past the last cell', '3', /this page has 3 cells/, 4],
    ['far past it', '999999', /this page has 3 cells/, 1_000_000],
    ['negative', '-1', /names no cell/, undefined],
    ['not a number', 'abc', /"abc" names no cell/, undefined],
    ['a fraction', '1.5', /names no cell/, undefined],
    ['with a leading zero', '01', /names no cell/, undefined],
    ['empty', '', /names no cell/, undefined],
  ])('is dropped: %s', (_name, suffix, reason, cell) => {
    const key = `scratchnet:cell:${PATH}:${suffix}`;
    const storage = memoryStorage({ [key]: edit('print(3)') });
    const saved = readSavedEdits(storage, PATH, ORIGINALS);
    expect(saved.dropped).toEqual([{ key, cell, reason: expect.stringMatching(reason) }]);
    expect(storage.entries.size).toBe(0);
  });
});

describe('reading saved edits', () => {
  it('keeps good edits among bad ones, and leaves other pages and other keys alone', () => {
    const storage = memoryStorage({
      [editKey(PATH, 0)]: edit('const a = 2;'),
      [editKey(PATH, 1)]: edit(5, ORIGINALS[1]),
      [editKey(PATH, 2)]: edit('a + 2', ORIGINALS[2]),
      [editKey('/chapters/02-other/', 0)]: edit(5),
      'scratchnet:theme': 'dark',
    });
    const saved = readSavedEdits(storage, PATH, ORIGINALS);
    expect([...saved.edits]).toEqual([[0, 'const a = 2;'], [2, 'a + 2']]);
    expect(saved.dropped.map((entry) => entry.cell)).toEqual([2]);
    expect([...storage.entries.keys()].sort()).toEqual([editKey(PATH, 0), editKey(PATH, 2), editKey('/chapters/02-other/', 0), 'scratchnet:theme'].sort());
  });

  it('ignores, without dropping, an edit saved for code the chapter has since changed, and one equal to the code', () => {
    expect(checkEdit(edit('print(9)', 'old code'), ORIGINALS[0])).toBeUndefined();
    expect(checkEdit(edit(ORIGINALS[0]), ORIGINALS[0])).toBeUndefined();
    const storage = memoryStorage({ [editKey(PATH, 0)]: edit('print(9)', 'old code') });
    expect(readSavedEdits(storage, PATH, ORIGINALS)).toEqual({ edits: new Map(), dropped: [] });
    expect(storage.entries.size).toBe(1);
  });

  it('never throws when storage is missing, or throws on every call', () => {
    expect(readSavedEdits(undefined, PATH, ORIGINALS)).toEqual({ edits: new Map(), dropped: [] });
    const throwing: EditStorage = {
      get length(): number {
        throw new Error('SecurityError');
      },
      key: () => {
        throw new Error('SecurityError');
      },
      getItem: () => {
        throw new Error('SecurityError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(readSavedEdits(throwing, PATH, ORIGINALS)).toEqual({ edits: new Map(), dropped: [] });
    const failingReads = { ...memoryStorage({ [editKey(PATH, 0)]: edit('x') }), getItem: (): string => { throw new Error('denied'); }, removeItem: (): void => { throw new Error('denied'); } };
    expect(readSavedEdits(failingReads, PATH, ORIGINALS).dropped).toEqual([{ key: editKey(PATH, 0), cell: 1, reason: 'it could not be read' }]);
  });
});

describe('the notice about dropped edits', () => {
  it('names one entry, or up to three and how many more', () => {
    expect(droppedNotice([{ key: 'k', cell: 3, reason: 'its "source" is a number, not text' }])).toBe(
      '1 saved edit could not be used and was removed: cell 3 (its "source" is a number, not text). The cells show their original code.',
    );
    const many = [1, 2, 3, 4, 5].map((cell) => ({ key: `k${cell}`, cell, reason: 'it is not valid JSON' }));
    expect(droppedNotice([...many, { key: 'x', reason: '"x" names no cell' }])).toBe(
      '6 saved edits could not be used and were removed: cell 1 (it is not valid JSON), cell 2 (it is not valid JSON), cell 3 (it is not valid JSON) and 3 more. The cells show their original code.',
    );
  });
});
