/**
 * One send budget per workspace/guild for what k3sc posts on its own. Pure scheduling, no I/O:
 * the caller hands in operations (`run`), the budget decides when each one may go.
 *
 * - Order per channel is kept (a thread reply never overtakes its root message).
 * - Edits of one message coalesce: a newer edit replaces a pending one, so only the latest
 *   state is sent; every caller's promise settles with that one send.
 * - Edits share a sliding window for the whole workspace (Slack `chat.update` ≈ 50/min).
 * - Every operation in a channel waits `channelIntervalMs` after the previous one there
 *   (Slack ≈ 1 post/s per channel; Discord 5 per 5 s).
 * - An operation that fails with a `RateLimitedError` pauses the budget for its `retryAfterMs`
 *   and is tried again; nothing is dropped.
 */

export interface BudgetLimits {
  /** Edits allowed per `windowMs` across the whole workspace/guild. */
  readonly editsPerWindow: number;
  readonly windowMs: number;
  /** The least time between two operations in one channel. */
  readonly channelIntervalMs: number;
}

/** Slack: chat.update about 50/min per workspace; about 1 message a second per channel. */
export const SLACK_SEND_LIMITS: BudgetLimits = {
  editsPerWindow: 45,
  windowMs: 60_000,
  channelIntervalMs: 1_100,
};
/** Discord: 5 messages per 5 s per channel; edits kept to the same per-guild budget as Slack's. */
export const DISCORD_SEND_LIMITS: BudgetLimits = {
  editsPerWindow: 45,
  windowMs: 60_000,
  channelIntervalMs: 1_100,
};

export interface BudgetTimers {
  readonly now: () => number;
  /** Calls `fn` after `ms`; returns a cancel function. */
  readonly setTimer: (fn: () => void, ms: number) => () => void;
}

/** What a platform's 429 turns into: the budget waits this long and tries again. */
export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterMs: number,
    message = `rate limited; retry after ${retryAfterMs} ms`,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

export interface BudgetOp<T> {
  readonly kind: 'post' | 'edit' | 'upload';
  readonly channel: string;
  /** Edits with the same key coalesce (the message's id). */
  readonly key?: string;
  readonly run: () => Promise<T>;
}

interface Pending {
  op: BudgetOp<unknown>;
  waiters: { resolve: (v: unknown) => void; reject: (e: unknown) => void }[];
}

export interface BudgetStats {
  readonly posts: number;
  readonly edits: number;
  readonly uploads: number;
  /** Edits that were replaced by a newer one before they went out. */
  readonly coalesced: number;
  readonly rateLimited: number;
}

export class SendBudget {
  private readonly queue: Pending[] = [];
  private readonly editTimes: number[] = [];
  private readonly channelLast = new Map<string, number>();
  private pausedUntil = 0;
  private busy = false;
  private cancelTimer: (() => void) | undefined;
  private timerAt = Infinity;
  private closed = false;
  private readonly counts = { posts: 0, edits: 0, uploads: 0, coalesced: 0, rateLimited: 0 };

  constructor(
    readonly limits: BudgetLimits,
    private readonly timers: BudgetTimers,
  ) {}

  get stats(): BudgetStats {
    return { ...this.counts };
  }

  /** How many operations wait. */
  get pending(): number {
    return this.queue.length;
  }

  submit<T>(op: BudgetOp<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('send budget is closed'));
    return new Promise<T>((resolve, reject) => {
      const waiter = { resolve: resolve as (v: unknown) => void, reject };
      if (op.kind === 'edit' && op.key !== undefined) {
        const same = this.queue.find((p) => p.op.kind === 'edit' && p.op.key === op.key);
        if (same) {
          same.op = op;
          same.waiters.push(waiter);
          this.counts.coalesced += 1;
          return;
        }
      }
      this.queue.push({ op: op, waiters: [waiter] });
      this.pump();
    });
  }

  /** Rejects what still waits; later submits are refused. */
  close(): void {
    this.closed = true;
    this.cancelTimer?.();
    for (const p of this.queue.splice(0))
      for (const w of p.waiters) w.reject(new Error('send budget closed before sending'));
  }

  /** When `p` may go, in ms from now (0: now). */
  private waitFor(p: Pending, now: number): number {
    let wait = Math.max(0, this.pausedUntil - now);
    const last = this.channelLast.get(p.op.channel);
    if (last !== undefined) wait = Math.max(wait, last + this.limits.channelIntervalMs - now);
    if (p.op.kind === 'edit') {
      const inWindow = this.editTimes.filter((t) => t > now - this.limits.windowMs);
      if (inWindow.length >= this.limits.editsPerWindow) {
        const oldest = inWindow[inWindow.length - this.limits.editsPerWindow] ?? now;
        wait = Math.max(wait, oldest + this.limits.windowMs - now);
      }
    }
    return wait;
  }

  private pump(): void {
    if (this.busy || this.closed) return;
    const now = this.timers.now();
    while (this.editTimes.length > 0 && (this.editTimes[0] ?? 0) <= now - this.limits.windowMs)
      this.editTimes.shift();
    const blocked = new Set<string>();
    let soonest = Infinity;
    for (const p of this.queue) {
      if (blocked.has(p.op.channel)) continue;
      blocked.add(p.op.channel); // only the first waiting op of a channel may go: order is kept
      const wait = this.waitFor(p, now);
      if (wait <= 0) return void this.send(p);
      soonest = Math.min(soonest, wait);
    }
    if (soonest < Infinity) this.arm(now + soonest);
  }

  private arm(at: number): void {
    if (this.cancelTimer && this.timerAt <= at) return;
    this.cancelTimer?.();
    this.timerAt = at;
    this.cancelTimer = this.timers.setTimer(
      () => {
        this.cancelTimer = undefined;
        this.timerAt = Infinity;
        this.pump();
      },
      Math.max(0, at - this.timers.now()),
    );
  }

  private send(p: Pending): void {
    this.busy = true;
    this.queue.splice(this.queue.indexOf(p), 1);
    const started = this.timers.now();
    this.channelLast.set(p.op.channel, started);
    if (p.op.kind === 'edit') this.editTimes.push(started);
    const op = p.op;
    op.run().then(
      (value) => {
        this.counts[op.kind === 'post' ? 'posts' : op.kind === 'edit' ? 'edits' : 'uploads'] += 1;
        for (const w of p.waiters) w.resolve(value);
        this.done();
      },
      (err: unknown) => {
        if (err instanceof RateLimitedError && !this.closed) {
          this.counts.rateLimited += 1;
          this.pausedUntil = Math.max(this.pausedUntil, this.timers.now() + err.retryAfterMs);
          this.requeue(p);
        } else for (const w of p.waiters) w.reject(err);
        this.done();
      },
    );
  }

  /** A rate-limited op goes back to the front of its channel (a newer edit of it may have come meanwhile). */
  private requeue(p: Pending): void {
    const newer =
      p.op.kind === 'edit' && p.op.key !== undefined
        ? this.queue.find((q) => q.op.kind === 'edit' && q.op.key === p.op.key)
        : undefined;
    if (newer) newer.waiters.unshift(...p.waiters);
    else this.queue.unshift(p);
  }

  private done(): void {
    this.busy = false;
    this.pump();
  }
}
