import { describe, expect, it } from 'vitest';
import { at, makeAttempt, makeSettings, minutes, NOW } from '../../testing/engine-fixtures.js';
import type { Attempt } from '../model/attempt.js';
import { decideOutcome, type RunOutcome } from './decide-outcome.js';

const settings = makeSettings();
const ok: RunOutcome = { ok: true, lastLines: ['done'] };
const fail = (reason: string, lines: string[] = ['line 1', 'line 2']): RunOutcome => ({
  ok: false,
  reason,
  lastLines: lines,
});

/** History ending with `current` (already marked failed/succeeded), as finishAttempt builds it. */
const decide = (current: Attempt, outcome: RunOutcome, earlier: Attempt[] = []) =>
  decideOutcome(current, outcome, [...earlier, current], settings, NOW);

describe('decideOutcome on success', () => {
  it('implement ok → needs-review', () => {
    const a = makeAttempt(1, 1, { phase: 'succeeded' });
    expect(decide(a, ok)).toEqual({
      phase: 'succeeded',
      target: { stage: 'needs-review' },
      alert: 'needs-review',
    });
  });

  it('review ok → needs-human', () => {
    const a = makeAttempt(1, 2, { phase: 'succeeded', kind: 'review', slot: 'codex-a' });
    expect(decide(a, ok)).toEqual({
      phase: 'succeeded',
      target: { stage: 'needs-human' },
      alert: 'needs-human',
    });
  });
});

describe('decideOutcome on implementation failure', () => {
  it('1st failure → ready, retry after 1 minute', () => {
    const d = decide(makeAttempt(1, 1), fail('tests failed'));
    expect(d).toEqual({
      phase: 'failed',
      target: { stage: 'ready' },
      retryAfter: at(NOW, minutes(1)),
      alert: 'attempt-failed',
    });
  });

  it('2nd consecutive failure → ready, retry after 5 minutes', () => {
    const d = decide(makeAttempt(1, 2), fail('tests failed'), [makeAttempt(1, 1)]);
    expect(d).toMatchObject({ target: { stage: 'ready' }, retryAfter: at(NOW, minutes(5)) });
    expect(d.comment).toBeUndefined();
  });

  it('3rd failure → needs-human, parked, with a comment giving reason and last lines', () => {
    const d = decide(
      makeAttempt(1, 3, { slot: 'codex-a' }),
      fail('tests failed', ['npm test', 'FAIL x.test.ts']),
      [makeAttempt(1, 1), makeAttempt(1, 2)],
    );
    expect(d).toMatchObject({ phase: 'failed', target: { stage: 'needs-human' }, alert: 'parked' });
    expect(d.retryAfter).toBeUndefined();
    expect(d.comment).toContain('after 3 failed attempts');
    expect(d.comment).toContain('tests failed');
    expect(d.comment).toContain('codex-a');
    expect(d.comment).toContain('npm test\nFAIL x.test.ts');
  });

  it('counts only failures since the last success', () => {
    const earlier = [makeAttempt(1, 1), makeAttempt(1, 2), makeAttempt(1, 3, { phase: 'succeeded' })];
    expect(decide(makeAttempt(1, 4), fail('x'), earlier).target).toEqual({ stage: 'ready' });
  });

  it('falls back to the result reason, then a generic one', () => {
    const a = makeAttempt(1, 3);
    const earlier = [makeAttempt(1, 1), makeAttempt(1, 2)];
    const withResult: RunOutcome = {
      ok: false,
      lastLines: [],
      result: { ok: false, reason: 'could not build' },
    };
    expect(decide(a, withResult, earlier).comment).toContain('could not build');
    expect(decide(a, { ok: false, lastLines: [] }, earlier).comment).toContain('the agent reported failure');
  });
});

describe('decideOutcome on review failure', () => {
  it('→ needs-human with the reason, no retry', () => {
    const a = makeAttempt(1, 2, { kind: 'review', slot: 'codex-a' });
    const d = decide(a, fail('review crashed'), [makeAttempt(1, 1, { phase: 'succeeded' })]);
    expect(d).toMatchObject({ phase: 'failed', target: { stage: 'needs-human' }, alert: 'needs-human' });
    expect(d.comment).toContain('review crashed');
    expect(d.retryAfter).toBeUndefined();
  });
});

describe('decideOutcome on a usage limit', () => {
  const until = at(NOW, minutes(90));
  const quota: RunOutcome = {
    ok: false,
    lastLines: [],
    result: { ok: false, reason: 'out of usage', quotaResetAt: until },
  };

  it('implement → back to ready, family unavailable until the reset, no retry delay or comment', () => {
    const d = decide(makeAttempt(1, 1), quota);
    expect(d).toEqual({
      phase: 'failed',
      target: { stage: 'ready' },
      quotaUntil: until,
      alert: 'attempt-failed',
    });
  });

  it('review → back to needs-review', () => {
    expect(decide(makeAttempt(1, 2, { kind: 'review' }), quota).target).toEqual({ stage: 'needs-review' });
  });

  it('is not counted as a failure: two failures and a quota hit still leave one retry', () => {
    const quotaHit = makeAttempt(1, 3, { result: { ok: false, quotaResetAt: until } });
    const earlier = [makeAttempt(1, 1), quotaHit];
    expect(decide(makeAttempt(1, 4), fail('x'), earlier)).toMatchObject({
      target: { stage: 'ready' },
      retryAfter: at(NOW, minutes(5)),
    });
    const d3 = decide(makeAttempt(1, 3), quota, [makeAttempt(1, 1), makeAttempt(1, 2)]);
    expect(d3.target).toEqual({ stage: 'ready' });
  });
});
