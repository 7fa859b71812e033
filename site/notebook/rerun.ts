// Which cells an input change re-runs: the cell whose input moved, every later cell that reads a
// name it (or a cell re-run with it) writes, and any earlier cell that has not run yet. The page
// decides this from the names the build wrote (dependencies.ts), without loading a parser.

/** The names a cell writes (declares at its top level, or assigns anywhere) and every name it mentions. */
export interface CellNames {
  writes: string[];
  uses: string[];
}

/**
 * The cells to run, in order, after inputs of the cells `changed` moved: those cells; every later
 * cell that uses a name one of them writes (and, in turn, the cells using those cells' names); and
 * before them the earlier cells that have not run yet (`ran` is false) and that they need: a cell
 * that writes, or uses and so may change, a name some chosen cell uses and some cell writes. A
 * reader who moves a slider far down a page waits for what the figure needs, not for every cell
 * above it; each cell starts from its build-time random state, so skipping the others changes
 * nothing it computes.
 */
export function cellsToRerun(names: readonly CellNames[], changed: Iterable<number>, ran: readonly boolean[]): number[] {
  const chosen = new Set(changed);
  if (chosen.size === 0) return [];
  const written = new Set<string>();
  for (const index of chosen) for (const name of names[index]?.writes ?? []) written.add(name);
  for (let j = Math.min(...chosen) + 1; j < names.length; j++) {
    if (chosen.has(j)) continue;
    if (!names[j].uses.some((name) => written.has(name))) continue;
    chosen.add(j);
    for (const name of names[j].writes) written.add(name);
  }
  // Names some cell writes: the library's names (print, Matrix, …) tie no cells together.
  const cellNames = new Set(names.flatMap((cell) => cell.writes));
  const needs = (k: number, j: number): boolean => {
    const touched = new Set([...names[k].writes, ...names[k].uses]);
    return names[j].uses.some((name) => cellNames.has(name) && touched.has(name));
  };
  for (let grew = true; grew; ) {
    grew = false;
    for (const j of [...chosen]) {
      for (let k = 0; k < j; k++) {
        if (ran[k] || chosen.has(k) || !needs(k, j)) continue;
        chosen.add(k);
        grew = true;
      }
    }
  }
  return [...chosen].sort((a, b) => a - b);
}
