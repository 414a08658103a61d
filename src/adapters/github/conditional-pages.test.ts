import { describe, expect, it } from 'vitest';
import { EtagCache, fetchAllPages, hasNextLink, type PageResult } from './conditional-pages.js';

/** Scripted pages: each call answers from `script[page]`, recording the ETag it was sent. */
const scripted = (script: Record<number, PageResult<string>>) => {
  const sent: (string | undefined)[] = [];
  const fetchPage = (page: number, etag: string | undefined): Promise<PageResult<string>> => {
    sent.push(etag);
    return Promise.resolve(
      script[page] ?? { notModified: false, etag: undefined, items: [], hasNext: false },
    );
  };
  return { sent, fetchPage };
};

const fresh = (etag: string, items: string[], hasNext: boolean): PageResult<string> => ({
  notModified: false,
  etag,
  items,
  hasNext,
});

describe('fetchAllPages', () => {
  it('follows next pages and caches each with its ETag', async () => {
    const cache = new EtagCache();
    const s = scripted({ 1: fresh('e1', ['a', 'b'], true), 2: fresh('e2', ['c'], false) });
    const r = await fetchAllPages(cache, (p) => `k:${p}`, s.fetchPage);
    expect(r).toEqual({ items: ['a', 'b', 'c'], changed: true });
    expect(s.sent).toEqual([undefined, undefined]);
    expect(cache.get('k:2')).toEqual({ etag: 'e2', items: ['c'], hasNext: false });
  });

  it('reports changed when page 1 is a 304 but a later page changed', async () => {
    const cache = new EtagCache();
    await fetchAllPages(
      cache,
      (p) => `k:${p}`,
      scripted({ 1: fresh('e1', ['a'], true), 2: fresh('e2', ['b'], false) }).fetchPage,
    );
    const s = scripted({ 1: { notModified: true }, 2: fresh('e2b', [], false) });
    const r = await fetchAllPages(cache, (p) => `k:${p}`, s.fetchPage);
    expect(r).toEqual({ items: ['a'], changed: true });
    expect(s.sent).toEqual(['e1', 'e2']);
  });

  it('serves all-304 walks from the cache with changed false', async () => {
    const cache = new EtagCache();
    await fetchAllPages(
      cache,
      (p) => `k:${p}`,
      scripted({ 1: fresh('e1', ['a'], true), 2: fresh('e2', ['b'], false) }).fetchPage,
    );
    const r = await fetchAllPages(
      cache,
      (p) => `k:${p}`,
      scripted({ 1: { notModified: true }, 2: { notModified: true } }).fetchPage,
    );
    expect(r).toEqual({ items: ['a', 'b'], changed: false });
  });

  it('evicts the oldest entries beyond its bound', () => {
    const cache = new EtagCache(2);
    for (const k of ['a', 'b', 'c']) cache.set(k, { etag: k, items: [], hasNext: false });
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')?.etag).toBe('c');
  });

  it('reads rel="next" from Link headers', () => {
    expect(hasNextLink('<http://x?page=2>; rel="next", <http://x?page=3>; rel="last"')).toBe(true);
    expect(hasNextLink('<http://x?page=1>; rel="first"')).toBe(false);
    expect(hasNextLink(undefined)).toBe(false);
  });
});
