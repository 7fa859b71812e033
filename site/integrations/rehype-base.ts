// A rehype plugin that puts the site's base path in front of the links the chapters' Markdown and
// the README write from the site's root (`[…](/chapters/x/)`), so they keep working when the site
// is built for a sub-folder (SCRATCHNET_BASE, astro.config.mjs). Pages use site/utils/base.ts.

interface Element {
  type: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: Element[];
}

const URL_PROPERTIES = ['href', 'src'];

/** The plugin: with `base` '/scratchnet/', an href or src of '/chapters/x/' becomes '/scratchnet/chapters/x/'. */
export default function rehypeBase(options: { base: string }) {
  const base = options.base.replace(/\/?$/, '/');
  const visit = (node: Element): void => {
    for (const name of URL_PROPERTIES) {
      const value = node.properties?.[name];
      // '//host/x' is another host (the policy blocks it anyway); a path already under the base stays.
      if (typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith(base)) node.properties![name] = base + value.slice(1);
    }
    node.children?.forEach(visit);
  };
  return (tree: Element): void => {
    if (base !== '/') visit(tree);
  };
}
