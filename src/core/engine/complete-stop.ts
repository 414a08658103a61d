import { isWorkflowLabel } from '../domain/labels.js';
import { K3scError } from '../errors.js';
import { isLive, type Attempt, type StopIntent } from '../model/attempt.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import { applyStage, ensureCached } from './apply-stage.js';
import { familiesOf, type EngineDeps } from './deps.js';

/**
 * Stops the run and makes sure it has ended. A run that is still alive after the stop keeps its
 * record in `stopping` (slot held, nothing dispatched) and the caller hears about it.
 */
const stopRun = async (deps: EngineDeps, attempt: Attempt, signal?: AbortSignal): Promise<void> => {
  await deps.runtime.stop(attempt.name, signal);
  const after = await deps.runtime.status(attempt.name, signal);
  if (after.state === 'running')
    throw new K3scError(
      'unavailable',
      `could not stop ${attempt.name} yet; k3sc keeps trying on every pass and will not start the issue again meanwhile`,
    );
};

/** Removes every workflow label (reset --to none), leaving all others untouched. */
const clearWorkflowLabels = async (
  deps: EngineDeps,
  ref: IssueRef,
  alsoRemove: readonly string[],
  signal?: AbortSignal,
): Promise<void> => {
  await ensureCached(deps, ref, signal);
  const labels = [...(deps.cache.issue(ref)?.labels ?? []), ...alsoRemove];
  const fams = familiesOf(deps);
  const remove = [...new Set(labels.filter((l) => isWorkflowLabel(l, fams)))];
  if (remove.length === 0) return;
  await deps.tracker.changeLabels(ref, { add: [], remove }, signal);
  deps.cache.applyLabels(ref, { add: [], remove });
};

/** Puts the issue where the person asked; returns whether any label changed. */
export const applyStopLabels = async (
  deps: EngineDeps,
  ref: IssueRef,
  intent: Pick<StopIntent, 'to' | 'by'>,
  alsoRemove: readonly string[],
  signal?: AbortSignal,
): Promise<boolean> => {
  if (intent.to === 'none') {
    await clearWorkflowLabels(deps, ref, alsoRemove, signal);
    return true;
  }
  return applyStage(deps, ref, { stage: intent.to }, intent.by, {
    alsoRemove,
    ...(signal ? { signal } : {}),
  });
};

/** The last step of a reset: history and per-issue farm state cleared. */
export const clearIssueHistory = async (
  deps: EngineDeps,
  ref: IssueRef,
  signal?: AbortSignal,
): Promise<number> => {
  const cleared = await deps.store.deleteAttempts(ref.repo, ref.number, signal);
  await deps.store.updateDispatchState((s) => {
    const manualClaims = { ...s.manualClaims };
    const orphansSeen = { ...s.orphansSeen };
    delete manualClaims[issueKey(ref)];
    delete orphansSeen[issueKey(ref)];
    return { ...s, manualClaims, orphansSeen };
  }, signal);
  return cleared;
};

/** A kill ends a manual claim: its exemption from the orphan sweep goes with it. */
export const dropManualClaim = async (
  deps: EngineDeps,
  ref: IssueRef,
  signal?: AbortSignal,
): Promise<void> => {
  await deps.store.updateDispatchState((s) => {
    const manualClaims = { ...s.manualClaims };
    delete manualClaims[issueKey(ref)];
    return { ...s, manualClaims };
  }, signal);
};

export const killComment = (by: string, stopped: readonly string[], to: StopIntent['to']): string => {
  const what = stopped.length > 0 ? `Stopped ${stopped.join(', ')}` : 'No attempt was running';
  const next = to === 'ready' ? 'requeued as ready' : 'moved to needs-human';
  return `k3sc: killed by ${by}. ${what}; ${next}.`;
};

/**
 * Finishes a person's kill or reset of one `stopping` attempt: stop the run → labels →
 * comment (posted once, by marker) → record. Every step is idempotent, so the command itself
 * and, after any failure or crash, every later pass can run it again until it is done.
 * Call it inside the issue's queue.
 */
export const completeStop = async (
  deps: EngineDeps,
  attempt: Attempt,
  signal?: AbortSignal,
): Promise<Attempt | undefined> => {
  const intent = attempt.stop;
  if (attempt.phase !== 'stopping' || intent === undefined) return attempt;
  const ref = { repo: attempt.repo, number: attempt.issue };
  if (intent.action === 'reset') {
    await completeReset(deps, ref, intent, signal);
    return undefined;
  }
  await stopRun(deps, attempt, signal);
  await applyStopLabels(deps, ref, intent, [attempt.slot], signal);
  const marker = `kill:${attempt.name}`;
  await deps.tracker.comment(ref, killComment(intent.by, [attempt.name], intent.to), signal, { marker });
  const killed: Attempt = {
    ...attempt,
    phase: 'killed',
    finishedAt: attempt.finishedAt ?? deps.clock.now().toISOString(),
    reason: `killed by ${intent.by}`,
  };
  await deps.store.updateAttempt(killed, signal);
  await dropManualClaim(deps, ref, signal);
  deps.logger.info({ attempt: attempt.name, by: intent.by, to: intent.to }, 'attempt killed');
  return killed;
};

/**
 * Finishes a reset of one issue: every live run stopped → labels → history cleared (the records
 * go last, so until then any pass sees the `stopping` records and finishes the reset).
 */
export const completeReset = async (
  deps: EngineDeps,
  ref: IssueRef,
  intent: Pick<StopIntent, 'to' | 'by'>,
  signal?: AbortSignal,
): Promise<number> => {
  const history = await deps.store.listAttempts({ repo: ref.repo, issue: ref.number }, signal);
  for (const a of history.filter(isLive)) await stopRun(deps, a, signal);
  await applyStopLabels(deps, ref, intent, [...new Set(history.map((a) => a.slot))], signal);
  const cleared = await clearIssueHistory(deps, ref, signal);
  deps.logger.info({ issue: issueKey(ref), to: intent.to, by: intent.by, cleared }, 'issue reset');
  return cleared;
};

/** Records the intent durably before anything else happens: from here on the stop converges. */
export const markStopping = async (
  deps: EngineDeps,
  attempt: Attempt,
  intent: StopIntent,
  signal?: AbortSignal,
): Promise<Attempt> => {
  const stopping: Attempt = { ...attempt, phase: 'stopping', stop: intent, finishedAt: intent.at };
  await deps.store.updateAttempt(stopping, signal);
  return stopping;
};
