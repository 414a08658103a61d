import { describe, expect, it } from 'vitest';
import { createHarness } from '../../testing/engine-harness.js';
import { okLog } from '../../testing/engine-log-lines.js';

describe('engine: ready → implement → needs-review → review → needs-human', () => {
  it('claims a trusted ready issue, writing the owner label before the run starts', async () => {
    const h = createHarness();
    const ref = h.seedReady({ extraLabels: ['bug', 'waiting-for-ci'] });
    const report = await h.engine.pass();
    expect(report.started.map((a) => [a.name, a.slot, a.phase])).toEqual([
      ['o-r-1-1', 'claude-a', 'running'],
    ]);
    expect(h.tracker.labels(ref)).toEqual(['bug', 'waiting-for-ci', 'claude-a']);
    const label = h.callIndex('tracker', 'changeLabels', (c) => c.detail.includes('+claude-a'));
    const start = h.callIndex('runtime', 'start', (c) => c.target === 'o-r-1-1');
    expect(label).toBeGreaterThanOrEqual(0);
    expect(start).toBeGreaterThan(label);
    expect(h.tracker.comments(ref)).toEqual(['k3sc: claude-a is implementing this (attempt `o-r-1-1`).']);
    expect(h.runtime.run('o-r-1-1')?.spec).toMatchObject({
      branch: 'issue-1',
      kind: 'implement',
      slot: 'claude-a',
      deadlineSeconds: 3600,
    });
  });

  it('moves a successful implementation to needs-review and reviews it on a different slot', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    h.tracker.addPull({ repo: h.repo, title: 'Add a widget', branch: 'issue-1' });
    h.advance(60_000);
    h.runtime.finish('o-r-1-1', { exitCode: 0, log: okLog(2) });
    await h.engine.pass();
    const [impl] = await h.attempts(ref);
    expect(impl).toMatchObject({ phase: 'succeeded', prNumber: 2, result: { ok: true, prNumber: 2 } });
    expect(impl?.usage).toMatchObject({ inputTokens: 100, costUsd: 0.01, messageIds: ['m1'] });
    expect(h.alerts('needs-review')).toEqual(['o/r#1 is needs-review']);

    await h.engine.pass();
    const review = (await h.attempts(ref)).find((a) => a.kind === 'review');
    expect(review).toMatchObject({
      name: 'o-r-1-2',
      seq: 2,
      phase: 'running',
      family: 'codex',
      slot: 'codex-a',
    });
    expect(review?.slot).not.toBe(impl?.slot);
    expect(h.tracker.labels(ref)).toEqual(['codex-a']);
    expect(h.tracker.comments(ref).at(-1)).toBe('k3sc: codex-a is reviewing this (attempt `o-r-1-2`).');

    h.runtime.finish('o-r-1-2', { exitCode: 0, log: '[result] {"ok":true,"summary":"LGTM"}\n' });
    await h.engine.pass();
    expect(h.tracker.labels(ref)).toEqual(['needs-human']);
    expect((await h.attempts(ref)).map((a) => a.phase)).toEqual(['succeeded', 'succeeded']);
    expect(h.alerts('needs-human')).toEqual(['o/r#1 is needs-human']);
    const after = await h.engine.pass();
    expect(after.started).toEqual([]);
    expect(h.runtime.starts).toBe(2);
  });

  it('applies the transitions once: repeated passes write nothing new', async () => {
    const h = createHarness();
    h.seedReady();
    await h.engine.pass();
    h.runtime.finish('o-r-1-1', { exitCode: 0, log: okLog() });
    await h.engine.pass();
    await h.engine.pass();
    h.tracker.resetCounts();
    await h.engine.pass();
    await h.engine.pass();
    expect(h.tracker.count('changeLabels')).toBe(0);
    expect(h.tracker.count('comment')).toBe(0);
    expect(h.runtime.starts).toBe(2);
  });

  it('emits transition and attempt events for the chat side', async () => {
    const h = createHarness();
    h.seedReady();
    await h.engine.pass();
    const types = h.events.map((e) => (e.type === 'transition' ? `${e.type}:${e.from}->${e.to}` : e.type));
    expect(types).toEqual(['transition:ready->claude-a', 'attempt-started', 'scan']);
  });
});
