import { webApi } from '@slack/bolt';
import { slackOutbox } from '../adapters/chat/slack/slack-outbox.js';
import { textReply } from '../bot/reply.js';
import { startSlackFake, type SlackFake } from '../sandbox/slack-fake/index.js';
import type { MeasureReport } from './report.js';

export interface LiveOutcome {
  readonly posts: number;
  readonly edits: number;
  readonly refused: number;
  readonly postsPerMin: number;
  readonly editsPerMin: number;
  /** Budgeted only: operations still queued when the window closed (the rest of the work). */
  readonly backlog: number;
}

const counted = (fake: SlackFake, seconds: number, backlog: number): LiveOutcome => {
  const posts = fake.messages.length;
  const edits = fake.messages.reduce((n, m) => n + m.edits, 0);
  return {
    posts,
    edits,
    refused: fake.refused(),
    postsPerMin: (posts * 60) / seconds,
    editsPerMin: (edits * 60) / seconds,
    backlog,
  };
};

type Sink = {
  post(channel: string, thread: string | undefined, text: string): Promise<string>;
  edit(channel: string, ts: string, text: string): Promise<void>;
};

/**
 * 26 attempts over 3 channels (a root each, 4 state edits, 3 thread replies) started across the
 * first half of the window, and one follow of an agent writing 50 lines/s into attempt 0's
 * thread: `batchMs` > 0 gathers lines per batch (the budgeted follow), 0 posts every line.
 */
const drive = async (sink: Sink, seconds: number, batchMs: number): Promise<void> => {
  const ms = seconds * 1000;
  const timers: NodeJS.Timeout[] = [];
  const at = (t: number, fn: () => Promise<unknown>): void =>
    void timers.push(setTimeout(() => void fn().catch(() => undefined), t));
  const roots: Promise<string>[] = [];
  for (let i = 0; i < 26; i++) {
    const channel = `C${i % 3}`;
    const t0 = (i * ms) / 2 / 26;
    const root = new Promise<string>((resolve) =>
      at(t0, async () => resolve(await sink.post(channel, undefined, `attempt ${i} · claimed`))),
    );
    roots.push(root);
    for (let s = 1; s <= 4; s++)
      at(t0 + (s * ms) / 10, async () => sink.edit(channel, await root, `attempt ${i} · ${s}`));
    for (let s = 1; s <= 3; s++)
      at(t0 + ms / 2 + s * 200, async () => sink.post(channel, await root, `result ${s}`));
  }
  let line = 0;
  if (batchMs > 0)
    for (let t = batchMs; t <= ms; t += batchMs)
      at(t, async () => sink.post('C0', await roots[0], `lines ${(line += 150)}`));
  else
    for (let t = 0; t < ms; t += 20)
      at(t, async () => sink.post('C0', await roots[0], `line ${(line += 1)}`));
  await new Promise((r) => setTimeout(r, ms));
  for (const t of timers) clearTimeout(t);
};

/**
 * The send budget in real time: the real Slack outbox (WebClient, SendBudget) against the Slack
 * fake at its real limits for `seconds`, side by side (at the same time, on a second fake) with
 * the naive baseline — a plain WebClient that posts each log line and sends every edit at once.
 */
export const measureChatBudgetLive = async (
  seconds = 20,
): Promise<MeasureReport<{ budgeted: LiveOutcome; naive: LiveOutcome }>> => {
  const [a, b] = await Promise.all([
    startSlackFake({ signingSecret: 'a' }),
    startSlackFake({ signingSecret: 'b' }),
  ]);
  const outbox = slackOutbox({ botToken: 'xoxb-bench', apiUrl: a.apiUrl });
  let queued = 0;
  const track = <T>(p: Promise<T>): Promise<T> => {
    queued += 1;
    return p.finally(() => (queued -= 1));
  };
  const budgeted: Sink = {
    post: async (channel, thread, text) =>
      (await track(outbox.post({ channel, ...(thread ? { thread } : {}) }, textReply('k3sc', text)))).id,
    edit: (channel, ts, text) => track(outbox.edit({ channel, id: ts }, textReply('k3sc', text))),
  };
  const client = new webApi.WebClient('xoxb-bench', {
    slackApiUrl: b.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  const naive: Sink = {
    post: async (channel, thread, text) =>
      (await client.chat.postMessage({ channel, text, ...(thread ? { thread_ts: thread } : {}) })).ts ?? '',
    edit: async (channel, ts, text) => void (await client.chat.update({ channel, ts, text })),
  };
  await Promise.all([drive(budgeted, seconds, 3_000), drive(naive, seconds, 0)]);
  const figures = { budgeted: counted(a, seconds, queued), naive: counted(b, seconds, 0) };
  outbox.close();
  await Promise.all([a.close(), b.close()]);
  const row = (name: string, o: LiveOutcome): string[] => [
    name,
    o.postsPerMin.toFixed(1),
    o.editsPerMin.toFixed(1),
    String(o.refused),
    String(o.backlog),
  ];
  return {
    tables: [
      {
        title: `Chat sends in real time (${seconds} s): 26 attempts + one log follow at 50 lines/s, Slack fake at its real limits`,
        columns: [
          { header: 'mode' },
          { header: 'messages/min' },
          { header: 'edits/min' },
          { header: '429s' },
          { header: 'queued at end' },
        ],
        rows: [
          row('send budget (real outbox)', figures.budgeted),
          row('naive (post per line, edit at once)', figures.naive),
        ],
        notes: [
          'Both run at the same time, each against its own fake; rates count what the fake accepted in the window.',
        ],
      },
    ],
    figures,
    findings:
      figures.budgeted.refused > 0
        ? [`the send budget caused ${figures.budgeted.refused} 429s in real time`]
        : [],
  };
};
