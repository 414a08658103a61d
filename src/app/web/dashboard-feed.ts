/** Time for the feed: now, and a cancellable one-shot timer (tests inject a manual one). */
export interface FeedClock {
  now(): number;
  /** Calls `fn` once after `ms`; returns its cancel. */
  after(ms: number, fn: () => void): () => void;
}

export const realFeedClock: FeedClock = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

export interface FeedOptions {
  /** At most one render per this many ms, however many changes are reported (default 500). */
  readonly coalesceMs?: number;
  /** A change waits this long for the rest of its burst before the render (default 50). */
  readonly settleMs?: number;
  /** With no change reported, a render this long after the last one (durations, last output line; default 15 s). */
  readonly safetyMs?: number;
  readonly clock?: FeedClock;
  readonly onError?: (err: unknown) => void;
}

/**
 * The dashboard as the event stream sends it: a rendered fragment and a sequence number that
 * grows whenever the fragment changes. It renders when told something changed (`changed()`:
 * engine events, commands), coalesced to at most one render per `coalesceMs`, plus a slow safety
 * render every `safetyMs` — and only while someone listens: with no subscriber, nothing renders.
 */
export class DashboardFeed {
  private seqNo = 0;
  private html = '';
  private readonly listeners = new Set<() => void>();
  private rendering: Promise<void> | undefined;
  /** The pending render: when it is due and how to cancel it. */
  private next: { at: number; cancel: () => void } | undefined;
  private lastRenderAt = -Infinity;
  private dirty = false;
  private count = 0;
  private readonly coalesceMs: number;
  private readonly settleMs: number;
  private readonly safetyMs: number;
  private readonly clock: FeedClock;
  private readonly onError: (err: unknown) => void;

  constructor(
    private readonly render: () => Promise<string>,
    o: FeedOptions = {},
  ) {
    this.coalesceMs = o.coalesceMs ?? 500;
    this.settleMs = o.settleMs ?? 50;
    this.safetyMs = o.safetyMs ?? 15_000;
    this.clock = o.clock ?? realFeedClock;
    this.onError = o.onError ?? (() => undefined);
  }

  get seq(): number {
    return this.seqNo;
  }

  get current(): string {
    return this.html;
  }

  /** How many times the fragment was rendered (tests and the bench). */
  get renders(): number {
    return this.count;
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** Something the dashboard shows may have changed: render soon (coalesced), if anyone listens. */
  changed(): void {
    if (this.listeners.size === 0) return;
    if (this.rendering) {
      this.dirty = true;
      return;
    }
    const now = this.clock.now();
    this.plan(Math.max(now + this.settleMs, this.lastRenderAt + this.coalesceMs));
  }

  /** Renders now (coalesced with a render in flight); listeners hear of a change. */
  poke(): Promise<void> {
    if (this.rendering) return this.rendering;
    this.next?.cancel();
    this.next = undefined;
    this.dirty = false;
    this.lastRenderAt = this.clock.now();
    this.count++;
    this.rendering = this.render()
      .then((html) => {
        if (html === this.html) return;
        this.html = html;
        this.seqNo++;
        for (const fn of this.listeners) fn();
      }, this.onError)
      .finally(() => {
        this.rendering = undefined;
        this.afterRender();
      });
    return this.rendering;
  }

  /** Listens for changes; the first subscriber starts the renders, the last one to leave stops them. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    if (this.listeners.size === 1 && !this.rendering) void this.poke();
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) {
        this.next?.cancel();
        this.next = undefined;
        this.dirty = false;
        // Not kept fresh any more: the next first subscriber waits for a new render rather than
        // being sent this one (the sequence still only grows, so resume ids stay valid).
        this.html = '';
      }
    };
  }

  private afterRender(): void {
    if (this.listeners.size === 0) return;
    if (this.dirty) {
      this.dirty = false;
      this.plan(Math.max(this.clock.now() + this.settleMs, this.lastRenderAt + this.coalesceMs));
    } else this.plan(this.lastRenderAt + this.safetyMs);
  }

  /** Makes the pending render due at `at`, unless one is already due sooner. */
  private plan(at: number): void {
    if (this.next && this.next.at <= at) return;
    this.next?.cancel();
    const cancel = this.clock.after(Math.max(0, at - this.clock.now()), () => {
      this.next = undefined;
      void this.poke();
    });
    this.next = { at, cancel };
  }
}
