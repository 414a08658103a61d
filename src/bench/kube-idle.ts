import { BatchV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { LeaderElector } from '../adapters/kubernetes/leader-election.js';
import { AGENT_SELECTOR } from '../adapters/kubernetes/labels.js';
import type { GitHubFake } from '../sandbox/github-fake/index.js';
import { startCountingProxy, type BenchCluster } from './kube-env.js';
import { startKubeReplica } from './kube-farm.js';
import { sleep } from './owner-label.js';
import type { Progress } from './report.js';

export interface IdleCounts {
  readonly total: number;
  readonly watch: number;
  readonly get: number;
  readonly write: number;
}

/** Requests per minute of each client over the same idle window. */
export interface IdleFigures {
  readonly windowSeconds: number;
  readonly pollSeconds: number;
  readonly k3sc: IdleCounts;
  readonly electionOnly: IdleCounts;
  readonly polling: IdleCounts;
}

const perMinute = (c: IdleCounts, seconds: number): IdleCounts => {
  const f = 60 / seconds;
  return {
    total: Math.round(c.total * f),
    watch: Math.round(c.watch * f),
    get: Math.round(c.get * f),
    write: Math.round(c.write * f),
  };
};

/**
 * An idle farm (no issues) for `windowSeconds`, three clients side by side, each behind its own
 * counting proxy: a k3sc replica (leader election + Job/pod watches + its idle engine loop), the
 * leader election alone, and a naive operator that has the same election and polls Jobs, pods
 * and AgentJobs every `pollSeconds` instead of watching them.
 */
export const idleRequests = async (
  env: BenchCluster,
  fake: GitHubFake,
  dir: string,
  o: { windowSeconds: number; pollSeconds: number },
  progress: Progress,
): Promise<IdleFigures> => {
  const repo = { owner: 'bench', name: 'kube-idle' };
  fake.addRepo(repo);
  const proxies = await Promise.all([1, 2, 3].map(() => startCountingProxy(env.cluster)));
  const [pK3sc, pElection, pPolling] = proxies as [
    (typeof proxies)[0],
    (typeof proxies)[0],
    (typeof proxies)[0],
  ];
  const ns = await Promise.all(['bench-idle', 'bench-election', 'bench-poll'].map((n) => env.namespace(n)));
  const replica = await startKubeReplica({
    kc: env.configFor(pK3sc.url),
    namespace: ns[0]!,
    dir,
    id: 'idle',
    fake,
    repo,
  });
  const ctl = new AbortController();
  const electors = [pElection, pPolling].map((p, i) =>
    new LeaderElector({
      kubeConfig: env.configFor(p.url),
      namespace: ns[i + 1]!,
      identity: `bench-${i}`,
    }).run(ctl.signal),
  );
  const naive = env.configFor(pPolling.url);
  const [batch, core, custom] = [
    naive.makeApiClient(BatchV1Api),
    naive.makeApiClient(CoreV1Api),
    naive.makeApiClient(CustomObjectsApi),
  ];
  const namespace = ns[2]!;
  const poll = (async () => {
    while (!ctl.signal.aborted) {
      await Promise.all([
        batch.listNamespacedJob({ namespace, labelSelector: AGENT_SELECTOR }),
        core.listNamespacedPod({ namespace, labelSelector: AGENT_SELECTOR }),
        custom.listNamespacedCustomObject({
          group: 'k3sc.dev',
          version: 'v1',
          namespace,
          plural: 'agentjobs',
        }),
      ]).catch(() => undefined);
      await sleep(o.pollSeconds * 1000);
    }
  })();
  try {
    await sleep(5_000); // everyone has listed, started its watches and taken its Lease
    for (const p of proxies) p.reset();
    await sleep(o.windowSeconds * 1000);
    const [a, b, c] = proxies.map((p) => perMinute(p.counts(), o.windowSeconds));
    progress(`kube idle requests: ${o.windowSeconds} s window measured`);
    return {
      windowSeconds: o.windowSeconds,
      pollSeconds: o.pollSeconds,
      k3sc: a!,
      electionOnly: b!,
      polling: c!,
    };
  } finally {
    ctl.abort();
    await Promise.all([...electors, poll]);
    await replica.stop();
    for (const p of proxies) await p.close();
  }
};
