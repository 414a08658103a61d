import { describe, expect, it } from 'vitest';
import { ALICE } from '../../testing/engine-fixtures.js';
import { createHarness } from '../../testing/engine-harness.js';
import { isK3scError } from '../errors.js';
import { claimIssue } from './claim.js';

const MIN = 60_000;

describe('manual claim', () => {
  it('gives an unowned issue the owner label and exempts it from the orphan sweep', async () => {
    const h = createHarness();
    const ref = h.tracker.addIssue({
      repo: h.repo,
      title: 't',
      author: 'alice',
      labels: ['needs-human', 'bug'],
    });
    await h.engine.pass();
    expect(await claimIssue(h.deps, ref, 'claude-b', ALICE)).toEqual({ ref, owner: 'claude-b' });
    expect(h.tracker.labels(ref)).toEqual(['bug', 'claude-b']);
    expect((await h.state()).manualClaims).toEqual({ 'o/r#1': 'claude-b' });
    h.advance(120 * MIN);
    await h.engine.pass();
    await h.engine.pass();
    expect(h.tracker.labels(ref)).toEqual(['bug', 'claude-b']);
    expect(h.alerts('orphan-recovered')).toEqual([]);
  });

  it('refuses an issue someone else owns with a message naming the owner; the same owner is a no-op', async () => {
    const h = createHarness();
    const ref = h.tracker.addIssue({ repo: h.repo, title: 't', author: 'alice', labels: ['claude-b'] });
    await h.engine.pass();
    await expect(claimIssue(h.deps, ref, 'codex-a', ALICE)).rejects.toSatisfy(
      (e) => isK3scError(e, 'conflict') && e.message === 'issue o/r#1 is already claimed by claude-b',
    );
    await expect(claimIssue(h.deps, ref, 'claude-b', ALICE)).resolves.toEqual({ ref, owner: 'claude-b' });
    expect(h.tracker.labels(ref)).toEqual(['claude-b']);
  });

  it('refuses an issue with a live attempt, and owners that are not <family>-<id>', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    h.deps.cache.applyLabels(ref, { add: [], remove: ['claude-a'] });
    await expect(claimIssue(h.deps, ref, 'codex-b', ALICE)).rejects.toThrow(
      'has a live attempt o-r-1-1 on claude-a',
    );
    await expect(claimIssue(h.deps, ref, 'gemini-a', ALICE)).rejects.toSatisfy((e) =>
      isK3scError(e, 'bad_input'),
    );
  });
});
