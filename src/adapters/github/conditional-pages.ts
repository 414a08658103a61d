/** One page as last seen: its ETag, the items (already mapped) and whether a next page existed. */
export interface CachedPage<T> {
  readonly etag: string;
  readonly items: readonly T[];
  readonly hasNext: boolean;
}

/** What fetching one page produced: fresh content, or 304 Not Modified. */
export type PageResult<T> =
  | {
      readonly notModified: false;
      readonly etag: string | undefined;
      readonly items: readonly T[];
      readonly hasNext: boolean;
    }
  | { readonly notModified: true };

/** ETag cache keyed by page URL; bounded, oldest entries evicted first. */
export class EtagCache {
  private readonly entries = new Map<string, CachedPage<unknown>>();

  constructor(private readonly maxEntries = 10_000) {}

  get<T>(key: string): CachedPage<T> | undefined {
    return this.entries.get(key) as CachedPage<T> | undefined;
  }

  set<T>(key: string, page: CachedPage<T>): void {
    this.entries.delete(key);
    this.entries.set(key, page);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** Every page, least recently stored first (what a persisted cache saves). */
  list(): [string, CachedPage<unknown>][] {
    return [...this.entries];
  }
}

export const hasNextLink = (link: string | undefined): boolean =>
  link !== undefined && /rel="next"/.test(link);

const MAX_PAGES = 1000;

/**
 * Walks every page with conditional requests. A page answering 304 is served from the cache,
 * including whether it had a next page. `changed` is false only when every page was a 304.
 */
export const fetchAllPages = async <T>(
  cache: EtagCache,
  keyOf: (page: number) => string,
  fetchPage: (page: number, etag: string | undefined) => Promise<PageResult<T>>,
): Promise<{ items: T[]; changed: boolean }> => {
  const items: T[] = [];
  let changed = false;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const key = keyOf(page);
    const cached = cache.get<T>(key);
    const result = await fetchPage(page, cached?.etag);
    let current: CachedPage<T>;
    if (result.notModified) {
      if (!cached) throw new Error(`GitHub answered 304 for ${key} without a cached copy`);
      current = cached;
    } else {
      changed = true;
      current = { etag: result.etag ?? '', items: result.items, hasNext: result.hasNext };
      if (result.etag) cache.set(key, current);
    }
    items.push(...current.items);
    if (!current.hasNext) break;
  }
  return { items, changed };
};
