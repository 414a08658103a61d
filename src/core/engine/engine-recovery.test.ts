import { describe, expect, it } from 'vitest';
import { createHarness, type EngineHarness } from '../../testing/engine-harness.js';
import { failLog } from '../../testing/engine-log-lines.js';
import { attemptName } from '../domain/attempt-name.js';
import type { Attempt } from '../model/attempt.js';
import type { IssueRef } from '../model/refs.js';

const pending = (h: EngineHarness, ref: IssueRef): Attempt => ({
  name: attemptName(ref.repo, ref.number, 1),
  repo: ref.repo,
  issue: ref.number,
  seq: 1,
  kind: 'implement',
  family: 'claude',
  slot: 'claude-a',
  phase: 'pending',
  createdAt: h.clock.iso(),
  requestedBy: 'engine',
});

describe('engine: a crash at any step converges', () => {
  it('after the record was created but before the label and the run: one run on the next pass', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.store.createAttempt(pending(h, ref));
    const report = await h.engine.pass();
    expect(report.started).toEqual([]);
    expect(report.entries[0]?.decision).toMatchObject({ dispatch: false, reason: 'live-attempt' });
    expect(h.runtime.starts).toBe(1);
    expect(await h.attempts(ref)).toMatchObject([{ name: 'o-r-1-1', phase: 'running' }]);
    expect(h.tracker.labels(ref)).toEqual(['claude-a']);
    await h.engine.pass();
    await h.engine.pass();
    expect(h.runtime.starts).toBe(1);
    expect(await h.attempts(ref)).toHaveLength(1);
    expect(h.tracker.comments(ref)).toHaveLength(1);
  });

  it('after the run started but before the record said running: marked running, not started again', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    const a = pending(h, ref);
    await h.store.createAttempt(a);
    await h.tracker.changeLabels(ref, { add: ['claude-a'], remove: ['ready'] });
    await h.runtime.start({
      attemptName: a.name,
      repo: a.repo,
      issue: a.issue,
      kind: a.kind,
      family: a.family,
      slot: a.slot,
      branch: 'issue-1',
      deadlineSeconds: 60,
    });
    await h.engine.pass();
    expect(await h.attempts(ref)).toMatchObject([{ phase: 'running' }]);
    // The launch is repeated (start is idempotent by name), but no second run is created.
    expect(h.runtime.starts).toBe(1);
  });

  it('when starting the run fails, the pass reports it and the next pass launches the same attempt', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    h.runtime.failNext('start');
    await expect(h.engine.pass()).rejects.toThrow(/injected failure in runtime.start/);
    expect(await h.attempts(ref)).toMatchObject([{ name: 'o-r-1-1', phase: 'pending' }]);
    // The owner label is written first (it wins over ready); ready goes once the run has started.
    expect(h.tracker.labels(ref)).toEqual(['ready', 'claude-a']);
    await h.engine.pass();
    expect(await h.attempts(ref)).toMatchObject([{ name: 'o-r-1-1', phase: 'running' }]);
    expect(h.tracker.labels(ref)).toEqual(['claude-a']);
    expect(h.runtime.starts).toBe(1);
    expect(h.tracker.comments(ref)).toHaveLength(1);
  });

  it('when writing the outcome label fails, the next pass applies the outcome exactly once', async () => {
    const h = createHarness({ settings: { maxAttempts: 1 } });
    const ref = h.seedReady();
    await h.engine.pass();
    h.runtime.finish('o-r-1-1', { exitCode: 1, log: failLog('broken') });
    h.tracker.failNext('changeLabels');
    await h.engine.pass();
    expect((await h.attempts(ref))[0]?.phase).toBe('running');
    expect(h.logger.messages('error')).toContain('reconcile failed; will retry next pass');
    await h.engine.pass();
    await h.engine.pass();
    expect(h.tracker.labels(ref)).toEqual(['needs-human']);
    expect((await h.attempts(ref))[0]?.phase).toBe('failed');
    expect(h.tracker.comments(ref).filter((c) => c.includes('parked'))).toHaveLength(1);
  });

  it('when posting the parked comment fails, the next pass posts it exactly once', async () => {
    const h = createHarness({ settings: { maxAttempts: 1 } });
    const ref = h.seedReady();
    await h.engine.pass();
    h.runtime.finish('o-r-1-1', { exitCode: 1, log: failLog('broken') });
    h.tracker.failNext('comment');
    await h.engine.pass();
    await h.engine.pass();
    expect((await h.attempts(ref))[0]?.phase).toBe('failed');
    expect(h.tracker.comments(ref).filter((c) => c.includes('parked'))).toHaveLength(1);
  });

  it('a repository that fails to list is reported, and the others still dispatch', async () => {
    const other = { owner: 'o', name: 's' };
    const h = createHarness({ repos: [{ owner: 'o', name: 'r' }, other] });
    h.seedReady();
    h.seedReady({ repo: other });
    h.tracker.failNext('listWorkItems');
    const report = await h.engine.pass();
    expect(report.failedRepos.map((f) => f.repo)).toEqual([{ owner: 'o', name: 'r' }]);
    expect(report.started.map((a) => a.name)).toEqual(['o-s-1-1']);
  });
});
