import { describe, expect, it } from 'vitest';
import {
  at,
  itemsOf,
  makeAttempt,
  makeIssue,
  makePull,
  makeSettings,
  makeState,
  minutes,
  NOW,
  OTHER,
} from '../../testing/engine-fixtures.js';
import type { Attempt } from '../model/attempt.js';
import type { DispatchState } from '../model/dispatch-state.js';
import type { IssueSnapshot, PullSnapshot } from '../model/work-items.js';
import { planOrphanSweep } from './plan-orphans.js';

const KEY = 'o/r#1';
const settings = makeSettings();
const sweep = (
  issues: IssueSnapshot[],
  opts: { attempts?: Attempt[]; state?: Partial<DispatchState>; pulls?: PullSnapshot[]; now?: Date } = {},
) =>
  planOrphanSweep(
    itemsOf(issues, opts.pulls ?? []),
    opts.attempts ?? [],
    makeState(opts.state),
    settings,
    opts.now ?? NOW,
  );

describe('planOrphanSweep grace period', () => {
  it('records the first sighting and recovers nothing yet', () => {
    const plan = sweep([makeIssue(1, ['claude-a'])]);
    expect(plan.recover).toEqual([]);
    expect(plan.orphansSeen).toEqual({ [KEY]: NOW.toISOString() });
  });

  it('keeps the first sighting while inside the grace period', () => {
    const seen = at(NOW, -minutes(9));
    const plan = sweep([makeIssue(1, ['claude-a'])], { state: { orphansSeen: { [KEY]: seen } } });
    expect(plan.recover).toEqual([]);
    expect(plan.orphansSeen[KEY]).toBe(seen);
  });

  it('recovers to ready after 10 minutes when there is no PR, and forgets the sighting', () => {
    const plan = sweep([makeIssue(1, ['claude-a', 'bug'])], {
      state: { orphansSeen: { [KEY]: at(NOW, -minutes(10)) } },
    });
    expect(plan.recover).toEqual([
      {
        ref: { repo: { owner: 'o', name: 'r' }, number: 1 },
        owners: ['claude-a'],
        target: { stage: 'ready' },
      },
    ]);
    expect(plan.orphansSeen).toEqual({});
  });

  it('recovers to needs-review when the PR of its branch exists in the same repo', () => {
    const state = { orphansSeen: { [KEY]: at(NOW, -minutes(30)) } };
    const withPr = sweep([makeIssue(1, ['codex-b'])], { state, pulls: [makePull(9, 'issue-1')] });
    expect(withPr.recover[0]?.target).toEqual({ stage: 'needs-review' });
    const prElsewhere = sweep([makeIssue(1, ['codex-b'])], {
      state,
      pulls: [makePull(9, 'issue-1', { repo: OTHER })],
    });
    expect(prElsewhere.recover[0]?.target).toEqual({ stage: 'ready' });
  });

  it('measures the grace from the last attempt finish when that is later than the first sighting', () => {
    const attempts = [makeAttempt(1, 1, { finishedAt: at(NOW, -minutes(3)) })];
    const plan = sweep([makeIssue(1, ['claude-a'])], {
      attempts,
      state: { orphansSeen: { [KEY]: at(NOW, -minutes(60)) } },
    });
    expect(plan.recover).toEqual([]);
    expect(Object.keys(plan.orphansSeen)).toEqual([KEY]);
  });
});

describe('planOrphanSweep exemptions', () => {
  const longAgo = { orphansSeen: { [KEY]: at(NOW, -minutes(120)) } };

  it('never sweeps an issue with a live attempt, and drops its sighting', () => {
    for (const phase of ['pending', 'running', 'stopping'] as const) {
      const plan = sweep([makeIssue(1, ['claude-a'])], {
        attempts: [makeAttempt(1, 1, { phase })],
        state: longAgo,
      });
      expect(plan.recover).toEqual([]);
      expect(plan.orphansSeen).toEqual({});
    }
  });

  it('leaves manual claims alone', () => {
    const plan = sweep([makeIssue(1, ['claude-z'])], {
      state: { ...longAgo, manualClaims: { [KEY]: 'claude-z' } },
    });
    expect(plan.recover).toEqual([]);
  });

  it('ignores unowned and closed issues', () => {
    const plan = sweep([makeIssue(1, ['ready']), makeIssue(2, ['claude-a'], { state: 'closed' })], {
      state: longAgo,
    });
    expect(plan).toEqual({ recover: [], orphansSeen: {}, staleClaims: [] });
  });

  it('does not confuse a live attempt in another repo with the same number', () => {
    const attempts = [makeAttempt(1, 1, { phase: 'running', repo: OTHER })];
    expect(sweep([makeIssue(1, ['claude-a'])], { attempts, state: longAgo }).recover).toHaveLength(1);
  });
});

describe('planOrphanSweep manual claims', () => {
  it('ends the exemption of a manual claim whose owner label is gone or whose issue closed', () => {
    const state = { manualClaims: { 'o/r#1': 'claude-b', 'o/r#2': 'claude-c', 'o/r#3': 'claude-d' } };
    const plan = sweep(
      [makeIssue(1, ['ready']), makeIssue(2, ['claude-c']), makeIssue(3, ['claude-d'], { state: 'closed' })],
      { state },
    );
    expect(plan.staleClaims).toEqual(['o/r#1', 'o/r#3']);
    expect(plan.recover).toEqual([]);
  });

  it('ends it too for an issue that is no longer listed (closed and gone from the open list)', () => {
    const state = { manualClaims: { 'o/r#5': 'claude-b', 'other/repo#5': 'claude-c' } };
    const plan = sweep([makeIssue(1, ['ready'])], { state });
    // o/r was listed in full and has no #5; other/repo was not listed at all, so nothing is known.
    expect(plan.staleClaims).toEqual(['o/r#5']);
  });
});
