// Each chapter links its first mention of a library name to the API reference
// (site/integrations/rehype-api-links.ts): checked on a small tree, and on every built chapter,
// read again here with an independent walk over its HTML.
import { describe, expect, it } from 'vitest';
import { fromHtml } from 'hast-util-from-html';
import type { Element, Root, RootContent } from 'hast';
import { linkFirstMentions } from '../../site/integrations/rehype-api-links.ts';
import { apiEntries } from '../../site/utils/api-reference.ts';
import { chapterPath, chapters, html } from '../support/built-site.ts';

const entries = new Map([['Dense', { name: 'Dense', module: 'layers' }], ['seed', { name: 'seed', module: 'random' }]]);

describe('linking a chapter’s first mentions', () => {
  it('links the first inline code naming each export and leaves later ones, code blocks, headings and cells alone', () => {
    const tree = fromHtml('<h2><code>Dense</code></h2><pre><code>Dense</code></pre><section class="cell"><code>seed</code></section><p>A <code>new Dense(2, 3)</code>, then <code>Dense</code> and <code>seed(1)</code> and <code>other</code>.</p>', { fragment: true });
    expect(linkFirstMentions(tree as never, entries)).toEqual(['Dense', 'seed']);
    const out = JSON.stringify(tree);
    expect(out.match(/api-link/g)).toHaveLength(2);
    expect(out).toContain('"href":"/api/layers/#Dense"');
    expect(out).toContain('"href":"/api/random/#seed"');
  });
});

/** The text of a hast node. */
const text = (node: RootContent | Root): string => (node.type === 'text' ? node.value : 'children' in node ? node.children.map(text).join('') : '');

/** The inline code of a built chapter's prose, in order, each with the link it sits in (if any). */
function proseCode(page: string): Array<{ code: string; href?: string }> {
  const found: Array<{ code: string; href?: string }> = [];
  const walk = (node: Root | Element, href?: string): void => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      const classes = String(child.properties.className ?? '').split(/[\s,]+/);
      if (['pre', 'h1', 'h2', 'h3', 'h4', 'figure', 'nav', 'header', 'footer', 'aside', 'svg'].includes(child.tagName) || classes.some((name) => name === 'cell' || name.startsWith('cell-') || name.startsWith('katex'))) continue;
      if (child.tagName === 'code') found.push({ code: text(child), href });
      else walk(child, child.tagName === 'a' ? String(child.properties.href) : href);
    }
  };
  const article = (function find(node: Root | Element): Element | undefined {
    for (const child of node.children) if (child.type === 'element') {
      if (child.tagName === 'article') return child;
      const inner = find(child);
      if (inner) return inner;
    }
    return undefined;
  })(fromHtml(page));
  if (article) walk(article);
  return found;
}

describe('the built chapters', () => {
  const names = apiEntries();

  it('link the first mention of each library name in the prose to its API entry', () => {
    const problems: string[] = [];
    let linked = 0;
    for (const chapter of chapters) {
      const seen = new Set<string>();
      for (const { code, href } of proseCode(html(chapterPath(chapter)))) {
        const name = /^(?:new\s+)?([A-Za-z_$][\w$]*)(?:\.[\w$]+)*(?:<[^>]*>)?(?:\([^]*\))?$/.exec(code.trim())?.[1];
        const entry = name ? names.get(name) : undefined;
        if (!entry || seen.has(entry.name)) continue;
        seen.add(entry.name);
        if (href === `/api/${entry.module}/#${entry.name}`) linked += 1;
        else problems.push(`${chapter}: the first \`${code}\` links to ${href ?? 'nothing'}`);
      }
    }
    expect(problems).toEqual([]);
    expect(linked).toBeGreaterThan(50);
  });
});
