import { startTcpProxy } from '../adapters/kubernetes/__tests__/tcp-proxy.js';
import type { LeaderElectionTuning } from '../app/build-runtime.js';
import type { GitHubFake } from '../sandbox/github-fake/index.js';
import { ALLOWED_AUTHOR } from './fixture.js';
import type { BenchCluster } from './kube-env.js';
import { startKubeReplica, watchJobs, type KubeReplica } from './kube-farm.js';
import { sleep } from './owner-label.js';
import type { Progress } from './report.js';

export interface FailoverRun {
  readonly timings: string;
  readonly how: 'crash' | 'sigterm';
  /** Kill → a survivor holds the Lease. */
  readonly electedMs: number;
  /** Kill → the new leader's first side effect (the Job for an issue filed at the kill). */
  readonly firstEffectMs: number;
}

export const PRODUCTION: LeaderElectionTuning = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};
export const SHORT: LeaderElectionTuning = {
  leaseDurationMs: 6_000,
  renewDeadlineMs: 2_000,
  retryPeriodMs: 500,
};

const label = (t: LeaderElectionTuning): string =>
  `${(t.leaseDurationMs ?? 0) / 1000} s / ${(t.renewDeadlineMs ?? 0) / 1000} s / ${(t.retryPeriodMs ?? 0) / 1000} s`;

const until = async (what: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('failover bench: timed out');
    await sleep(20);
  }
};

/**
 * Three replicas (each through a TCP proxy of its own) elect a leader; the leader is killed —
 * `crash`: its network is cut and it never releases the Lease; `sigterm`: it stops cleanly and
 * releases it — and an issue is filed at that moment. Measured: kill → new leader, and kill →
 * the new leader's first side effect (the issue's Job on the API server).
 */
export const failoverOnce = async (
  env: BenchCluster,
  fake: GitHubFake,
  dir: string,
  run: { id: string; timings: LeaderElectionTuning; how: 'crash' | 'sigterm' },
  progress: Progress,
): Promise<FailoverRun> => {
  const repo = { owner: 'bench', name: `failover-${run.id}` };
  fake.addRepo(repo);
  const namespace = await env.namespace(`bench-failover-${run.id}`);
  const jobs = await watchJobs(env.kc, namespace);
  const replicas: { r: KubeReplica; proxy: Awaited<ReturnType<typeof startTcpProxy>> }[] = [];
  try {
    for (const x of ['a', 'b', 'c']) {
      const proxy = await startTcpProxy(new URL(env.cluster.server));
      const r = await startKubeReplica({
        kc: env.configFor(proxy.url),
        namespace,
        dir,
        id: `${run.id}-${x}`,
        fake,
        repo,
        leaderElection: run.timings,
      });
      replicas.push({ r, proxy });
    }
    await until(() => replicas.some((x) => x.r.isLeader()), 60_000);
    await sleep(3_000); // settled: first scan done, a few renewals
    const victim = replicas.find((x) => x.r.isLeader())!;
    const rest = replicas.filter((x) => x !== victim);
    const t0 = performance.now();
    if (run.how === 'crash') victim.proxy.blackhole(true);
    const stopped = victim.r.stop();
    const n = fake.addIssue(repo, { title: 'filed at the kill', author: ALLOWED_AUTHOR, labels: ['ready'] });
    for (const x of rest) x.r.built.engine.trigger(repo); // the webhook, delivered to a follower
    await until(() => rest.some((x) => x.r.isLeader()), 60_000);
    const electedMs = performance.now() - t0;
    const firstEffectMs = (await jobs.created(n)) - t0;
    await stopped;
    progress(`kube failover (${label(run.timings)}, ${run.how}): ${Math.round(firstEffectMs)} ms`);
    return { timings: label(run.timings), how: run.how, electedMs, firstEffectMs };
  } finally {
    jobs.stop();
    for (const x of replicas) {
      await x.r.stop().catch(() => undefined);
      await x.proxy.close();
    }
  }
};
