import type { BudgetTimers } from '../../../core/domain/send-budget.js';
import { issueKey, type IssueRef } from '../../../core/model/refs.js';
import type { Logger } from '../../../core/ports/logger.js';
import { logBatchReply } from '../../../bot/render/attempt-card.js';
import { textReply } from '../../../bot/reply.js';
import type { ChatOutbox, ChatTarget } from '../../../bot/transport.js';
import type { ThreadRecord } from './thread-records.js';

export interface FollowSource {
  /** The issue's live log (the facade's followLogs): ends with the attempt, or when `signal` aborts. */
  readonly follow: (
    ref: IssueRef,
    signal: AbortSignal,
  ) => Promise<{ readonly attempt: string; readonly lines: AsyncIterable<string> }>;
  /** The issue's newest thread on a platform. */
  readonly thread: (platform: string, ref: IssueRef) => Promise<ThreadRecord | undefined>;
}

export interface LogFollowOptions {
  readonly source: FollowSource;
  readonly outboxes: readonly ChatOutbox[];
  /** The one secrets rule (src/core/secrets) with the configured values. */
  readonly redact: (text: string) => string;
  readonly logger: Logger;
  readonly timers: BudgetTimers;
  /** Lines are gathered this long into one message (default 3 s). */
  readonly batchMs?: number;
  /** A batch longer than this goes up as a file (default 2,800: within Slack's section and Discord's embed). */
  readonly maxChars?: number;
  /** A follow stops by itself after this long (default 30 minutes). */
  readonly limitMs?: number;
}

interface Session {
  readonly stop: AbortController;
  readonly done: Promise<void>;
}

/**
 * Streams an attempt's log into its thread: lines (redacted) batched into one message per
 * `batchMs`, each batch through the platform's send budget; a batch too long for a message is
 * uploaded as a file. Ends with the attempt, a Stop click (`unfollow`), or the time limit.
 */
export class LogFollower {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly opts: LogFollowOptions) {}

  /** Starts following (idempotent); returns what to tell the person who asked. */
  async start(platform: string, ref: IssueRef): Promise<string> {
    const key = `${platform}:${issueKey(ref)}`;
    if (this.sessions.has(key)) return `already following ${issueKey(ref)} in its thread`;
    const outbox = this.opts.outboxes.find((o) => o.platform === platform);
    const rec = outbox ? await this.opts.source.thread(platform, ref) : undefined;
    if (!outbox || !rec)
      return `${issueKey(ref)} has no attempt thread on ${platform}: use logs ${issueKey(ref)} (without --follow)`;
    const stop = new AbortController();
    const target: ChatTarget = { channel: rec.message.channel, thread: rec.message.id };
    const done = this.run(outbox, target, ref, stop)
      .catch((err: unknown) =>
        this.opts.logger.warn({ err, issue: issueKey(ref) }, 'chat: log follow failed'),
      )
      .finally(() => this.sessions.delete(key));
    this.sessions.set(key, { stop, done });
    return `following ${issueKey(ref)} in its thread`;
  }

  /** Stops a follow; false when none ran. */
  stop(platform: string, ref: IssueRef): boolean {
    const s = this.sessions.get(`${platform}:${issueKey(ref)}`);
    s?.stop.abort(new Error('stopped'));
    return s !== undefined;
  }

  /** Stops every follow and waits for them (shutdown, tests). */
  async close(): Promise<void> {
    const all = [...this.sessions.values()];
    for (const s of all) s.stop.abort(new Error('shutdown'));
    await Promise.allSettled(all.map((s) => s.done));
  }

  /** Resolves when the follows running now have ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.sessions.values()].map((s) => s.done));
  }

  private async run(
    outbox: ChatOutbox,
    target: ChatTarget,
    ref: IssueRef,
    stop: AbortController,
  ): Promise<void> {
    const { timers } = this.opts;
    const batchMs = this.opts.batchMs ?? 3_000;
    const maxChars = this.opts.maxChars ?? 2_800;
    const cancelLimit = timers.setTimer(
      () => stop.abort(new Error('time limit')),
      this.opts.limitMs ?? 30 * 60_000,
    );
    const { attempt, lines } = await this.opts.source.follow(ref, stop.signal);
    let buffer: string[] = [];
    let files = 0;
    let sending = Promise.resolve();
    const flush = (last: boolean): void => {
      if (buffer.length === 0) return;
      const batch = buffer;
      buffer = [];
      const text = batch.join('\n');
      sending = sending.then(() =>
        text.length > maxChars
          ? outbox.upload(target, {
              name: `${attempt}-log-${++files}.txt`,
              content: `${text}\n`,
              title: `log ${attempt}`,
            })
          : outbox.post(target, logBatchReply(attempt, issueKey(ref), batch, last)).then(() => undefined),
      );
    };
    let cancelTick = timers.setTimer(function tick() {
      flush(false);
      cancelTick = timers.setTimer(tick, batchMs);
    }, batchMs);
    let why = 'the attempt ended';
    try {
      for await (const line of lines) {
        buffer.push(this.opts.redact(line));
        if (stop.signal.aborted) break;
      }
    } catch (err) {
      if (!stop.signal.aborted) throw err;
    } finally {
      cancelTick();
      cancelLimit();
    }
    if (stop.signal.aborted)
      why = stop.signal.reason instanceof Error ? stop.signal.reason.message : 'stopped';
    flush(true);
    await sending;
    await outbox.post(target, textReply('log', `-- ${attempt}: no longer following (${why}) --`));
  }
}
