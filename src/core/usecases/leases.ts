import { leaseName } from '../domain/attempt-name.js';
import { planTakeCandidates, validWorker } from '../domain/plan-take.js';
import { familiesOf, type EngineDeps } from '../engine/deps.js';
import { removeLease } from '../engine/sweep-leases.js';
import { ConflictError, K3scError, isK3scError } from '../errors.js';
import type { ReviewLease } from '../model/lease.js';
import { issueKey, sameRepo, type IssueRef } from '../model/refs.js';
import type { Actor } from './actor.js';

/** Reserves the best open PR for `worker`: lease record first (the lock), then the PR label. */
export const takeReview = async (
  deps: EngineDeps,
  worker: string,
  actor: Actor,
  opts: { ttlMs?: number; signal?: AbortSignal } = {},
): Promise<ReviewLease | undefined> => {
  const { signal } = opts;
  const fams = familiesOf(deps);
  if (!validWorker(worker, fams))
    throw new K3scError(
      'bad_input',
      `worker must look like <family>-<id> with a family of ${fams.join(', ')} (e.g. claude-b)`,
    );
  const leases = await deps.store.listLeases(signal);
  const held = leases.find((l) => l.worker === worker);
  if (held)
    throw new K3scError(
      'conflict',
      `${worker} already holds ${issueKey({ repo: held.repo, number: held.pr })}; release it first`,
    );
  const attempts = await deps.store.listAttempts({ liveOnly: true }, signal);
  const items = deps.cache.all(deps.settings.repos);
  const now = deps.clock.now();
  for (const pr of planTakeCandidates(items, fams, leases, attempts, deps.settings.branchPattern)) {
    const lease: ReviewLease = {
      name: leaseName(pr.repo, pr.number),
      repo: pr.repo,
      pr: pr.number,
      worker,
      holder: actor.id,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + (opts.ttlMs ?? deps.settings.leaseTtlMs)).toISOString(),
    };
    try {
      await deps.store.createLease(lease, signal);
    } catch (err) {
      if (err instanceof ConflictError || isK3scError(err, 'conflict')) continue;
      throw err;
    }
    const ref = { repo: pr.repo, number: pr.number };
    await deps.tracker.changeLabels(ref, { add: [worker], remove: [] }, signal);
    deps.cache.applyLabels(ref, { add: [worker], remove: [] });
    return lease;
  }
  return undefined;
};

/** Releases by PR or by worker; only the holder or an admin may. */
export const releaseReview = async (
  deps: EngineDeps,
  target: { pr: IssueRef } | { worker: string },
  actor: Actor,
  signal?: AbortSignal,
): Promise<ReviewLease> => {
  const leases = await deps.store.listLeases(signal);
  const lease =
    'pr' in target
      ? leases.find((l) => l.pr === target.pr.number && sameRepo(l.repo, target.pr.repo))
      : leases.find((l) => l.worker === target.worker);
  const what = 'pr' in target ? issueKey(target.pr) : target.worker;
  if (!lease) throw new K3scError('not_found', `no lease for ${what}`);
  if (lease.holder !== actor.id && actor.role !== 'admin')
    throw new K3scError(
      'forbidden',
      `the lease on ${what} is held by ${lease.holder}; only they or an admin can release it`,
    );
  await removeLease(deps, lease, actor.id, signal);
  return lease;
};
