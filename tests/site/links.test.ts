// Every link and asset on the built site resolves on the site itself: each same-site href or src
// names a file of the build, and each #fragment names an element on the page it points to, so a
// renamed chapter or heading cannot leave a dead link behind. Reads the build; no browser.
import { describe, expect, it } from 'vitest';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { html, pages, site } from '../support/built-site.ts';

/** The same-site URLs a page links to or loads (href, src), as written. */
function links(page: string): string[] {
  const text = html(page);
  return [...text.matchAll(/\s(?:href|src)="([^"]+)"/g)].map((match) => match[1].replaceAll('&amp;', '&')).filter((url) => url.startsWith('/') || url.startsWith('#'));
}

/** The built file a same-site path is served from, or undefined. */
function fileFor(path: string): string | undefined {
  const file = join(site, decodeURIComponent(path));
  if (existsSync(file) && statSync(file).isFile()) return file;
  const index = join(file, 'index.html');
  return existsSync(index) ? index : undefined;
}

/** The ids on a built page. */
const idsOf = (page: string): Set<string> => new Set([...html(page).matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]));

describe('the links of the built site', () => {
  it('are checked on every page, so the tests below have something to check', () => {
    expect(pages.length).toBeGreaterThan(10);
    expect(pages.flatMap(links).length).toBeGreaterThan(100);
  });

  it('point only at files the build contains', () => {
    const dead = pages.flatMap((page) =>
      links(page)
        .filter((url) => !url.startsWith('#') && !url.startsWith('//'))
        .map((url) => url.split(/[?#]/)[0])
        .filter((path) => fileFor(path) === undefined)
        .map((path) => `${page} → ${path}`),
    );
    expect([...new Set(dead)]).toEqual([]);
  });

  it('point at fragments that exist on the page they lead to', () => {
    const missing = pages.flatMap((page) =>
      links(page)
        .filter((url) => url.includes('#') && url.split('#')[1] !== '')
        .flatMap((url) => {
          const [path, fragment] = url.split('#');
          const target = path === '' ? page : path;
          if (fileFor(target)?.endsWith('.html') !== true) return [];
          return idsOf(target).has(decodeURIComponent(fragment)) ? [] : [`${page} → ${url}`];
        }),
    );
    expect([...new Set(missing)]).toEqual([]);
  });
});
