import { describe, expect, it } from 'vitest';
import { createHarness } from '../../testing/engine-harness.js';

describe('engine: who may make an issue ready', () => {
  it('does not dispatch when ready was applied by someone who is neither allowed nor a writer', async () => {
    const h = createHarness();
    const ref = h.seedReady({ labeledBy: 'bob' });
    const report = await h.engine.pass();
    expect(report.started).toEqual([]);
    expect(report.entries[0]?.decision).toEqual({
      dispatch: false,
      reason: 'untrusted-label',
      detail: 'ready was applied by bob, who is neither an allowed author nor a writer',
    });
    expect(h.tracker.labels(ref)).toEqual(['ready']);
    expect(h.runtime.starts).toBe(0);
  });

  it('dispatches when a collaborator with write access applied ready', async () => {
    const h = createHarness();
    h.tracker.setPermission(h.repo, 'carol', 'maintain');
    h.tracker.setPermission(h.repo, 'tina', 'triage');
    const byTriage = h.seedReady({ labeledBy: 'tina' });
    const byWriter = h.seedReady({ labeledBy: 'carol' });
    const report = await h.engine.pass();
    expect(report.started.map((a) => a.issue)).toEqual([byWriter.number]);
    expect(report.entries.find((e) => e.ref.number === byTriage.number)?.decision).toMatchObject({
      reason: 'untrusted-label',
    });
  });

  it('re-checks when the label is re-applied by a trusted person', async () => {
    const h = createHarness();
    const ref = h.seedReady({ labeledBy: 'bob' });
    await h.engine.pass();
    h.tracker.removeLabelAs(ref, 'ready', 'alice');
    h.tracker.applyLabelAs(ref, 'ready', 'alice');
    expect((await h.engine.pass()).started).toHaveLength(1);
  });

  it('never looks up trust for an untrusted author, and caches verdicts for unchanged issues', async () => {
    const h = createHarness();
    h.tracker.addIssue({
      repo: h.repo,
      title: 't',
      author: 'mallory',
      labels: ['ready'],
      labeledBy: 'alice',
    });
    h.seedReady({ labeledBy: 'bob' });
    const first = await h.engine.pass();
    expect(first.entries.map((e) => (e.decision.dispatch ? 'go' : e.decision.reason))).toEqual([
      'untrusted-author',
      'untrusted-label',
    ]);
    expect(h.tracker.count('labelAppliedBy')).toBe(1);
    await h.engine.pass();
    await h.engine.pass();
    expect(h.tracker.count('labelAppliedBy')).toBe(1);
  });

  it('treats a failed lookup as not trusted yet and retries on the next pass', async () => {
    const h = createHarness();
    h.seedReady();
    h.tracker.failNext('labelAppliedBy');
    const first = await h.engine.pass();
    expect(first.entries[0]?.decision).toMatchObject({
      reason: 'untrusted-label',
      detail: expect.stringMatching(/GitHub error\); will retry/),
    });
    expect((await h.engine.pass()).started).toHaveLength(1);
  });

  it('trusts its own ready when k3sc requeues an issue (the bot writes with write access)', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    h.runtime.finish('o-r-1-1', { exitCode: 1, log: 'boom\n' });
    await h.engine.pass();
    expect(await h.tracker.labelAppliedBy(ref, 'ready')).toBe('k3sc-bot');
    h.advance(60_000);
    expect((await h.engine.pass()).started.map((a) => a.name)).toEqual(['o-r-1-2']);
  });
});
