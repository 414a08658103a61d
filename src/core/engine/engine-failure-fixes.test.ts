import { describe, expect, it } from 'vitest';
import { ALICE } from '../../testing/engine-fixtures.js';
import { createHarness, type EngineHarness } from '../../testing/engine-harness.js';
import { failLog, okLog, resultLine } from '../../testing/engine-log-lines.js';
import { NotFoundError } from '../errors.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import { killIssue } from '../usecases/kill.js';
import { resetIssue } from '../usecases/reset.js';
import { takeReview } from '../usecases/leases.js';

const MINUTE = 60_000;

const running = async (h: EngineHarness): Promise<IssueRef> => {
  const ref = h.seedReady();
  await h.engine.pass();
  expect(h.runtime.running()).toEqual(['o-r-1-1']);
  return ref;
};

/** Passes over `minutes` of fake time, one every 11 minutes (past the orphan grace). */
const passes = async (h: EngineHarness, n = 3): Promise<void> => {
  for (let i = 0; i < n; i++) {
    h.advance(11 * MINUTE);
    await h.engine.pass();
  }
};

describe('kill is never undone by a failure after its first write', () => {
  it('a label write that fails (5xx) leaves the kill in progress; the next pass finishes it, no rerun', async () => {
    const h = createHarness();
    const ref = await running(h);
    h.tracker.failNext('changeLabels');
    await expect(killIssue(h.deps, ref, ALICE)).rejects.toThrow(/injected failure/);
    expect((await h.attempts(ref)).map((a) => a.phase)).toEqual(['stopping']);
    await passes(h);
    expect(h.tracker.labels(ref)).toEqual(['needs-human']);
    expect((await h.attempts(ref)).map((a) => a.phase)).toEqual(['killed']);
    expect(h.runtime.starts).toBe(1);
  });

  it('a stop that fails keeps the slot and retries the stop; the issue never runs twice at once', async () => {
    const h = createHarness();
    const ref = await running(h);
    h.runtime.failNext('stop');
    await expect(killIssue(h.deps, ref, ALICE)).rejects.toThrow();
    expect(h.runtime.running()).toEqual(['o-r-1-1']);
    expect(h.tracker.labels(ref)).toEqual(['claude-a']);
    await passes(h);
    expect(h.runtime.running()).toEqual([]);
    expect(h.runtime.starts).toBe(1);
    expect(h.tracker.labels(ref)).toEqual(['needs-human']);
  });

  it('a repeated kill posts no second comment', async () => {
    const h = createHarness();
    const ref = await running(h);
    await killIssue(h.deps, ref, ALICE);
    await killIssue(h.deps, ref, ALICE);
    expect(h.tracker.comments(ref).filter((c) => c.includes('killed by'))).toHaveLength(1);
  });
});

describe('reset keeps the state the person asked for', () => {
  it('a label failure after the stop is finished as the reset, not as a failed run', async () => {
    const h = createHarness();
    const ref = await running(h);
    h.tracker.failNext('changeLabels');
    await expect(resetIssue(h.deps, ref, 'needs-review', ALICE)).rejects.toThrow();
    await h.engine.pass();
    expect(h.tracker.labels(ref)).toEqual(['needs-review']);
    expect(await h.attempts(ref)).toEqual([]);
    expect(h.events.some((e) => e.type === 'attempt-finished')).toBe(false);
  });
});

describe("people's labels that look like owner labels", () => {
  it('an issue with a claude-code topic label dispatches, and the label is never removed', async () => {
    const h = createHarness();
    const ref = h.seedReady({ extraLabels: ['claude-code'] });
    await h.engine.pass();
    expect(h.runtime.running()).toEqual(['o-r-1-1']);
    h.runtime.finish('o-r-1-1', { exitCode: 0, log: okLog(9) });
    await passes(h);
    expect(h.tracker.labels(ref)).toContain('claude-code');
  });

  it('an unowned issue carrying only claude-code is no orphan: the sweep leaves it alone', async () => {
    const h = createHarness();
    const ref = h.tracker.addIssue({ repo: h.repo, title: 't', author: 'alice', labels: ['claude-code'] });
    await passes(h, 3);
    expect(h.tracker.labels(ref)).toEqual(['claude-code']);
    expect(h.alerts('orphan-recovered')).toEqual([]);
  });
});

