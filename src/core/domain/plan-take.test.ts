import { describe, expect, it } from 'vitest';
import {
  at,
  itemsOf,
  makeAttempt,
  makeLease,
  makePull,
  NOW,
  OTHER,
  T0,
} from '../../testing/engine-fixtures.js';
import { isExpired, planTakeCandidates, pullSkip, validWorker } from './plan-take.js';

const FAMS = ['claude', 'codex'];
const PATTERN = 'issue-{N}';

describe('planTakeCandidates order', () => {
  it('puts perf: first, then fix:, then the rest; oldest first within each', () => {
    const pulls = [
      makePull(1, 'a', { title: 'Add docs', createdAt: at(T0, 1) }),
      makePull(2, 'b', { title: 'fix: crash', createdAt: at(T0, 5) }),
      makePull(3, 'c', { title: 'perf: faster', createdAt: at(T0, 9) }),
      makePull(4, 'd', { title: 'Fix(api): null', createdAt: at(T0, 2) }),
      makePull(5, 'e', { title: 'refactor', createdAt: at(T0, 0) }),
      makePull(6, 'f', { title: 'perf(db): index', createdAt: at(T0, 3) }),
    ];
    const order = planTakeCandidates(itemsOf([], pulls), FAMS, [], [], PATTERN).map((p) => p.number);
    expect(order).toEqual([6, 3, 4, 2, 5, 1]);
  });
});

describe('pullSkip', () => {
  it('skips owned, waiting, leased, closed, and PRs whose issue has a live attempt', () => {
    const cases: [ReturnType<typeof makePull>, string | undefined][] = [
      [makePull(1, 'issue-11'), undefined],
      [makePull(2, 'issue-12', { labels: ['claude-b'] }), 'owned'],
      [makePull(3, 'issue-13', { labels: ['waiting'] }), 'waiting'],
      [makePull(4, 'issue-14'), 'leased'],
      [makePull(5, 'issue-15'), 'live-attempt'],
      [makePull(6, 'issue-16', { state: 'closed' }), 'closed'],
    ];
    const leases = [makeLease(4, 'codex-r')];
    const attempts = [makeAttempt(15, 1, { phase: 'running' }), makeAttempt(11, 1, { phase: 'succeeded' })];
    for (const [pr, why] of cases) expect(pullSkip(pr, FAMS, leases, attempts, PATTERN)).toBe(why);
    const items = itemsOf(
      [],
      cases.map(([p]) => p),
    );
    expect(planTakeCandidates(items, FAMS, leases, attempts, PATTERN).map((p) => p.number)).toEqual([1]);
  });

  it('does not confuse repositories for leases or live attempts', () => {
    const pr = makePull(4, 'issue-15');
    const leases = [makeLease(4, 'codex-r', { repo: OTHER })];
    const attempts = [makeAttempt(15, 1, { phase: 'running', repo: OTHER })];
    expect(pullSkip(pr, FAMS, leases, attempts, PATTERN)).toBeUndefined();
  });
});

describe('leases', () => {
  it('expire at expiresAt', () => {
    const lease = makeLease(1, 'claude-b', { expiresAt: NOW.toISOString() });
    expect(isExpired(lease, new Date(NOW.getTime() - 1))).toBe(false);
    expect(isExpired(lease, NOW)).toBe(true);
  });

  it('accept only <family>-<id> workers of configured families', () => {
    expect(['claude-b', 'codex-review-1'].map((w) => validWorker(w, FAMS))).toEqual([true, true]);
    expect(
      ['gemini-a', 'claude', 'claude-', 'Claude-b', 'claude-b!'].map((w) => validWorker(w, FAMS)),
    ).toEqual([false, false, false, false, false]);
  });
});
