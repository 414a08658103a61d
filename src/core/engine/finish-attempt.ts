import { lastLines, parseAgentOutput } from '../domain/agent-output.js';
import { decideOutcome, type OutcomeDecision, type RunOutcome } from '../domain/decide-outcome.js';
import { attemptsOf } from '../domain/issue-history.js';
import type { Attempt, UsageTotals } from '../model/attempt.js';
import { ConflictError, isK3scError } from '../errors.js';
import { issueKey } from '../model/refs.js';
import type { RunStatus } from '../ports/agent-runtime.js';
import { applyStage } from './apply-stage.js';
import type { EngineDeps } from './deps.js';

const outcomeOf = (status: RunStatus, log: string): RunOutcome => {
  const parsed = parseAgentOutput(log);
  const result = parsed.result;
  const ok = status.state === 'succeeded' && (result?.ok ?? true);
  const reason = ok ? undefined : (result?.reason ?? status.reason ?? `exit code ${status.exitCode ?? '?'}`);
  return {
    ok,
    lastLines: lastLines(log, 20),
    ...(status.interrupted === true ? { interrupted: true } : {}),
    ...(result ? { result } : {}),
    ...(reason === undefined ? {} : { reason }),
  };
};

const later = (a: string, b: string | undefined): string => (b !== undefined && b > a ? b : a);

/** The attempt record as it stands once its outcome is applied. */
const finishedRecord = (
  current: Attempt,
  status: RunStatus,
  outcome: RunOutcome,
  decision: OutcomeDecision,
  usage: UsageTotals,
  now: Date,
): Attempt => {
  const prNumber = outcome.result?.prNumber ?? current.prNumber;
  // A runtime clock (or a run that ended before k3sc marked it running) must not put the end first.
  const finishedAt = later(status.finishedAt ?? now.toISOString(), current.startedAt);
  return {
    ...current,
    phase: decision.phase,
    finishedAt,
    usage,
    lastLines: outcome.lastLines,
    ...(outcome.result ? { result: outcome.result } : {}),
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    ...(prNumber === undefined ? {} : { prNumber }),
    ...(decision.retryAfter === undefined ? {} : { retryAfter: decision.retryAfter }),
    ...(decision.interrupted ? { interrupted: true } : {}),
  };
};

/** Labels for the outcome; an issue that no longer exists (deleted, transferred) must not pin the slot. */
const applyOutcomeLabels = async (
  deps: EngineDeps,
  attempt: Attempt,
  decision: OutcomeDecision,
  signal?: AbortSignal,
): Promise<boolean> => {
  const ref = { repo: attempt.repo, number: attempt.issue };
  const opt = { alsoRemove: [attempt.slot], attempt: attempt.name, ...(signal ? { signal } : {}) };
  try {
    await applyStage(deps, ref, decision.target, 'engine', opt);
    return true;
  } catch (err) {
    if (!isK3scError(err, 'not_found')) throw err;
    deps.logger.warn({ attempt: attempt.name, err }, 'issue is gone; finishing the attempt without labels');
    deps.events.emit({
      type: 'alert',
      kind: 'attempt-failed',
      ref,
      attempt: attempt.name,
      family: attempt.family,
      message: `${issueKey(ref)} no longer exists (deleted or transferred); ${attempt.name} ended and its slot ${attempt.slot} is free`,
    });
    return false;
  }
};

const emitAlerts = (
  deps: EngineDeps,
  attempt: Attempt,
  outcome: RunOutcome,
  decision: OutcomeDecision,
): void => {
  const ref = { repo: attempt.repo, number: attempt.issue };
  if (decision.quotaUntil !== undefined)
    deps.events.emit({
      type: 'alert',
      kind: 'quota-exhausted',
      ref,
      attempt: attempt.name,
      family: attempt.family,
      message: `${attempt.family} is out of quota until ${decision.quotaUntil}`,
    });
  if (decision.alert) {
    const message = outcome.ok
      ? `${issueKey(ref)} is ${decision.target.stage}`
      : `${attempt.name} failed: ${outcome.reason ?? ''}`;
    deps.events.emit({
      type: 'alert',
      kind: decision.alert,
      ref,
      message,
      attempt: attempt.name,
      family: attempt.family,
    });
  }
};

/**
 * Applies a finished run to its issue. Every step before the record is idempotent, so a crash
 * at any point repeats them on restart without loss or duplication: the quota mark (a later
 * time wins), labels, the outcome comment (posted once, by marker), then the record, which ends
 * the attempt. Alerts are sent just before the record (at least once).
 */
export const finishAttempt = async (
  deps: EngineDeps,
  attempt: Attempt,
  status: RunStatus,
  signal?: AbortSignal,
): Promise<Attempt> => {
  const ref = { repo: attempt.repo, number: attempt.issue };
  return deps.queue.run(issueKey(ref), async () => {
    const current = await deps.store.getAttempt(attempt.name, signal);
    if (!current || (current.phase !== 'running' && current.phase !== 'pending')) return current ?? attempt;
    const log = await deps.runtime.readLog(attempt.name, signal ? { signal } : {});
    const parsed = parseAgentOutput(log);
    const outcome = outcomeOf(status, log);
    const now = deps.clock.now();
    const provisional: Attempt = {
      ...current,
      phase: outcome.ok ? 'succeeded' : 'failed',
      ...(outcome.interrupted ? { interrupted: true } : {}),
      ...(outcome.result ? { result: outcome.result } : {}),
    };
    const others = (await deps.store.listAttempts({ repo: ref.repo, issue: ref.number }, signal)).filter(
      (a) => a.name !== current.name,
    );
    const history = attemptsOf([...others, provisional], ref);
    const decision = decideOutcome(provisional, outcome, history, deps.settings, now);
    if (decision.quotaUntil !== undefined) {
      const until = decision.quotaUntil;
      await deps.store.updateDispatchState(
        (s) => ({
          ...s,
          quotaUntil: { ...s.quotaUntil, [attempt.family]: later(until, s.quotaUntil[attempt.family]) },
        }),
        signal,
      );
    }
    const exists = await applyOutcomeLabels(deps, current, decision, signal);
    if (decision.comment && exists)
      await deps.tracker.comment(ref, decision.comment, signal, { marker: `outcome:${attempt.name}` });
    const finished = finishedRecord(current, status, outcome, decision, parsed.usage, now);
    // Alerts go out before the record ends the attempt: a crash in between repeats them
    // (at least once; chat de-duplicates by kind and attempt) rather than losing them.
    emitAlerts(deps, attempt, outcome, decision);
    try {
      // Only from the phase we read: another process (a CLI dispatch, a previous leader) that
      // finished it first has reported the outcome already; one attempt, one outcome.
      await deps.store.updateAttempt(finished, signal, { ifPhase: current.phase });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      deps.logger.info({ attempt: attempt.name, err }, 'attempt already finished by another process');
      return (await deps.store.getAttempt(attempt.name, signal)) ?? finished;
    }
    deps.events.emit({ type: 'attempt-finished', ref, attempt: attempt.name, ok: outcome.ok });
    deps.logger.info(
      {
        attempt: attempt.name,
        phase: decision.phase,
        reason: outcome.reason,
        interrupted: decision.interrupted,
      },
      'attempt finished',
    );
    return finished;
  });
};
