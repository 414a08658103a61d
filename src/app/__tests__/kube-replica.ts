import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { viaServer } from '../../adapters/kubernetes/__tests__/proxied-config.js';
import { startTcpProxy } from '../../adapters/kubernetes/__tests__/tcp-proxy.js';
import { parseConfigText } from '../../adapters/config/index.js';
import type { EngineEvent } from '../../core/engine/events.js';
import type { RepoRef } from '../../core/model/refs.js';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import type { GitHubFake } from '../../sandbox/github-fake/index.js';
import { buildFarm, type BuiltFarm } from '../build-farm.js';
import type { LeaderElectionTuning } from '../build-runtime.js';
import { runWhileLeader } from '../leader-gate.js';
import type { Sandbox } from '../sandbox.js';

/**
 * k3sc processes over one API server and one GitHub fake, built the way `serve` and a one-shot
 * CLI build them (buildFarm, runtime.kind kubernetes): each has its own KubeStateStore, runtime,
 * watch caches and work-item cache. A replica talks to the API server through a TCP proxy of its
 * own, so a test can cut its network (a partitioned or crashed pod) without touching the others.
 */
export interface ReplicaWorld {
  readonly kc: KubeConfig;
  readonly namespace: string;
  readonly dir: string;
  readonly github: GitHubFake;
  readonly token: string;
  readonly repo: RepoRef;
  readonly author: string;
  /** Events of every process, in order (attempt-finished, transitions, …). */
  readonly events: (EngineEvent & { by?: string })[];
  readonly logger?: Logger;
  readonly leaderElection?: LeaderElectionTuning;
}

export interface Replica {
  readonly id: string;
  readonly built: BuiltFarm;
  readonly proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  readonly ctl: AbortController;
  /** The serve loop: the engine runs only while this replica leads. */
  readonly loop: Promise<void>;
  isLeader(): boolean;
}

const configFor = (w: ReplicaWorld, kubeconfigFile: string) => {
  const text = [
    `repos: [${w.repo.owner}/${w.repo.name}]`,
    `allowed_authors: [${w.author}]`,
    'max_slots: 2',
    'scan: { min_interval: 5s, max_interval: 10s }',
    'runtime:',
    '  kind: kubernetes',
    '  kubernetes:',
    `    kubeconfig: ${kubeconfigFile}`,
    `    namespace: ${w.namespace}`,
    '    image_pull_policy: Never',
    `data_dir: ${join(w.dir, 'data')}`,
  ].join('\n');
  return parseConfigText(text, { GITHUB_TOKEN: w.token }, join(w.dir, 'k3sc.yaml'), { homeDir: w.dir })
    .config;
};

const sandboxOf = (w: ReplicaWorld): Sandbox => ({
  github: w.github,
  apiUrl: w.github.url,
  token: w.token,
  repo: w.repo,
  issue: 1,
  allowedAuthors: [w.author],
  close: () => Promise.resolve(),
});

let seq = 0;

/** A farm whose API server connection goes through `server` (the API server itself or a proxy). */
export const buildProcess = async (
  w: ReplicaWorld,
  id: string,
  serving: boolean,
  server?: string,
): Promise<BuiltFarm> => {
  const file = join(w.dir, `kubeconfig-${id}-${++seq}`);
  await writeFile(file, (server === undefined ? w.kc : viaServer(w.kc, server)).exportConfig());
  return buildFarm({
    config: configFor(w, file),
    logger: w.logger ?? silentLogger,
    serving,
    sandbox: sandboxOf(w),
    events: [{ emit: (e) => void w.events.push({ ...e, by: id }) }],
    ...(serving ? { leaderElection: { ...w.leaderElection, identity: id } } : {}),
  });
};

/** A serving replica: campaigns for the Lease and runs the engine loop while it leads. */
export const startReplica = async (w: ReplicaWorld, id: string): Promise<Replica> => {
  const proxy = await startTcpProxy(new URL(w.kc.getCurrentCluster()!.server));
  const built = await buildProcess(w, id, true, proxy.url);
  const ctl = new AbortController();
  const gate = built.leader!;
  const loop = runWhileLeader(gate, ctl.signal, (s) => built.engine.run(s), silentLogger);
  return { id, built, proxy, ctl, loop, isLeader: () => gate.isLeader() };
};

/**
 * Ends a replica. `abort`: its root signal aborts at whatever step it is in (SIGTERM: the loop
 * stops, the Lease is released). `partition`: its network is cut first (a crashed node: no
 * release, the Lease must expire), then the process ends.
 */
export const killReplica = async (r: Replica, how: 'abort' | 'partition'): Promise<void> => {
  if (how === 'partition') r.proxy.blackhole(true);
  r.ctl.abort();
  await r.loop.catch(() => undefined);
  await r.built.engine.drained();
  await r.built.close({ runs: 'keep' });
  await r.proxy.close();
};

/** `k3sc dispatch` from a shell: a one-shot process with cold caches, one real pass, then exit. */
export const cliDispatch = async (w: ReplicaWorld, id: string): Promise<number> => {
  const t0 = Date.now();
  const built = await buildProcess(w, id, false);
  try {
    const actor = { id: `cli:${id}`, display: id, role: 'admin' as const };
    const report = await built.farm.api.dispatch({}, { actor, signal: AbortSignal.timeout(60_000) });
    return report.started.length;
  } catch (err) {
    throw new Error(`dispatch ${id} failed after ${Date.now() - t0} ms: ${String(err)}`, { cause: err });
  } finally {
    await built.close({ runs: 'keep' });
  }
};
