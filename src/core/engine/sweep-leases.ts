import { isExpired } from '../domain/plan-take.js';
import type { ReviewLease } from '../model/lease.js';
import type { EngineDeps } from './deps.js';

/** Deletes expired leases and removes their worker label from the PR. */
export const sweepLeases = async (deps: EngineDeps, signal?: AbortSignal): Promise<ReviewLease[]> => {
  const now = deps.clock.now();
  const expired = (await deps.store.listLeases(signal)).filter((l) => isExpired(l, now));
  for (const lease of expired) {
    await removeLease(deps, lease, 'lease-expiry', signal);
    deps.events.emit({
      type: 'alert',
      kind: 'lease-expired',
      ref: { repo: lease.repo, number: lease.pr },
      message: `lease of ${lease.worker} on ${lease.repo.owner}/${lease.repo.name}#${lease.pr} expired`,
    });
  }
  return expired;
};

/** Removes the worker label from the PR (only it), then the lease record. */
export const removeLease = async (
  deps: EngineDeps,
  lease: ReviewLease,
  by: string,
  signal?: AbortSignal,
): Promise<void> => {
  const ref = { repo: lease.repo, number: lease.pr };
  const labels = deps.cache.pull(ref)?.labels ?? [lease.worker];
  if (labels.includes(lease.worker)) {
    await deps.tracker.changeLabels(ref, { add: [], remove: [lease.worker] }, signal);
    deps.cache.applyLabels(ref, { add: [], remove: [lease.worker] });
  }
  await deps.store.deleteLease(lease.name, signal);
  deps.logger.info({ lease: lease.name, by }, 'lease removed');
};
