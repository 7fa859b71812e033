// A rehype plugin that links a chapter's first mention of each library name to its API entry: the
// first inline `code` in the prose that names an export (`Dense`, `new Dense(2, 3)`,
// `Sequential.trainBatch`) becomes a link to /api/<module>/#<name>. Later mentions stay plain, as
// do code blocks, cells, headings, figures and code already inside a link.
import { referencedEntry } from '../utils/api-links.ts';
import { apiEntries, apiPath, type ApiEntry } from '../utils/api-reference.ts';

interface Element {
  type: string;
  tagName?: string;
  value?: string;
  properties?: Record<string, unknown>;
  children?: Element[];
}

/** Elements whose code is not a mention in the prose. */
const SKIPPED = new Set(['pre', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'figure', 'svg', 'button', 'label', 'output']);

const textOf = (node: Element): string => (node.type === 'text' ? (node.value ?? '') : (node.children ?? []).map(textOf).join(''));

const classesOf = (node: Element): string[] => {
  const value = node.properties?.className;
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : [];
};

/** Links, in document order, the first inline code naming each export; returns the names it linked. */
export function linkFirstMentions(tree: Element, entries: ReadonlyMap<string, Pick<ApiEntry, 'name' | 'module'>>): string[] {
  const linked = new Set<string>();
  const visit = (node: Element): void => {
    const children = node.children ?? [];
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      // MDX components (<Hint>, <Solution>) are not elements, but their children are prose too.
      if (child.type !== 'element') {
        if (child.type.startsWith('mdxJsx')) visit(child);
        continue;
      }
      if (SKIPPED.has(child.tagName ?? '')) continue;
      // Cells, their outputs and the KaTeX formulas hold code that is not prose.
      if (classesOf(child).some((name) => name === 'cell' || name.startsWith('cell-') || name.startsWith('katex'))) continue;
      if (child.tagName === 'code') {
        const entry = referencedEntry(textOf(child), entries);
        if (entry && !linked.has(entry.name)) {
          linked.add(entry.name);
          children[i] = { type: 'element', tagName: 'a', properties: { href: apiPath(entry), className: ['api-link'], title: `${entry.name} in the API reference` }, children: [child] };
        }
        continue;
      }
      visit(child);
    }
  };
  visit(tree);
  return [...linked];
}

/** The plugin, for the chapters only (files under chapters/); it runs before rehype-base, which adds the base path. */
export default function rehypeApiLinks() {
  return (tree: Element, file: { path?: string; history?: string[] }): void => {
    const path = file.path ?? file.history?.at(-1) ?? '';
    if (!/[\\/]chapters[\\/][^\\/]+\.mdx$/.test(path)) return;
    linkFirstMentions(tree, apiEntries());
  };
}
