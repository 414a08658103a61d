import type { Attempt } from '../model/attempt.js';
import { issueKey } from '../model/refs.js';
import type { RunStatus } from '../ports/agent-runtime.js';
import { completeStop } from './complete-stop.js';
import type { EngineDeps } from './deps.js';
import { finishAttempt } from './finish-attempt.js';
import { abandonPending, pendingRelaunchBlocker } from './recover-pending.js';
import { launchAttempt } from './start-attempt.js';
import type { StuckAttempts } from './stuck-attempts.js';

const inIssueQueue = <T>(deps: EngineDeps, a: Attempt, fn: () => Promise<T>): Promise<T> =>
  deps.queue.run(issueKey({ repo: a.repo, number: a.issue }), fn);

/** Re-reads the record inside the issue's queue: a command queued ahead of us may have moved it. */
const stillIn = async (
  deps: EngineDeps,
  a: Attempt,
  phase: Attempt['phase'],
  signal?: AbortSignal,
): Promise<Attempt | undefined> => {
  const current = await deps.store.getAttempt(a.name, signal);
  return current?.phase === phase ? current : undefined;
};

/**
 * A pending record is a claim cut short (a crash, a failed write) or still in flight. Its run
 * may exist already: then the rest of the launch is repeated (labels, comment and start are
 * idempotent). When it never started, it is launched only if a fresh dispatch would be allowed.
 */
const resumePending = (
  deps: EngineDeps,
  attempt: Attempt,
  status: RunStatus,
  signal?: AbortSignal,
): Promise<Attempt | undefined> =>
  inIssueQueue(deps, attempt, async () => {
    const current = await stillIn(deps, attempt, 'pending', signal);
    if (!current) return undefined;
    if (status.state === 'missing') {
      const blocker = await pendingRelaunchBlocker(deps, current, signal);
      if (blocker !== undefined) return abandonPending(deps, current, blocker, signal);
      deps.logger.warn({ attempt: attempt.name }, 'pending attempt has no run; launching it (recovery)');
    }
    return launchAttempt(deps, current, signal);
  });

const finishStop = (deps: EngineDeps, attempt: Attempt, signal?: AbortSignal): Promise<Attempt | undefined> =>
  inIssueQueue(deps, attempt, async () => {
    const current = await stillIn(deps, attempt, 'stopping', signal);
    return current ? completeStop(deps, current, signal) : undefined;
  });

const reconcileOne = async (
  deps: EngineDeps,
  attempt: Attempt,
  signal?: AbortSignal,
): Promise<Attempt | undefined> => {
  if (attempt.phase === 'stopping') return finishStop(deps, attempt, signal);
  const status = await deps.runtime.status(attempt.name, signal);
  if (status.state === 'succeeded' || status.state === 'failed')
    return finishAttempt(deps, attempt, status, signal);
  if (attempt.phase === 'pending') return resumePending(deps, attempt, status, signal);
  if (status.state === 'missing') {
    const vanished = {
      ...status,
      state: 'failed' as const,
      reason: 'the run disappeared (runtime has no record of it)',
    };
    return finishAttempt(deps, attempt, vanished, signal);
  }
  return undefined;
};

/**
 * Brings every live attempt record in line with its run: finished runs are applied, claims cut
 * short are completed (or, when a fresh dispatch would not be allowed, abandoned without
 * counting), kills and resets in progress are finished, and a running record whose run
 * vanished is failed. Never starts a second run for one record.
 */
export const reconcileAttempts = async (
  deps: EngineDeps,
  signal?: AbortSignal,
  stuck?: StuckAttempts,
): Promise<Attempt[]> => {
  const live = await deps.store.listAttempts({ liveOnly: true }, signal);
  const changed: Attempt[] = [];
  for (const attempt of live) {
    try {
      const next = await reconcileOne(deps, attempt, signal);
      stuck?.succeeded(attempt);
      if (next) changed.push(next);
    } catch (err) {
      deps.logger.error({ attempt: attempt.name, err }, 'reconcile failed; will retry next pass');
      stuck?.failed(deps, attempt, err);
    }
  }
  return changed;
};
