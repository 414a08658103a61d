import { planPrune } from '../domain/plan-prune.js';
import type { Attempt } from '../model/attempt.js';
import type { EngineDeps } from './deps.js';

/**
 * TTL cleanup (`scan.task_ttl`): the ended attempts `planPrune` picks lose their run first
 * (a local run directory, a finished Job), then their record. A crash in between leaves the
 * record, and the next pass repeats both (each is a no-op once done). `attempts` is what the
 * pass already listed, so a pass with nothing to prune makes no extra request.
 */
export const pruneFinished = async (
  deps: EngineDeps,
  attempts: readonly Attempt[],
  signal?: AbortSignal,
): Promise<number> => {
  const names = planPrune(attempts, deps.clock.now(), deps.settings.scan.taskTtlMs);
  if (names.length === 0) return 0;
  for (const name of names) await deps.runtime.discardEnded?.(name, signal);
  const removed = await deps.store.pruneAttempts(names, signal);
  deps.logger.info(
    { removed, ttlMs: deps.settings.scan.taskTtlMs },
    'ended attempts past scan.task_ttl removed',
  );
  return removed;
};
