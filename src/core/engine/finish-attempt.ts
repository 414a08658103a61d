import { lastLines, parseAgentOutput } from '../domain/agent-output.js';
import { decideOutcome, type OutcomeDecision, type RunOutcome } from '../domain/decide-outcome.js';
import { attemptsOf } from '../domain/issue-history.js';
import type { Attempt, UsageTotals } from '../model/attempt.js';
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
    ...(result ? { result } : {}),
    ...(reason === undefined ? {} : { reason }),
  };
};

/**
 * Applies a finished run to its issue: labels and comment first (idempotent), then the record,
 * so a crash in between repeats the transition instead of losing it.
 */
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
  return {
    ...current,
    phase: decision.phase,
    finishedAt: status.finishedAt ?? now.toISOString(),
    usage,
    lastLines: outcome.lastLines,
    ...(outcome.result ? { result: outcome.result } : {}),
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    ...(prNumber === undefined ? {} : { prNumber }),
    ...(decision.retryAfter === undefined ? {} : { retryAfter: decision.retryAfter }),
  };
};

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
    const provisional: Attempt = { ...current, phase: outcome.ok ? 'succeeded' : 'failed' };
    const others = (await deps.store.listAttempts({ repo: ref.repo, issue: ref.number }, signal)).filter(
      (a) => a.name !== current.name,
    );
    const history = attemptsOf([...others, provisional], ref);
    const decision = decideOutcome(provisional, outcome, history, deps.settings, now);
    const by = 'engine';
    const opt = { alsoRemove: [attempt.slot], attempt: attempt.name, ...(signal ? { signal } : {}) };
    // Labels before the comment: a failed label write (the first write) then repeats without
    // having posted the comment twice.
    await applyStage(deps, ref, decision.target, by, opt);
    if (decision.comment) await deps.tracker.comment(ref, decision.comment, signal);
    const finished = finishedRecord(current, status, outcome, decision, parsed.usage, now);
    await deps.store.updateAttempt(finished, signal);
    if (decision.quotaUntil !== undefined) {
      const until = decision.quotaUntil;
      await deps.store.updateDispatchState(
        (s) => ({ ...s, quotaUntil: { ...s.quotaUntil, [attempt.family]: until } }),
        signal,
      );
      deps.events.emit({
        type: 'alert',
        kind: 'quota-exhausted',
        ref,
        message: `${attempt.family} is out of quota until ${until}`,
      });
    }
    deps.events.emit({ type: 'attempt-finished', ref, attempt: attempt.name, ok: outcome.ok });
    if (decision.alert) {
      const message = outcome.ok
        ? `${issueKey(ref)} is ${decision.target.stage}`
        : `${attempt.name} failed: ${outcome.reason ?? ''}`;
      deps.events.emit({ type: 'alert', kind: decision.alert, ref, message });
    }
    deps.logger.info(
      { attempt: attempt.name, phase: decision.phase, reason: outcome.reason },
      'attempt finished',
    );
    return finished;
  });
};
