/** Slack retries a delivery it thinks failed; the same key within the window must not run twice. */
export const DEDUPE_WINDOW_MS = 10 * 60_000;

/**
 * Remembers delivery keys for `ttlMs` (default 10 minutes) in insertion order; bounded by `max`
 * keys (the oldest go first), so a flood cannot grow memory without limit.
 */
export class DeliveryDedupe {
  private readonly keys = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(opts: { ttlMs?: number; max?: number; now?: () => number } = {}) {
    this.ttlMs = opts.ttlMs ?? DEDUPE_WINDOW_MS;
    this.max = opts.max ?? 50_000;
    this.now = opts.now ?? (() => Date.now());
  }

  /** True when `key` was seen within the window; otherwise records it and returns false. */
  seen(key: string): boolean {
    const now = this.now();
    for (const [k, at] of this.keys) {
      if (now - at < this.ttlMs) break;
      this.keys.delete(k);
    }
    const at = this.keys.get(key);
    if (at !== undefined && now - at < this.ttlMs) return true;
    this.keys.set(key, now);
    while (this.keys.size > this.max) {
      const oldest = this.keys.keys().next().value;
      if (oldest === undefined) break;
      this.keys.delete(oldest);
    }
    return false;
  }

  get size(): number {
    return this.keys.size;
  }
}
