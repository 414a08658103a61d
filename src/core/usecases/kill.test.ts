import { describe, expect, it } from 'vitest';
import { ALICE } from '../../testing/engine-fixtures.js';
import { createHarness } from '../../testing/engine-harness.js';
import { killIssue } from './kill.js';

describe('kill', () => {
  it('stops the run and parks the issue in needs-human with "killed by"; the attempt is never retried', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    const result = await killIssue(h.deps, ref, ALICE);
    expect(result).toEqual({ ref, to: 'needs-human', stopped: 'o-r-1-1' });
    expect(await h.runtime.status('o-r-1-1')).toMatchObject({ state: 'failed', reason: 'stopped' });
    expect(h.tracker.labels(ref)).toEqual(['needs-human']);
    expect(h.tracker.comments(ref).at(-1)).toBe(
      'k3sc: killed by alice. Stopped o-r-1-1; moved to needs-human.',
    );
    for (let i = 0; i < 3; i++) {
      h.advance(60 * 60_000);
      await h.engine.pass();
    }
    const attempts = await h.attempts(ref);
    expect(attempts.map((a) => [a.name, a.phase, a.reason])).toEqual([
      ['o-r-1-1', 'killed', 'killed by alice'],
    ]);
    expect(h.runtime.starts).toBe(1);
    expect(h.tracker.labels(ref)).toEqual(['needs-human']);
  });

  it('with requeue moves the issue to ready; a new attempt runs, the killed one stays killed', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    expect(await killIssue(h.deps, ref, ALICE, { requeue: true })).toMatchObject({ to: 'ready' });
    expect(h.tracker.labels(ref)).toEqual(['ready']);
    expect(h.tracker.comments(ref).at(-1)).toMatch(/killed by alice\. Stopped o-r-1-1; requeued as ready\./);
    const next = await h.engine.pass();
    expect(next.started.map((a) => a.name)).toEqual(['o-r-1-2']);
    expect((await h.attempts(ref)).map((a) => a.phase)).toEqual(['killed', 'running']);
    expect(h.runtime.run('o-r-1-1')?.state).toBe('failed');
  });

  it('is safe when nothing runs, and never touches waiting or other labels', async () => {
    const h = createHarness();
    const ref = h.tracker.addIssue({
      repo: h.repo,
      title: 't',
      author: 'alice',
      labels: ['waiting', 'bug', 'needs-review'],
    });
    await h.engine.pass();
    expect(await killIssue(h.deps, ref, ALICE)).toEqual({ ref, to: 'needs-human' });
    expect(h.tracker.labels(ref).sort()).toEqual(['bug', 'needs-human', 'waiting']);
    expect(h.tracker.comments(ref)).toEqual([
      'k3sc: killed by alice. No attempt was running; moved to needs-human.',
    ]);
  });

  it('a run that exits after the kill is not applied as a failure', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    await killIssue(h.deps, ref, ALICE);
    await h.engine.pass();
    expect(h.tracker.comments(ref).filter((c) => c.includes('parked'))).toEqual([]);
    expect(h.alerts('attempt-failed')).toEqual([]);
  });
});
