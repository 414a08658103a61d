import { isWorkflowLabel } from '../domain/labels.js';
import { applyStage, ensureCached } from '../engine/apply-stage.js';
import type { EngineDeps } from '../engine/deps.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import type { Actor } from './actor.js';

export type ResetTarget = 'ready' | 'needs-review' | 'needs-human' | 'none';

export interface ResetResult {
  readonly ref: IssueRef;
  readonly to: ResetTarget;
  readonly clearedAttempts: number;
  readonly stopped: readonly string[];
}

/** Puts an issue in `to` and clears its attempt history (stopping a live run first). */
export const resetIssue = async (
  deps: EngineDeps,
  ref: IssueRef,
  to: ResetTarget,
  actor: Actor,
  signal?: AbortSignal,
): Promise<ResetResult> =>
  deps.queue.run(issueKey(ref), async () => {
    const history = await deps.store.listAttempts({ repo: ref.repo, issue: ref.number }, signal);
    const live = history.filter((a) => a.phase === 'pending' || a.phase === 'running');
    for (const a of live) await deps.runtime.stop(a.name, signal);
    const opt = { alsoRemove: history.map((a) => a.slot), ...(signal ? { signal } : {}) };
    if (to === 'none') {
      await ensureCached(deps, ref, signal);
      const labels = [...(deps.cache.issue(ref)?.labels ?? []), ...opt.alsoRemove];
      const fams = deps.settings.families.map((f) => f.name);
      const remove = [...new Set(labels.filter((l) => isWorkflowLabel(l, fams)))];
      if (remove.length > 0) {
        await deps.tracker.changeLabels(ref, { add: [], remove }, signal);
        deps.cache.applyLabels(ref, { add: [], remove });
      }
    } else {
      await applyStage(deps, ref, { stage: to }, actor.display, opt);
    }
    const cleared = await deps.store.deleteAttempts(ref.repo, ref.number, signal);
    await deps.store.updateDispatchState((s) => {
      const manualClaims = { ...s.manualClaims };
      const orphansSeen = { ...s.orphansSeen };
      delete manualClaims[issueKey(ref)];
      delete orphansSeen[issueKey(ref)];
      return { ...s, manualClaims, orphansSeen };
    }, signal);
    deps.logger.info({ issue: issueKey(ref), to, cleared, by: actor.id }, 'issue reset');
    return { ref, to, clearedAttempts: cleared, stopped: live.map((a) => a.name) };
  });
