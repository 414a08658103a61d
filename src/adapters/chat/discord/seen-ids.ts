/**
 * Ids seen in the last `ttlMs` (a redelivered interaction runs once), in bounded memory: at most
 * `max` ids are kept, the oldest going first when a flood would pass that.
 */
export class SeenIds {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
    private readonly now: () => number,
  ) {}

  /** True the first time `id` is offered within the window; false for a repeat. */
  firstTime(id: string): boolean {
    const t = this.now();
    this.expire(t);
    if (this.seen.has(id)) return false;
    this.seen.set(id, t);
    if (this.seen.size > this.max) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  /** Insertion order is arrival order, so expired ids are at the front. */
  private expire(t: number): void {
    for (const [id, at] of this.seen) {
      if (t - at < this.ttlMs) break;
      this.seen.delete(id);
    }
  }
}
