/**
 * Failed logins, counted per user name and per client address in a sliding window: past
 * `maxPerUser` failures for a name, or `maxPerAddress` from one address (several people behind
 * one proxy share it, so it is higher), logins are refused until the oldest failure leaves the
 * window. Pure but for the clock it is given.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly maxPerUser = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly maxPerAddress = 4 * maxPerUser,
  ) {}

  /** Milliseconds until this user/address may try again; 0 when it may now. */
  retryAfter(user: string, address: string): number {
    const now = this.now();
    let wait = 0;
    for (const [key, max] of [
      [this.keys(user, address)[0] ?? '', this.maxPerUser],
      [this.keys(user, address)[1] ?? '', this.maxPerAddress],
    ] as const) {
      const recent = this.recent(key, now);
      if (recent.length >= max)
        wait = Math.max(wait, (recent[recent.length - max] ?? now) + this.windowMs - now);
    }
    return wait;
  }

  fail(user: string, address: string): void {
    const now = this.now();
    for (const key of this.keys(user, address)) this.failures.set(key, [...this.recent(key, now), now]);
  }

  /** A successful login clears its user name's failures (not the address's). */
  succeed(user: string): void {
    this.failures.delete(`user:${user.toLowerCase()}`);
  }

  private keys(user: string, address: string): string[] {
    return [`user:${user.toLowerCase()}`, `addr:${address}`];
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }
}
