import { GitHubTracker } from '../adapters/github/index.js';
import type { RepoRef } from '../core/model/refs.js';
import { startGitHubFake, type GitHubFake } from '../sandbox/github-fake/index.js';
import { buildBenchEngine } from './bench-engine.js';
import { benchClient, THROTTLE_NOTE } from './client.js';
import { ALLOWED_AUTHOR, ITEMS_PER_REPO, seedFarm, type SeededRepo } from './fixture.js';
import type { MeasureReport, Progress } from './report.js';
import { forEachLimit, measureCost, type ScanCost } from './scan-cost.js';
import { int, ms, type Table } from './table.js';

export type ScanMode = 'listing' | 'pass';
export type ScanScenario = 'first scan' | 'idle re-scan' | 'after 1 label change';

export interface ScanRow {
  readonly mode: ScanMode;
  readonly repos: number;
  readonly scenario: ScanScenario;
  readonly k3sc: ScanCost;
  readonly baseline: ScanCost;
}

/** A scanner: something that scans `repos` once, and a fresh one for the baseline. */
type Scan = () => Promise<unknown>;

const listAll = (tracker: GitHubTracker, repos: readonly RepoRef[]): Promise<void> =>
  forEachLimit(repos, 4, (r) => tracker.listWorkItems(r));

/** k3sc keeps one scanner (one tracker, one engine) for all three scans; the baseline builds one per scan. */
const scanners = (
  fake: GitHubFake,
  mode: ScanMode,
  repos: readonly RepoRef[],
): { k3sc: Scan; baseline: Scan } => {
  if (mode === 'listing') {
    const tracker = new GitHubTracker({ client: benchClient(fake) });
    return {
      k3sc: () => listAll(tracker, repos),
      baseline: () => listAll(new GitHubTracker({ client: benchClient(fake) }), repos),
    };
  }
  const bench = buildBenchEngine({ client: benchClient(fake), repos });
  return {
    k3sc: () => bench.engine.pass({ dryRun: true }),
    baseline: () => buildBenchEngine({ client: benchClient(fake), repos }).engine.pass({ dryRun: true }),
  };
};

/** Someone adds `ready` to one plain issue of the first repo; returns how to put it back. */
const labelChange = (fake: GitHubFake, seeded: SeededRepo, pick: number): (() => void) => {
  const n = seeded.plain[pick % seeded.plain.length] ?? 1;
  const before = fake.getIssue(seeded.repo, n)?.labels ?? [];
  fake.applyLabelAs(seeded.repo, n, 'ready', ALLOWED_AUTHOR);
  return () => fake.setLabels(seeded.repo, n, before, ALLOWED_AUTHOR);
};

const threeScans = async (
  fake: GitHubFake,
  scan: Scan,
  seeded: SeededRepo,
  pick: number,
): Promise<ScanCost[]> => {
  const first = await measureCost(fake, scan);
  const idle = await measureCost(fake, scan);
  const revert = labelChange(fake, seeded, pick);
  const changed = await measureCost(fake, scan);
  revert();
  return [first, idle, changed];
};

const SCENARIOS: readonly ScanScenario[] = ['first scan', 'idle re-scan', 'after 1 label change'];

const NOTES: readonly string[] = [
  `Each repo holds ${ITEMS_PER_REPO} open items (5 ready, 10 needs-review, 10 PRs): 2 issue pages of 100 + 1 pulls page.`,
  'k3sc: one shared GitHubTracker (one Octokit, ETag cache) / one Engine for all three scans; a 304 costs no rate limit.',
  'naive: a fresh client and GitHubTracker (and Engine, so no trust cache) for every scan: unconditional listing.',
  'Label change: `ready` added to one plain issue of the first repo by an allowed author (and removed again afterwards).',
  'cost = primary rate-limit points on the fake (every answer but a 304 costs 1); the fake budget is raised so nothing is throttled.',
  `The dispatch pass is a dry run: no claims, so no writes; it adds the trust check (issue events) for every ready issue.`,
  THROTTLE_NOTE,
];

const tableOf = (mode: ScanMode, rows: readonly ScanRow[]): Table => ({
  title:
    mode === 'listing'
      ? '1a. GitHub requests per scan: listing (tracker.listWorkItems over every repo)'
      : '1b. GitHub requests per scan: dispatch pass (Engine.pass dry run = listing + trust checks)',
  columns: [
    { header: 'repos' },
    { header: 'scan', align: 'left' },
    { header: 'k3sc req' },
    { header: '304' },
    { header: 'k3sc cost' },
    { header: 'k3sc ms' },
    { header: 'naive req' },
    { header: 'naive cost' },
    { header: 'naive ms' },
    { header: 'cost saved' },
  ],
  rows: rows
    .filter((r) => r.mode === mode)
    .map((r) => [
      String(r.repos),
      r.scenario,
      int(r.k3sc.requests),
      int(r.k3sc.notModified),
      int(r.k3sc.cost),
      ms(r.k3sc.ms),
      int(r.baseline.requests),
      int(r.baseline.cost),
      ms(r.baseline.ms),
      r.baseline.cost === 0 ? '-' : `${Math.round((1 - r.k3sc.cost / r.baseline.cost) * 100)}%`,
    ]),
});

const findingsOf = (rows: readonly ScanRow[], maxRepos: number): string[] =>
  rows
    .filter((r) => r.repos === maxRepos && r.scenario === 'idle re-scan' && r.k3sc.cost > 0)
    .map(
      (r) =>
        `idle ${r.repos}-repo ${r.mode} re-scan cost ${r.k3sc.cost} primary points (expected 0, all 304): ` +
        `${r.k3sc.requests} requests, ${r.k3sc.notModified} were 304; by route ${JSON.stringify(r.k3sc.byRoute)}`,
    );

/** Measure 1: requests and primary rate-limit cost per scan, k3sc vs. a client without ETags. */
export const measureScanRequests = async (
  scales: readonly number[],
  progress: Progress,
): Promise<MeasureReport<{ rows: ScanRow[] }>> => {
  const fake = await startGitHubFake({ rateLimit: 1_000_000_000 });
  const rows: ScanRow[] = [];
  try {
    const maxRepos = Math.max(...scales);
    const farm = seedFarm(fake, maxRepos);
    const first = farm[0] as SeededRepo;
    let pick = 0;
    for (const mode of ['listing', 'pass'] as const) {
      for (const n of scales) {
        progress(`scan requests: ${mode}, ${n} repos`);
        const repos = farm.slice(0, n).map((s) => s.repo);
        const scan = scanners(fake, mode, repos);
        const k3sc = await threeScans(fake, scan.k3sc, first, pick++);
        const naive = await threeScans(fake, scan.baseline, first, pick++);
        SCENARIOS.forEach((scenario, i) =>
          rows.push({ mode, repos: n, scenario, k3sc: k3sc[i] as ScanCost, baseline: naive[i] as ScanCost }),
        );
      }
    }
    return {
      tables: [tableOf('listing', rows), { ...tableOf('pass', rows), notes: NOTES }],
      figures: { rows },
      findings: findingsOf(rows, maxRepos),
    };
  } finally {
    await fake.close();
  }
};
