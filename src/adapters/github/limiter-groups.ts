/**
 * A minimal stand-in for the Bottleneck groups plugin-throttling schedules through
 * (`group.key(id).schedule(opts, fn, ...args)`), so callers can set spacing without
 * importing Bottleneck. Spacing (`minTime`) and concurrency are honoured per group.
 */
export interface LimiterGroup {
  key(id?: string): Limiter;
}

type Task = (...args: unknown[]) => unknown;

export class Limiter implements LimiterGroup {
  private active = 0;
  private nextStartAt = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly minTime: number,
  ) {}

  key(): Limiter {
    return this;
  }

  async schedule(_jobOptions: unknown, fn: Task, ...args: unknown[]): Promise<unknown> {
    await this.acquire();
    try {
      return await fn(...args);
    } finally {
      // Hand the slot straight to the next waiter, so a newcomer cannot overtake it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  private async acquire(): Promise<void> {
    if (this.active >= this.maxConcurrent) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    if (this.minTime <= 0) return;
    const now = Date.now();
    const startAt = Math.max(now, this.nextStartAt);
    this.nextStartAt = startAt + this.minTime;
    if (startAt > now) await new Promise((resolve) => setTimeout(resolve, startAt - now));
  }
}

export interface LimiterGroups {
  readonly global: LimiterGroup;
  readonly auth: LimiterGroup;
  readonly write: LimiterGroup;
  readonly search: LimiterGroup;
  readonly notifications: LimiterGroup;
}

/** Groups shaped like plugin-throttling's defaults, with `minTime` between writes (0 = none). */
export const createLimiterGroups = (minTime: number): LimiterGroups => ({
  global: new Limiter(10, 0),
  auth: new Limiter(1, 0),
  write: new Limiter(1, minTime),
  search: new Limiter(1, minTime * 2),
  notifications: new Limiter(1, minTime * 3),
});
