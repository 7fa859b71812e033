// Which library name a piece of inline code refers to (`Dense`, `new Dense(2, 3)`, `model.fit`
// does not count, `Sequential.trainBatch` does), and a JSDoc comment as HTML whose code names link
// to their API entries. The API pages and the chapters' first-mention links (rehype-api-links) use it.
import type { ApiEntry } from './api-reference.ts';

// A name, perhaps after `new`, then perhaps `.member`s, a call's arguments or type arguments.
const NAME = /^(?:new\s+)?([A-Za-z_$][\w$]*)(?:\.[A-Za-z_$][\w$]*)*(?:<[^>]*>)?(?:\([^]*\))?$/;

/** The export a piece of inline code names, or undefined when it names none (or is plainly not a reference to it). */
export function referencedEntry<T extends Pick<ApiEntry, 'name'>>(code: string, entries: ReadonlyMap<string, T>): T | undefined {
  const match = NAME.exec(code.trim());
  return match ? entries.get(match[1]) : undefined;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeHtml = (text: string): string => text.replace(/[&<>"]/g, (char) => ESCAPES[char]);

/** Links the names in plain text that are exports and not ordinary lowercase words (saveModel, Dense, not train), each once. */
function linkBareNames(html: string, entries: ReadonlyMap<string, ApiEntry>, href: (entry: ApiEntry) => string, seen: Set<string>): string {
  return html.replace(/(?<![\w$.&#';])[A-Za-z_$][\w$]*(?![\w$])/g, (word) => {
    const entry = entries.get(word);
    if (!entry || seen.has(word) || word === word.toLowerCase()) return word;
    seen.add(word);
    return `<a href="${escapeHtml(href(entry))}"><code>${word}</code></a>`;
  });
}

/**
 * A JSDoc comment as HTML paragraphs: `code` becomes <code>, linked to its entry when it names
 * another export (never the entry itself), as are the exports' names written bare, such as saveModel. `href` gives an entry's address.
 */
export function docHtml(doc: string, entries: ReadonlyMap<string, ApiEntry>, href: (entry: ApiEntry) => string, self?: string): string {
  // Each name links once, where it first appears; the entry's own name never does.
  const seen = new Set<string>(self ? [self] : []);
  return doc
    .split('\n\n')
    .filter((paragraph) => paragraph.trim() !== '')
    .map((paragraph) => {
      const parts = paragraph.split(/(`[^`]+`)/);
      const html = parts
        .map((part) => {
          if (!/^`[^`]+`$/.test(part)) return linkBareNames(escapeHtml(part), entries, href, seen);
          const code = part.slice(1, -1);
          const entry = referencedEntry(code, entries);
          const inner = `<code>${escapeHtml(code)}</code>`;
          if (!entry || seen.has(entry.name)) return inner;
          seen.add(entry.name);
          return `<a href="${escapeHtml(href(entry))}">${inner}</a>`;
        })
        .join('');
      return `<p>${html}</p>`;
    })
    .join('\n');
}
