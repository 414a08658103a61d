import { describe, expect, it } from 'vitest';
import type { Attempt } from '../model/attempt.js';
import { consecutiveFailures, consecutiveQuotaHits, lastImplementation, nextSeq } from './issue-history.js';
import { planPrune } from './plan-prune.js';

const HOUR = 3_600_000;
const NOW = new Date('2026-03-10T12:00:00.000Z');
const ago = (h: number): string => new Date(NOW.getTime() - h * HOUR).toISOString();

const att = (seq: number, o: Partial<Attempt> = {}): Attempt => ({
  name: `acme-widgets-${o.issue ?? 1}-${seq}`,
  repo: { owner: 'acme', name: 'widgets' },
  issue: 1,
  seq,
  kind: 'implement',
  family: 'claude',
  slot: 'claude-a',
  phase: 'succeeded',
  createdAt: ago(100),
  finishedAt: ago(50),
  requestedBy: 'engine',
  ...o,
});

describe('planPrune (scan.task_ttl)', () => {
  it('removes ended attempts past the ttl that come before the newest successful implementation', () => {
    const history = [
      att(1, { phase: 'failed' }),
      att(2, { kind: 'review' }),
      att(3),
      att(4, { kind: 'review' }),
    ];
    expect(planPrune(history, NOW, 24 * HOUR)).toEqual(['acme-widgets-1-1', 'acme-widgets-1-2']);
  });

  it('keeps attempts that ended within the ttl, and live ones', () => {
    const history = [
      att(1, { finishedAt: ago(1) }),
      att(2, { finishedAt: ago(30) }),
      { ...att(3, { phase: 'running' }), finishedAt: undefined } as unknown as Attempt,
      att(4),
    ];
    expect(planPrune(history, NOW, 24 * HOUR)).toEqual(['acme-widgets-1-2']);
  });

  it('keeps a whole failure streak: the cap and the quota counts read all of it', () => {
    const streak = [att(1, { phase: 'failed' }), att(2, { phase: 'failed' }), att(3, { phase: 'failed' })];
    expect(planPrune(streak, NOW, HOUR)).toEqual([]);
    const quota = [
      att(1),
      att(2, { phase: 'failed', result: { ok: false, quotaResetAt: ago(40) } }),
      att(3, { phase: 'failed', interrupted: true }),
    ];
    expect(planPrune(quota, NOW, HOUR)).toEqual([]);
  });

  it('never changes what the engine reads of a history', () => {
    const history = [
      att(1, { phase: 'failed' }),
      att(2),
      att(3, { phase: 'failed' }),
      att(4, { phase: 'killed' }),
      att(5, { phase: 'failed', interrupted: true }),
      att(6, { phase: 'failed' }),
      att(7, { kind: 'review', phase: 'failed', result: { ok: false, quotaResetAt: ago(40) } }),
    ];
    const gone = new Set(planPrune(history, NOW, HOUR));
    expect([...gone].sort()).toEqual(['acme-widgets-1-1', 'acme-widgets-1-2', 'acme-widgets-1-3']);
    const kept = history.filter((a) => !gone.has(a.name));
    for (const count of [consecutiveFailures, consecutiveQuotaHits, nextSeq])
      expect(count(kept)).toBe(count(history));
    expect(lastImplementation(kept)).toEqual(lastImplementation(history));
  });

  it('judges each issue on its own history; equal numbers in two repositories are never mixed', () => {
    const other = { owner: 'acme', name: 'gadgets' };
    const attempts = [
      att(1),
      att(2),
      { ...att(1, { phase: 'failed' }), repo: other, name: 'acme-gadgets-1-1' },
      { ...att(2, { phase: 'failed' }), repo: other, name: 'acme-gadgets-1-2' },
    ];
    expect(planPrune(attempts, NOW, HOUR)).toEqual(['acme-widgets-1-1']);
  });
});
