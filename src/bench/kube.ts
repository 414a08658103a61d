import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubFake } from '../sandbox/github-fake/index.js';
import { BENCH_TOKEN } from './client.js';
import { kubeBinDir, startBenchCluster } from './kube-env.js';
import { failoverOnce, PRODUCTION, SHORT, type FailoverRun } from './kube-failover.js';
import { idleRequests, type IdleCounts, type IdleFigures } from './kube-idle.js';
import { pollingToJob, webhookToJob } from './kube-latency.js';
import type { MeasureReport, Progress } from './report.js';
import { percentile, summarize } from './stats.js';
import { ms, type Table } from './table.js';

export interface KubeFigures {
  readonly skipped?: string;
  readonly webhookToJobMs?: readonly number[];
  readonly pollingToJobMs?: readonly number[];
  readonly pollSeconds?: number;
  readonly idle?: IdleFigures;
  readonly failover?: readonly FailoverRun[];
}

export interface KubeOptions {
  readonly reps: number;
  readonly pollReps: number;
  readonly pollSeconds: number;
  readonly idleSeconds: number;
  readonly failoverRuns: readonly { timings: typeof PRODUCTION; how: 'crash' | 'sigterm' }[];
}

const latencyRow = (name: string, xs: readonly number[]): string[] => {
  const s = summarize(xs);
  return [name, String(s.n), ms(s.p50), ms(percentile(xs, 99)), ms(s.max)];
};

const idleRow = (name: string, c: IdleCounts): string[] => [
  name,
  String(c.total),
  String(c.watch),
  String(c.get),
  String(c.write),
];

const tables = (f: Required<Omit<KubeFigures, 'skipped'>>, o: KubeOptions): Table[] => [
  {
    title: 'K1. Kubernetes: signed webhook -> agent Job on the API server',
    columns: [
      { header: 'intake' },
      { header: 'n' },
      { header: 'p50 ms' },
      { header: 'p99 ms' },
      { header: 'max ms' },
    ],
    rows: [
      latencyRow('k3sc: webhook -> engine.trigger -> AgentJob + Job', f.webhookToJobMs),
      latencyRow(`naive: polling GitHub every ${f.pollSeconds} s`, f.pollingToJobMs),
    ],
    notes: [
      'One leading replica built as serve builds it (runtime.kind kubernetes, KubeStateStore, leader election), a real kube-apiserver + etcd on loopback, the GitHub fake.',
      "Time: from the POST of the signed issues.labeled delivery to the Job's ADDED watch event (the attempt record, SlotClaim, owner label and Job all written before).",
      `Polling: the same replica without webhooks, scan.min_interval = max_interval = ${f.pollSeconds} s (the config's minimum); each issue is filed at a random moment. p99 of ${o.reps} samples is close to the max.`,
    ],
  },
  {
    title: `K2. Kubernetes: API server requests per minute, idle (${f.idle.windowSeconds} s window, one replica)`,
    columns: [
      { header: 'client' },
      { header: 'req/min' },
      { header: 'watches' },
      { header: 'gets/lists' },
      { header: 'writes' },
    ],
    rows: [
      idleRow('k3sc replica (watch-based runtime + store, leader)', f.idle.k3sc),
      idleRow('  of which: leader election alone (15/10/2 s)', f.idle.electionOnly),
      idleRow(
        `naive: same election + poll Jobs, pods, AgentJobs every ${f.idle.pollSeconds} s`,
        f.idle.polling,
      ),
    ],
    notes: [
      'Each client behind its own counting HTTP proxy in front of the API server; a watch counts once, when it starts (they run for up to 5 min).',
      'The idle k3sc engine loop also scans on its idle back-off (2 min, doubling to 1 h): its store reads add a few requests per scan, not per minute.',
    ],
  },
  {
    title: 'K3. Kubernetes: failover when the leader dies (three replicas)',
    columns: [
      { header: 'timings (lease / renew / retry)' },
      { header: 'kill' },
      { header: 'new leader ms' },
      { header: 'first side effect ms' },
    ],
    rows: f.failover.map((r) => [r.timings, r.how, ms(r.electedMs), ms(r.firstEffectMs)]),
    notes: [
      "crash: the leader's connection is cut (TCP proxy) and it never releases the Lease, which must expire: expected lease duration + up to 1.2 retry periods after the last renewal it saw.",
      'sigterm: the leader stops its loop and releases the Lease; a follower takes it at its next retry.',
      "First side effect: the Job for an issue filed at the moment of the kill (the new leader's first pass). One run per row.",
      "Naive baseline: a single replica (no standby) is down until Kubernetes restarts it — the pod's restart, image start and k3sc start-up; not measurable without a kubelet here.",
    ],
  },
];

/** The Kubernetes figures against a real kube-apiserver (skipped, saying so, without the binaries). */
export const measureKube = async (
  o: KubeOptions,
  progress: Progress,
): Promise<MeasureReport<KubeFigures>> => {
  const bin = kubeBinDir();
  if (bin === undefined) {
    const skipped =
      'skipped: no etcd/kube-apiserver in /var/cache/k3sc-kube (run scripts/kube/build.sh once, or set K3SC_KUBE_CACHE)';
    progress(`kube: ${skipped}`);
    return {
      tables: [{ title: `K. Kubernetes figures ${skipped}`, columns: [], rows: [] }],
      figures: { skipped },
      findings: [],
    };
  }
  const env = await startBenchCluster(bin);
  const fake = await startGitHubFake({ rateLimit: 1_000_000_000, tokens: { [BENCH_TOKEN]: 'k3sc-bot' } });
  const dir = await mkdtemp(join(tmpdir(), 'k3sc-bench-kube-'));
  try {
    const webhookToJobMs = await webhookToJob(env, fake, dir, { reps: o.reps, warmups: 2 }, progress);
    const pollingToJobMs = await pollingToJob(
      env,
      fake,
      dir,
      { reps: o.pollReps, pollSeconds: o.pollSeconds },
      progress,
    );
    const idle = await idleRequests(
      env,
      fake,
      dir,
      { windowSeconds: o.idleSeconds, pollSeconds: 2 },
      progress,
    );
    const failover: FailoverRun[] = [];
    for (const [i, run] of o.failoverRuns.entries())
      failover.push(await failoverOnce(env, fake, dir, { id: `f${i}`, ...run }, progress));
    const figures = { webhookToJobMs, pollingToJobMs, pollSeconds: o.pollSeconds, idle, failover };
    const findings = failover
      .filter((r) => r.timings.startsWith('15 s') && r.how === 'crash' && r.firstEffectMs > 20_000)
      .map(
        (r) => `failover after a crash took ${Math.round(r.firstEffectMs)} ms, over the spec's "about 20 s"`,
      );
    return { tables: tables(figures, o), figures, findings };
  } finally {
    await fake.close();
    await env.stop();
    await rm(dir, { recursive: true, force: true });
  }
};

export const KUBE_DEFAULTS = (quick: boolean): KubeOptions => ({
  reps: quick ? 8 : 20, // + 2 warm-ups within max_slots 26: the Jobs never end (no kubelet)
  pollReps: quick ? 3 : 8,
  pollSeconds: 5,
  idleSeconds: quick ? 20 : 60,
  failoverRuns: [
    { timings: PRODUCTION, how: 'crash' },
    { timings: PRODUCTION, how: 'sigterm' },
    ...(quick
      ? []
      : [
          { timings: SHORT, how: 'crash' as const },
          { timings: SHORT, how: 'crash' as const },
        ]),
  ],
});
