import { RateLimitedError, SendBudget, SLACK_SEND_LIMITS } from '../core/domain/send-budget.js';
import { RateWindows, SLACK_FAKE_LIMITS } from '../sandbox/chat-limits/rate-window.js';
import type { MeasureReport } from './report.js';

/** Virtual time: timers in a list, run in order; nothing waits for real. */
const virtualClock = () => {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let seq = 0;
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = ++seq;
      timers.push({ at: now + ms, fn, id });
      return () => void timers.splice(timers.findIndex((t) => t.id === id) >>> 0, 1);
    },
    /** Runs every timer due until `until`, letting promises settle between them. */
    run: async (until: number) => {
      for (;;) {
        await new Promise<void>((r) => setImmediate(r));
        timers.sort((a, b) => a.at - b.at || a.id - b.id);
        const next = timers[0];
        if (!next || next.at > until) break;
        timers.shift();
        now = Math.max(now, next.at);
        next.fn();
      }
      now = until;
    },
  };
};

type Op = { kind: 'post' | 'edit'; channel: string; key?: string; at: number };

/** 26 attempts over 3 channels (root, 4 state edits, 3 thread posts each) and one follow of an agent writing 50 lines/s. */
const workload = (seconds: number): { ops: Op[]; lines: number } => {
  const ops: Op[] = [];
  for (let i = 0; i < 26; i++) {
    const channel = `C${i % 3}`;
    const t0 = i * 400;
    ops.push({ kind: 'post', channel, at: t0 });
    for (let s = 1; s <= 4; s++) ops.push({ kind: 'edit', channel, key: `root${i}`, at: t0 + s * 9_000 });
    for (let s = 1; s <= 3; s++) ops.push({ kind: 'post', channel, at: t0 + 36_000 + s * 200 });
  }
  return { ops: ops.sort((a, b) => a.at - b.at), lines: 50 * seconds };
};

interface Outcome {
  readonly calls: number;
  readonly refused: number;
  readonly perMinute: number;
  readonly drainedS: number;
}

const simulate = async (budgeted: boolean, seconds: number): Promise<Outcome> => {
  const clock = virtualClock();
  const slack = new RateWindows(clock.now);
  let calls = 0;
  let lastDone = 0;
  const api = (op: Pick<Op, 'kind' | 'channel'>) => (): Promise<void> => {
    calls += 1;
    const limit = op.kind === 'edit' ? SLACK_FAKE_LIMITS.update : SLACK_FAKE_LIMITS.post;
    const v = slack.take(op.kind === 'edit' ? 'update' : `post:${op.channel}`, limit);
    lastDone = clock.now();
    return v.ok ? Promise.resolve() : Promise.reject(new RateLimitedError(v.retryAfterMs));
  };
  const budget = new SendBudget(SLACK_SEND_LIMITS, clock);
  const send = (op: Pick<Op, 'kind' | 'channel' | 'key'>): void => {
    if (budgeted) void budget.submit({ ...op, run: api(op) }).catch(() => undefined);
    else void api(op)().catch(() => undefined);
  };
  const { ops, lines } = workload(seconds);
  for (const op of ops) clock.setTimer(() => send(op), op.at);
  // The follow: budgeted, a batch every 3 s in the thread; naive, one post per line.
  if (budgeted)
    for (let t = 3_000; t <= seconds * 1000; t += 3_000)
      clock.setTimer(() => send({ kind: 'post', channel: 'C0' }), t);
  else for (let i = 0; i < lines; i++) clock.setTimer(() => send({ kind: 'post', channel: 'C0' }), i * 20);
  await clock.run(seconds * 1000 * 10);
  budget.close();
  return {
    calls,
    refused: slack.refused,
    perMinute: (calls - slack.refused) / Math.max(1, lastDone / 60_000),
    drainedS: lastDone / 1000,
  };
};

export interface ChatBudgetFigures {
  readonly budgeted: Outcome;
  readonly naive: Outcome;
}

/** Messages and edits per minute, with and without the send budget, against Slack's real limits (virtual time). */
export const measureChatBudget = async (seconds = 60): Promise<MeasureReport<ChatBudgetFigures>> => {
  const budgeted = await simulate(true, seconds);
  const naive = await simulate(false, seconds);
  const row = (name: string, o: Outcome): string[] => [
    name,
    String(o.calls),
    String(o.refused),
    o.perMinute.toFixed(1),
    o.drainedS.toFixed(1),
  ];
  return {
    tables: [
      {
        title: `Chat sends: 26 attempts + one log follow (50 lines/s for ${seconds} s), Slack limits`,
        columns: [
          { header: 'mode' },
          { header: 'API calls' },
          { header: '429s' },
          { header: 'sent/min' },
          { header: 'last call (s)' },
        ],
        rows: [
          row('send budget (coalesce, 1.1 s/channel, 45 edits/min)', budgeted),
          row('naive (post per line, no budget)', naive),
        ],
        notes: [
          "Virtual time: the real SendBudget against the fakes' own limiter (RateWindows: chat.update 50/min per workspace, 1 post/s per channel).",
        ],
      },
    ],
    figures: { budgeted, naive },
    findings:
      budgeted.refused > 0 ? [`the send budget caused ${budgeted.refused} 429s at Slack's limits`] : [],
  };
};
