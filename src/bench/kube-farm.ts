import { join } from 'node:path';
import { Watch, type KubeConfig, type V1Job } from '@kubernetes/client-node';
import { parseConfigText } from '../adapters/config/index.js';
import { AGENT_SELECTOR, LABEL } from '../adapters/kubernetes/labels.js';
import type { RepoRef } from '../core/model/refs.js';
import { silentLogger } from '../core/ports/logger.js';
import type { GitHubFake } from '../sandbox/github-fake/index.js';
import { buildFarm, type BuiltFarm } from '../app/build-farm.js';
import type { LeaderElectionTuning } from '../app/build-runtime.js';
import { runWhileLeader } from '../app/leader-gate.js';
import { BENCH_TOKEN } from './client.js';
import { ALLOWED_AUTHOR } from './fixture.js';
import { kubeconfigFile } from './kube-env.js';

export interface KubeFarmOptions {
  readonly kc: KubeConfig;
  readonly namespace: string;
  readonly dir: string;
  readonly id: string;
  readonly fake: GitHubFake;
  readonly repo: RepoRef;
  /** scan.min_interval = max_interval (seconds); default 2m / 1h, k3sc's defaults. */
  readonly pollSeconds?: number;
  readonly leaderElection?: LeaderElectionTuning;
}

/** A serving k3sc replica as `serve` builds it (runtime.kind kubernetes), its loop gated on the Lease. */
export interface KubeReplica {
  readonly built: BuiltFarm;
  isLeader(): boolean;
  /** Ends the process: with `release` false its Lease is left to expire (a crash). */
  stop(): Promise<void>;
  readonly ctl: AbortController;
}

export const startKubeReplica = async (o: KubeFarmOptions): Promise<KubeReplica> => {
  const file = await kubeconfigFile(o.kc, join(o.dir, `kubeconfig-${o.id}`));
  const scan =
    o.pollSeconds === undefined
      ? []
      : [`scan: { min_interval: ${o.pollSeconds}s, max_interval: ${o.pollSeconds}s }`];
  const text = [
    `repos: [${o.repo.owner}/${o.repo.name}]`,
    `allowed_authors: [${ALLOWED_AUTHOR}]`,
    'max_slots: 26',
    ...scan,
    'runtime: { kind: kubernetes, kubernetes: { kubeconfig: KC, namespace: NS } }'
      .replace('KC', file)
      .replace('NS', o.namespace),
    `data_dir: ${join(o.dir, `data-${o.id}`)}`,
  ].join('\n');
  const { config } = parseConfigText(text, { GITHUB_TOKEN: BENCH_TOKEN }, join(o.dir, 'k3sc.yaml'), {
    homeDir: o.dir,
  });
  const built = await buildFarm({
    config,
    logger: silentLogger,
    serving: true,
    sandbox: {
      github: o.fake,
      apiUrl: o.fake.url,
      token: BENCH_TOKEN,
      repo: o.repo,
      issue: 1,
      allowedAuthors: [ALLOWED_AUTHOR],
      close: () => Promise.resolve(),
    },
    leaderElection: { ...o.leaderElection, identity: o.id },
  });
  const ctl = new AbortController();
  const gate = built.leader!;
  const loop = runWhileLeader(gate, ctl.signal, (s) => built.engine.run(s), silentLogger);
  return {
    built,
    ctl,
    isLeader: () => gate.isLeader(),
    stop: async () => {
      ctl.abort();
      await loop.catch(() => undefined);
      await built.engine.drained();
      await built.close({ runs: 'keep' });
    },
  };
};

/** Watches the namespace's agent Jobs; `created(issue)` resolves with the moment one for `issue` appeared. */
export const watchJobs = async (
  kc: KubeConfig,
  namespace: string,
): Promise<{ created(issue: number): Promise<number>; stop(): void }> => {
  const seen = new Map<number, number>();
  const waiters = new Map<number, (t: number) => void>();
  const req = await new Watch(kc).watch(
    `/apis/batch/v1/namespaces/${namespace}/jobs`,
    { labelSelector: AGENT_SELECTOR },
    (type: string, job: V1Job) => {
      if (type !== 'ADDED') return;
      const n = Number(job.metadata?.labels?.[LABEL.issue]);
      const t = performance.now();
      if (!seen.has(n)) seen.set(n, t);
      waiters.get(n)?.(t);
    },
    () => undefined,
  );
  return {
    created: (issue) =>
      new Promise((resolve) => {
        const t = seen.get(issue);
        if (t !== undefined) resolve(t);
        else waiters.set(issue, resolve);
      }),
    stop: () => req.abort(),
  };
};
