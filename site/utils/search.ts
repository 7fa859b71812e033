// The header's search (site/components/Search.astro): `/` or the button opens a dialog that
// searches the chapters with Pagefind, whose index site/integrations/search.ts writes into the site
// at build time. pagefind.js and its WebAssembly load from this site on first use, never before.
import { withBase } from './base';

/** One section of a result, as Pagefind reports it. */
interface SubResult {
  title: string;
  url: string;
  excerpt: string;
  weighted_locations?: Array<{ balanced_score: number }>;
}

/** What Pagefind returns for one page. */
interface ResultData {
  url: string;
  excerpt: string;
  meta: Record<string, string | undefined>;
  sub_results: SubResult[];
}

/** The part of Pagefind's browser API the search uses. */
interface Pagefind {
  options(options: Record<string, unknown>): Promise<void>;
  init(): Promise<void>;
  debouncedSearch(term: string, options?: object, wait?: number): Promise<{ results: Array<{ data(): Promise<ResultData> }> } | null>;
}

/** How many pages, and sections of each, a search lists. */
const PAGES = 8;
const SECTIONS = 3;

let loading: Promise<Pagefind> | undefined;

/** Loads pagefind.js from this site (under its base path) once, and starts it. */
function loadPagefind(): Promise<Pagefind> {
  loading ??= (async () => {
    const pagefind = (await import(/* @vite-ignore */ withBase('/pagefind/pagefind.js'))) as Pagefind;
    await pagefind.options({ excerptLength: 22 });
    await pagefind.init();
    return pagefind;
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}

/**
 * Pagefind's excerpt as DOM: its text, and its <mark>s around the words found, and nothing else.
 * A section's excerpt often starts with the end of the section's own heading ("Softmax layer. The…"),
 * which the result shows just above it, so that echo is left out.
 */
function excerpt(html: string, heading = ''): HTMLElement {
  const template = document.createElement('template');
  template.innerHTML = html; // inert: nothing in a template runs or loads
  const text = template.content.textContent ?? '';
  const echo = text.indexOf('. ');
  let skip = echo > 0 && heading.toLowerCase().endsWith(text.slice(0, echo).toLowerCase()) ? echo + 2 : 0;
  const out = document.createElement('span');
  out.className = 'search-excerpt';
  for (const node of Array.from(template.content.childNodes)) {
    const part = (node.textContent ?? '').slice(skip);
    skip = Math.max(0, skip - (node.textContent ?? '').length);
    if (part === '') continue;
    out.append(node.nodeName === 'MARK' ? Object.assign(document.createElement('mark'), { textContent: part }) : part);
  }
  return out;
}

/** A section's relevance: the sum of its matches' scores. */
const score = (sub: SubResult): number => (sub.weighted_locations ?? []).reduce((sum, location) => sum + location.balanced_score, 0);

/** One result: the page (its chapter, title and best excerpt) and its best-matching sections. */
function resultItem(data: ResultData): HTMLLIElement {
  const item = document.createElement('li');
  item.className = 'search-result';
  const page = Object.assign(document.createElement('a'), { href: data.url, className: 'search-page' });
  page.dataset.searchLink = '';
  if (data.meta.chapter) page.append(Object.assign(document.createElement('span'), { className: 'search-kicker', textContent: data.meta.chapter }));
  page.append(Object.assign(document.createElement('span'), { className: 'search-title', textContent: data.meta.title ?? data.url }));
  const sections = data.sub_results.filter((sub) => sub.url !== data.url && sub.url.includes('#'));
  const best = [...sections].sort((a, b) => score(b) - score(a)).slice(0, SECTIONS);
  if (best.length === 0) page.append(excerpt(data.excerpt));
  item.append(page);
  if (best.length > 0) {
    const list = document.createElement('ul');
    list.className = 'search-sections';
    for (const sub of best) {
      const link = Object.assign(document.createElement('a'), { href: sub.url, className: 'search-section' });
      link.dataset.searchLink = '';
      link.append(Object.assign(document.createElement('span'), { className: 'search-section-title', textContent: sub.title }), excerpt(sub.excerpt, sub.title));
      const entry = document.createElement('li');
      entry.append(link);
      list.append(entry);
    }
    item.append(list);
  }
  return item;
}

/** Whether a key press belongs to something the reader is typing in (a field, a cell's editor). */
function typing(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"]), .cm-editor') !== null;
}

/** The search as the reader types: returns what to call on each input, which lists the results of the field's text. */
function searchAsTyped(input: HTMLInputElement, status: HTMLElement, results: HTMLOListElement): () => Promise<void> {
  let shown = '';
  return async () => {
    const term = input.value.trim();
    if (term === shown) return;
    shown = term;
    if (term === '') return void (results.replaceChildren(), (status.textContent = ''));
    let pagefind: Pagefind;
    try {
      pagefind = await loadPagefind();
    } catch {
      status.textContent = 'Search is not available here: its index is made when the site is built (npm run build).';
      return;
    }
    const found = await pagefind.debouncedSearch(term, {}, 120);
    if (found === null || term !== shown) return; // a newer search replaced this one
    const pages = await Promise.all(found.results.slice(0, PAGES).map((result) => result.data()));
    if (term !== shown) return;
    results.replaceChildren(...pages.map(resultItem));
    const count = found.results.length;
    status.textContent = count === 0 ? `Nothing matches “${term}”.` : `${count} ${count === 1 ? 'page matches' : 'pages match'} “${term}”${count > PAGES ? `; the best ${PAGES} are listed` : ''}.`;
  };
}

/** The dialog's own keys and clicks: arrows move between the field and the results, Enter opens, Escape, Close or the backdrop close. */
function wireDialog(dialog: HTMLDialogElement, input: HTMLInputElement, results: HTMLOListElement): void {
  const links = (): HTMLAnchorElement[] => Array.from(results.querySelectorAll<HTMLAnchorElement>('[data-search-link]'));
  dialog.querySelector('[data-search-close]')?.addEventListener('click', () => dialog.close());
  // A click on the backdrop (the dialog itself, outside its panel) or on a result closes it.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog || (event.target as Element).closest('a')) dialog.close();
  });
  dialog.querySelector('form')?.addEventListener('submit', (event) => {
    event.preventDefault();
    links()[0]?.click();
  });
  dialog.addEventListener('keydown', (event) => {
    // Escape closes at once (in a search field, Chromium's first Escape would only empty it).
    if (event.key === 'Escape') return void (event.preventDefault(), dialog.close());
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const all = links();
    if (all.length === 0) return;
    const next = all.indexOf(document.activeElement as HTMLAnchorElement) + (event.key === 'ArrowDown' ? 1 : -1);
    event.preventDefault();
    if (next < 0) input.focus();
    else all[Math.min(next, all.length - 1)].focus();
  });
}

/** Wires the header's search button, the `/` key and the dialog. */
export function setUpSearch(): void {
  const button = document.querySelector<HTMLButtonElement>('[data-search-open]');
  const dialog = document.querySelector<HTMLDialogElement>('[data-search-dialog]');
  if (!button || !dialog) return;
  const input = dialog.querySelector<HTMLInputElement>('[data-search-input]')!;
  const results = dialog.querySelector<HTMLOListElement>('[data-search-results]')!;
  const show = searchAsTyped(input, dialog.querySelector<HTMLElement>('[data-search-status]')!, results);
  const open = (): void => {
    if (dialog.open) return;
    dialog.showModal();
    input.select();
    void loadPagefind().catch(() => undefined);
  };
  button.addEventListener('click', open);
  // Start loading the index as soon as the reader heads for the button.
  for (const event of ['pointerenter', 'focus']) button.addEventListener(event, () => void loadPagefind().catch(() => undefined), { once: true });
  input.addEventListener('input', () => void show());
  wireDialog(dialog, input, results);
  document.addEventListener('keydown', (event) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.isComposing || event.defaultPrevented) return;
    if (dialog.open || typing(event.target)) return;
    event.preventDefault();
    open();
  });
  button.hidden = false;
}
