/** A rate limit GitHub answered with: which one, and when it lets requests through again. */
export interface RateLimitHit {
  readonly kind: 'primary' | 'secondary';
  /** Epoch ms at which GitHub accepts requests again (`x-ratelimit-reset`, or now + `retry-after`). */
  readonly resetAt: number;
}

interface LimitedResponse {
  readonly status?: unknown;
  readonly message?: string;
  readonly response?: { readonly headers?: Record<string, string | number | undefined> };
}

/** Without `retry-after`, GitHub asks for at least a minute after a secondary limit. */
const SECONDARY_FALLBACK_SECONDS = 60;

/**
 * Reads a 403/429 the way plugin-throttling does: a secondary limit by its message (wait
 * `retry-after`), a primary one by `x-ratelimit-remaining: 0` (wait until `x-ratelimit-reset`).
 * Anything else is not a rate limit.
 */
export const readRateLimit = (err: unknown, nowMs: number): RateLimitHit | undefined => {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as LimitedResponse;
  const status = e.status;
  if (status !== 403 && status !== 429) return undefined;
  const headers = e.response?.headers ?? {};
  const header = (name: string): number | undefined => {
    const n = Number(headers[name]);
    return headers[name] === undefined || !Number.isFinite(n) ? undefined : n;
  };
  if (/\bsecondary rate\b/i.test(e.message ?? '')) {
    const seconds = header('retry-after') || SECONDARY_FALLBACK_SECONDS;
    return { kind: 'secondary', resetAt: nowMs + seconds * 1000 };
  }
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = (header('x-ratelimit-reset') ?? 0) * 1000;
    return { kind: 'primary', resetAt: Math.max(reset, nowMs) };
  }
  if (status === 429) {
    const seconds = header('retry-after') ?? SECONDARY_FALLBACK_SECONDS;
    return { kind: 'secondary', resetAt: nowMs + seconds * 1000 };
  }
  return undefined;
};

/**
 * onRateLimit / onSecondaryRateLimit for plugin-throttling. They never retry: the plugin's
 * wait cannot be aborted, so a one-hour reset would leave the process deaf to SIGTERM. The
 * waiting happens in rate-limit-waiter.ts instead, where the caller's signal ends it.
 */
export const rateLimitHandlers = (): {
  onRateLimit: () => boolean;
  onSecondaryRateLimit: () => boolean;
} => ({ onRateLimit: () => false, onSecondaryRateLimit: () => false });
