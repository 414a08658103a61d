import { describe, expect, it } from 'vitest';
import { ADMIN, ALICE, BOB } from '../../testing/engine-fixtures.js';
import { createHarness, type EngineHarness } from '../../testing/engine-harness.js';
import { okLog } from '../../testing/engine-log-lines.js';
import { isK3scError } from '../errors.js';
import { releaseReview, takeReview } from './leases.js';

const HOUR = 3_600_000;

const withPulls = async (): Promise<EngineHarness> => {
  const h = createHarness();
  h.tracker.addPull({ repo: h.repo, title: 'docs: readme', branch: 'feature-a' });
  h.advance(1000);
  h.tracker.addPull({ repo: h.repo, title: 'fix: crash', branch: 'feature-b' });
  h.advance(1000);
  h.tracker.addPull({ repo: h.repo, title: 'perf: cache', branch: 'feature-c' });
  await h.engine.pass();
  return h;
};

describe('take', () => {
  it('reserves the best PR (perf first) and mirrors the lease as the worker label', async () => {
    const h = await withPulls();
    const lease = await takeReview(h.deps, 'claude-b', ALICE);
    expect(lease).toMatchObject({
      pr: 3,
      worker: 'claude-b',
      holder: 'cli:alice',
      name: 'o-r-pr-3',
      expiresAt: h.clock.iso(12 * HOUR),
    });
    expect(h.tracker.labels({ repo: h.repo, number: 3 })).toEqual(['claude-b']);
    const second = await takeReview(h.deps, 'codex-r', BOB);
    expect(second?.pr).toBe(2);
  });

  it('allows one lease per worker', async () => {
    const h = await withPulls();
    await takeReview(h.deps, 'claude-b', ALICE);
    await expect(takeReview(h.deps, 'claude-b', ALICE)).rejects.toSatisfy(
      (e) => isK3scError(e, 'conflict') && e.message.includes('claude-b already holds o/r#3'),
    );
  });

  it('returns nothing when every PR is taken, and rejects invalid worker names', async () => {
    const h = createHarness();
    h.tracker.addPull({ repo: h.repo, title: 'x', branch: 'b', labels: ['waiting'] });
    await h.engine.pass();
    expect(await takeReview(h.deps, 'claude-b', ALICE)).toBeUndefined();
    await expect(takeReview(h.deps, 'bob', ALICE)).rejects.toSatisfy((e) => isK3scError(e, 'bad_input'));
  });
});

describe('release and expiry', () => {
  it('lets only the holder or an admin release, removing the lease and the label', async () => {
    const h = await withPulls();
    await takeReview(h.deps, 'claude-b', ALICE);
    await expect(releaseReview(h.deps, { worker: 'claude-b' }, BOB)).rejects.toSatisfy((e) =>
      isK3scError(e, 'forbidden'),
    );
    await releaseReview(h.deps, { pr: { repo: h.repo, number: 3 } }, ALICE);
    expect(await h.store.listLeases()).toEqual([]);
    expect(h.tracker.labels({ repo: h.repo, number: 3 })).toEqual([]);
    await takeReview(h.deps, 'codex-r', BOB);
    await releaseReview(h.deps, { worker: 'codex-r' }, ADMIN);
    await expect(releaseReview(h.deps, { worker: 'codex-r' }, ADMIN)).rejects.toSatisfy((e) =>
      isK3scError(e, 'not_found'),
    );
  });

  it('sweeps an expired lease on the next pass and removes its label', async () => {
    const h = await withPulls();
    await takeReview(h.deps, 'claude-b', ALICE, { ttlMs: HOUR });
    h.advance(HOUR - 1);
    await h.engine.pass();
    expect(await h.store.listLeases()).toHaveLength(1);
    h.advance(1);
    await h.engine.pass();
    expect(await h.store.listLeases()).toEqual([]);
    expect(h.tracker.labels({ repo: h.repo, number: 3 })).toEqual([]);
    expect(h.alerts('lease-expired')).toEqual(['lease of claude-b on o/r#3 expired']);
  });

  it('holds back the agent review of an issue while a person holds its PR, and keeps the lease slot free', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    h.tracker.addPull({ repo: h.repo, title: 'Add a widget', branch: 'issue-1' });
    h.runtime.finish('o-r-1-1', { exitCode: 0, log: okLog(2) });
    await h.engine.pass();
    expect(await takeReview(h.deps, 'codex-a', ALICE)).toMatchObject({ pr: 2 });
    const held = await h.engine.pass();
    expect(held.entries[0]?.decision).toEqual({
      dispatch: false,
      reason: 'lease-held',
      detail: 'codex-a holds PR #2',
    });
    await releaseReview(h.deps, { worker: 'codex-a' }, ALICE);
    const next = await h.engine.pass();
    expect(next.started.map((a) => [a.kind, a.slot])).toEqual([['review', 'codex-a']]);
    expect(h.tracker.labels(ref)).toEqual(['codex-a']);
  });
});
