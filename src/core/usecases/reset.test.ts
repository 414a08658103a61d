import { describe, expect, it } from 'vitest';
import { ALICE } from '../../testing/engine-fixtures.js';
import { createHarness } from '../../testing/engine-harness.js';
import { failLog } from '../../testing/engine-log-lines.js';
import { resetIssue } from './reset.js';

describe('reset', () => {
  it('--to ready clears the history, so a parked issue gets a fresh run', async () => {
    const h = createHarness({ settings: { maxAttempts: 1 } });
    const ref = h.seedReady();
    await h.engine.pass();
    h.runtime.finish('o-r-1-1', { exitCode: 1, log: failLog('broken') });
    await h.engine.pass();
    expect(h.tracker.labels(ref)).toEqual(['needs-human']);

    const result = await resetIssue(h.deps, ref, 'ready', ALICE);
    expect(result).toEqual({ ref, to: 'ready', clearedAttempts: 1, stopped: [] });
    expect(h.tracker.labels(ref)).toEqual(['ready']);
    expect(await h.attempts(ref)).toEqual([]);

    const next = await h.engine.pass();
    expect(next.started).toHaveLength(1);
    expect(h.runtime.starts).toBe(2);
    const [fresh] = await h.attempts(ref);
    expect(fresh).toMatchObject({ phase: 'running', seq: 2, name: 'o-r-1-2' });
    await h.engine.pass();
    expect((await h.attempts(ref))[0]?.phase).toBe('running');
    expect(h.tracker.labels(ref)).toEqual([fresh?.slot]);
  });

  it('stops a live run first and removes its owner label', async () => {
    const h = createHarness();
    const ref = h.seedReady({ extraLabels: ['waiting'] });
    h.tracker.removeLabelAs(ref, 'waiting', 'alice');
    await h.engine.pass();
    const result = await resetIssue(h.deps, ref, 'needs-review', ALICE);
    expect(result.stopped).toEqual(['o-r-1-1']);
    expect(h.runtime.running()).toEqual([]);
    expect(h.tracker.labels(ref)).toEqual(['needs-review']);
  });

  it('--to none removes every workflow label and clears manual claims and orphan sightings', async () => {
    const h = createHarness();
    const ref = h.tracker.addIssue({
      repo: h.repo,
      title: 't',
      author: 'alice',
      labels: ['claude-q', 'bug', 'waiting'],
    });
    await h.engine.pass();
    expect(Object.keys((await h.state()).orphansSeen)).toEqual(['o/r#1']);
    await resetIssue(h.deps, ref, 'none', ALICE);
    expect(h.tracker.labels(ref)).toEqual(['bug', 'waiting']);
    expect((await h.state()).orphansSeen).toEqual({});
  });
});
