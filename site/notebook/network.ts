// The site makes no requests to other hosts. Its Content-Security-Policy enforces that, in the
// cell Worker too (blob-worker.ts); this module makes the Worker's request functions (fetch,
// XMLHttpRequest, WebSocket, EventSource) say so in words, instead of a bare "TypeError: Failed to
// fetch", and resolves relative URLs against the site, which a Worker from a blob: URL cannot.

/** The error a request to another host fails with. */
export class BlockedRequestError extends Error {
  constructor(api: string, url: string) {
    super(`${api}: ${url} is on another host, and this site makes no requests to other hosts (its Content-Security-Policy blocks them)`);
    this.name = 'BlockedRequestError';
  }
}

/** `input` as a URL on the site at `origin` (its origin, or its address with the base path, which relative URLs resolve against); throws BlockedRequestError for another host. */
export function siteURL(api: string, input: string | URL, origin: string): URL {
  const url = new URL(String(input), origin.endsWith('/') ? origin : `${origin}/`);
  const site = new URL(origin);
  const sameHost = url.host === site.host && (url.protocol === site.protocol || url.protocol === (site.protocol === 'https:' ? 'wss:' : 'ws:'));
  if (!sameHost) throw new BlockedRequestError(api, url.href);
  return url;
}

/** What guardNetwork replaces: a Worker's global scope, or a stand-in in the tests. */
export interface NetworkScope {
  fetch: typeof fetch;
  XMLHttpRequest?: { prototype: { open: (...args: never[]) => void } };
  WebSocket?: new (url: string | URL, protocols?: string | string[]) => unknown;
  EventSource?: new (url: string | URL, init?: unknown) => unknown;
}

/** Wraps the request functions of `scope` so that a request to another host than `origin` fails at once with a BlockedRequestError. */
export function guardNetwork(scope: NetworkScope, origin: string): void {
  const realFetch = scope.fetch.bind(scope);
  scope.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    try {
      const url = siteURL('fetch', typeof input === 'object' && 'url' in input ? input.url : input, origin);
      return realFetch(typeof input === 'object' && 'url' in input ? input : url, init);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const xhr = scope.XMLHttpRequest?.prototype;
  if (xhr) {
    const open = xhr.open as (this: unknown, method: string, url: string | URL, ...rest: unknown[]) => void;
    xhr.open = function (this: unknown, method: string, url: string | URL, ...rest: unknown[]) {
      return open.call(this, method, siteURL('XMLHttpRequest', url, origin), ...rest);
    } as never;
  }
  for (const name of ['WebSocket', 'EventSource'] as const) {
    const constructor = scope[name];
    if (!constructor) continue;
    (scope as unknown as Record<string, unknown>)[name] = new Proxy(constructor, {
      construct: (target, [url, ...rest]: [string | URL, ...unknown[]]) => Reflect.construct(target, [siteURL(name, url, origin), ...rest]),
    });
  }
}
