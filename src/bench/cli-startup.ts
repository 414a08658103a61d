import { measureForwarded, type ForwardFigures } from './cli-forward.js';
import { measureOneShotTop, type OneShotFigures, type OneShotSample } from './cli-oneshot.js';
import { startCliRunner, type CliRun } from './cli-process.js';
import type { MeasureReport, Progress } from './report.js';
import { median, p95 } from './stats.js';
import { int, ms, type Table } from './table.js';

export interface CliFigures {
  readonly oneShot: OneShotFigures;
  readonly forwarded: ForwardFigures;
}

export interface CliOptions {
  readonly repos: number;
  readonly oneShotReps: number;
  readonly forwardReps: number;
}

const mid = (xs: readonly number[]): number => median(xs);

const oneShotRow = (label: string, xs: readonly OneShotSample[]): string[] => [
  label,
  String(xs.length),
  int(mid(xs.map((x) => x.requests))),
  int(mid(xs.map((x) => x.notModified))),
  int(mid(xs.map((x) => x.cost))),
  ms(mid(xs.map((x) => x.wallMs))),
  ms(p95(xs.map((x) => x.wallMs))),
  ms(mid(xs.map((x) => x.cpuMs))),
  mid(xs.map((x) => x.maxRssMiB)).toFixed(1),
];

const runRow = (label: string, xs: readonly CliRun[]): string[] => [
  label,
  String(xs.length),
  ms(mid(xs.map((x) => x.wallMs))),
  ms(p95(xs.map((x) => x.wallMs))),
  ms(mid(xs.map((x) => x.cpuMs))),
  mid(xs.map((x) => x.maxRssMiB)).toFixed(1),
];

const byRouteNote = (xs: readonly OneShotSample[]): string =>
  Object.entries(xs[xs.length - 1]?.byRoute ?? {})
    .map(([route, n]) => `${route.replace('GET /repos/{owner}/{repo}', '…')} ${n}`)
    .join(', ');

const tablesOf = (f: CliFigures): Table[] => [
  {
    title: `5a. One-shot \`k3sc top --once\` at ${f.oneShot.repos} repos (separate processes, GitHub fake)`,
    columns: [
      { header: 'variant' },
      { header: 'n' },
      { header: 'requests' },
      { header: '304' },
      { header: 'cost' },
      { header: 'wall p50 ms' },
      { header: 'wall p95 ms' },
      { header: 'CPU p50 ms' },
      { header: 'max RSS MiB' },
    ],
    rows: [
      oneShotRow('baseline: no cache file (every run before)', f.oneShot.cold),
      oneShotRow('k3sc: cache/github.json from the last run', f.oneShot.persisted),
    ],
    notes: [
      `${f.oneShot.repos} repos x 200 open items (5 ready, 10 needs-review, 10 PRs each); the real bin/k3sc.js with GITHUB_TOKEN, config api_url at the fake.`,
      `Baseline requests by route: ${byRouteNote(f.oneShot.cold)}.`,
      `With the cache: ${byRouteNote(f.oneShot.persisted)} (the login lookup, then every issue page answers 304).`,
      `Cache file after the runs: ${(f.oneShot.cacheFileBytes / 1024 / 1024).toFixed(1)} MiB (ETag pages, PR branches, write access, trust verdicts; no token).`,
      'CPU = user + system time of the child (process.cpuUsage at exit); RSS = its peak (resourceUsage().maxRSS).',
    ],
  },
  {
    title: `5b. A command forwarded to a running serve (\`k3sc ${f.forwarded.argv.join(' ')}\`)`,
    columns: [
      { header: 'start-up' },
      { header: 'n' },
      { header: 'wall p50 ms' },
      { header: 'wall p95 ms' },
      { header: 'CPU p50 ms' },
      { header: 'max RSS MiB' },
    ],
    rows: [
      runRow('floor: node with an empty script', f.forwarded.bareNode),
      runRow('baseline: main() with every module', f.forwarded.full),
      runRow('k3sc: lean path (bin/k3sc.js)', f.forwarded.lean),
    ],
    notes: [
      'A real `k3sc serve` (sandbox mode) runs in its own process; each row spawns a fresh CLI process per call, interleaved.',
      'baseline = dist/bench/full-main.js: main() itself (config pipeline, Octokit, lowdb, pino, zod…) then the same forward; it already uses node:http, so it is slightly lighter than the old fetch-based client.',
      'lean = bin/k3sc.js: commander + the command grammar + node:http; the serve validates the arguments.',
    ],
  },
];

const findingsOf = (f: CliFigures): string[] => {
  const out: string[] = [];
  const cold = mid(f.oneShot.cold.map((x) => x.requests));
  const warm = mid(f.oneShot.persisted.map((x) => x.requests));
  if (warm >= cold) out.push(`a persisted cache did not cut one-shot requests (${warm} vs ${cold})`);
  if (mid(f.oneShot.persisted.map((x) => x.cost)) > 1 + 0)
    out.push('an unchanged farm cost more than the login lookup with a persisted cache');
  const lean = mid(f.forwarded.lean.map((x) => x.cpuMs));
  const full = mid(f.forwarded.full.map((x) => x.cpuMs));
  if (lean >= full)
    out.push(`the lean path used as much CPU as the full start-up (${ms(lean)} vs ${ms(full)} ms)`);
  return out;
};

/** Measure 5: the CLI as separate processes: one-shot `top --once`, and a command forwarded to serve. */
export const measureCli = async (
  opts: CliOptions,
  progress: Progress,
): Promise<MeasureReport<CliFigures>> => {
  const runner = await startCliRunner();
  try {
    const oneShot = await measureOneShotTop(runner, { repos: opts.repos, reps: opts.oneShotReps }, progress);
    const forwarded = await measureForwarded(runner, { reps: opts.forwardReps }, progress);
    const figures = { oneShot, forwarded };
    return { tables: tablesOf(figures), figures, findings: findingsOf(figures) };
  } finally {
    await runner.close();
  }
};
