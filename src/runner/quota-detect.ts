import { findLimitMessage } from './limit-messages.js';
import { readResetTime } from './reset-time.js';
import type { AgentExit } from './run-agent.js';

/** Used when a usage-limit message gives no reset time we can read. */
export const DEFAULT_QUOTA_BACKOFF_MS = 60 * 60_000;

/**
 * What the agent CLI itself said about the run, as read from its output. The model's own
 * words (assistant text, a successful result's text, tool output) are never a signal.
 */
export type CliSignal =
  /** Claude's closing `result` event; the text only when it is an error result. */
  | { readonly kind: 'result'; readonly isError: boolean; readonly text?: string }
  /** A message the CLI made itself: Claude's `<synthetic>`/API-error messages, Codex `error`/`turn.failed`. */
  | { readonly kind: 'notice'; readonly text: string }
  /** Claude's `rate_limit_event`; `resetsAt` in epoch seconds. */
  | { readonly kind: 'rate-limit'; readonly status: string; readonly resetsAt?: number }
  /** An output line that is not a JSON event (a CLI run without a JSON output mode). */
  | { readonly kind: 'plain'; readonly text: string };

export interface LimitEvidence {
  /** The CLI's own error texts, latest last (a few are kept). */
  readonly notices: readonly string[];
  /** Whether the last `result` event was an error; undefined without one. */
  readonly resultError?: boolean;
  /** Latest reset (epoch ms) named by a `rate_limit_event` whose status was `rejected`. */
  readonly rejectedUntil?: number;
  /** The last plain output line. */
  readonly lastPlain?: string;
}

export const NO_EVIDENCE: LimitEvidence = { notices: [] };
const MAX_NOTICES = 20;

export const addSignal = (e: LimitEvidence, s: CliSignal): LimitEvidence => {
  switch (s.kind) {
    case 'result': {
      const notices = s.text === undefined ? e.notices : [...e.notices, s.text].slice(-MAX_NOTICES);
      return { ...e, notices, resultError: s.isError };
    }
    case 'notice':
      return { ...e, notices: [...e.notices, s.text].slice(-MAX_NOTICES) };
    case 'rate-limit':
      if (s.status !== 'rejected') return e;
      return { ...e, rejectedUntil: Math.max(e.rejectedUntil ?? 0, (s.resetsAt ?? 0) * 1000) };
    case 'plain':
      return s.text.trim() === '' ? e : { ...e, lastPlain: s.text };
  }
};

/**
 * The ISO time the family may run again, when the agent stopped on a usage limit; else
 * undefined. Only a failed run can be a usage-limit hit: the agent exited non-zero or the CLI
 * reported an error result, it was not stopped by the runner, and the CLI did not report
 * success. Then the evidence must be a known limit message in the CLI's own error channels
 * (or, when it printed no JSON events, as its last plain line), or a `rejected` rate-limit event.
 */
export const detectUsageLimit = (e: LimitEvidence, exit: AgentExit, now: Date): string | undefined => {
  if (exit.spawnError !== undefined || exit.aborted || exit.timedOut) return undefined;
  if (e.resultError === false) return undefined;
  const exitedBadly = exit.exitCode !== 0;
  if (!exitedBadly && e.resultError !== true) return undefined;
  const message = findLimitMessage(e.notices, exitedBadly ? e.lastPlain : undefined);
  if (message === undefined && e.rejectedUntil === undefined) return undefined;
  const fromEvent = e.rejectedUntil === undefined ? undefined : new Date(e.rejectedUntil);
  const candidates = [fromEvent, message === undefined ? undefined : readResetTime(message, now)];
  const reset = candidates.find((d) => d !== undefined && !Number.isNaN(d.getTime()) && d > now);
  return (reset ?? new Date(now.getTime() + DEFAULT_QUOTA_BACKOFF_MS)).toISOString();
};
