import { GitHubTracker } from '../adapters/github/index.js';
import { dashboardReply } from '../bot/render/dashboard-reply.js';
import { renderText } from '../bot/render/text.js';
import type { RepoWorkItems } from '../core/model/work-items.js';
import { buildDashboard, type DashboardInput } from '../core/usecases/dashboard.js';
import { isLive } from '../core/model/attempt.js';
import { repoKey } from '../core/model/refs.js';
import { benchClient } from './client.js';
import type { Heap } from './heap.js';
import type { MeasureReport, Progress } from './report.js';
import type { ScaleSetup } from './scale-setup.js';
import { forEachLimit, measureCost, type ScanCost } from './scan-cost.js';
import { summarize, type Summary } from './stats.js';
import { int, mib, ms, type Table } from './table.js';

export interface TopVariant {
  readonly name: string;
  readonly requestsPerRender: number;
  readonly costPerRender: number;
  readonly ms: Summary;
  readonly outputLines: number;
  readonly outputChars: number;
}

export interface TopFigures {
  readonly repos: number;
  readonly items: number;
  readonly liveAttempts: number;
  readonly leases: number;
  readonly queueEntries: number;
  readonly variants: readonly TopVariant[];
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
  readonly gc: string;
  /** A real (not dry-run) engine.pass() with all of this loaded and nothing changed on GitHub. */
  readonly idlePass: ScanCost;
}

/** Everything buildDashboard reads, read once: what `top` works from once the engine has scanned. */
const loadInput = async (s: ScaleSetup): Promise<DashboardInput> => {
  const { deps } = s.bench;
  const [state, attempts, leases] = await Promise.all([
    deps.store.getDispatchState(),
    deps.store.listAttempts({}),
    deps.store.listLeases(),
  ]);
  const lastLines = new Map<string, string>();
  for (const a of attempts.filter(isLive))
    lastLines.set(a.name, (await deps.runtime.readLog(a.name, { tailLines: 1 })).trim());
  return {
    settings: deps.settings,
    runtime: s.farm.runtimeName,
    state,
    now: deps.clock.now(),
    attempts,
    leases,
    lastLines,
    items: deps.cache.all(deps.settings.repos),
    queue: s.bench.engine.queue(),
  };
};

const render = (input: DashboardInput): string =>
  renderText(dashboardReply(buildDashboard({ ...input, now: new Date() })));

/** Times `fn` `runs` times (after one warm-up); returns per-run ms and the last output. */
const timeRuns = async (
  runs: number,
  fn: () => Promise<string>,
): Promise<{ samples: number[]; out: string }> => {
  let out = await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    out = await fn();
    samples.push(performance.now() - t0);
  }
  return { samples, out };
};

/** The naive `top`: no cache, so every render lists every repository again (fresh client, no ETags). */
const naiveRender = async (s: ScaleSetup, base: DashboardInput): Promise<string> => {
  const tracker = new GitHubTracker({ client: benchClient(s.fake) });
  const byRepo = new Map<string, RepoWorkItems>();
  await forEachLimit(s.repos, 4, async (r) => void byRepo.set(repoKey(r), await tracker.listWorkItems(r)));
  return render({ ...base, items: s.repos.flatMap((r) => byRepo.get(repoKey(r)) ?? []) });
};

const variant = async (
  s: ScaleSetup,
  name: string,
  runs: number,
  fn: () => Promise<string>,
): Promise<TopVariant> => {
  let timed: { samples: number[]; out: string } = { samples: [], out: '' };
  const cost = await measureCost(s.fake, async () => void (timed = await timeRuns(runs, fn)));
  const renders = runs + 1;
  return {
    name,
    requestsPerRender: cost.requests / renders,
    costPerRender: cost.cost / renders,
    ms: summarize(timed.samples),
    outputLines: timed.out.split('\n').length,
    outputChars: timed.out.length,
  };
};

const tableOf = (f: TopFigures): Table => ({
  title: `3. \`top\` at scale: ${f.repos} repos, ${int(f.items)} open items, ${f.liveAttempts} live attempts, ${f.leases} leases`,
  columns: [
    { header: 'variant' },
    { header: 'GitHub req/render' },
    { header: 'cost/render' },
    { header: 'n' },
    { header: 'p50 ms' },
    { header: 'p95 ms' },
    { header: 'max ms' },
    { header: 'lines' },
    { header: 'KiB' },
  ],
  rows: f.variants.map((v) => [
    v.name,
    int(v.requestsPerRender),
    int(v.costPerRender),
    String(v.ms.n),
    ms(v.ms.p50),
    ms(v.ms.p95),
    ms(v.ms.max),
    int(v.outputLines),
    (v.outputChars / 1024).toFixed(0),
  ]),
  notes: [
    'build+render = buildDashboard + renderText(dashboardReply(...)) on inputs already in memory (WorkItemsCache, store, log tails).',
    'loadDashboard = what `top` runs inside `k3sc serve`: store reads, 26 log tails from the runtime, build, render; no GitHub request.',
    'naive = no cache: every render lists all repos again through a fresh client (unconditional, 3 requests per repo), then builds and renders.',
    `Queue shown: ${int(f.queueEntries)} entries (ready and needs-review issues with their reasons); every open PR is a row.`,
    `Idle engine.pass() (real, not dry run) with all of this loaded: ${int(f.idlePass.requests)} requests, ${int(f.idlePass.notModified)} of them 304, cost ${int(f.idlePass.cost)}, ${ms(f.idlePass.ms)} ms.`,
    `Heap used after GC with all of this loaded: ${mib(f.heapUsedBytes)} MiB, RSS ${mib(f.rssBytes)} MiB (the GitHub fake's own state lives in the same process; see table 4). GC: ${f.gc}.`,
  ],
});

/** Measure 3: `top` render time at scale, cached vs. re-listing every repo per render. */
export const measureTop = async (
  s: ScaleSetup,
  runs: { cached: number; naive: number },
  gc: Heap,
  progress: Progress,
): Promise<MeasureReport<TopFigures>> => {
  const input = await loadInput(s);
  progress(`top: ${runs.cached} cached renders, ${runs.naive} naive renders`);
  const controller = new AbortController();
  const variants = [
    await variant(s, 'k3sc: build+render (cached)', runs.cached, () => Promise.resolve(render(input))),
    await variant(s, 'k3sc: loadDashboard + render', runs.cached, async () =>
      renderText(dashboardReply(await s.farm.api.dashboard({ signal: controller.signal }))),
    ),
    await variant(s, 'naive: re-list every repo + render', runs.naive, () => naiveRender(s, input)),
  ];
  const idlePass = await measureCost(s.fake, () => s.bench.engine.pass());
  const mem = gc.sample();
  const figures: TopFigures = {
    repos: s.repos.length,
    items: input.items.reduce((n, r) => n + r.issues.length + r.pulls.length, 0),
    liveAttempts: s.liveAttempts,
    leases: s.leases,
    queueEntries: input.queue.length,
    variants,
    heapUsedBytes: mem.heapUsed,
    rssBytes: mem.rss,
    gc: gc.how,
    idlePass,
  };
  const findings = variants
    .filter((v) => v.name.startsWith('k3sc') && v.requestsPerRender > 0)
    .map((v) => `${v.name} sent ${v.requestsPerRender} GitHub requests per render (expected 0 inside serve)`);
  if (idlePass.cost > 0)
    findings.push(
      `an idle real engine.pass() with 26 live attempts cost ${idlePass.cost} (expected 0): ${JSON.stringify(idlePass.byRoute)}`,
    );
  return { tables: [tableOf(figures)], figures, findings };
};
