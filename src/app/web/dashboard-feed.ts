/**
 * The dashboard as the event stream sends it: a rendered fragment and a sequence number that
 * grows whenever the fragment changes. It re-renders on `poke()` (engine events) and every
 * `everyMs` while someone listens; nobody listening, nothing is rendered.
 */
export class DashboardFeed {
  private seqNo = 0;
  private html = '';
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private rendering: Promise<void> | undefined;

  constructor(
    private readonly render: () => Promise<string>,
    private readonly everyMs = 2_000,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  get seq(): number {
    return this.seqNo;
  }

  get current(): string {
    return this.html;
  }

  /** Re-renders now (coalesced with a render in flight); listeners hear of a change. */
  poke(): Promise<void> {
    if (this.rendering) return this.rendering;
    this.rendering = this.render()
      .then((html) => {
        if (html === this.html) return;
        this.html = html;
        this.seqNo++;
        for (const fn of this.listeners) fn();
      }, this.onError)
      .finally(() => {
        this.rendering = undefined;
      });
    return this.rendering;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    if (this.listeners.size === 1) {
      this.timer = setInterval(() => void this.poke(), this.everyMs);
      this.timer.unref();
    }
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }
}
