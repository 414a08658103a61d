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
  OTHER,
  REPO,
  T0,
} from '../../testing/engine-fixtures.js';
import { issueKey } from '../model/refs.js';
import { planDispatch, type DispatchInput } from './plan-dispatch.js';

const slots = (input: DispatchInput): string[] =>
  planDispatch(input).entries.map(
    (e) => `${issueKey(e.ref)}=${e.decision.dispatch ? e.decision.slot : e.decision.reason}`,
  );

describe('planDispatch order', () => {
  it('puts needs-review before ready, oldest first within each', () => {
    const issues = [
      makeIssue(1, ['ready'], { createdAt: at(T0, 3) }),
      makeIssue(2, ['needs-review'], { createdAt: at(T0, 9) }),
      makeIssue(3, ['ready'], { createdAt: at(T0, 1) }),
      makeIssue(4, ['needs-review'], { createdAt: at(T0, 2) }),
    ];
    const order = planDispatch(dispatchInput({ issues })).entries.map((e) => `${e.ref.number}:${e.kind}`);
    expect(order).toEqual(['4:review', '2:review', '3:implement', '1:implement']);
  });
});

describe('planDispatch slots', () => {
  it('rotates families across dispatches and returns the new rotation', () => {
    const issues = [makeIssue(1, ['ready']), makeIssue(2, ['ready']), makeIssue(3, ['ready'])];
    const plan = planDispatch(dispatchInput({ issues }));
    expect(plan.entries.map((e) => (e.decision.dispatch ? e.decision.slot : '-'))).toEqual([
      'claude-a',
      'codex-a',
      'claude-b',
    ]);
    expect(plan.rotation % 2).toBe(1);
    const next = planDispatch(
      dispatchInput({ issues: [makeIssue(1, ['ready'])], state: makeState({ rotation: plan.rotation }) }),
    );
    expect(next.entries[0]?.decision).toMatchObject({ slot: 'codex-a' });
  });

  it('counts slots from attempt records: pending and running hold their slot, finished ones do not', () => {
    const held = [makeAttempt(9, 1, { phase: 'pending', slot: 'claude-a' })];
    expect(slots(dispatchInput({ issues: [makeIssue(1, ['ready'])], attempts: held }))).toEqual([
      'o/r#1=claude-b',
    ]);
    const done = [
      makeAttempt(9, 1, { phase: 'succeeded', slot: 'claude-a' }),
      makeAttempt(8, 1, { phase: 'killed', slot: 'claude-b' }),
    ];
    expect(slots(dispatchInput({ issues: [makeIssue(1, ['ready'])], attempts: done }))).toEqual([
      'o/r#1=claude-a',
    ]);
  });

  it('stops at max slots within one plan', () => {
    const issues = [makeIssue(1, ['ready']), makeIssue(2, ['ready'])];
    expect(slots(dispatchInput({ issues, settings: makeSettings({ maxSlots: 1 }) }))).toEqual([
      'o/r#1=claude-a',
      'o/r#2=no-free-slot',
    ]);
    expect(slots(dispatchInput({ issues, state: makeState({ maxSlots: 0 }) }))).toEqual([
      'o/r#1=no-free-slot',
      'o/r#2=no-free-slot',
    ]);
  });

  it('skips families that are disabled or out of quota when rotating', () => {
    const issues = [makeIssue(1, ['ready']), makeIssue(2, ['ready'])];
    const state = makeState({ quotaUntil: { claude: at(new Date(T0), 365 * 86_400_000) } });
    expect(slots(dispatchInput({ issues, state }))).toEqual(['o/r#1=codex-a', 'o/r#2=codex-b']);
  });

  it('sends a review to another family than the implementer when one is available', () => {
    const attempts = [makeAttempt(1, 1, { phase: 'succeeded', slot: 'claude-a', family: 'claude' })];
    const issues = [makeIssue(1, ['needs-review'])];
    expect(slots(dispatchInput({ issues, attempts }))).toEqual(['o/r#1=codex-a']);
    const codexImpl = [makeAttempt(1, 1, { phase: 'succeeded', slot: 'codex-a', family: 'codex' })];
    expect(slots(dispatchInput({ issues, attempts: codexImpl, state: makeState({ rotation: 1 }) }))).toEqual([
      'o/r#1=claude-a',
    ]);
  });

  it('falls back to another slot of the same family, never the implementer slot', () => {
    const attempts = [makeAttempt(1, 1, { phase: 'succeeded', slot: 'claude-a', family: 'claude' })];
    const state = makeState({ disabledFamilies: ['codex'] });
    const entry = planDispatch(dispatchInput({ issues: [makeIssue(1, ['needs-review'])], attempts, state }))
      .entries[0];
    expect(entry?.decision).toEqual({ dispatch: true, slot: 'claude-b', family: 'claude', seq: 2 });
  });

  it('never uses a slot named by a review lease', () => {
    const leases = [makeLease(5, 'claude-a')];
    const issues = [makeIssue(1, ['ready']), makeIssue(2, ['ready']), makeIssue(3, ['ready'])];
    expect(slots(dispatchInput({ issues, leases, pulls: [makePull(5, 'feature')] }))).toEqual([
      'o/r#1=claude-b',
      'o/r#2=codex-a',
      'o/r#3=claude-c',
    ]);
  });
});

describe('planDispatch across repositories', () => {
  it('never confuses equal issue numbers in two repos', () => {
    const issues = [makeIssue(1, ['ready']), makeIssue(1, ['ready'], { repo: OTHER })];
    const live = [makeAttempt(1, 1, { phase: 'running' })];
    expect(slots(dispatchInput({ issues, attempts: live }))).toEqual([
      'o/r#1=live-attempt',
      'o/s#1=claude-b',
    ]);
    const backoff = [
      makeAttempt(1, 1, { retryAfter: '2099-01-01T00:00:00.000Z' }),
      makeAttempt(1, 2, { retryAfter: '2099-01-01T00:00:00.000Z' }),
    ];
    const plan = planDispatch(dispatchInput({ issues, attempts: backoff }));
    expect(
      plan.entries.map((e) => [issueKey(e.ref), e.decision.dispatch ? e.decision.seq : e.decision.reason]),
    ).toEqual([
      ['o/r#1', 'backoff'],
      ['o/s#1', 1],
    ]);
  });

  it('checks leases against the PR of the same repository only', () => {
    const issues = [makeIssue(1, ['needs-review']), makeIssue(1, ['needs-review'], { repo: OTHER })];
    const pulls = [makePull(2, 'issue-1'), makePull(2, 'issue-1', { repo: OTHER })];
    const leases = [makeLease(2, 'claude-h', { repo: OTHER })];
    expect(slots(dispatchInput({ issues, pulls, leases }))).toEqual(['o/r#1=claude-a', 'o/s#1=lease-held']);
    expect(REPO).not.toEqual(OTHER);
  });
});
