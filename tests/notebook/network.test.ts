// Checks how the cell Worker's request functions treat other hosts (site/notebook/network.ts):
// fetch, XMLHttpRequest, WebSocket and EventSource to another host fail at once with a sentence
// saying the site makes no such requests; the site's own URLs, relative ones too, go through.
import { describe, expect, it } from 'vitest';
import { BlockedRequestError, guardNetwork, siteURL, type NetworkScope } from '../../site/notebook/network.ts';

const SITE = 'http://127.0.0.1:4321';
const OTHER_HOSTS = ['http://example.com/', 'https://example.com/data.json', '//example.com/x', 'http://127.0.0.1:9999/', 'http://localhost:4321/', 'ftp://127.0.0.1:4321/', 'data:text/plain,hi', 'blob:http://example.com/1234'];

/** A Worker scope stand-in whose request functions record what reached them. */
function fakeScope(): NetworkScope & { reached: string[] } {
  const reached: string[] = [];
  class FakeSocket {
    constructor(url: string | URL) {
      reached.push(`socket ${String(url)}`);
    }
  }
  class FakeEvents {
    constructor(url: string | URL) {
      reached.push(`events ${String(url)}`);
    }
  }
  function open(this: unknown, method: string, url: string | URL): void {
    reached.push(`xhr ${method} ${String(url)}`);
  }
  return {
    reached,
    fetch: (async (input: RequestInfo | URL) => {
      reached.push(`fetch ${String(input)}`);
      return new Response('ok');
    }) as typeof fetch,
    XMLHttpRequest: { prototype: { open: open as never } },
    WebSocket: FakeSocket,
    EventSource: FakeEvents,
  };
}

describe('a request to another host from a cell', () => {
  it.each(OTHER_HOSTS)('fails at once with words, never reaching the network: fetch(%j)', async (url) => {
    const scope = fakeScope();
    guardNetwork(scope, SITE);
    const error = await scope.fetch(url).then(() => undefined, (reason: unknown) => reason);
    expect(error).toBeInstanceOf(BlockedRequestError);
    expect((error as Error).message).toMatch(/^fetch: .* is on another host, and this site makes no requests to other hosts \(its Content-Security-Policy blocks them\)$/);
    expect(scope.reached).toEqual([]);
  });

  it('fails the same way through XMLHttpRequest, WebSocket and EventSource', () => {
    const scope = fakeScope();
    guardNetwork(scope, SITE);
    const xhr = scope.XMLHttpRequest!.prototype.open as unknown as (method: string, url: string) => void;
    expect(() => xhr.call({}, 'GET', 'http://example.com/')).toThrow(/^XMLHttpRequest: http:\/\/example\.com\/ is on another host/);
    expect(() => new scope.WebSocket!('wss://example.com/socket')).toThrow(/^WebSocket: wss:\/\/example\.com\/socket is on another host/);
    expect(() => new scope.EventSource!('https://example.com/events')).toThrow(/^EventSource: https:\/\/example\.com\/events is on another host/);
    expect(scope.reached).toEqual([]);
  });
});

describe('a request to the site itself', () => {
  it('goes through, with a relative URL resolved against the site', async () => {
    const scope = fakeScope();
    guardNetwork(scope, SITE);
    await scope.fetch('/data/datasets.json');
    await scope.fetch(`${SITE}/models/mnist.snet`);
    (scope.XMLHttpRequest!.prototype.open as unknown as (method: string, url: string) => void).call({}, 'GET', 'data/x');
    new scope.WebSocket!('ws://127.0.0.1:4321/live');
    expect(scope.reached).toEqual([`fetch ${SITE}/data/datasets.json`, `fetch ${SITE}/models/mnist.snet`, `xhr GET ${SITE}/data/x`, 'socket ws://127.0.0.1:4321/live']);
  });

  it('is told apart by host and scheme', () => {
    expect(siteURL('fetch', '/a', SITE).href).toBe(`${SITE}/a`);
    expect(() => siteURL('fetch', 'https://127.0.0.1:4321/a', SITE)).toThrow(BlockedRequestError);
    expect(siteURL('fetch', 'wss://site.example/a', 'https://site.example').href).toBe('wss://site.example/a');
  });
});
