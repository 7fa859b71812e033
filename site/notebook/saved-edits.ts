// The reader's edits as the notebook keeps them in localStorage: one entry per edited cell,
// `scratchnet:cell:<page path>:<cell index>` → {"original": code as the page had it, "source":
// the edit}. Storage belongs to the reader (other scripts, other versions of the site, a hand in
// the devtools), so every entry is checked when read: a bad one is named, dropped and never used.

/** Where a page's saved edits start: the key is this, the page's path, a colon and the cell's index. */
export const EDIT_PREFIX = 'scratchnet:cell:';
/** The longest saved entry read, in characters: far more than any cell's code, far less than storage can hold. */
export const MAX_SAVED_CHARACTERS = 200_000;

/** What the notebook needs of localStorage (a Map-backed stand-in in the tests). */
export interface EditStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  removeItem(key: string): void;
}

/** A saved entry that could not be used, and why, in words for the page's notice. */
export interface DroppedEdit {
  key: string;
  /** 1-based, as the page numbers cells; undefined when the key names no cell. */
  cell?: number;
  reason: string;
}

/** What a page's saved edits hold: the usable edits by cell index, and the entries dropped. */
export interface SavedEdits {
  edits: Map<number, string>;
  dropped: DroppedEdit[];
}

/** The key of cell `index`'s saved edit on the page at `path`. */
export function editKey(path: string, index: number): string {
  return `${EDIT_PREFIX}${path}:${index}`;
}

const describeType = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`);

/** Why one entry for a cell whose code is `original` cannot be used, or its edit; undefined when there is nothing to restore. */
export function checkEdit(raw: string, original: string): { source: string } | { reason: string } | undefined {
  if (raw.length > MAX_SAVED_CHARACTERS) return { reason: `it holds ${raw.length.toLocaleString('en-US')} characters, more than the ${MAX_SAVED_CHARACTERS.toLocaleString('en-US')} kept` };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { reason: 'it is not valid JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { reason: `it is ${describeType(data)}, not an edit` };
  const fields = data as Record<string, unknown>;
  for (const name of ['original', 'source']) {
    if (!Object.hasOwn(fields, name)) return { reason: `it has no "${name}"` };
    if (typeof fields[name] !== 'string') return { reason: `its "${name}" is ${describeType(fields[name])}, not text` };
  }
  // Saved for code the chapter has changed since: kept in storage, not applied (as before).
  if (fields.original !== original || fields.source === original) return undefined;
  return { source: fields.source as string };
}

/**
 * Reads every saved edit of the page at `path`, whose cells have the code `originals`, and removes
 * the entries that cannot be used: not JSON, not an object, fields missing or of the wrong type,
 * too long, or for a cell the page does not have. Never throws (storage may be disabled).
 */
export function readSavedEdits(storage: EditStorage | undefined, path: string, originals: readonly string[]): SavedEdits {
  const result: SavedEdits = { edits: new Map(), dropped: [] };
  if (!storage) return result;
  const prefix = `${EDIT_PREFIX}${path}:`;
  let keys: string[];
  try {
    keys = Array.from({ length: storage.length }, (_, i) => storage.key(i)).filter((key): key is string => key !== null && key.startsWith(prefix));
  } catch {
    return result;
  }
  const indexOf = (key: string): number => {
    const suffix = key.slice(prefix.length);
    return /^(0|[1-9]\d{0,5})$/.test(suffix) ? Number(suffix) : -1;
  };
  // In cell order (entries that name no cell last), so the notice reads like the page.
  const order = (key: string): number => (indexOf(key) < 0 ? Infinity : indexOf(key));
  for (const key of keys.sort((a, b) => order(a) - order(b) || (a < b ? -1 : 1))) {
    const suffix = key.slice(prefix.length);
    const index = indexOf(key);
    let checked: ReturnType<typeof checkEdit>;
    try {
      if (index < 0 || index >= originals.length) checked = { reason: index < 0 ? `"${suffix.slice(0, 40)}" names no cell` : `this page has ${originals.length} cells` };
      else checked = checkEdit(storage.getItem(key) ?? '', originals[index]);
    } catch {
      checked = { reason: 'it could not be read' };
    }
    if (checked && 'source' in checked) result.edits.set(index, checked.source);
    else if (checked) {
      result.dropped.push({ key, cell: index >= 0 ? index + 1 : undefined, reason: checked.reason });
      try {
        storage.removeItem(key);
      } catch {
        // Storage that cannot be written still cannot hurt the page: the entry is not used.
      }
    }
  }
  return result;
}

/** The page's notice about dropped entries: "1 saved edit could not be used and was removed: cell 3 (its "source" is a number, not text)." */
export function droppedNotice(dropped: readonly DroppedEdit[]): string {
  const shown = dropped.slice(0, 3).map((entry) => `${entry.cell === undefined ? 'an entry' : `cell ${entry.cell}`} (${entry.reason})`);
  if (dropped.length > 3) shown.push(`${dropped.length - 3} more`);
  const list = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : shown[0];
  const count = dropped.length === 1 ? '1 saved edit' : `${dropped.length} saved edits`;
  return `${count} could not be used and ${dropped.length === 1 ? 'was' : 'were'} removed: ${list}. The cells show their original code.`;
}
