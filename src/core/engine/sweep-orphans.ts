import { planOrphanSweep } from '../domain/plan-orphans.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import { applyStage } from './apply-stage.js';
import type { EngineDeps } from './deps.js';

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
  await deps.store.updateDispatchState((s) => ({ ...s, orphansSeen: plan.orphansSeen }), signal);
  return recovered;
};
