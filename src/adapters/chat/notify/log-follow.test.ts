import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BudgetTimers } from '../../../core/domain/send-budget.js';
import { silentLogger } from '../../../core/ports/logger.js';
import { makeRedactor } from '../../../core/secrets/index.js';
import { LogFollower } from './log-follow.js';
import { recordingOutbox } from './recording-outbox.js';
import type { ThreadRecord } from './thread-records.js';

const ref = { repo: { owner: 'acme', name: 'web' }, number: 12 };
const timers: BudgetTimers = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};
const rec: ThreadRecord = {
  platform: 'slack',
  message: { channel: 'C-WEB', id: 'root-1' },
  card: { issue: 'acme/web#12', attempt: 'acme-web-12-1', state: 'running', history: [] },
};

/** A log the test writes to: `push` lines, `end` the attempt; ends early when the follow's signal aborts. */
const liveLog = () => {
  const queue: string[] = [];
  let wake = (): void => undefined;
  let ended = false;
  const feed = {
    push: (...lines: string[]) => {
      queue.push(...lines);
      wake();
    },
    end: () => {
      ended = true;
      wake();
    },
    follow: (_r: unknown, signal: AbortSignal) => {
      signal.addEventListener('abort', () => feed.end());
      async function* lines(): AsyncIterable<string> {
        for (;;) {
          while (queue.length > 0) yield queue.shift()!;
          if (ended) return;
          await new Promise<void>((r) => (wake = r));
        }
      }
      return Promise.resolve({ attempt: 'acme-web-12-1', lines: lines() });
    },
  };
  return feed;
};

const setup = (maxChars = 2_800) => {
  const outbox = recordingOutbox('slack');
  const log = liveLog();
  const follower = new LogFollower({
    source: { follow: log.follow, thread: (p) => Promise.resolve(p === 'slack' ? rec : undefined) },
    outboxes: [outbox],
    redact: makeRedactor(['configured-secret-value']),
    logger: silentLogger,
    timers,
    batchMs: 1_000,
    maxChars,
    limitMs: 60_000,
  });
  const texts = () =>
    outbox.calls.map((c) =>
      c.op === 'upload' ? `upload ${c.name}` : c.op === 'post' ? JSON.stringify(c.reply.blocks) : 'edit',
    );
  return { outbox, log, follower, texts };
};

describe('LogFollower', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 0 }));
  afterEach(() => void vi.useRealTimers());

  it('batches lines into thread messages, redacted, and ends with the attempt', async () => {
    const { outbox, log, follower, texts } = setup();
    expect(await follower.start('slack', ref)).toBe('following acme/web#12 in its thread');
    expect(await follower.start('slack', ref)).toContain('already following');
    log.push('step 1', 'token ghp_0123456789abcdefABCDEF0123456789abcd', 'key configured-secret-value');
    await vi.advanceTimersByTimeAsync(1_000);
    log.push('step 2');
    log.end();
    await vi.advanceTimersByTimeAsync(10);
    await follower.settled();
    expect(outbox.calls.every((c) => c.op === 'post' && c.target.thread === 'root-1')).toBe(true);
    const all = texts().join('\n');
    expect(all).not.toContain('ghp_0123');
    expect(all).not.toContain('configured-secret-value');
    expect(texts()).toHaveLength(3);
    expect(texts()[0]).toContain('step 1');
    expect(texts()[0]).toContain('unfollow acme/web#12'); // the Stop button
    expect(texts()[1]).toContain('step 2');
    expect(texts()[2]).toContain('no longer following (the attempt ended)');
  });

  it('uploads a batch too long for a message as a file', async () => {
    const { log, follower, texts } = setup(100);
    await follower.start('slack', ref);
    log.push(...Array.from({ length: 20 }, (_, i) => `a fast agent writes line ${i}`));
    await vi.advanceTimersByTimeAsync(1_000);
    log.end();
    await vi.advanceTimersByTimeAsync(10);
    await follower.settled();
    expect(texts()[0]).toBe('upload acme-web-12-1-log-1.txt');
  });

  it('stops on unfollow (the Stop button) and after the time limit', async () => {
    const a = setup();
    await a.follower.start('slack', ref);
    expect(a.follower.stop('slack', ref)).toBe(true);
    await vi.advanceTimersByTimeAsync(10);
    await a.follower.settled();
    expect(a.texts().at(-1)).toContain('(stopped)');
    expect(a.follower.stop('slack', ref)).toBe(false);
    const b = setup();
    await b.follower.start('slack', ref);
    await vi.advanceTimersByTimeAsync(60_000);
    await b.follower.settled();
    expect(b.texts().at(-1)).toContain('(time limit)');
  });

  it('says so when the issue has no thread on that platform', async () => {
    const { follower } = setup();
    expect(await follower.start('discord', ref)).toContain('has no attempt thread on discord');
  });
});
