import type { FarmApi, Logger } from '../core/api/farm-api.js';
import type { AuditEntry, AuditLog } from './run-command.js';

export interface DurableAudit extends AuditLog {
  /** Resolves once every entry recorded so far is written (call before the store closes). */
  flush(): Promise<void>;
}

/**
 * The audit log of serve and the CLI: each entry goes to the log (as `audit`) and, in order, to
 * the store through the facade (`audit` records). A failed write is logged, never thrown at the
 * command that caused it.
 */
export const durableAudit = (api: Pick<FarmApi, 'recordAudit'>, logger: Logger): DurableAudit => {
  let chain: Promise<void> = Promise.resolve();
  return {
    record: (entry: AuditEntry) => {
      logger.info({ audit: entry }, 'command');
      chain = chain
        .then(() => api.recordAudit(entry))
        .catch((err: unknown) => logger.warn({ err, cid: entry.cid }, 'audit entry not stored'));
    },
    flush: () => chain,
  };
};
