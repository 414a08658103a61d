import { describe, expect, it } from 'vitest';
import { createHarness } from '../../testing/engine-harness.js';

const MIN = 60_000;

describe('engine: orphan sweep', () => {
  it('returns an owner label with no attempt to ready after 10 minutes, then dispatches it', async () => {
    const h = createHarness();
    const ref = h.tracker.addIssue({
      repo: h.repo,
      title: 't',
      author: 'alice',
      labels: ['claude-c', 'bug'],
    });
    await h.engine.pass();
    expect((await h.state()).orphansSeen).toEqual({ 'o/r#1': h.clock.iso() });
    h.advance(9 * MIN);
    await h.engine.pass();
    expect(h.tracker.labels(ref)).toEqual(['claude-c', 'bug']);
    h.advance(MIN);
    await h.engine.pass();
    expect(h.tracker.labels(ref)).toEqual(['bug', 'ready']);
    expect(h.alerts('orphan-recovered')).toEqual([
      'o/r#1 had claude-c with no live attempt; moved back to ready',
    ]);
    expect((await h.state()).orphansSeen).toEqual({});
    const next = await h.engine.pass();
    expect(next.started.map((a) => a.name)).toEqual(['o-r-1-1']);
  });

  it('returns it to needs-review when its PR exists', async () => {
    const h = createHarness();
    const ref = h.tracker.addIssue({ repo: h.repo, title: 't', author: 'alice', labels: ['codex-a'] });
    h.tracker.addPull({ repo: h.repo, title: 'pr', branch: 'issue-1' });
    await h.engine.pass();
    h.advance(10 * MIN);
    await h.engine.pass();
    expect(h.tracker.labels(ref)).toEqual(['needs-review']);
  });

  it('never sweeps an issue whose attempt is still running, however long it runs', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    for (let i = 0; i < 6; i++) {
      h.advance(30 * MIN);
      await h.engine.pass();
    }
    expect(h.tracker.labels(ref)).toEqual(['claude-a']);
    expect(h.runtime.running()).toEqual(['o-r-1-1']);
    expect(h.alerts('orphan-recovered')).toEqual([]);
  });
});
