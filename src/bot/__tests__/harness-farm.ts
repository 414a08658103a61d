import { createFarmApi, type Actor, type RbacPolicy } from '../../core/api/farm-api.js';
import { createHarness, type EngineHarness, type HarnessOptions } from '../../testing/engine-harness.js';
import { createCommandRouter } from '../command-router.js';
import { farmOf, type Farm } from '../farm.js';
import type { AuditEntry, AuditLog } from '../run-command.js';
import type { CommandRouter } from '../transport.js';

/** A Farm (the core facade) over the in-memory engine harness (memory tracker, runtime, store, fake clock). */
export interface HarnessFarm {
  readonly h: EngineHarness;
  readonly farm: Farm;
}

/** Ids `id-1`, `id-2`, … so tests can name the correlation id they expect. */
export const sequentialIds = (prefix = 'id'): (() => string) => {
  let n = 0;
  return () => `${prefix}-${++n}`;
};

export const harnessFarm = (opts: HarnessOptions & { serving?: boolean } = {}): HarnessFarm => {
  const h = createHarness(opts);
  const api = createFarmApi({
    deps: h.deps,
    engine: h.engine,
    serving: opts.serving ?? false,
    runtimeName: 'memory',
    newId: sequentialIds('pass'),
  });
  return { h, farm: farmOf(api) };
};

export const NO_RBAC: RbacPolicy = { admins: [], operators: [], viewers: [], unknown: 'viewer' };

/** The shared router over a harness farm, recording its audit entries. */
export const harnessRouter = (
  setup: HarnessFarm,
  policy: RbacPolicy = NO_RBAC,
): { router: CommandRouter; audit: MemoryAudit } => {
  const audit = new MemoryAudit();
  const router = createCommandRouter({
    farm: setup.farm,
    logger: setup.h.logger,
    audit,
    policy,
    newId: sequentialIds('cmd'),
  });
  return { router, audit };
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
