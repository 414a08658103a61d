import type { KubeStateStore } from '../../adapters/kubernetes/store/index.js';
import type { BuiltFarm } from '../build-farm.js';
import { buildProcess, cliDispatch, type ReplicaWorld } from './kube-replica.js';
import { cleanTrial, raceFindings, viewIssues } from './race-checks.js';

export interface LaneReport {
  readonly trials: number;
  /** Attempts the racers started (the fill-up pass not counted). */
  readonly started: number;
  /** How many racers lost every issue they planned (they saw it taken or lost the lock). */
  readonly emptyHanded: number;
  readonly findings: string[];
}

/**
 * One lane of the race: its own namespace and repository, three replicas and, every trial, a
 * fresh one-shot CLI process. Each trial files `issues` ready issues (more than max_slots 2), runs
 * a pass on every replica and the CLI at the same moment — all of them, as in a split brain or a
 * deposed leader still finishing its pass — then checks the invariants and cleans up.
 */
export const raceLane = async (
  w: ReplicaWorld,
  admin: KubeStateStore,
  opts: { trials: number; issues: number; seed: (n: number) => number[]; lane: string },
): Promise<LaneReport> => {
  const replicas: BuiltFarm[] = [];
  for (const id of ['r1', 'r2', 'r3']) replicas.push(await buildProcess(w, `${opts.lane}-${id}`, true));
  const findings: string[] = [];
  let started = 0;
  let emptyHanded = 0;
  try {
    for (let trial = 0; trial < opts.trials; trial++) {
      const name = `${opts.lane} trial ${trial}`;
      const numbers = opts.seed(opts.issues);
      const results = await Promise.all([
        ...replicas.map((r) => r.engine.pass().then((p) => p.started.length)),
        cliDispatch(w, `${opts.lane}-cli${trial}`),
      ]);
      started += results.reduce((a, b) => a + b, 0);
      emptyHanded += results.filter((n) => n === 0).length;
      // One more pass fills what the racers left: both slots taken, the rest stays ready.
      await replicas[trial % 3]!.engine.pass();
      const views = await viewIssues(w.kc, w.namespace, admin, w.github, w.repo, numbers);
      findings.push(...raceFindings(views, name));
      const taken = views.filter((v) => v.attempts.length === 1).length;
      if (taken !== Math.min(2, opts.issues))
        findings.push(`${name}: ${taken} issues started, max_slots is 2`);
      await cleanTrial(w.kc, w.namespace, admin, w.github, w.repo, numbers);
    }
  } finally {
    for (const r of replicas) await r.close({ runs: 'keep' });
  }
  return { trials: opts.trials, started, emptyHanded, findings };
};
