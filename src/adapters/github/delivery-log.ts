/**
 * Delivery ids seen recently (`X-GitHub-Delivery`), so a replayed or redelivered webhook is
 * handed on once. Entries expire after `windowMs`; at most `maxEntries` are kept (oldest go
 * first), so memory stays bounded however many deliveries arrive.
 */
export class DeliveryLog {
  /** id -> epoch ms it was accepted; insertion order is acceptance order. */
  private readonly accepted = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  /** True when `id` was accepted within the window. */
  has(id: string): boolean {
    this.expire();
    return this.accepted.has(id);
  }

  add(id: string): void {
    this.accepted.delete(id);
    this.accepted.set(id, this.now());
    while (this.accepted.size > this.maxEntries) {
      const oldest = this.accepted.keys().next();
      if (oldest.done) break;
      this.accepted.delete(oldest.value);
    }
  }

  get size(): number {
    return this.accepted.size;
  }

  private expire(): void {
    const cutoff = this.now() - this.windowMs;
    for (const [id, at] of this.accepted) {
      if (at > cutoff) break;
      this.accepted.delete(id);
    }
  }
}