describe('the loop wakes when something is due', () => {
  it('after a failure it sleeps until the 1-minute retry, not a whole idle interval', async () => {
    const h = createHarness();
    await running(h);
    h.runtime.finish('o-r-1-1', { exitCode: 1, log: failLog('boom') });
    await h.engine.pass();
    for (let i = 0; i < 5; i++)
      await h.store.updateDispatchState((s) => ({ ...s, idleScans: s.idleScans + 1 }));
    const delay = await h.engine.nextDelayMs();
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThanOrEqual(MINUTE + 100);
  });

  it('a lease expiry and a quota reset bound the sleep too', async () => {
    const h = createHarness();
    h.tracker.addPull({ repo: h.repo, title: 'fix: z', branch: 'feature-z' });
    await h.engine.pass({ dryRun: true });
    await takeReview(h.deps, 'claude-b', ALICE, { ttlMs: 7 * MINUTE });
    await h.store.updateDispatchState((s) => ({ ...s, idleScans: 9 }));
    expect(await h.engine.nextDelayMs()).toBeLessThanOrEqual(7 * MINUTE + 100);
    const reset = new Date(h.clock.now().getTime() + 3 * MINUTE).toISOString();
    await h.store.updateDispatchState((s) => ({ ...s, quotaUntil: { codex: reset } }));
    expect(await h.engine.nextDelayMs()).toBeLessThanOrEqual(3 * MINUTE + 100);
  });

  it('an expired lease no longer counts before it is swept: the issue gets its agent review', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    h.tracker.addPull({ repo: h.repo, title: 'feat', branch: 'issue-1' });
    await h.engine.pass({ dryRun: true });
    h.runtime.finish('o-r-1-1', { exitCode: 0, log: okLog(2) });
    await h.engine.pass(); // applies the finished implementation: needs-review
    expect(await takeReview(h.deps, 'codex-b', ALICE, { ttlMs: 10 * MINUTE })).toMatchObject({ pr: 2 });
    const held = await h.engine.pass();
    const entryOf = (r: typeof held) => r.entries.find((e) => e.ref.number === ref.number);
    expect(entryOf(held)?.decision).toMatchObject({ dispatch: false, reason: 'lease-held' });
    h.advance(11 * MINUTE);
    // A dry run sweeps nothing, yet the expired lease no longer blocks the review.
    expect(entryOf(await h.engine.pass({ dryRun: true }))?.decision).toMatchObject({ dispatch: true });
  });
});

describe('pending recovery applies the dispatch checks', () => {
  const pendingAfterCrash = async (h: EngineHarness): Promise<IssueRef> => {
    const ref = h.seedReady();
    const dead = h.restart({ crashAt: 1, only: 'store.createAttempt' });
    await expect(dead.engine.pass()).rejects.toThrow();
    expect((await h.attempts(ref)).map((a) => a.phase)).toEqual(['pending']);
    return ref;
  };

  for (const [what, mutate] of [
    [
      'the issue got waiting',
      (h: EngineHarness, ref: IssueRef) => h.tracker.applyLabelAs(ref, 'waiting', 'alice'),
    ],
    ['the issue was closed', (h: EngineHarness, ref: IssueRef) => h.tracker.setState(ref, 'closed')],
    [
      'dispatch was paused',
      (h: EngineHarness) => void h.store.updateDispatchState((s) => ({ ...s, paused: true })),
    ],
  ] as const) {
    it(`is not launched when ${what}, and does not count as a failure`, async () => {
      const h = createHarness();
      const ref = await pendingAfterCrash(h);
      mutate(h, ref);
      const next = h.restart();
      await next.engine.pass();
      expect(h.runtime.starts).toBe(0);
      const [a] = await h.attempts(ref);
      expect(a).toMatchObject({ phase: 'failed', interrupted: true });
      expect(a?.reason).toMatch(/not started after a restart/);
    });
  }

  it('is launched when nothing changed', async () => {
    const h = createHarness();
    const ref = await pendingAfterCrash(h);
    await h.restart().engine.pass();
    expect(h.runtime.running()).toEqual(['o-r-1-1']);
    expect(h.tracker.labels(ref)).toEqual(['claude-a']);
  });
});

