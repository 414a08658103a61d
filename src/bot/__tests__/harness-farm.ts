import type { Actor } from '../../core/usecases/actor.js';
import { createHarness, type EngineHarness, type HarnessOptions } from '../../testing/engine-harness.js';
import type { Farm } from '../farm.js';
import type { AuditEntry, AuditLog } from '../run-command.js';

/** A Farm over the in-memory engine harness (memory tracker, runtime, store, fake clock). */
export interface HarnessFarm {
  readonly h: EngineHarness;
  readonly farm: Farm;
}

export const harnessFarm = (opts: HarnessOptions & { serving?: boolean } = {}): HarnessFarm => {
  const h = createHarness(opts);
  const farm: Farm = {
    deps: h.deps,
    engine: h.engine,
    serving: opts.serving ?? false,
    runtimeName: 'memory',
  };
  return { h, farm };
};

export const actor = (role: Actor['role'], name: string = role): Actor => ({
  id: `test:${name}`,
  display: name,
  role,
});

export class MemoryAudit implements AuditLog {
  readonly entries: AuditEntry[] = [];
  record(entry: AuditEntry): void {
    this.entries.push(entry);
  }
}
