import type { Attempt } from '../model/attempt.js';
import type { DispatchState } from '../model/dispatch-state.js';
import type { ReviewLease } from '../model/lease.js';

export interface DueInput {
  readonly now: Date;
  readonly attempts: readonly Attempt[];
  readonly leases: readonly ReviewLease[];
  readonly state: DispatchState;
  readonly orphanGraceMs: number;
}

/**
 * The earliest future moment at which a pass has something to do without any outside trigger:
 * a retry back-off ends, a family's usage limit resets, a lease expires, or an orphan's grace
 * period ends. The loop sleeps until then at the latest, instead of a whole idle interval.
 */
export const nextDueAt = (input: DueInput): Date | undefined => {
  const now = input.now.getTime();
  const times: number[] = [
    ...input.attempts.map((a) => a.retryAfter),
    ...Object.values(input.state.quotaUntil),
    ...input.leases.map((l) => l.expiresAt),
  ]
    .filter((t): t is string => t !== undefined)
    .map((t) => Date.parse(t));
  for (const seen of Object.values(input.state.orphansSeen))
    times.push(Date.parse(seen) + input.orphanGraceMs);
  const future = times.filter((t) => Number.isFinite(t) && t > now);
  return future.length === 0 ? undefined : new Date(Math.min(...future));
};
