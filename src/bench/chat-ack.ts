import { setTimeout as sleep } from 'node:timers/promises';
import { slashInteraction, startDiscordFake } from '../sandbox/discord-fake/index.js';
import { startSlackFake } from '../sandbox/slack-fake/index.js';
import {
  k3scDiscord,
  k3scSlack,
  naiveDiscord,
  naiveSlack,
  WORK_MS,
  type Endpoint,
} from './chat-ack-endpoints.js';
import type { MeasureReport, Progress } from './report.js';
import { percentile, summarize, type Summary } from './stats.js';
import { ms, type Table } from './table.js';

export interface ChatAckOptions {
  /** Slash commands per endpoint (1,000 in a full run). */
  readonly commands: number;
  /** One command every this many ms (an open loop). */
  readonly intervalMs: number;
}

/** Commands sent first and not counted (JIT, Bolt's first auth.test, connection pools). */
const WARMUPS = 20;

type Lane = 'slackK3sc' | 'slackNaive' | 'discordK3sc' | 'discordNaive';

export interface ChatAckFigures {
  readonly workMs: number;
  readonly summaries: Readonly<Record<Lane, Summary & { readonly p99: number }>>;
  readonly non2xx: Readonly<Record<Lane, number>>;
}

/**
 * Sends `n` signed requests (`make(i)`) at a fixed rate, one every `intervalMs`, whether or not
 * the earlier ones were answered (an open loop, as a team typing commands is): both lanes get the
 * same offered load. Returns each request's time to its HTTP answer.
 */
const hammer = async (
  n: number,
  intervalMs: number,
  make: (i: number) => { url: string; body: string; headers: Record<string, string> },
): Promise<{ ms: number[]; bad: number }> => {
  const out: number[] = [];
  let bad = 0;
  const one = async (i: number): Promise<void> => {
    await sleep(i * intervalMs);
    const r = make(i);
    const t0 = performance.now();
    const res = await fetch(r.url, { method: 'POST', body: r.body, headers: r.headers });
    await res.arrayBuffer();
    if (i < WARMUPS) return;
    out.push(performance.now() - t0);
    if (res.status !== 200) bad += 1;
  };
  await Promise.all(Array.from({ length: n + WARMUPS }, (_, i) => one(i)));
  return { ms: out, bad };
};

const withP99 = (xs: readonly number[]): Summary & { p99: number } => ({
  ...summarize(xs),
  p99: percentile(xs, 99),
});

const tableOf = (f: ChatAckFigures, o: ChatAckOptions): Table => {
  const row = (label: string, lane: Lane): string[] => {
    const s = f.summaries[lane];
    return [label, String(s.n), ms(s.p50), ms(s.p99), ms(s.max), String(f.non2xx[lane])];
  };
  return {
    title: 'Chat ack latency (signed slash command POST -> HTTP answer)',
    columns: [
      { header: 'endpoint' },
      { header: 'n' },
      { header: 'p50 ms' },
      { header: 'p99 ms' },
      { header: 'max ms' },
      { header: 'non-200' },
    ],
    rows: [
      row('k3sc: Slack /slack/events (Bolt, ack first)', 'slackK3sc'),
      row('naive: Slack, work then ack', 'slackNaive'),
      row('k3sc: Discord /discord/interactions (deferred first)', 'discordK3sc'),
      row('naive: Discord, work then answer', 'discordNaive'),
    ],
    notes: [
      `${o.commands} slash commands per endpoint, one every ${o.intervalMs} ms (open loop: the next is sent whether or not the last was answered), over loopback, after ${WARMUPS} uncounted warm-ups; each signed like the platform does (Slack v0 HMAC-SHA256, Discord Ed25519) and checked by the endpoint.`,
      `Each command's work is ${WORK_MS} ms of waiting (a GitHub round trip or two); k3sc acks before it and answers afterwards (Slack respond() / Discord edit, against the fakes), the baseline does the work and then answers in the HTTP response.`,
      "Real SDKs: @slack/bolt App with k3sc's receiver; the Discord endpoint with @discordjs/rest follow-ups. Client, endpoints and fakes share one Node process.",
      'Slack wants an answer within 3 s, Discord within 3 s: a baseline whose work is slow (a cold GitHub refresh) misses them, k3sc does not.',
    ],
  };
};

/** Ack latency over each platform's HTTP endpoint, k3sc against the do-the-work-first baseline. */
export const measureChatAck = async (
  o: ChatAckOptions,
  progress: Progress,
): Promise<MeasureReport<ChatAckFigures>> => {
  const slack = await startSlackFake({ signingSecret: 'bench-secret' });
  const discord = await startDiscordFake();
  const endpoints: Endpoint[] = [];
  try {
    const lanes: Record<Lane, { ms: number[]; bad: number }> = {} as Record<
      Lane,
      { ms: number[]; bad: number }
    >;
    for (const [lane, make] of [
      ['slackK3sc', () => k3scSlack('bench-secret', slack.apiUrl)],
      ['slackNaive', () => naiveSlack('bench-secret', slack.apiUrl)],
    ] as const) {
      const ep = await make();
      endpoints.push(ep);
      progress(`chat ack: ${lane}, ${o.commands} commands`);
      lanes[lane] = await hammer(o.commands, o.intervalMs, (i) => {
        const c = slack.slashCommand('top', { trigger_id: `bench-${lane}-${i}` });
        return { url: `${ep.url}/slack/events`, ...c };
      });
    }
    for (const [lane, make] of [
      ['discordK3sc', () => k3scDiscord(discord.keys.publicKeyHex, discord.applicationId, discord.apiUrl)],
      ['discordNaive', () => naiveDiscord(discord.keys.publicKeyHex)],
    ] as const) {
      const ep = await make();
      endpoints.push(ep);
      progress(`chat ack: ${lane}, ${o.commands} commands`);
      lanes[lane] = await hammer(o.commands, o.intervalMs, (i) => {
        const body = JSON.stringify(slashInteraction({ sub: 'top', id: `bench-${lane}-${i}` }));
        return {
          url: ep.url,
          body,
          headers: { 'content-type': 'application/json', ...discord.keys.sign(body) },
        };
      });
    }
    const figures: ChatAckFigures = {
      workMs: WORK_MS,
      summaries: {
        slackK3sc: withP99(lanes.slackK3sc.ms),
        slackNaive: withP99(lanes.slackNaive.ms),
        discordK3sc: withP99(lanes.discordK3sc.ms),
        discordNaive: withP99(lanes.discordNaive.ms),
      },
      non2xx: {
        slackK3sc: lanes.slackK3sc.bad,
        slackNaive: lanes.slackNaive.bad,
        discordK3sc: lanes.discordK3sc.bad,
        discordNaive: lanes.discordNaive.bad,
      },
    };
    const findings = (['slackK3sc', 'discordK3sc'] as const).flatMap((l) => [
      ...(figures.summaries[l].p99 > 1000
        ? [`${l} ack p99 is ${Math.round(figures.summaries[l].p99)} ms, not "well under a second"`]
        : []),
      ...(figures.non2xx[l] > 0 ? [`${l}: ${figures.non2xx[l]} commands were not answered 200`] : []),
    ]);
    return { tables: [tableOf(figures, o)], figures, findings };
  } finally {
    for (const ep of endpoints.reverse()) await ep.close();
    await discord.close();
    await slack.close();
  }
};
