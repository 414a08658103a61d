import {
  applyStopLabels,
  completeStop,
  dropManualClaim,
  killComment,
  markStopping,
} from '../engine/complete-stop.js';
import type { EngineDeps } from '../engine/deps.js';
import type { StopIntent } from '../model/attempt.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import type { Actor } from './actor.js';

export interface KillResult {
  readonly ref: IssueRef;
  readonly stopped?: string;
  readonly to: 'needs-human' | 'ready';
}

/**
 * Stops the live attempt and moves the issue to needs-human with "killed by <who>", or to ready
 * with requeue. The intent is recorded first (the attempt becomes `stopping`), so a failure or a
 * crash at any later step is finished by the next pass instead of being undone by the orphan
 * sweep; the run's exit is never taken as a failure to retry.
 */
export const killIssue = async (
  deps: EngineDeps,
  ref: IssueRef,
  actor: Actor,
  opts: { requeue?: boolean; signal?: AbortSignal } = {},
): Promise<KillResult> =>
  deps.queue.run(issueKey(ref), async () => {
    const { signal } = opts;
    const to = opts.requeue ? 'ready' : 'needs-human';
    const intent: StopIntent = { action: 'kill', to, by: actor.display, at: deps.clock.now().toISOString() };
    const live = await deps.store.listAttempts({ repo: ref.repo, issue: ref.number, liveOnly: true }, signal);
    if (live.length === 0) {
      // Nothing runs: only the labels move, and a repeated kill says nothing twice.
      if (await applyStopLabels(deps, ref, intent, [], signal))
        await deps.tracker.comment(ref, killComment(actor.display, [], to), signal);
      await dropManualClaim(deps, ref, signal);
      return { ref, to };
    }
    for (const a of live) {
      const stopping = a.phase === 'stopping' ? a : await markStopping(deps, a, intent, signal);
      await completeStop(deps, stopping, signal);
    }
    return { ref, to, ...(live[0] ? { stopped: live[0].name } : {}) };
  });
