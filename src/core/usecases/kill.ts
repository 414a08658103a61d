import { applyStage } from '../engine/apply-stage.js';
import type { EngineDeps } from '../engine/deps.js';
import type { Attempt } from '../model/attempt.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import type { Actor } from './actor.js';

export interface KillResult {
  readonly ref: IssueRef;
  readonly stopped?: string;
  readonly to: 'needs-human' | 'ready';
}

/**
 * Stops the live attempt (marked killed first, so its exit is never taken as a failure to
 * retry) and moves the issue to needs-human with "killed by <who>", or to ready with requeue.
 */
export const killIssue = async (
  deps: EngineDeps,
  ref: IssueRef,
  actor: Actor,
  opts: { requeue?: boolean; signal?: AbortSignal } = {},
): Promise<KillResult> =>
  deps.queue.run(issueKey(ref), async () => {
    const { signal } = opts;
    const live = await deps.store.listAttempts({ repo: ref.repo, issue: ref.number, liveOnly: true }, signal);
    const now = deps.clock.now().toISOString();
    for (const a of live) {
      const killed: Attempt = {
        ...a,
        phase: 'killed',
        finishedAt: now,
        reason: `killed by ${actor.display}`,
      };
      await deps.store.updateAttempt(killed, signal);
      await deps.runtime.stop(a.name, signal);
    }
    const to = opts.requeue ? 'ready' : 'needs-human';
    const opt = { alsoRemove: live.map((a) => a.slot), ...(signal ? { signal } : {}) };
    await applyStage(deps, ref, { stage: to }, actor.display, opt);
    const what = live.length > 0 ? `Stopped ${live.map((a) => a.name).join(', ')}` : 'No attempt was running';
    const next = opts.requeue ? 'requeued as ready' : 'moved to needs-human';
    await deps.tracker.comment(ref, `k3sc: killed by ${actor.display}. ${what}; ${next}.`, signal);
    await deps.store.updateDispatchState((s) => {
      const manualClaims = { ...s.manualClaims };
      delete manualClaims[issueKey(ref)];
      return { ...s, manualClaims };
    }, signal);
    return { ref, to, ...(live[0] ? { stopped: live[0].name } : {}) };
  });
