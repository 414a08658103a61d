import { needsTrustCheck, planDispatch, type QueueEntry } from '../domain/plan-dispatch.js';
import type { Attempt } from '../model/attempt.js';
import type { RepoRef } from '../model/refs.js';
import type { TrustChecker } from './check-trust.js';
import type { EngineDeps } from './deps.js';
import { reconcileAttempts } from './reconcile-attempts.js';
import { pruneFinished } from './prune-finished.js';
import { restoreQuota } from './restore-quota.js';
import { refreshWorkItems } from './refresh-work-items.js';
import { startAttempt } from './start-attempt.js';
import { sweepLeases } from './sweep-leases.js';
import { sweepOrphans } from './sweep-orphans.js';
import type { StuckAttempts } from './stuck-attempts.js';

export interface DispatchReport {
  readonly dryRun: boolean;
  readonly entries: readonly QueueEntry[];
  readonly started: readonly Attempt[];
  readonly changedRepos: number;
  readonly failedRepos: readonly { repo: RepoRef; error: string }[];
}

/**
 * One pass: read (list repos, reconcile runs) → decide (plan, pure) → apply (claims).
 * With `dryRun` nothing is written: the plan says what would happen and why.
 */
export const dispatchPass = async (
  deps: EngineDeps,
  trust: TrustChecker,
  opts: {
    repos?: readonly RepoRef[];
    dryRun?: boolean;
    requestedBy?: string;
    signal?: AbortSignal;
    stuck?: StuckAttempts;
    /** When it aborts (shutdown), no new attempt is started; what is in flight finishes. */
    drain?: AbortSignal;
  } = {},
): Promise<DispatchReport> => {
  const { signal } = opts;
  const dryRun = opts.dryRun ?? false;
  const refreshed = await refreshWorkItems(deps, opts.repos ?? deps.settings.repos, signal);
  if (!dryRun) {
    await reconcileAttempts(deps, signal, opts.stuck);
    await sweepOrphans(deps, signal);
    await sweepLeases(deps, signal);
    await restoreQuota(deps, signal);
  }
  const [attempts, leases, state] = await Promise.all([
    deps.store.listAttempts({}, signal),
    deps.store.listLeases(signal),
    deps.store.getDispatchState(signal),
  ]);
  const base = {
    settings: deps.settings,
    state,
    now: deps.clock.now(),
    items: refreshed.items,
    attempts,
    leases,
  };
  const verdicts = await trust.check(deps, needsTrustCheck({ ...base, trust: new Map() }), signal);
  const plan = planDispatch({ ...base, trust: verdicts });
  const started: Attempt[] = [];
  if (!dryRun) {
    for (const entry of plan.entries) {
      if (opts.drain?.aborted) break;
      if (!entry.decision.dispatch) continue;
      const attempt = await startAttempt(deps, entry, opts.requestedBy ?? 'engine', signal);
      if (attempt) started.push(attempt);
    }
    const didWork = started.length > 0;
    await deps.store.updateDispatchState(
      (s) => ({
        ...s,
        rotation: plan.rotation,
        idleScans: didWork ? 0 : s.idleScans + 1,
        lastScanAt: deps.clock.now().toISOString(),
      }),
      signal,
    );
    // Last, so cleanup never delays a dispatch; a failure is logged and retried next pass.
    await pruneFinished(deps, attempts, signal).catch((err: unknown) => {
      if (!signal?.aborted) deps.logger.warn({ err }, 'ttl cleanup failed; will retry next pass');
    });
  }
  deps.events.emit({
    type: 'scan',
    repos: refreshed.items.length,
    dispatched: started.length,
    changed: refreshed.changed,
  });
  return {
    dryRun,
    entries: plan.entries,
    started,
    changedRepos: refreshed.changed,
    failedRepos: refreshed.failed,
  };
};
