import { expect, it } from 'vitest';
import type { StateStore } from '../../core/ports/state-store.js';
import { ACME, makeAttempt } from './state-fixtures.js';

/** TTL cleanup: only ended attempts go; live ones, unknown names and other records stay. */
export const pruneContract = (store: () => StateStore): void => {
  it('removes the named ended attempts and keeps live ones, unknown names and the rest', async () => {
    const done = makeAttempt({ seq: 1, phase: 'succeeded', finishedAt: '2025-03-01T11:00:00.000Z' });
    const failed = makeAttempt({ seq: 2, phase: 'failed', finishedAt: '2025-03-01T12:00:00.000Z' });
    const killed = makeAttempt({ seq: 3, phase: 'killed', finishedAt: '2025-03-01T13:00:00.000Z' });
    const running = makeAttempt({ seq: 4, phase: 'running', startedAt: '2025-03-01T13:00:00.000Z' });
    const other = makeAttempt({ issue: 13, phase: 'succeeded', finishedAt: '2025-03-01T11:00:00.000Z' });
    for (const a of [done, failed, killed, running, other]) await store().createAttempt(a);
    const removed = await store().pruneAttempts([done.name, killed.name, running.name, 'acme-widgets-99-1']);
    expect(removed).toBe(2);
    expect((await store().listAttempts()).map((a) => a.name).sort()).toEqual(
      [failed.name, running.name, other.name].sort(),
    );
    expect(await store().getAttempt(done.name)).toBeUndefined();
    expect(await store().pruneAttempts([])).toBe(0);
  });

  it('a pruned live attempt keeps its slot; once it ends it can be pruned and the slot is free', async () => {
    const live = makeAttempt({ seq: 1, phase: 'running', slot: 'claude-a' });
    await store().createAttempt(live);
    expect(await store().pruneAttempts([live.name])).toBe(0);
    await expect(store().createAttempt(makeAttempt({ issue: 14, slot: 'claude-a' }))).rejects.toMatchObject({
      code: 'conflict',
    });
    await store().updateAttempt({ ...live, phase: 'failed', finishedAt: '2025-03-01T11:00:00.000Z' });
    expect(await store().pruneAttempts([live.name])).toBe(1);
    await store().createAttempt(makeAttempt({ issue: 14, slot: 'claude-a' }));
    expect((await store().listAttempts({ repo: ACME })).map((a) => a.issue)).toEqual([14]);
  });
};
