// The exercises on a chapter page: each exercise cell is followed by a <Hint> and a <Solution>
// (site/components/). This links them to their cell (data-exercise="N" on all three) and keeps
// each worked solution locked until the reader has run that cell once or pressed "Show anyway".
// Without JavaScript both are plain <details>, open to anyone.

/** One exercise on the page: its cell and the hint and worked solution that follow it. */
export interface Exercise {
  /** 1, 2, 3… in page order, as the chapter numbers its exercises. */
  number: number;
  /** The exercise's live cell, a section.cell. */
  cell: HTMLElement;
  hint?: HTMLElement;
  solution?: HTMLElement;
}

/** The event the notebook (site/notebook/client.ts) dispatches on a cell's section when its result arrives. */
export const CELL_RAN = 'cell-ran';

const TRIED = 'scratchnet:exercise-tried';

/**
 * The exercises in `root`, read from the static markup, so it works before or after
 * setUpExercises: a cell is an exercise when a hint or solution follows it (before the next cell).
 */
export function findExercises(root: ParentNode = document): Exercise[] {
  const cells = Array.from(root.querySelectorAll<HTMLElement>('section.cell'));
  const aids = Array.from(root.querySelectorAll<HTMLElement>('[data-exercise-hint], [data-exercise-solution]'));
  const byCell = new Map<HTMLElement, Exercise>();
  for (const aid of aids) {
    // The cell an aid belongs to is the last cell before it in the page.
    const cell = cells.filter((candidate) => candidate.compareDocumentPosition(aid) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
    if (!cell) continue;
    const exercise = byCell.get(cell) ?? { number: 0, cell };
    if (aid.hasAttribute('data-exercise-hint')) exercise.hint ??= aid;
    else exercise.solution ??= aid;
    byCell.set(cell, exercise);
  }
  const exercises = cells.flatMap((cell) => byCell.get(cell) ?? []);
  exercises.forEach((exercise, i) => (exercise.number = i + 1));
  return exercises;
}

function storageKey(exercise: Exercise): string {
  return `${TRIED}:${location.pathname}:${exercise.number}`;
}

function remembered(exercise: Exercise): boolean {
  try {
    return localStorage.getItem(storageKey(exercise)) === 'true';
  } catch {
    return false;
  }
}

function remember(exercise: Exercise): void {
  try {
    localStorage.setItem(storageKey(exercise), 'true');
  } catch {
    // Without storage the solution stays unlocked for this visit only.
  }
}

/** Locks or unlocks a worked solution: locked, its summary is aria-disabled and will not open. */
function setLocked(solution: HTMLElement, locked: boolean): void {
  const details = solution.querySelector('details')!;
  const summary = details.querySelector('summary')!;
  const gate = solution.querySelector<HTMLElement>('[data-solution-gate]')!;
  solution.toggleAttribute('data-locked', locked);
  gate.hidden = !locked;
  if (locked) {
    details.open = false;
    summary.setAttribute('aria-disabled', 'true');
    summary.setAttribute('aria-describedby', gate.id);
  } else {
    summary.removeAttribute('aria-disabled');
    summary.removeAttribute('aria-describedby');
  }
}

/** Numbers the exercises, marks their cells, and locks each solution until its cell has run. */
export function setUpExercises(root: ParentNode = document): Exercise[] {
  const exercises = findExercises(root);
  for (const exercise of exercises) {
    const { number, cell, hint, solution } = exercise;
    for (const element of [cell, hint, solution]) element?.setAttribute('data-exercise', String(number));
    if (!solution) continue;
    const details = solution.querySelector('details')!;
    const summary = details.querySelector('summary')!;
    const gate = solution.querySelector<HTMLElement>('[data-solution-gate]')!;
    const showAnyway = gate.querySelector<HTMLButtonElement>('button')!;
    gate.id = `exercise-${number}-gate`;
    const unlock = (): void => {
      remember(exercise);
      setLocked(solution, false);
    };
    setLocked(solution, !remembered(exercise));
    // Enter, Space or a click on a locked summary opens nothing; the note beside it says why.
    summary.addEventListener('click', (event) => {
      if (!solution.hasAttribute('data-locked')) return;
      event.preventDefault();
      gate.classList.remove('nudge');
      void gate.offsetWidth; // restart the animation
      gate.classList.add('nudge');
    });
    // Find-in-page can open a <details> by itself; a locked one closes again.
    details.addEventListener('toggle', () => {
      if (details.open && solution.hasAttribute('data-locked')) details.open = false;
    });
    showAnyway.addEventListener('click', () => {
      unlock();
      details.open = true;
      summary.focus();
    });
    cell.addEventListener(CELL_RAN, unlock);
  }
  return exercises;
}
