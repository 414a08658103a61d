import type { DurableAudit } from '../../bot/durable-audit.js';
import type { EngineEvent, EventSink } from '../../core/engine/events.js';

/** Does this engine event change what the dashboard shows (slots, running, queue, PRs, leases, quota)? */
export const changesDashboard = (e: EngineEvent): boolean => {
  switch (e.type) {
    case 'transition':
    case 'attempt-started':
    case 'attempt-finished':
    case 'alert':
      return true;
    case 'scan':
      return e.dispatched > 0 || e.changed > 0;
    default:
      return false;
  }
};

/**
 * "Something the dashboard shows may have changed", from the two places changes come from:
 * engine events (transitions, attempts started and finished, alerts such as an expired lease or
 * a family's quota, scans that changed something) and commands (pause, scale, take, release,
 * enable, … from the page, chat, the CLI's control API — every command that ends `ok` in the
 * audit log). Made before the engine and the page exist; the page connects later.
 */
export class DashboardSignal implements EventSink {
  private readonly targets = new Set<() => void>();

  emit(e: EngineEvent): void {
    if (changesDashboard(e)) this.fire();
  }

  /** A command finished; `result` is its audit result (`ok` or an error code). */
  command(result: string): void {
    if (result === 'ok') this.fire();
  }

  /** The same audit log, telling this signal of every command it records. */
  watchAudit(audit: DurableAudit): DurableAudit {
    return {
      record: (entry) => {
        audit.record(entry);
        this.command(entry.result);
      },
      flush: () => audit.flush(),
    };
  }

  connect(fn: () => void): () => void {
    this.targets.add(fn);
    return () => void this.targets.delete(fn);
  }

  private fire(): void {
    for (const fn of this.targets) {
      try {
        fn();
      } catch {
        /* a broken listener must not stop the engine or the command */
      }
    }
  }
}
