import { DashboardFeed } from '../app/web/dashboard-feed.js';
import type { MeasureReport, Progress } from './report.js';
import type { Table } from './table.js';
import { VirtualClock } from './virtual-clock.js';

/** One scenario: engine events over one simulated minute, as times (ms from the start) of bursts. */
interface Scenario {
  readonly name: string;
  readonly running: number;
  /** Each burst: when, and how many events arrive together. */
  readonly bursts: readonly { readonly at: number; readonly events: number }[];
  readonly subscribers: number;
}

interface Row {
  readonly scenario: string;
  readonly events: number;
  readonly pushed: { readonly renders: number; readonly frames: number };
  readonly tick: { readonly renders: number; readonly frames: number };
}

const MINUTE = 60_000;

/**
 * 26 attempts of 5 minutes each, staggered: about 5 start and 5 finish a minute; a start is
 * `transition` ×2 + `attempt-started`, a finish `attempt-finished` + `transition` ×2 (3 events
 * a few ms apart), plus a scan that changed something every 10 s.
 */
const busy = (running: number): Scenario['bursts'] => {
  const out: { at: number; events: number }[] = [];
  const every = (5 * MINUTE) / running; // one attempt ends (and the next starts) this often
  for (let t = every / 2; t < MINUTE; t += every) out.push({ at: t, events: 3 }, { at: t + 400, events: 3 });
  for (let t = 5_000; t < MINUTE; t += 10_000) out.push({ at: t, events: 1 });
  return out.sort((a, b) => a.at - b.at);
};

const SCENARIOS: readonly Scenario[] = [
  { name: 'idle, 1 page open', running: 0, bursts: [], subscribers: 1 },
  { name: '26 running attempts, 1 page open', running: 26, bursts: busy(26), subscribers: 1 },
  {
    name: '26 attempts end at once (storm), 1 page',
    running: 26,
    bursts: Array.from({ length: 78 }, (_, i) => ({ at: 20_000 + i * 10, events: 1 })),
    subscribers: 1,
  },
  { name: '26 running attempts, no page open', running: 26, bursts: busy(26), subscribers: 0 },
];

/**
 * Renders and frames of one simulated minute. The fragment shows durations (whole seconds)
 * while anything runs, so a render then always differs and is sent; idle, it repeats and is not.
 */
const simulate = async (
  s: Scenario,
  mode: 'pushed' | 'tick',
): Promise<{ renders: number; frames: number }> => {
  const clock = new VirtualClock();
  let version = 0;
  const feed = new DashboardFeed(
    () => Promise.resolve(`v${version}${s.running ? ` t${Math.floor(clock.now() / 1000)}` : ''}`),
    // The old feed: a render every 2 s while someone listens, deaf to events.
    mode === 'tick' ? { clock, safetyMs: 2_000 } : { clock },
  );
  const offs = Array.from({ length: s.subscribers }, () => feed.subscribe(() => undefined));
  for (const b of s.bursts) {
    await clock.advance(b.at - clock.now());
    version++;
    if (mode === 'pushed') for (let i = 0; i < b.events; i++) feed.changed();
  }
  await clock.advance(MINUTE - clock.now());
  const out = { renders: feed.renders, frames: feed.seq };
  for (const off of offs) off();
  return out;
};

/**
 * 6. The dashboard's renders per minute, pushed by engine events (coalesced to one per 500 ms,
 * a 15 s safety tick, nothing without a subscriber) against the old fixed 2 s re-render, in
 * simulated time (the real DashboardFeed on a virtual clock), side by side in one run.
 */
export const measureDashboardPush = async (progress: Progress): Promise<MeasureReport<{ rows: Row[] }>> => {
  progress('web dashboard: pushed renders vs the 2 s tick (simulated minute)');
  const rows: Row[] = [];
  for (const s of SCENARIOS)
    rows.push({
      scenario: s.name,
      events: s.bursts.reduce((n, b) => n + b.events, 0),
      pushed: await simulate(s, 'pushed'),
      tick: await simulate(s, 'tick'),
    });
  const table: Table = {
    title: '6. Dashboard renders per minute: pushed by engine events vs the old 2 s tick',
    columns: [
      { header: 'scenario' },
      { header: 'events/min' },
      { header: 'pushed renders' },
      { header: 'pushed frames' },
      { header: '2 s tick renders' },
      { header: '2 s tick frames' },
    ],
    rows: rows.map((r) => [
      r.scenario,
      String(r.events),
      String(r.pushed.renders),
      String(r.pushed.frames),
      String(r.tick.renders),
      String(r.tick.frames),
    ]),
    notes: [
      'one simulated minute on a virtual clock through the real DashboardFeed; a render is one dashboard() read and HTML build, shared by every open page',
      'frames: renders whose fragment changed, each sent to every open page (while attempts run the durations change every second)',
      'pushed: a burst waits 50 ms, at most one render per 500 ms, a safety render 15 s after the last one',
    ],
  };
  const findings = rows
    .filter((r) => r.pushed.renders > r.tick.renders)
    .map(
      (r) =>
        `${r.scenario}: pushed rendered more (${r.pushed.renders}) than the 2 s tick (${r.tick.renders})`,
    );
  return { tables: [table], figures: { rows }, findings };
};
