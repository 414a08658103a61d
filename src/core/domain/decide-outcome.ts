import type { AgentResult, Attempt, AttemptPhase } from '../model/attempt.js';
import type { EngineSettings } from '../model/settings.js';
import { retryDelay } from './backoff.js';
import { consecutiveFailures, consecutiveInterruptions, consecutiveQuotaHits } from './issue-history.js';
import type { TargetStage } from './labels.js';

/** How a run ended, as read from the runtime and the `[result]` line. */
export interface RunOutcome {
  readonly ok: boolean;
  /** k3sc ended the run for its own reasons (shutdown): put the issue back, count nothing. */
  readonly interrupted?: boolean;
  readonly reason?: string;
  readonly result?: AgentResult;
  readonly lastLines: readonly string[];
}

export interface OutcomeDecision {
  readonly phase: Extract<AttemptPhase, 'succeeded' | 'failed'>;
  readonly target: TargetStage;
  /** A comment to post on the issue, if any. */
  readonly comment?: string;
  readonly retryAfter?: string;
  /** Set when the family hit its usage limit: unavailable until this time. */
  readonly quotaUntil?: string;
  /** The run was interrupted by k3sc itself: recorded, never counted as a failure. */
  readonly interrupted?: boolean;
  /** The alert kind this transition raises. */
  readonly alert?: 'attempt-failed' | 'parked' | 'needs-human' | 'needs-review';
}

/** Interrupted attempts in a row after which the issue is parked. */
export const MAX_INTERRUPTIONS = 10;

const fence = (lines: readonly string[]): string =>
  lines.length === 0 ? '' : `\n\nLast output:\n\`\`\`\n${lines.slice(-20).join('\n')}\n\`\`\``;

/**
 * The label-machine rows for a finished attempt. `history` is the attempts with this
 * one already marked failed/succeeded, so failure counting includes it.
 */
export const decideOutcome = (
  attempt: Attempt,
  outcome: RunOutcome,
  history: readonly Attempt[],
  settings: EngineSettings,
  now: Date,
): OutcomeDecision => {
  const reason = outcome.reason ?? outcome.result?.reason ?? 'the agent reported failure';
  const quotaUntil = outcome.result?.quotaResetAt;
  const back =
    attempt.kind === 'implement' ? { stage: 'ready' as const } : { stage: 'needs-review' as const };
  if (outcome.interrupted && !outcome.ok) {
    const times = consecutiveInterruptions(history);
    if (times < MAX_INTERRUPTIONS) return { phase: 'failed', target: back, interrupted: true };
    // Not the fault, but something keeps cutting its runs short (a k3sc crash loop, a
    // restart timed for ever before the run ends): a person should look, not a loop.
    const comment = `k3sc parked this issue: its last ${times} attempts were all cut short by k3sc itself (last: ${attempt.name}, ${outcome.reason ?? 'interrupted'}). Re-label it ready to try again.`;
    return { phase: 'failed', target: { stage: 'needs-human' }, comment, interrupted: true, alert: 'parked' };
  }
  if (outcome.ok) {
    return attempt.kind === 'implement'
      ? { phase: 'succeeded', target: { stage: 'needs-review' }, alert: 'needs-review' }
      : { phase: 'succeeded', target: { stage: 'needs-human' }, alert: 'needs-human' };
  }
  if (quotaUntil !== undefined) {
    const bounces = consecutiveQuotaHits(history);
    if (bounces >= settings.maxQuotaBounces) {
      const comment =
        `k3sc parked this issue: its last ${bounces} attempts all hit an agent usage limit ` +
        `(last: ${attempt.name} by ${attempt.slot}, limit until ${quotaUntil}). Re-label it ready when quota is back.`;
      return { phase: 'failed', target: { stage: 'needs-human' }, comment, quotaUntil, alert: 'parked' };
    }
    // Not the fault: put it back where it was; the family waits for its reset.
    return { phase: 'failed', target: back, quotaUntil, alert: 'attempt-failed' };
  }
  if (attempt.kind === 'review') {
    const comment = `k3sc: review by ${attempt.slot} failed (attempt ${attempt.name}): ${reason}${fence(outcome.lastLines)}`;
    return { phase: 'failed', target: { stage: 'needs-human' }, comment, alert: 'needs-human' };
  }
  const failures = consecutiveFailures(history);
  if (failures >= settings.maxAttempts) {
    const comment =
      `k3sc parked this issue after ${failures} failed attempts. Last attempt ${attempt.name} by ${attempt.slot}: ` +
      `${reason}${fence(outcome.lastLines)}`;
    return { phase: 'failed', target: { stage: 'needs-human' }, comment, alert: 'parked' };
  }
  const retryAfter = new Date(now.getTime() + retryDelay(failures, settings.retryBackoffMs)).toISOString();
  return { phase: 'failed', target: { stage: 'ready' }, retryAfter, alert: 'attempt-failed' };
};
