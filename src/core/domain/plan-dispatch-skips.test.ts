import { describe, expect, it } from 'vitest';
import {
  at,
  dispatchInput,
  makeAttempt,
  makeIssue,
  makeLease,
  makePull,
  makeSettings,
  makeState,
  minutes,
  NOW,
  REPO,
} from '../../testing/engine-fixtures.js';
import { issueKey } from '../model/refs.js';
import { needsTrustCheck, planDispatch, type DispatchInput, type QueueEntry } from './plan-dispatch.js';

const decisionOf = (input: DispatchInput, number = 1): QueueEntry['decision'] => {
  const e = planDispatch(input).entries.find((x) => x.ref.number === number && x.ref.repo.name === REPO.name);
  if (!e) throw new Error(`no entry for #${number}`);
  return e.decision;
};

describe('planDispatch skip reasons', () => {
  it('dispatches a trusted ready issue when nothing stands in the way', () => {
    expect(decisionOf(dispatchInput({ issues: [makeIssue(1, ['ready'])] }))).toEqual({
      dispatch: true,
      slot: 'claude-a',
      family: 'claude',
      seq: 1,
    });
  });

  it('waiting', () => {
    expect(decisionOf(dispatchInput({ issues: [makeIssue(1, ['ready', 'waiting'])] }))).toMatchObject({
      dispatch: false,
      reason: 'waiting',
    });
  });

  it('untrusted-author, naming the author', () => {
    const d = decisionOf(dispatchInput({ issues: [makeIssue(1, ['ready'], { author: 'mallory' })] }));
    expect(d).toEqual({
      dispatch: false,
      reason: 'untrusted-author',
      detail: 'author mallory is not in allowed_authors',
    });
  });

  it('matches allowed authors case-insensitively', () => {
    expect(
      decisionOf(dispatchInput({ issues: [makeIssue(1, ['ready'], { author: 'ALICE' })] })).dispatch,
    ).toBe(true);
  });

  it('untrusted-label with the checker detail, and when the check has not run yet', () => {
    const issue = makeIssue(1, ['ready']);
    const ref = { repo: REPO, number: 1 };
    const bad = dispatchInput({
      issues: [issue],
      trust: new Map([[issueKey(ref), { trusted: false, detail: 'ready was applied by bob' }]]),
    });
    expect(decisionOf(bad)).toEqual({
      dispatch: false,
      reason: 'untrusted-label',
      detail: 'ready was applied by bob',
    });
    const unchecked = dispatchInput({ issues: [issue], trust: new Map() });
    expect(decisionOf(unchecked)).toMatchObject({
      dispatch: false,
      reason: 'untrusted-label',
      detail: expect.stringMatching(/not been checked/),
    });
    expect(needsTrustCheck(unchecked)).toEqual([{ ref, label: 'ready' }]);
  });

  it('needs-review issues need the same trust check, of who applied needs-review', () => {
    const issue = makeIssue(1, ['needs-review']);
    const ref = { repo: issue.repo, number: 1 };
    const input = dispatchInput({ issues: [issue], trust: new Map() });
    expect(decisionOf(input)).toMatchObject({ dispatch: false, reason: 'untrusted-label' });
    expect(needsTrustCheck(input)).toEqual([{ ref, label: 'needs-review' }]);
    const trusted = dispatchInput({
      issues: [issue],
      trust: new Map([[issueKey(ref), { trusted: true as const }]]),
    });
    expect(decisionOf(trusted).dispatch).toBe(true);
  });

  it('repo-not-configured', () => {
    const input = dispatchInput({
      issues: [makeIssue(1, ['ready'])],
      settings: makeSettings({ repos: [{ owner: 'x', name: 'y' }] }),
    });
    expect(decisionOf(input)).toMatchObject({ dispatch: false, reason: 'repo-not-configured' });
  });

  it('paused', () => {
    const input = dispatchInput({ issues: [makeIssue(1, ['ready'])], state: makeState({ paused: true }) });
    expect(decisionOf(input)).toMatchObject({ dispatch: false, reason: 'paused' });
  });

  it('no-family-available when every family is disabled, in config or by hand', () => {
    const byHand = dispatchInput({
      issues: [makeIssue(1, ['ready'])],
      state: makeState({ disabledFamilies: ['claude', 'codex'] }),
    });
    expect(decisionOf(byHand)).toMatchObject({ dispatch: false, reason: 'no-family-available' });
    const settings = makeSettings({ families: [{ name: 'claude', enabled: false }] });
    expect(decisionOf(dispatchInput({ issues: [makeIssue(1, ['ready'])], settings }))).toMatchObject({
      reason: 'no-family-available',
    });
  });

  it('no-family-available while every family is out of quota, and available again after the reset', () => {
    const until = at(NOW, minutes(30));
    const state = makeState({ quotaUntil: { claude: until, codex: until } });
    const input = dispatchInput({ issues: [makeIssue(1, ['ready'])], state });
    expect(decisionOf(input)).toMatchObject({ dispatch: false, reason: 'no-family-available' });
    expect(decisionOf({ ...input, now: new Date(until) }).dispatch).toBe(true);
  });

  it('no-free-slot when live attempts fill max slots (pending counts)', () => {
    const attempts = [
      makeAttempt(7, 1, { phase: 'pending', slot: 'claude-a' }),
      makeAttempt(8, 1, { phase: 'running', slot: 'codex-a', family: 'codex' }),
    ];
    const input = dispatchInput({
      issues: [makeIssue(1, ['ready'])],
      attempts,
      settings: makeSettings({ maxSlots: 2 }),
    });
    expect(decisionOf(input)).toMatchObject({ dispatch: false, reason: 'no-free-slot' });
    expect(decisionOf({ ...input, state: makeState({ maxSlots: 3 }) }).dispatch).toBe(true);
  });

  it('live-attempt', () => {
    const input = dispatchInput({
      issues: [makeIssue(1, ['ready'])],
      attempts: [makeAttempt(1, 1, { phase: 'pending' })],
    });
    expect(decisionOf(input)).toMatchObject({ dispatch: false, reason: 'live-attempt' });
  });

  it('backoff until retryAfter has passed, then the next seq', () => {
    const retryAfter = at(NOW, 1);
    const input = dispatchInput({
      issues: [makeIssue(1, ['ready'])],
      attempts: [makeAttempt(1, 1, { retryAfter })],
    });
    expect(decisionOf(input)).toEqual({
      dispatch: false,
      reason: 'backoff',
      detail: `retry after ${retryAfter}`,
    });
    expect(decisionOf({ ...input, now: new Date(retryAfter) })).toMatchObject({ dispatch: true, seq: 2 });
  });

  it('lease-held when a reviewer holds the PR of a needs-review issue', () => {
    const input = dispatchInput({
      issues: [makeIssue(1, ['needs-review'])],
      pulls: [makePull(2, 'issue-1')],
      leases: [makeLease(2, 'claude-h')],
    });
    expect(decisionOf(input)).toEqual({
      dispatch: false,
      reason: 'lease-held',
      detail: 'claude-h holds PR #2',
    });
  });

  it('closed', () => {
    expect(
      decisionOf(dispatchInput({ issues: [makeIssue(1, ['ready'], { state: 'closed' })] })),
    ).toMatchObject({ reason: 'closed' });
  });

  it('lists neither owned, needs-human nor unlabelled issues', () => {
    const issues = [
      makeIssue(1, ['claude-a', 'ready']),
      makeIssue(2, ['needs-human']),
      makeIssue(3, ['bug']),
    ];
    expect(planDispatch(dispatchInput({ issues })).entries).toEqual([]);
  });
});

