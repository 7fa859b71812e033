// The path the site is served under: '/' by default, '/scratchnet/' when built with
// SCRATCHNET_BASE=/scratchnet/ (astro.config.mjs, for a host that serves it from a sub-folder).
// Every link, fetch and Worker URL the site writes goes through here, so none escapes the base.

/** The site's base path, with a slash at each end: '/' or '/scratchnet/'. */
export const BASE: string = import.meta.env.BASE_URL.replace(/\/?$/, '/');

/** `path`, written from the site's root ('/library/', 'data/datasets.json'), under the base path. */
export function withBase(path: string): string {
  return BASE + path.replace(/^\//, '');
}

/** `pathname` as written from the site's root ('/chapters/x/'), whatever the base path. */
export function withoutBase(pathname: string): string {
  return pathname.startsWith(BASE) ? `/${pathname.slice(BASE.length)}` : pathname;
}

/** The site's address, with its base path: where relative URLs resolve, e.g. in a Worker started from a blob: URL. */
export function siteAddress(origin: string): string {
  return new URL(BASE, origin).href;
}
