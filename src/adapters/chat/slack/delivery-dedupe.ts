import { RecentKeys } from '../../shared/recent-keys.js';

/** Slack retries a delivery it thinks failed; the same key within the window must not run twice. */
export const DEDUPE_WINDOW_MS = 10 * 60_000;

/** Slack's view of the shared RecentKeys: 10 minutes, at most 50,000 keys by default. */
export class DeliveryDedupe extends RecentKeys {
  constructor(opts: { ttlMs?: number; max?: number; now?: () => number } = {}) {
    super(opts.ttlMs ?? DEDUPE_WINDOW_MS, opts.max ?? 50_000, opts.now);
  }

  /** True when `key` was seen within the window; otherwise records it and returns false. */
  seen(key: string): boolean {
    return !this.firstTime(key);
  }
}