describe('planDispatch: conflicting stage labels', () => {
  it('lists an issue with more than one stage label, with a reason, and never dispatches it', () => {
    for (const labels of [
      ['ready', 'needs-human'],
      ['ready', 'needs-review'],
      ['needs-review', 'needs-human'],
    ]) {
      const input = dispatchInput({ issues: [makeIssue(1, labels)], trust: new Map() });
      expect(decisionOf(input)).toMatchObject({
        dispatch: false,
        reason: 'conflicting-labels',
        detail: `labels: ${labels.join(', ')}`,
      });
    }
  });

  it("a person's claude-code label is not an owner: the issue dispatches normally", () => {
    const issue = makeIssue(1, ['ready', 'claude-code']);
    const ref = { repo: issue.repo, number: 1 };
    const input = dispatchInput({
      issues: [issue],
      trust: new Map([[issueKey(ref), { trusted: true as const }]]),
    });
    expect(decisionOf(input).dispatch).toBe(true);
  });
});

describe('planDispatch: trust of needs-review', () => {
  it("needs no GitHub check when k3sc's own implementation attempt put it there", () => {
    const issue = makeIssue(1, ['needs-review']);
    const done = makeAttempt(1, 1, { phase: 'succeeded', kind: 'implement', slot: 'claude-a' });
    const input = dispatchInput({ issues: [issue], attempts: [done], trust: new Map() });
    expect(needsTrustCheck(input)).toEqual([]);
    expect(decisionOf(input).dispatch).toBe(true);
  });
});
