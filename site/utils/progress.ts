// The reader's progress, kept in this browser: which chapters they have opened and which
// exercises they have solved (an exercise is solved when every check in its cell passes in the
// page). Stored as one JSON entry in localStorage, validated when read: anything malformed is
// dropped, never a page error. Shown on every element with data-chapter-slug (sidebar, front page).
import { BASE } from './base';

export const PROGRESS_KEY = 'scratchnet:progress';
/** The event site/notebook/client.ts dispatches on a cell's section when its result arrives. */
const CELL_RAN = 'cell-ran';

/** What the reader has done, per chapter id (the chapter's slug). */
export interface Progress {
  opened: string[];
  /** Exercise numbers (1, 2, 3… in page order) whose checks all passed. */
  solved: Record<string, number[]>;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,119}$/;
const isSlug = (value: unknown): value is string => typeof value === 'string' && SLUG.test(value);
const isExerciseNumber = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 999;

/** Reads stored progress, keeping only well-formed entries (and never throwing). */
export function parseProgress(raw: string | null): Progress {
  const progress: Progress = { opened: [], solved: {} };
  if (!raw) return progress;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return progress;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return progress;
  const { opened, solved } = data as Record<string, unknown>;
  if (Array.isArray(opened)) progress.opened = [...new Set(opened.filter(isSlug))];
  if (typeof solved === 'object' && solved !== null && !Array.isArray(solved)) {
    for (const [slug, numbers] of Object.entries(solved)) {
      if (!isSlug(slug) || !Array.isArray(numbers)) continue;
      const valid = [...new Set(numbers.filter(isExerciseNumber))].sort((a, b) => a - b);
      if (valid.length > 0) progress.solved[slug] = valid;
    }
  }
  return progress;
}

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** The stored progress; a malformed entry is rewritten without the parts that were dropped. */
export function loadProgress(): Progress {
  const store = storage();
  let raw: string | null = null;
  try {
    raw = store?.getItem(PROGRESS_KEY) ?? null;
  } catch {
    return parseProgress(null);
  }
  const progress = parseProgress(raw);
  if (raw !== null && JSON.stringify(progress) !== raw) saveProgress(progress);
  return progress;
}

export function saveProgress(progress: Progress): void {
  try {
    const empty = progress.opened.length === 0 && Object.keys(progress.solved).length === 0;
    if (empty) storage()?.removeItem(PROGRESS_KEY);
    else storage()?.setItem(PROGRESS_KEY, JSON.stringify(progress));
  } catch {
    // Storage can be full or disabled: progress then lasts for this page only.
  }
}

/** Records that the reader opened chapter `slug`. */
export function markOpened(slug: string): Progress {
  const progress = loadProgress();
  if (isSlug(slug) && !progress.opened.includes(slug)) {
    progress.opened.push(slug);
    saveProgress(progress);
  }
  return progress;
}

/** Records that the reader solved exercise `number` of chapter `slug`. */
export function markSolved(slug: string, number: number): Progress {
  const progress = loadProgress();
  if (!isSlug(slug) || !isExerciseNumber(number)) return progress;
  const solved = progress.solved[slug] ?? [];
  if (!solved.includes(number)) {
    progress.solved[slug] = [...solved, number].sort((a, b) => a - b);
    if (!progress.opened.includes(slug)) progress.opened.push(slug);
    saveProgress(progress);
  }
  return progress;
}

/** Solved exercises of a chapter that has `total` of them (stale numbers beyond it do not count). */
function solvedCount(progress: Progress, slug: string, total: number): number {
  return (progress.solved[slug] ?? []).filter((n) => n <= total).length;
}

