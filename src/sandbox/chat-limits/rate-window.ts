/**
 * The rate limits the chat fakes enforce, like the real platforms: a sliding window per bucket
 * (a workspace's `chat.update`, a channel's posts). A call over the limit is refused with how
 * long to wait, which the fake sends as 429 + `Retry-After`.
 */
export interface WindowLimit {
  readonly max: number;
  readonly windowMs: number;
}

export class RateWindows {
  private readonly hits = new Map<string, number[]>();
  /** Every refusal, for tests and the bench (a well-behaved client causes none). */
  refused = 0;

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Records a call in `bucket`, or returns the ms to wait when it is over `limit`. */
  take(bucket: string, limit: WindowLimit): { ok: true } | { ok: false; retryAfterMs: number } {
    const now = this.now();
    const list = (this.hits.get(bucket) ?? []).filter((t) => t > now - limit.windowMs);
    if (list.length >= limit.max) {
      this.hits.set(bucket, list);
      this.refused += 1;
      const oldest = list[list.length - limit.max] ?? now;
      return { ok: false, retryAfterMs: Math.max(1, oldest + limit.windowMs - now) };
    }
    list.push(now);
    this.hits.set(bucket, list);
    return { ok: true };
  }
}

/** Slack's: chat.update about 50 a minute per workspace; chat.postMessage about 1 a second per channel. */
export const SLACK_FAKE_LIMITS = {
  update: { max: 50, windowMs: 60_000 },
  post: { max: 1, windowMs: 1_000 },
  upload: { max: 20, windowMs: 60_000 },
} as const;

/** Discord's: 5 messages (posts and edits) per 5 s per channel; 50 requests a second in all. */
export const DISCORD_FAKE_LIMITS = {
  channel: { max: 5, windowMs: 5_000 },
  global: { max: 50, windowMs: 1_000 },
} as const;
