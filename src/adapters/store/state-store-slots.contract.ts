import { expect, it } from 'vitest';
import type { StateStore } from '../../core/ports/state-store.js';
import { makeAttempt } from './state-fixtures.js';

/**
 * Slots: a live attempt holds its slot, so creating a second live attempt in that slot is a
 * conflict (two processes never give one slot to two attempts); an attempt that ends, or is
 * deleted, frees it.
 */
export const slotContract = (store: () => StateStore): void => {
  it('refuses a second live attempt in a held slot, naming the holder', async () => {
    await store().createAttempt(makeAttempt({ issue: 12, slot: 'claude-a' }));
    await expect(store().createAttempt(makeAttempt({ issue: 13, slot: 'claude-a' }))).rejects.toMatchObject({
      code: 'conflict',
      message: 'slot claude-a is held by attempt acme-widgets-12-1',
    });
    expect(await store().getAttempt('acme-widgets-13-1')).toBeUndefined();
    await store().createAttempt(makeAttempt({ issue: 14, slot: 'claude-b' }));
  });

  it('gives one slot to exactly one of 10 concurrent attempts for different issues', async () => {
    const racers = Array.from({ length: 10 }, (_, i) => makeAttempt({ issue: 20 + i, slot: 'codex-a' }));
    const results = await Promise.allSettled(racers.map((a) => store().createAttempt(a)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict' });
    expect((await store().listAttempts({ liveOnly: true })).filter((a) => a.slot === 'codex-a')).toHaveLength(
      1,
    );
  });

  it('frees the slot when its attempt ends or is deleted', async () => {
    const first = makeAttempt({ issue: 12, slot: 'claude-a' });
    await store().createAttempt(first);
    await store().updateAttempt({ ...first, phase: 'running', startedAt: '2025-03-01T10:01:00.000Z' });
    await expect(store().createAttempt(makeAttempt({ issue: 13, slot: 'claude-a' }))).rejects.toMatchObject({
      code: 'conflict',
    });
    await store().updateAttempt({ ...first, phase: 'failed', finishedAt: '2025-03-01T10:05:00.000Z' });
    const second = makeAttempt({ issue: 13, slot: 'claude-a' });
    await store().createAttempt(second);
    expect(await store().deleteAttempts(second.repo, 13)).toBe(1);
    await store().createAttempt(makeAttempt({ issue: 14, slot: 'claude-a' }));
  });

  it('lets a finished attempt be recorded in a slot a live one holds (history is not a claim)', async () => {
    await store().createAttempt(makeAttempt({ issue: 12, slot: 'claude-a' }));
    const old = makeAttempt({ issue: 13, slot: 'claude-a', phase: 'succeeded' });
    await store().createAttempt(old);
    expect(await store().getAttempt(old.name)).toEqual(old);
  });
};
