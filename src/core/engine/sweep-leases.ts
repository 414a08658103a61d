import { isExpired } from '../domain/plan-take.js';
import type { ReviewLease } from '../model/lease.js';
import { issueKey } from '../model/refs.js';
import type { EngineDeps } from './deps.js';

const prRef = (lease: ReviewLease): { repo: ReviewLease['repo']; number: number } => ({
  repo: lease.repo,
  number: lease.pr,
});

/**
 * Deletes expired leases (removing their worker label from the PR) and mirrors every live
 * lease onto its PR as the worker's label, so a take cut short between record and label is
 * mended. Returns the expired leases.
 */
export const sweepLeases = async (deps: EngineDeps, signal?: AbortSignal): Promise<ReviewLease[]> => {
  const now = deps.clock.now();
  const leases = await deps.store.listLeases(signal);
  const expired = leases.filter((l) => isExpired(l, now));
  for (const lease of expired) {
    await removeLease(deps, lease, 'lease-expiry', signal);
    deps.events.emit({
      type: 'alert',
      kind: 'lease-expired',
      ref: prRef(lease),
      message: `lease of ${lease.worker} on ${lease.repo.owner}/${lease.repo.name}#${lease.pr} expired`,
    });
  }
  for (const lease of leases.filter((l) => !isExpired(l, now)))
    await mirrorLeaseLabel(deps, lease, signal).catch((err: unknown) =>
      deps.logger.warn({ lease: lease.name, err }, 'could not label the PR of a lease; will retry'),
    );
  return expired;
};

/** Puts the worker's label on the lease's PR when the cache knows the PR and it lacks it. */
export const mirrorLeaseLabel = (deps: EngineDeps, lease: ReviewLease, signal?: AbortSignal): Promise<void> =>
  deps.queue.run(issueKey(prRef(lease)), async () => {
    const ref = prRef(lease);
    const pull = deps.cache.pull(ref);
    if (pull === undefined || pull.state !== 'open' || pull.labels.includes(lease.worker)) return;
    // Re-read under the PR's queue: a release queued ahead of us may have removed the lease.
    if (!(await deps.store.listLeases(signal)).some((l) => l.name === lease.name)) return;
    await deps.tracker.changeLabels(ref, { add: [lease.worker], remove: [] }, signal);
    deps.cache.applyLabels(ref, { add: [lease.worker], remove: [] });
  });

/** Removes the worker label from the PR (only it), then the lease record. */
export const removeLease = (
  deps: EngineDeps,
  lease: ReviewLease,
  by: string,
  signal?: AbortSignal,
): Promise<void> =>
  deps.queue.run(issueKey(prRef(lease)), async () => {
    const ref = prRef(lease);
    const labels = deps.cache.pull(ref)?.labels ?? [lease.worker];
    if (labels.includes(lease.worker)) {
      await deps.tracker.changeLabels(ref, { add: [], remove: [lease.worker] }, signal);
      deps.cache.applyLabels(ref, { add: [], remove: [lease.worker] });
    }
    await deps.store.deleteLease(lease.name, signal);
    deps.logger.info({ lease: lease.name, by }, 'lease removed');
  });
