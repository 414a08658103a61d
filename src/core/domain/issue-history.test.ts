import { describe, expect, it } from 'vitest';
import { makeAttempt, OTHER, REPO } from '../../testing/engine-fixtures.js';
import {
  attemptsOf,
  consecutiveFailures,
  lastImplementation,
  liveAttemptOf,
  nextSeq,
} from './issue-history.js';

describe('issue history', () => {
  const all = [
    makeAttempt(1, 2, { phase: 'running' }),
    makeAttempt(1, 1, { phase: 'succeeded' }),
    makeAttempt(1, 5, { repo: OTHER }),
    makeAttempt(11, 3),
  ];

  it('selects one issue of one repo, ordered by seq', () => {
    expect(attemptsOf(all, { repo: REPO, number: 1 }).map((a) => a.name)).toEqual(['o-r-1-1', 'o-r-1-2']);
    expect(liveAttemptOf(all, { repo: REPO, number: 1 })?.seq).toBe(2);
    expect(liveAttemptOf(all, { repo: OTHER, number: 1 })).toBeUndefined();
  });

  it('numbers the next attempt after the highest seq', () => {
    expect(nextSeq([makeAttempt(1, 4), makeAttempt(1, 2)])).toBe(5);
    expect(nextSeq([])).toBe(1);
  });

  it('counts implementation failures since the last non-failure, skipping reviews and quota hits', () => {
    const quota = makeAttempt(1, 3, { result: { ok: false, quotaResetAt: '2026-01-01T00:00:00.000Z' } });
    const h = [
      makeAttempt(1, 1, { phase: 'succeeded' }),
      makeAttempt(1, 2),
      quota,
      makeAttempt(1, 4, { kind: 'review' }),
      makeAttempt(1, 5),
    ];
    expect(consecutiveFailures(h)).toBe(2);
    expect(
      consecutiveFailures([makeAttempt(1, 1), makeAttempt(1, 2, { phase: 'killed' }), makeAttempt(1, 3)]),
    ).toBe(1);
    expect(lastImplementation(h)?.seq).toBe(5);
  });
});
