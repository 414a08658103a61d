import type { Attempt } from '../model/attempt.js';
import { issueKey } from '../model/refs.js';
import type { EngineDeps } from './deps.js';
import { finishAttempt } from './finish-attempt.js';
import { launchAttempt } from './start-attempt.js';

/**
 * Brings every live attempt record in line with its run: finished runs are applied, pending
 * records whose run never started are launched again (a crash between lock and start), and a
 * running record whose run vanished is failed. Never starts a second run for one record.
 */
export const reconcileAttempts = async (deps: EngineDeps, signal?: AbortSignal): Promise<Attempt[]> => {
  const live = await deps.store.listAttempts({ liveOnly: true }, signal);
  const changed: Attempt[] = [];
  for (const attempt of live) {
    try {
      const status = await deps.runtime.status(attempt.name, signal);
      if (status.state === 'succeeded' || status.state === 'failed') {
        changed.push(await finishAttempt(deps, attempt, status, signal));
      } else if (status.state === 'missing' && attempt.phase === 'pending') {
        const relaunched = await relaunchIfStillPending(deps, attempt, signal);
        if (relaunched) changed.push(relaunched);
      } else if (status.state === 'missing') {
        const vanished = {
          ...status,
          state: 'failed' as const,
          reason: 'the run disappeared (runtime has no record of it)',
        };
        changed.push(await finishAttempt(deps, attempt, vanished, signal));
      } else if (attempt.phase === 'pending') {
        const running: Attempt = {
          ...attempt,
          phase: 'running',
          startedAt: status.startedAt ?? deps.clock.now().toISOString(),
        };
        await deps.store.updateAttempt(running, signal);
        changed.push(running);
      }
    } catch (err) {
      deps.logger.error({ attempt: attempt.name, err }, 'reconcile failed; will retry next pass');
    }
  }
  return changed;
};

/** A pending record may belong to a claim still in flight: re-check under the issue's queue. */
const relaunchIfStillPending = (
  deps: EngineDeps,
  attempt: Attempt,
  signal?: AbortSignal,
): Promise<Attempt | undefined> =>
  deps.queue.run(issueKey({ repo: attempt.repo, number: attempt.issue }), async () => {
    const current = await deps.store.getAttempt(attempt.name, signal);
    if (current?.phase !== 'pending') return undefined;
    deps.logger.warn({ attempt: attempt.name }, 'pending attempt has no run; launching it (recovery)');
    return launchAttempt(deps, current, signal);
  });
