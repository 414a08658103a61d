import type { KubeStateStore } from '../../adapters/kubernetes/store/index.js';
import { waitFor } from '../../testing/kube/kube-test-env.js';
import { cliDispatch, killReplica, startReplica, type Replica, type ReplicaWorld } from './kube-replica.js';
import { viewIssues, type IssueView } from './race-checks.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const SLOT = /^(claude|codex)-[a-z]$/;

export interface FailoverReport {
  readonly rounds: number;
  readonly kills: string[];
  readonly handoverMs: number[];
  readonly issues: number;
  readonly attempts: number;
  readonly cli: number;
  readonly findings: string[];
}

/** Every issue went ready → owner → needs-review → reviewer → needs-human exactly once. */
const settledFindings = (v: IssueView, finished: ReadonlyMap<string, string[]>): string[] => {
  const at = `#${v.number}`;
  const out: string[] = [];
  const stray = v.labels.filter((l) => SLOT.test(l) || l === 'ready' || l === 'needs-review');
  if (!v.labels.includes('needs-human') || stray.length > 0)
    out.push(`${at}: labels [${v.labels.join(', ')}]`);
  const kinds = v.attempts.map((a) => `${a.kind}:${a.phase}${a.reason ? ` (${a.reason})` : ''}`).sort();
  if (JSON.stringify(kinds) !== JSON.stringify(['implement:succeeded', 'review:succeeded']))
    out.push(`${at}: attempts [${kinds.join(', ')}]`);
  const names = v.attempts.map((a) => a.name).sort();
  if (JSON.stringify([...v.jobs].sort()) !== JSON.stringify(names))
    out.push(`${at}: Jobs [${v.jobs.join(', ')}] but AgentJobs [${names.join(', ')}]`);
  for (const name of names) {
    if (v.claims.get(name) !== 1) out.push(`${at}: ${v.claims.get(name) ?? 0} claim comments for ${name}`);
    const by = finished.get(name) ?? [];
    if (by.length !== 1) out.push(`${at}: ${name} finished ${by.length} times (by ${by.join(', ')})`);
  }
  return out;
};

/**
 * Three serving replicas (leader election with short timings); each round files issues, lets
 * the leader work on them, and kills it at a random moment — alternately with SIGTERM (its
 * signal aborts mid-step) and as a crash (its network is cut, the Lease is not released) — while
 * a CLI dispatch runs at another random moment. A new replica replaces the dead one. At the end
 * every issue must have gone through exactly one implementation and one review.
 */
export const failoverRounds = async (
  w: ReplicaWorld,
  admin: KubeStateStore,
  opts: { rounds: number; issuesPerRound: number; seed: (n: number) => number[] },
): Promise<FailoverReport> => {
  let next = 0;
  const replicas: Replica[] = [];
  for (let i = 0; i < 3; i++) replicas.push(await startReplica(w, `p${++next}`));
  const leader = (): Replica | undefined => replicas.find((r) => r.isLeader());
  const issues: number[] = [];
  const kills: string[] = [];
  const handoverMs: number[] = [];
  const cliRuns: Promise<number>[] = [];
  const findings: string[] = [];
  const since = w.events.length;
  try {
    for (let round = 0; round < opts.rounds; round++) {
      await waitFor('a leader', () => Promise.resolve(leader() !== undefined), 30_000);
      const numbers = opts.seed(opts.issuesPerRound);
      issues.push(...numbers);
      // The webhook reaches every replica; only the leader's loop acts on it.
      for (const r of replicas) r.built.engine.trigger(w.repo);
      cliRuns.push(sleep(Math.random() * 2_000).then(() => cliDispatch(w, `cli-f${round}`)));
      await sleep(Math.random() * 2_500);
      const victim = leader();
      if (victim === undefined) continue;
      const how = round % 2 === 0 ? 'abort' : 'partition';
      const killedAt = Date.now();
      replicas.splice(replicas.indexOf(victim), 1);
      const dead = killReplica(victim, how);
      await waitFor('a new leader', () => Promise.resolve(leader() !== undefined), 30_000);
      handoverMs.push(Date.now() - killedAt);
      kills.push(`${victim.id} ${how}`);
      await dead;
      replicas.push(await startReplica(w, `p${++next}`));
    }
    await Promise.all(cliRuns);
    const done = (views: IssueView[]): boolean =>
      views.every(
        (v) =>
          v.labels.includes('needs-human') &&
          v.attempts.every((a) => !['pending', 'running'].includes(a.phase)),
      );
    const views = await waitFor(
      'every issue settled',
      async () => {
        for (const r of replicas) r.built.engine.trigger(w.repo);
        const v = await viewIssues(w.kc, w.namespace, admin, w.github, w.repo, issues);
        return done(v) && v;
      },
      120_000,
    ).catch(async () => viewIssues(w.kc, w.namespace, admin, w.github, w.repo, issues));
    await sleep(1_000); // a duplicate finish would land now
    const finished = new Map<string, string[]>();
    for (const e of w.events.slice(since))
      if (e.type === 'attempt-finished')
        finished.set(e.attempt, [...(finished.get(e.attempt) ?? []), e.by ?? '?']);
    for (const v of views) findings.push(...settledFindings(v, finished));
    return {
      rounds: opts.rounds,
      kills,
      handoverMs,
      issues: issues.length,
      attempts: views.reduce((n, v) => n + v.attempts.length, 0),
      cli: cliRuns.length,
      findings,
    };
  } finally {
    for (const r of replicas) await killReplica(r, 'abort');
  }
};
