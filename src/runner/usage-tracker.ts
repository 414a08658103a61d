/** Token counts of one model message, as read from the agent's stream. */
export interface UsageSample {
  readonly messageId: string;
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
}

/** One `[usage]` line. */
export interface UsageRecord extends UsageSample {
  readonly costUsd: number;
}

const merge = (a: UsageSample, b: UsageSample): UsageSample => ({
  messageId: a.messageId,
  model: b.model || a.model,
  inputTokens: Math.max(a.inputTokens, b.inputTokens),
  outputTokens: Math.max(a.outputTokens, b.outputTokens),
  cacheReadTokens: Math.max(a.cacheReadTokens, b.cacheReadTokens),
  cacheWriteTokens: Math.max(a.cacheWriteTokens, b.cacheWriteTokens),
});

/**
 * Turns a stream of usage samples (Claude repeats a message's usage on every content block)
 * into one record per message id. A record is released when the next message starts; the
 * last one is held until `finish`, which puts the run's total cost on it, so the records'
 * costs sum to the run's cost.
 */
export class UsageTracker {
  private readonly released = new Set<string>();
  private pending: UsageSample | undefined;
  private lastModel = '';
  private finished = false;

  add(sample: UsageSample): UsageRecord[] {
    if (sample.model) this.lastModel = sample.model;
    if (this.released.has(sample.messageId)) return [];
    if (this.pending?.messageId === sample.messageId) {
      this.pending = merge(this.pending, sample);
      return [];
    }
    const out = this.pending === undefined ? [] : [this.release(this.pending, 0)];
    this.pending = sample;
    return out;
  }

  /** Once: releases the held record with `costUsd`; with none held, a cost-only record under `fallbackId`. */
  finish(costUsd: number, fallbackId: string): UsageRecord[] {
    if (this.finished) return [];
    this.finished = true;
    if (this.pending !== undefined) {
      const last = this.release(this.pending, costUsd);
      this.pending = undefined;
      return [last];
    }
    if (costUsd <= 0) return [];
    const empty = { messageId: fallbackId, model: this.lastModel, inputTokens: 0, outputTokens: 0 };
    return [this.release({ ...empty, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd)];
  }

  private release(sample: UsageSample, costUsd: number): UsageRecord {
    this.released.add(sample.messageId);
    return { ...sample, costUsd };
  }
}
