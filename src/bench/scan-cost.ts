import type { GitHubFake } from '../sandbox/github-fake/index.js';

/** What one scan cost on the fake's counters. */
export interface ScanCost {
  readonly requests: number;
  /** Answered 304 Not Modified: free on the primary rate limit. */
  readonly notModified: number;
  /** Primary rate-limit points spent (every answer but a 304 costs 1). */
  readonly cost: number;
  readonly ms: number;
  /** Requests per route (304s included). */
  readonly byRoute: Readonly<Record<string, number>>;
}

/** Runs `scan` between a counter reset and a counter read; the fake serves nobody else meanwhile. */
export const measureCost = async (fake: GitHubFake, scan: () => Promise<unknown>): Promise<ScanCost> => {
  fake.resetCounters();
  const t0 = performance.now();
  await scan();
  const ms = performance.now() - t0;
  const c = fake.counters;
  return {
    requests: c.requests,
    notModified: c.notModified,
    cost: c.rateLimit.used,
    ms,
    byRoute: { ...c.byRoute },
  };
};

/** Runs `fn` over `items`, at most `limit` at a time (the engine lists 4 repositories at once). */
export const forEachLimit = async <T>(
  items: readonly T[],
  limit: number,
  fn: (x: T) => Promise<unknown>,
): Promise<void> => {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};
