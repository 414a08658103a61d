import { leaseName } from '../domain/attempt-name.js';
import { planTakeCandidates, validWorker } from '../domain/plan-take.js';
import { familiesOf, type EngineDeps } from '../engine/deps.js';
import { mirrorLeaseLabel, removeLease, sweepLeases } from '../engine/sweep-leases.js';
import { ConflictError, K3scError, isK3scError } from '../errors.js';
import type { ReviewLease } from '../model/lease.js';
import { issueKey, sameRepo, type IssueRef } from '../model/refs.js';
import type { Actor } from './actor.js';

const heldBy = async (
  deps: EngineDeps,
  worker: string,
  signal?: AbortSignal,
): Promise<ReviewLease | undefined> => (await deps.store.listLeases(signal)).find((l) => l.worker === worker);

const alreadyHolds = (worker: string, held: ReviewLease): K3scError =>
  new K3scError(
    'conflict',
    `${worker} already holds ${issueKey({ repo: held.repo, number: held.pr })}; release it first`,
  );

/**
 * Reserves the best open PR for `worker`: lease record first (the lock — per PR and per worker,
 * so two concurrent takes never give one worker two PRs), then the PR label. Expired leases are
 * swept first, so they never block a take. A crash between record and label is mended by the
 * next pass (lease labels are mirrored).
 */
export const takeReview = async (
  deps: EngineDeps,
  worker: string,
  actor: Actor,
  opts: { ttlMs?: number; signal?: AbortSignal; pr?: IssueRef } = {},
): Promise<ReviewLease | undefined> => {
  const { signal } = opts;
  const wanted = (pr: IssueRef): boolean =>
    opts.pr === undefined || (pr.number === opts.pr.number && sameRepo(pr.repo, opts.pr.repo));
  const fams = familiesOf(deps);
  if (!validWorker(worker, fams))
    throw new K3scError(
      'bad_input',
      `worker must look like <family>-<id> with a family of ${fams.join(', ')} (e.g. claude-b)`,
    );
  return deps.queue.run(`worker:${worker}`, async () => {
    await sweepLeases(deps, signal);
    const held = await heldBy(deps, worker, signal);
    if (held) throw alreadyHolds(worker, held);
    const [leases, attempts] = await Promise.all([
      deps.store.listLeases(signal),
      deps.store.listAttempts({ liveOnly: true }, signal),
    ]);
    const items = deps.cache.all(deps.settings.repos);
    const now = deps.clock.now();
    const candidates = planTakeCandidates(items, fams, leases, attempts, deps.settings.branchPattern);
    for (const pr of candidates.filter(wanted)) {
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
        if (!(err instanceof ConflictError || isK3scError(err, 'conflict'))) throw err;
        // Another process won this PR, or gave this worker a PR meanwhile.
        const won = await heldBy(deps, worker, signal);
        if (won) throw alreadyHolds(worker, won);
        continue;
      }
      await mirrorLeaseLabel(deps, lease, signal);
      return lease;
    }
    return undefined;
  });
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
