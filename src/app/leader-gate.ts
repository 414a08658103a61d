import type { Logger } from '../core/ports/logger.js';

/** Who may perform side effects: with several replicas, only the elected one. */
export interface LeaderGate {
  readonly identity: string;
  isLeader(): boolean;
  /** Resolves, once this replica leads, with a signal that aborts when it stops leading. */
  whenLeading(signal: AbortSignal): Promise<AbortSignal | undefined>;
  /** Campaigns and renews until `signal` aborts (then releases the lease). */
  run(signal: AbortSignal): Promise<void>;
}

/**
 * Runs `body` (the engine loop: GitHub writes, Job creation) only while this replica leads:
 * it starts on election and is aborted on losing the lease, then waits for the next election.
 * A follower keeps serving reads.
 */
export const runWhileLeader = async (
  gate: LeaderGate,
  signal: AbortSignal,
  body: (signal: AbortSignal) => Promise<void>,
  logger: Logger,
): Promise<void> => {
  // The campaign outlives the loop: on shutdown the Lease is released only once the loop has
  // stopped (its last writes included), so a successor never overlaps them (ADR 0008).
  const campaignCtl = new AbortController();
  const campaign = gate.run(campaignCtl.signal);
  try {
    while (!signal.aborted) {
      const leading = await gate.whenLeading(signal);
      if (leading === undefined) break;
      logger.info({ identity: gate.identity }, 'leading: the engine loop runs here');
      await body(AbortSignal.any([signal, leading]));
      if (!signal.aborted)
        logger.warn({ identity: gate.identity }, 'no longer leading: the engine loop stopped');
    }
  } finally {
    campaignCtl.abort();
    await campaign;
  }
};
