import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  dispatchInput,
  makeAttempt,
  makeIssue,
  makeLease,
  makeState,
  NOW,
  OTHER,
  REPO,
} from '../../testing/engine-fixtures.js';
import { isLive, type Attempt } from '../model/attempt.js';
import { issueKey, sameIssue } from '../model/refs.js';
import { availableFamilies } from './families.js';
import { lastImplementation, attemptsOf } from './issue-history.js';
import { planDispatch, type DispatchInput } from './plan-dispatch.js';

const repo = fc.constantFrom(REPO, OTHER);
const slot = fc
  .tuple(fc.constantFrom('claude', 'codex'), fc.constantFrom('a', 'b', 'c'))
  .map(([f, l]) => ({ family: f, slot: `${f}-${l}` }));
const phase = fc.constantFrom<Attempt['phase']>('pending', 'running', 'succeeded', 'failed', 'killed');

const issue = fc
  .record({
    repo,
    number: fc.integer({ min: 1, max: 6 }),
    labels: fc.subarray(['ready', 'needs-review', 'waiting', 'claude-a', 'bug']),
    author: fc.constantFrom('alice', 'mallory'),
    state: fc.constantFrom<'open' | 'closed'>('open', 'open', 'open', 'closed'),
  })
  .map(({ repo: r, number, labels, author, state }) => makeIssue(number, labels, { repo: r, author, state }));

const attempt = fc
  .record({
    repo,
    issue: fc.integer({ min: 1, max: 6 }),
    seq: fc.integer({ min: 1, max: 4 }),
    phase,
    slot,
    review: fc.boolean(),
    backoff: fc.boolean(),
  })
  .map((a) =>
    makeAttempt(a.issue, a.seq, {
      repo: a.repo,
      phase: a.phase,
      slot: a.slot.slot,
      family: a.slot.family,
      kind: a.review ? 'review' : 'implement',
      ...(a.backoff ? { retryAfter: new Date(NOW.getTime() + 60_000).toISOString() } : {}),
    }),
  );

const input: fc.Arbitrary<DispatchInput> = fc
  .record({
    issues: fc.uniqueArray(issue, {
      maxLength: 10,
      selector: (i) => issueKey({ repo: i.repo, number: i.number }),
    }),
    attempts: fc.uniqueArray(attempt, { maxLength: 8, selector: (a) => a.name }),
    leaseWorkers: fc.uniqueArray(fc.constantFrom('claude-a', 'claude-b', 'codex-a', 'codex-h'), {
      maxLength: 2,
    }),
    paused: fc.boolean(),
    maxSlots: fc.integer({ min: 0, max: 6 }),
    disabled: fc.subarray(['claude', 'codex']),
    rotation: fc.nat(5),
    untrusted: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }),
  })
  .map((x) => {
    const base = dispatchInput({ issues: x.issues });
    const trust = new Map(base.trust);
    for (const n of x.untrusted)
      trust.set(issueKey({ repo: REPO, number: n }), { trusted: false, detail: 'no' });
    return {
      ...base,
      attempts: x.attempts,
      leases: x.leaseWorkers.map((w, i) => makeLease(100 + i, w)),
      state: makeState({
        paused: x.paused,
        maxSlots: x.maxSlots,
        disabledFamilies: x.disabled,
        rotation: x.rotation,
      }),
      trust,
    };
  });

const dispatched = (i: DispatchInput) =>
  planDispatch(i).entries.flatMap((e) => (e.decision.dispatch ? [{ ...e, d: e.decision }] : []));

describe('planDispatch properties', () => {
  it('never lets live attempts exceed max slots', () => {
    fc.assert(
      fc.property(input, (i) => {
        const live = i.attempts.filter(isLive).length;
        return dispatched(i).length <= Math.max(0, (i.state.maxSlots ?? i.settings.maxSlots) - live);
      }),
    );
  });

  it('never assigns one slot twice, nor a live or leased slot', () => {
    fc.assert(
      fc.property(input, (i) => {
        const slots = dispatched(i).map((e) => e.d.slot);
        const busy = new Set([
          ...i.attempts.filter(isLive).map((a) => a.slot),
          ...i.leases.map((l) => l.worker),
        ]);
        return new Set(slots).size === slots.length && slots.every((s) => !busy.has(s));
      }),
    );
  });

  it('never dispatches while paused', () => {
    fc.assert(fc.property(input, (i) => !i.state.paused || dispatched(i).length === 0));
  });

  it('never dispatches an issue that has a live attempt, and always uses a fresh seq', () => {
    fc.assert(
      fc.property(input, (i) =>
        dispatched(i).every((e) => {
          const history = i.attempts.filter((a) => sameIssue({ repo: a.repo, number: a.issue }, e.ref));
          return !history.some(isLive) && history.every((a) => a.seq < e.d.seq);
        }),
      ),
    );
  });

  it('uses only available families, and never the implementer slot for a review', () => {
    fc.assert(
      fc.property(input, (i) => {
        const fams = availableFamilies(i.settings, i.state, i.now);
        return dispatched(i).every((e) => {
          const impl = e.kind === 'review' ? lastImplementation(attemptsOf(i.attempts, e.ref)) : undefined;
          return (
            fams.includes(e.d.family) && e.d.slot.startsWith(`${e.d.family}-`) && impl?.slot !== e.d.slot
          );
        });
      }),
    );
  });

  it('is deterministic', () => {
    fc.assert(fc.property(input, (i) => JSON.stringify(planDispatch(i)) === JSON.stringify(planDispatch(i))));
  });
});
