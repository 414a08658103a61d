import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../core/api/farm-api.js';
import { DashboardSignal } from './dashboard-signal.js';

const ref = { repo: { owner: 'o', name: 'r' }, number: 1 };
const entry = (command: string, result: string): AuditEntry => ({
  at: '2026-12-02T00:00:00.000Z',
  cid: 'c1',
  actor: 'web:ops',
  where: 'web',
  command,
  args: {},
  result,
});

describe('DashboardSignal', () => {
  it('fires for engine events that change the dashboard, not for a scan that changed nothing', () => {
    const s = new DashboardSignal();
    let n = 0;
    s.connect(() => n++);
    s.emit({ type: 'transition', ref, from: 'ready', to: 'claimed', by: 'k3sc' });
    s.emit({ type: 'attempt-started', ref, attempt: 'a1', slot: 'claude-1' });
    s.emit({ type: 'attempt-finished', ref, attempt: 'a1', ok: true });
    s.emit({ type: 'alert', kind: 'lease-expired', message: 'lease gone' });
    expect(n).toBe(4);
    s.emit({ type: 'scan', repos: 1, dispatched: 0, changed: 0 });
    expect(n).toBe(4);
    s.emit({ type: 'scan', repos: 1, dispatched: 1, changed: 0 });
    expect(n).toBe(5);
  });

  it('fires for every command that ended ok in the audit log, which still records everything', async () => {
    const s = new DashboardSignal();
    let n = 0;
    const off = s.connect(() => n++);
    const seen: AuditEntry[] = [];
    const audit = s.watchAudit({ record: (e) => void seen.push(e), flush: () => Promise.resolve() });
    audit.record(entry('pause', 'ok'));
    audit.record(entry('kill', 'forbidden'));
    expect(n).toBe(1);
    expect(seen.map((e) => e.result)).toEqual(['ok', 'forbidden']);
    await audit.flush();
    off();
    audit.record(entry('scale', 'ok'));
    expect(n).toBe(1);
  });

  it('a throwing listener does not break the engine', () => {
    const s = new DashboardSignal();
    s.connect(() => {
      throw new Error('boom');
    });
    expect(() => s.emit({ type: 'attempt-finished', ref, attempt: 'a', ok: false })).not.toThrow();
  });
});
