/** How long to wait before reconnect attempt `n` (1-based): capped exponential back-off with jitter. */
export interface ReconnectBackoff {
  /** First delay (ms) before jitter. */
  readonly baseMs: number;
  /** No delay is longer than this. */
  readonly capMs: number;
  /** A number in [0, 1); injected in tests. */
  readonly random?: () => number;
}

export const DEFAULT_BACKOFF: ReconnectBackoff = { baseMs: 1_000, capMs: 60_000 };

/**
 * "Equal jitter": half the capped exponential delay is fixed, the other half random, so a crowd
 * of clients that lost the same server spreads out but none retries at once in a tight loop.
 */
export const reconnectDelay = (attempt: number, b: ReconnectBackoff = DEFAULT_BACKOFF): number => {
  const exp = Math.min(b.capMs, b.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  const r = (b.random ?? Math.random)();
  return Math.round(exp / 2 + (exp / 2) * r);
};