/** Marks every chapter entry on the page (sidebar, front page, 404) with the reader's progress. */
export function showProgress(progress: Progress = loadProgress(), root: ParentNode = document): void {
  let openedCount = 0;
  let solvedTotal = 0;
  let exerciseTotal = 0;
  for (const item of root.querySelectorAll<HTMLElement>('[data-chapter-slug]')) {
    const slug = item.dataset.chapterSlug ?? '';
    const total = Number(item.dataset.exercises) || 0;
    const opened = progress.opened.includes(slug);
    const solved = solvedCount(progress, slug, total);
    item.toggleAttribute('data-opened', opened);
    item.toggleAttribute('data-complete', opened && total > 0 && solved === total);
    const count = item.querySelector<HTMLElement>('[data-progress-count]');
    if (count) count.textContent = total > 0 && (opened || solved > 0) ? `${solved}/${total}` : '';
    if (count) count.title = total > 0 ? `${solved} of ${total} exercises solved` : '';
    const words = [opened ? 'opened' : '', total > 0 && opened ? `${solved} of ${total} exercises solved` : ''].filter(Boolean);
    const text = item.querySelector<HTMLElement>('[data-progress-text]');
    if (text) text.textContent = words.length ? ` (${words.join(', ')})` : '';
    if (item.closest('.sidebar')) {
      openedCount += opened ? 1 : 0;
      solvedTotal += solved;
      exerciseTotal += total;
    }
  }
  for (const foot of root.querySelectorAll<HTMLElement>('[data-progress-foot]')) {
    const chapters = foot.closest('.sidebar')?.querySelectorAll('[data-chapter-slug]').length ?? 0;
    foot.hidden = openedCount === 0;
    const summary = foot.querySelector<HTMLElement>('[data-progress-summary]');
    if (summary) summary.textContent = `Opened ${openedCount} of ${chapters} chapters, solved ${solvedTotal} of ${exerciseTotal} exercises. Kept in this browser only.`;
  }
  for (const banner of root.querySelectorAll<HTMLElement>('[data-progress-banner]')) showBanner(banner, progress);
}

/** The front page's "welcome back": how far the reader got and a link to the next chapter. */
function showBanner(banner: HTMLElement, progress: Progress): void {
  const items = Array.from(document.querySelectorAll<HTMLElement>('.path [data-chapter-slug]'));
  const opened = items.filter((item) => progress.opened.includes(item.dataset.chapterSlug ?? ''));
  banner.hidden = opened.length === 0;
  if (opened.length === 0) return;
  const next = items.find((item) => !progress.opened.includes(item.dataset.chapterSlug ?? '')) ?? opened.at(-1)!;
  const link = next.querySelector<HTMLAnchorElement>('a');
  const solved = items.reduce((sum, item) => sum + solvedCount(progress, item.dataset.chapterSlug ?? '', Number(item.dataset.exercises) || 0), 0);
  const total = items.reduce((sum, item) => sum + (Number(item.dataset.exercises) || 0), 0);
  const summary = banner.querySelector<HTMLElement>('[data-banner-summary]');
  if (summary) summary.textContent = `You have opened ${opened.length} of ${items.length} chapters and solved ${solved} of ${total} exercises.`;
  const target = banner.querySelector<HTMLAnchorElement>('[data-banner-link]');
  if (target && link) {
    target.href = link.getAttribute('href') ?? BASE;
    target.textContent = `Continue: ${link.textContent?.trim()} →`;
  }
}

/** The exercise cells of a chapter page: cells after its "Exercises" heading that call check(). */
export function exerciseCells(root: ParentNode = document): HTMLElement[] {
  const heading = Array.from(root.querySelectorAll<HTMLElement>('h2')).find((h2) => h2.id === 'exercises' || h2.textContent?.trim() === 'Exercises');
  if (!heading) return [];
  return Array.from(root.querySelectorAll<HTMLElement>('section.cell')).filter(
    (cell) => heading.compareDocumentPosition(cell) & Node.DOCUMENT_POSITION_FOLLOWING && (cell.querySelector('pre')?.textContent ?? '').includes('check('),
  );
}

/** True when a cell's output, fresh from a run in this page, shows only passed checks. */
function passed(cell: HTMLElement): boolean {
  const output = cell.querySelector<HTMLElement>('.cell-output');
  if (!output || output.classList.contains('stale')) return false;
  const checks = output.querySelectorAll('.out-check');
  return checks.length > 0 && output.querySelectorAll('.out-check.fail, .out-error').length === 0;
}

/** On a chapter page: records the visit, and each exercise whose checks all pass when it runs. */
export function trackChapter(slug: string, root: HTMLElement): void {
  showProgress(markOpened(slug));
  const exercises = exerciseCells(root);
  root.addEventListener(CELL_RAN, (event) => {
    const cell = (event.target as HTMLElement).closest?.('section.cell') as HTMLElement | null;
    const number = cell ? exercises.indexOf(cell) + 1 : 0;
    if (number > 0 && !(event as CustomEvent<{ failed?: boolean }>).detail?.failed && passed(cell!)) showProgress(markSolved(slug, number));
  });
}

/** Wires the sidebar's "Forget my progress", and keeps marks in step with other tabs. */
export function setUpProgress(): void {
  showProgress();
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-progress-forget]')) {
    button.addEventListener('click', () => {
      saveProgress({ opened: [], solved: {} });
      showProgress();
    });
  }
  window.addEventListener('storage', (event) => {
    if (event.key === PROGRESS_KEY || event.key === null) showProgress();
  });
}
