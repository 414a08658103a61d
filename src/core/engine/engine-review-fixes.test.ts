import { describe, expect, it } from 'vitest';
import { attemptName, leaseName } from '../domain/attempt-name.js';
import { parseIssueRef } from '../domain/parse-issue-ref.js';
import { claimIssue } from '../usecases/claim.js';
import { scaleSlots } from '../usecases/farm-controls.js';
import { resetIssue } from '../usecases/reset.js';
import { createHarness } from '../../testing/engine-harness.js';
import { ALICE } from '../../testing/engine-fixtures.js';

describe('findings of the first review', () => {
  it('attempt and lease names keep apart repositories whose dashes would line up', () => {
    const a = { owner: 'acme-tools', name: 'web' };
    const b = { owner: 'acme', name: 'tools-web' };
    expect(attemptName(a, 1, 1)).not.toBe(attemptName(b, 1, 1));
    expect(leaseName(a, 3)).not.toBe(leaseName(b, 3));
    expect(attemptName(b, 1, 1)).toBe('acme-tools-web-1-1');
  });

  it('a manual claim on a cold cache (one-shot CLI) still refuses an issue someone owns', async () => {
    const h = createHarness();
    const ref = h.tracker.addIssue({
      repo: h.repo,
      title: 't',
      author: 'alice',
      labels: ['claude-a', 'bug', 'waiting'],
    });
    await expect(claimIssue(h.deps, ref, 'codex-b', ALICE)).rejects.toThrow(/already claimed by claude-a/);
    expect(h.tracker.labels(ref)).toEqual(['claude-a', 'bug', 'waiting']);
  });

  it('a manual claim on a cold cache removes ready', async () => {
    const h = createHarness();
    const ref = h.seedReady({ extraLabels: ['docs'] });
    await claimIssue(h.deps, ref, 'codex-b', ALICE);
    expect([...h.tracker.labels(ref)].sort()).toEqual(['codex-b', 'docs']);
  });

  it('reset --to none on a cold cache removes the workflow labels and nothing else', async () => {
    const h = createHarness();
    const ref = h.seedReady({ extraLabels: ['docs'] });
    await resetIssue(h.deps, ref, 'none', ALICE);
    expect(h.tracker.labels(ref)).toEqual(['docs']);
  });

  it('a needs-review issue whose PR carries waiting gets no agent review', async () => {
    const h = createHarness();
    const ref = h.tracker.addIssue({ repo: h.repo, title: 't', author: 'alice', labels: ['needs-review'] });
    h.tracker.addPull({ repo: h.repo, title: 'pr', branch: `issue-${ref.number}`, labels: ['waiting'] });
    const report = await h.engine.pass();
    expect(report.started).toHaveLength(0);
    expect(report.entries[0]?.decision).toMatchObject({ dispatch: false, reason: 'waiting' });
  });

  it('a slot whose name is already an owner label on GitHub is not given to another issue', async () => {
    const h = createHarness();
    h.tracker.addIssue({ repo: h.repo, title: 'held by hand', author: 'alice', labels: ['claude-a'] });
    const ref = h.seedReady();
    const report = await h.engine.pass();
    expect(report.started.map((a) => a.slot)).toEqual(['claude-b']);
    expect(h.tracker.labels(ref)).toEqual(['claude-b']);
  });

  it('the run starts right after the owner label is added, before ready is removed and the comment posted', async () => {
    const h = createHarness();
    h.seedReady();
    await h.engine.pass();
    const added = h.callIndex('tracker', 'changeLabels', (e) => e.detail.includes('+claude-a'));
    const started = h.callIndex('runtime', 'start');
    const removed = h.callIndex('tracker', 'changeLabels', (e) => e.detail.includes('-ready'));
    const commented = h.callIndex('tracker', 'comment');
    expect(added).toBeGreaterThanOrEqual(0);
    expect(added).toBeLessThan(started);
    expect(started).toBeLessThan(removed);
    expect(started).toBeLessThan(commented);
  });

  it('rejects issue numbers beyond 32 bits and slot counts beyond 26', async () => {
    expect(() => parseIssueRef('o/r#99999999999999999999', [{ owner: 'o', name: 'r' }])).toThrow(/too large/);
    const h = createHarness();
    await expect(scaleSlots(h.deps, 27)).rejects.toThrow(/0 to 26/);
    expect((await scaleSlots(h.deps, 26)).maxSlots).toBe(26);
  });
});
