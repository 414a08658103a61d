import type { EngineDeps } from '../engine/deps.js';
import type { Engine } from '../engine/engine.js';
import type { LocalSessionSource } from '../ports/local-sessions.js';
import type { Logger } from '../ports/logger.js';
import type { Actor } from '../usecases/actor.js';

/** What the facade is built from: the engine, its ports, and facts the composition root knows. */
export interface FarmCore {
  readonly deps: EngineDeps;
  readonly engine: Engine;
  /** `local`, `kubernetes`, with `(sandbox)` when the GitHub is the built-in fake. */
  readonly runtimeName: string;
  /** True inside `k3sc serve` (the engine loop keeps the cache fresh); false for a one-shot process. */
  readonly serving: boolean;
  /** Short correlation ids for passes a command asks for (default: 8 hex digits of a random UUID). */
  readonly newId?: () => string;
  /** Claude Code's files on this machine (`sessions`); absent where they cannot be read. */
  readonly localSessions?: LocalSessionSource;
}

/** How a query is called: how to cancel it, and where it logs. */
export interface QueryCall {
  readonly signal: AbortSignal;
  /** A child logger carrying the command's correlation id; the farm's logger when absent. */
  readonly log?: Logger;
}

/** A command also says who asks (for permission checks, audit and "killed by alice"). */
export interface CommandCall extends QueryCall {
  readonly actor: Actor;
}

export const randomId = (): string => globalThis.crypto.randomUUID().slice(0, 8);

/** The ports as one call sees them: the same ports, logging through the call's child logger. */
export const depsFor = (core: FarmCore, call: QueryCall): EngineDeps =>
  call.log ? { ...core.deps, logger: call.log } : core.deps;

/**
 * The one freshness rule of reads that use GitHub's data: a one-shot process (no loop keeps the
 * cache fresh) or a serve that has not scanned yet refreshes first — always as a dry run, so
 * looking never claims or starts anything. A serve that has scanned answers from its cache.
 */
export const freshen = async (core: FarmCore, call: QueryCall): Promise<void> => {
  if (!core.serving || !core.engine.scanned) await core.engine.pass({ dryRun: true, signal: call.signal });
};
