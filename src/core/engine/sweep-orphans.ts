import { planOrphanSweep } from '../domain/plan-orphans.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import type { RepoWorkItems } from '../model/work-items.js';
import { applyStage } from './apply-stage.js';
import type { EngineDeps } from './deps.js';

const refOfKey = (items: readonly RepoWorkItems[], key: string): IssueRef | undefined => {
  for (const repo of items)
    for (const issue of repo.issues)
      if (issueKey({ repo: issue.repo, number: issue.number }) === key)
        return { repo: issue.repo, number: issue.number };
  return undefined;
};

/** Recovers owner labels with no live attempt past the grace period. Never touches a live run. */
export const sweepOrphans = async (deps: EngineDeps, signal?: AbortSignal): Promise<IssueRef[]> => {
  const items = deps.cache.all(deps.settings.repos);
  const [attempts, state] = await Promise.all([
    deps.store.listAttempts({}, signal),
    deps.store.getDispatchState(signal),
  ]);
  const plan = planOrphanSweep(items, attempts, state, deps.settings, deps.clock.now());
  const recovered: IssueRef[] = [];
  for (const r of plan.recover) {
    await deps.queue.run(issueKey(r.ref), async () => {
      const live = await deps.store.listAttempts(
        { repo: r.ref.repo, issue: r.ref.number, liveOnly: true },
        signal,
      );
      if (live.length > 0) return;
      await applyStage(deps, r.ref, r.target, 'orphan-sweep', signal ? { signal } : {});
      recovered.push(r.ref);
      deps.events.emit({
        type: 'alert',
        kind: 'orphan-recovered',
        ref: r.ref,
        message: `${issueKey(r.ref)} had ${r.owners.join(',')} with no live attempt; moved back to ${r.target.stage}`,
      });
    });
  }
  const stale: string[] = [];
  for (const key of plan.staleClaims)
    // Re-checked inside the issue's queue: a claim in flight writes its label there.
    await deps.queue.run(key, () => {
      const [owner, ref] = [state.manualClaims[key], refOfKey(items, key)];
      const issue = ref && deps.cache.issue(ref);
      if (owner !== undefined && (!issue || issue.state !== 'open' || !issue.labels.includes(owner)))
        stale.push(key);
      return Promise.resolve();
    });
  await deps.store.updateDispatchState((s) => {
    const manualClaims = { ...s.manualClaims };
    for (const key of stale) if (manualClaims[key] === state.manualClaims[key]) delete manualClaims[key];
    return { ...s, orphansSeen: plan.orphansSeen, manualClaims };
  }, signal);
  return recovered;
};
