import type { EngineDeps } from '../core/engine/deps.js';
import type { Engine } from '../core/engine/engine.js';
import type { Actor } from '../core/usecases/actor.js';

/** What commands can reach: the engine and its ports, plus facts the composition root knows. */
export interface Farm {
  readonly deps: EngineDeps;
  readonly engine: Engine;
  /** `local`, `kubernetes`, with `(sandbox)` when the GitHub is the built-in fake. */
  readonly runtimeName: string;
  /** True inside `k3sc serve` (the engine loop runs); false for a one-shot CLI process. */
  readonly serving: boolean;
}

export interface CommandContext {
  readonly farm: Farm;
  readonly actor: Actor;
  readonly signal: AbortSignal;
  /** Where output lines of a streaming command (`logs -f`) go. */
  readonly stream?: (line: string) => void;
}
