import { isLive, type Attempt } from '../model/attempt.js';
import { sameRepo, type IssueRef } from '../model/refs.js';

/** Attempts of one issue, oldest first. Never confuses equal numbers in different repos. */
export const attemptsOf = (attempts: readonly Attempt[], ref: IssueRef): Attempt[] =>
  attempts.filter((a) => a.issue === ref.number && sameRepo(a.repo, ref.repo)).sort((a, b) => a.seq - b.seq);

export const liveAttemptOf = (attempts: readonly Attempt[], ref: IssueRef): Attempt | undefined =>
  attemptsOf(attempts, ref).find(isLive);

export const nextSeq = (history: readonly Attempt[]): number =>
  history.reduce((max, a) => Math.max(max, a.seq), 0) + 1;

/**
 * Implementation failures since the last attempt that did not fail. Quota hits and runs that
 * k3sc itself interrupted (a shutdown) do not count.
 */
export const consecutiveFailures = (history: readonly Attempt[]): number => {
  let n = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const a = history[i];
    if (a === undefined || a.kind !== 'implement' || a.interrupted === true) continue;
    if (a.phase !== 'failed') break;
    if (a.result?.quotaResetAt === undefined) n++;
  }
  return n;
};

/**
 * Attempts in a row (of either kind, newest first) that ended on an agent usage limit; the
 * engine parks an issue that keeps bouncing between families instead of cycling forever.
 */
export const consecutiveQuotaHits = (history: readonly Attempt[]): number => {
  let n = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const a = history[i];
    if (a === undefined || a.interrupted === true) continue;
    if (a.phase !== 'failed' || a.result?.quotaResetAt === undefined) break;
    n++;
  }
  return n;
};

export const lastImplementation = (history: readonly Attempt[]): Attempt | undefined =>
  [...history].reverse().find((a) => a.kind === 'implement');

/** Attempts in a row (newest first) that k3sc itself cut short. */
export const consecutiveInterruptions = (history: readonly Attempt[]): number => {
  let n = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i]?.interrupted !== true) break;
    n++;
  }
  return n;
};
