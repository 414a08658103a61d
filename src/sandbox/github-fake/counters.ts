import type { FakeCounters, RateLimitSnapshot } from './types.js';

const WINDOW_SECONDS = 3600;

/** Request counts and the primary rate-limit budget (every answer except 304 costs 1). */
export class Counters {
  private requests = 0;
  private notModified = 0;
  private byRoute = new Map<string, number>();
  private used = 0;
  private reset: number;

  constructor(
    private readonly limit: number,
    private readonly now: () => Date,
  ) {
    this.reset = this.nowSeconds() + WINDOW_SECONDS;
  }

  countRequest(routeKey: string): void {
    this.requests++;
    this.byRoute.set(routeKey, (this.byRoute.get(routeKey) ?? 0) + 1);
  }

  /** Called once per answered request with its final status. */
  charge(status: number): void {
    if (status === 304) this.notModified++;
    else this.used++;
  }

  /** True when the window's budget is spent (the request should get a primary-limit 403). */
  exhausted(): boolean {
    this.rollWindow();
    return this.used >= this.limit;
  }

  rateLimit(): RateLimitSnapshot {
    this.rollWindow();
    return {
      limit: this.limit,
      used: this.used,
      remaining: Math.max(0, this.limit - this.used),
      reset: this.reset,
    };
  }

  snapshot(): FakeCounters {
    return {
      requests: this.requests,
      byRoute: Object.fromEntries(this.byRoute),
      notModified: this.notModified,
      rateLimit: this.rateLimit(),
    };
  }

  resetAll(): void {
    this.requests = 0;
    this.notModified = 0;
    this.byRoute = new Map();
    this.used = 0;
    this.reset = this.nowSeconds() + WINDOW_SECONDS;
  }

  private rollWindow(): void {
    if (this.nowSeconds() < this.reset) return;
    this.used = 0;
    this.reset = this.nowSeconds() + WINDOW_SECONDS;
  }

  private nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}
