/**
 * Keys seen in the last `ttlMs`, so a redelivered request (a GitHub webhook, a Slack retry, a
 * Discord interaction) is acted on once. Insertion order is arrival order, so expired keys sit at
 * the front; at most `max` keys are kept (the oldest go first), so memory stays bounded however
 * many deliveries arrive. One mechanism for every inbound transport.
 */
export class RecentKeys {
  private readonly keys = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** True when `key` was added within the window. */
  has(key: string): boolean {
    this.expire();
    return this.keys.has(key);
  }

  /** Records `key` as seen now (a repeat moves it to the back). */
  add(key: string): void {
    this.keys.delete(key);
    this.keys.set(key, this.now());
    while (this.keys.size > this.max) {
      const oldest = this.keys.keys().next();
      if (oldest.done) break;
      this.keys.delete(oldest.value);
    }
  }

  /** True the first time `key` is offered within the window (and records it); false for a repeat. */
  firstTime(key: string): boolean {
    if (this.has(key)) return false;
    this.add(key);
    return true;
  }

  get size(): number {
    return this.keys.size;
  }

  private expire(): void {
    const now = this.now();
    for (const [key, at] of this.keys) {
      if (now - at < this.ttlMs) break;
      this.keys.delete(key);
    }
  }
}