describe('finishing', () => {
  it('an interrupted run (k3sc shut down) goes back to ready and never counts', async () => {
    const h = createHarness({ settings: { maxAttempts: 1 } });
    const ref = await running(h);
    h.runtime.interrupt('o-r-1-1');
    await h.engine.pass();
    await h.engine.pass();
    const [first] = await h.attempts(ref);
    expect(first).toMatchObject({ phase: 'failed', interrupted: true });
    expect(h.runtime.running()).toEqual(['o-r-1-2']);
    expect(h.tracker.comments(ref).some((c) => c.startsWith('k3sc parked'))).toBe(false);
  });

  it('an issue that keeps hitting usage limits is parked instead of bouncing for ever', async () => {
    const h = createHarness({ settings: { maxQuotaBounces: 3 } });
    const ref = h.seedReady();
    for (let i = 1; i <= 3; i++) {
      await h.engine.pass();
      const [name] = h.runtime.running();
      const until = new Date(h.clock.now().getTime() + MINUTE).toISOString();
      h.runtime.finish(name ?? '', {
        exitCode: 1,
        log: resultLine({ ok: false, reason: 'limit', quotaResetAt: until }),
      });
      await h.engine.pass();
      h.advance(2 * MINUTE);
    }
    expect(h.tracker.labels(ref)).toEqual(['needs-human']);
    expect(h.tracker.comments(ref).at(-1)).toMatch(/last 3 attempts all hit an agent usage limit/);
  });

  it('an issue deleted under a running attempt frees its slot, with an alert', async () => {
    const h = createHarness();
    await running(h);
    h.runtime.finish('o-r-1-1', { exitCode: 0, log: okLog(2) });
    h.tracker.failNext('changeLabels', new NotFoundError('issue o/r#1 not found'));
    await h.engine.pass();
    expect((await h.attempts())[0]).toMatchObject({ phase: 'succeeded' });
    expect(h.alerts('attempt-failed').join()).toMatch(/no longer exists/);
  });

  it('never records finishedAt before startedAt', async () => {
    const h = createHarness();
    const ref = await running(h);
    const [a] = await h.attempts(ref);
    h.runtime.finish('o-r-1-1', { exitCode: 0, log: okLog(2) });
    // The runtime reports an end earlier than k3sc's own start mark (another clock).
    await h.store.updateAttempt({
      ...a!,
      startedAt: new Date(h.clock.now().getTime() + MINUTE).toISOString(),
    });
    await h.engine.pass();
    const [done] = await h.attempts(ref);
    expect(Date.parse(done!.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(done!.startedAt!));
  });

  it('a manual claim keeps nothing once its label is removed by a person', async () => {
    const h = createHarness();
    const ref = h.tracker.addIssue({ repo: h.repo, title: 't', author: 'alice' });
    await h.engine.pass();
    const { claimIssue } = await import('../usecases/claim.js');
    await claimIssue(h.deps, ref, 'claude-c', ALICE);
    h.tracker.removeLabelAs(ref, 'claude-c', 'alice');
    await passes(h, 1);
    expect((await h.state()).manualClaims[issueKey(ref)]).toBeUndefined();
    await expect(claimIssue(h.deps, h.seedReady(), 'claude-a', ALICE)).resolves.toBeDefined();
  });
});

describe('a transition that keeps failing', () => {
  it('raises one attempt-stuck alert after 5 passes in a row, and keeps the slot', async () => {
    const h = createHarness();
    await running(h);
    h.runtime.finish('o-r-1-1', { exitCode: 0, log: okLog(2) });
    for (let i = 0; i < 7; i++) {
      h.tracker.failNext('changeLabels', new Error('HTTP 403: Resource not accessible by integration'));
      await h.engine.pass();
    }
    expect(h.alerts('attempt-stuck')).toHaveLength(1);
    expect(h.alerts('attempt-stuck')[0]).toMatch(
      /o-r-1-1 \(claude-a\) could not be applied 5 passes in a row: HTTP 403/,
    );
    expect((await h.attempts())[0]?.phase).toBe('running');
  });
});

describe('a claim whose run never really started', () => {
  it('a pending attempt whose run the runtime reports as interrupted goes back to ready, uncounted', async () => {
    const h = createHarness({ settings: { maxAttempts: 1 } });
    const ref = h.seedReady();
    // The process died between starting the run and recording it as running.
    const dead = h.restart({ crashAt: 1, only: 'runtime.start' });
    await expect(dead.engine.pass()).rejects.toThrow();
    expect((await h.attempts(ref)).map((a) => a.phase)).toEqual(['pending']);
    h.runtime.interrupt('o-r-1-1', 'the run was prepared but never started');
    const next = h.restart();
    await next.engine.pass();
    await next.engine.pass();
    const attempts = await h.attempts(ref);
    expect(attempts[0]).toMatchObject({ phase: 'failed', interrupted: true });
    expect(attempts[1]?.phase).toBe('running');
    expect(h.tracker.comments(ref).some((c) => c.startsWith('k3sc parked'))).toBe(false);
  });
});

describe('shutdown and endless interruptions', () => {
  it('a pass during shutdown (drain aborted) starts no new attempt', async () => {
    const h = createHarness();
    h.seedReady();
    const report = await h.engine.pass({ drain: AbortSignal.abort() });
    expect(report.started).toEqual([]);
    expect(await h.attempts()).toEqual([]);
    expect(h.runtime.starts).toBe(0);
  });

  it('an issue whose runs are cut short 10 times in a row is parked, with a comment', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    for (let i = 0; i < 10; i++) {
      await h.engine.pass();
      const [name] = h.runtime.running();
      h.runtime.interrupt(name ?? '');
      await h.engine.pass();
    }
    expect(h.tracker.labels(ref)).toEqual(['needs-human']);
    expect(h.tracker.comments(ref).at(-1)).toMatch(/last 10 attempts were all cut short by k3sc itself/);
    expect((await h.attempts(ref)).every((a) => a.interrupted)).toBe(true);
  });
});
