import { completeReset, markStopping } from '../engine/complete-stop.js';
import type { EngineDeps } from '../engine/deps.js';
import { isLive, type StopIntent } from '../model/attempt.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import type { Actor } from './actor.js';

export type ResetTarget = 'ready' | 'needs-review' | 'needs-human' | 'none';

export interface ResetResult {
  readonly ref: IssueRef;
  readonly to: ResetTarget;
  readonly clearedAttempts: number;
  readonly stopped: readonly string[];
}

/**
 * Puts an issue in `to` and clears its attempt history. Live attempts are first marked
 * `stopping` with the reset as their intent, so a failure after any step (stop, labels) is
 * finished by the next pass as the reset the person asked for — never taken as a failed run.
 */
export const resetIssue = async (
  deps: EngineDeps,
  ref: IssueRef,
  to: ResetTarget,
  actor: Actor,
  signal?: AbortSignal,
): Promise<ResetResult> =>
  deps.queue.run(issueKey(ref), async () => {
    const intent: StopIntent = { action: 'reset', to, by: actor.display, at: deps.clock.now().toISOString() };
    const live = (await deps.store.listAttempts({ repo: ref.repo, issue: ref.number }, signal)).filter(
      isLive,
    );
    for (const a of live) if (a.stop?.action !== 'reset') await markStopping(deps, a, intent, signal);
    const cleared = await completeReset(deps, ref, intent, signal);
    return { ref, to, clearedAttempts: cleared, stopped: live.map((a) => a.name) };
  });
