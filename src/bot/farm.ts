import type { Actor, FarmApi, Logger } from '../core/api/farm-api.js';
import type { ChatServices } from './transport.js';

/** What commands can reach: the core facade, plus facts the composition root knows. */
export interface Farm {
  readonly api: FarmApi;
  /** `local`, `kubernetes`, with `(sandbox)` when the GitHub is the built-in fake. */
  readonly runtimeName: string;
  /** True inside `k3sc serve` (the engine loop runs); false for a one-shot CLI process. */
  readonly serving: boolean;
  /** Threads, log follows and review hand-offs on Slack/Discord (serve with a chat outbox only). */
  readonly chat?: ChatServices;
}

/** A Farm over a facade (the facade knows its runtime name and whether it serves). */
export const farmOf = (api: FarmApi): Farm => ({ api, runtimeName: api.runtimeName, serving: api.serving });

export interface CommandContext {
  readonly farm: Farm;
  readonly actor: Actor;
  readonly signal: AbortSignal;
  /** This command's child logger (its correlation id, command name and actor are bound). */
  readonly log: Logger;
  /** Where output lines of a streaming command (`logs -f`) go. */
  readonly stream?: (line: string) => void;
}
