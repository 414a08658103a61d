import type { Attempt } from '../model/attempt.js';
import type { EngineDeps } from './deps.js';

/** After this many passes in a row that could not apply an attempt, people are told. */
export const STUCK_AFTER = 5;

/**
 * Counts, per attempt, the passes in a row whose reconcile failed (a transition GitHub keeps
 * refusing, a runtime that keeps erroring), and raises one `attempt-stuck` alert when an attempt
 * reaches STUCK_AFTER, so a slot is never pinned silently. Lives in the engine, per process.
 */
export class StuckAttempts {
  private readonly failures = new Map<string, number>();

  failed(deps: EngineDeps, attempt: Attempt, err: unknown): void {
    const n = (this.failures.get(attempt.name) ?? 0) + 1;
    this.failures.set(attempt.name, n);
    if (n !== STUCK_AFTER) return;
    const why = err instanceof Error ? err.message : String(err);
    deps.events.emit({
      type: 'alert',
      kind: 'attempt-stuck',
      ref: { repo: attempt.repo, number: attempt.issue },
      message: `${attempt.name} (${attempt.slot}) could not be applied ${n} passes in a row: ${why}; its slot stays busy until this is fixed (or kill/reset it)`,
    });
  }

  succeeded(attempt: Attempt): void {
    this.failures.delete(attempt.name);
  }
}
