import { describe, expect, it } from 'vitest';
import {
  dispatchInput,
  itemsOf,
  makeAttempt,
  makeIssue,
  makeLease,
  makePull,
  makeSettings,
  makeState,
  NOW,
} from '../../testing/engine-fixtures.js';
import { planDispatch } from '../domain/plan-dispatch.js';
import { buildDashboard } from './dashboard.js';

describe('buildDashboard', () => {
  it('shows slots, running attempts, the queue with reasons, PR owners, leases and costs', () => {
    const issues = [makeIssue(1, ['claude-a']), makeIssue(2, ['ready', 'waiting']), makeIssue(3, ['ready'])];
    const pulls = [makePull(4, 'issue-1', { labels: ['codex-r'] })];
    const usage = {
      inputTokens: 1,
      outputTokens: 1,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 2,
      messageIds: [],
    };
    const attempts = [
      makeAttempt(1, 1, { phase: 'running', startedAt: new Date(NOW.getTime() - 90_000).toISOString() }),
      makeAttempt(9, 1, { phase: 'succeeded', finishedAt: NOW.toISOString(), usage }),
    ];
    const leases = [makeLease(4, 'codex-r')];
    const queue = planDispatch(dispatchInput({ issues, pulls, attempts, leases })).entries;
    const d = buildDashboard({
      settings: makeSettings(),
      runtime: 'memory',
      state: makeState({ maxSlots: 3 }),
      now: NOW,
      items: itemsOf(issues, pulls),
      attempts,
      leases,
      queue,
      lastLines: new Map([['o-r-1-1', 'compiling']]),
    });
    expect(d.slots).toEqual({ max: 3, used: 1 });
    expect(d.running).toEqual([
      expect.objectContaining({
        attempt: 'o-r-1-1',
        issue: 'o/r#1',
        title: 'issue 1',
        seconds: 90,
        lastLine: 'compiling',
      }),
    ]);
    expect(d.queue).toEqual([
      {
        issue: 'o/r#2',
        title: 'issue 2',
        stage: 'ready',
        next: 'skip',
        reason: 'waiting',
        detail: 'carries the waiting label (a person is on it)',
      },
      { issue: 'o/r#3', title: 'issue 3', stage: 'ready', next: 'dispatch to claude-b' },
    ]);
    expect(d.pulls).toEqual([
      expect.objectContaining({
        pr: 'o/r#4',
        owners: ['codex-r'],
        lease: `codex-r until ${leases[0]?.expiresAt}`,
      }),
    ]);
    expect(d.costs).toEqual({ todayUsd: 2, weekUsd: 2, totalUsd: 2 });
  });
});
