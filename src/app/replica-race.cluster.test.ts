import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playKubelet } from '../adapters/kubernetes/__tests__/play-kubelet.js';
import { testKubeConfig, testNamespace } from '../adapters/kubernetes/__tests__/test-kube.js';
import { KubeStateStore } from '../adapters/kubernetes/store/index.js';
import type { RepoRef } from '../core/model/refs.js';
import { installCrds } from '../testing/kube/kube-test-env.js';
import { startGitHubFake, type GitHubFake } from '../sandbox/github-fake/index.js';
import { failoverRounds } from './__tests__/failover-rounds.js';
import type { ReplicaWorld } from './__tests__/kube-replica.js';
import { raceLane } from './__tests__/race-lane.js';

/**
 * Three k3sc replicas (farms built as `serve` builds them: each its own KubeStateStore, runtime,
 * watch caches and work-item cache) and one-shot `k3sc dispatch` processes race on the same
 * ready issues over one real API server and the GitHub fake. Then the leader is killed at random
 * points while issues are in flight, and the survivors must finish every one of them.
 */
const kc = testKubeConfig();
const TOKEN = 'ghp_replica_race_bot_token_000';
const TRIALS = Number(process.env['K3SC_RACE_TRIALS'] ?? 200);
const LANES = 4; // independent namespaces and repositories racing side by side
const ISSUES_PER_TRIAL = 3; // max_slots is 2: one issue must stay ready every trial

let dir: string;
let github: GitHubFake;
const namespaces: Awaited<ReturnType<typeof testNamespace>>[] = [];
const stores: KubeStateStore[] = [];

beforeAll(async () => {
  await installCrds(kc);
  dir = await mkdtemp(join(tmpdir(), 'k3sc-race-'));
  // Hundreds of passes in a few minutes: far past GitHub's 5,000 an hour, which is not what is tested.
  github = await startGitHubFake({ tokens: { [TOKEN]: 'k3sc-bot' }, rateLimit: 1_000_000_000 });
}, 60_000);
afterAll(async () => {
  for (const s of stores) await s.close();
  await github?.close();
  for (const n of namespaces) await n.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A namespace (with the agents' service account) and a repository of its own. */
const worldFor = async (lane: string): Promise<{ world: ReplicaWorld; admin: KubeStateStore }> => {
  const ns = await testNamespace(kc, `race-${lane}`);
  namespaces.push(ns);
  await kc
    .makeApiClient(CoreV1Api)
    .createNamespacedServiceAccount({ namespace: ns.name, body: { metadata: { name: 'k3sc-agent' } } });
  const repo: RepoRef = { owner: 'acme', name: `widgets-${lane}` };
  github.addRepo(repo);
  const admin = new KubeStateStore({ kubeConfig: kc, namespace: ns.name });
  stores.push(admin);
  const world: ReplicaWorld = {
    kc,
    namespace: ns.name,
    dir,
    github,
    token: TOKEN,
    repo,
    author: 'alice',
    events: [],
    // renew deadline + the engine's 3 s shutdown grace < lease duration, as in production
    leaderElection: { leaseDurationMs: 6_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 },
  };
  return { world, admin };
};

const seeder =
  (repo: RepoRef) =>
  (n: number): number[] =>
    Array.from({ length: n }, (_, i) => {
      const number = github.addIssue(repo, { title: `race ${i}`, author: 'alice' });
      github.applyLabelAs(repo, number, 'ready', 'alice');
      return number;
    });

describe('three replicas and CLI dispatches racing on one API server', () => {
  it(`give each issue one AgentJob and one Job, and one slot one attempt (${TRIALS} trials)`, async () => {
    const t0 = Date.now();
    const lanes = await Promise.all(
      Array.from({ length: LANES }, async (_, i) => {
        const { world, admin } = await worldFor(`l${i}`);
        const trials = Math.ceil(TRIALS / LANES);
        return raceLane(world, admin, {
          trials,
          issues: ISSUES_PER_TRIAL,
          seed: seeder(world.repo),
          lane: `l${i}`,
        });
      }),
    );
    const sum = (f: (l: (typeof lanes)[number]) => number): number => lanes.reduce((n, l) => n + f(l), 0);
    const findings = lanes.flatMap((l) => l.findings);
    process.stderr.write(
      `replica race: ${sum((l) => l.trials)} trials (${LANES} lanes) × ${ISSUES_PER_TRIAL} issues, 3 replicas + 1 CLI racing each; ${sum((l) => l.started)} attempts started by racers, ${sum((l) => l.emptyHanded)} racers lost every issue; ${findings.length} findings; ${Math.round((Date.now() - t0) / 1000)} s\n`,
    );
    expect(sum((l) => l.trials)).toBeGreaterThanOrEqual(TRIALS);
    expect(findings).toEqual([]);
  }, 900_000);

  it('killing the leader at random points loses and duplicates nothing', async () => {
    const { world, admin } = await worldFor('failover');
    const kubelet = playKubelet(kc, world.namespace, () => 200 + Math.random() * 1_300);
    try {
      const r = await failoverRounds(world, admin, {
        rounds: 6,
        issuesPerRound: 2,
        seed: seeder(world.repo),
      });
      process.stderr.write(
        `failover: ${r.rounds} leader kills (${r.kills.join(', ')}), ${r.issues} issues, ${r.attempts} attempts, ${r.cli} CLI dispatches, handovers ${r.handoverMs.map((m) => `${m} ms`).join(' ')}\n`,
      );
      expect(r.findings).toEqual([]);
      expect(r.kills).toHaveLength(6);
    } finally {
      await kubelet.stop();
    }
  }, 300_000);
});
