import { expect, it } from 'vitest';
import { initialDispatchState, type DispatchState } from '../../core/model/dispatch-state.js';
import type { StateStore } from '../../core/ports/state-store.js';

const bump = (s: DispatchState): DispatchState => ({ ...s, idleScans: s.idleScans + 1 });

/** The farm-wide dispatch state: a default, and serialized read-modify-write. */
export const dispatchContract = (store: () => StateStore): void => {
  it('starts from the initial dispatch state', async () => {
    expect(await store().getDispatchState()).toEqual(initialDispatchState());
  });

  it('applies an update, returns the new state and keeps it', async () => {
    const next = await store().updateDispatchState((s) => ({
      ...s,
      paused: true,
      maxSlots: 3,
      disabledFamilies: ['codex'],
      quotaUntil: { claude: '2025-03-01T15:00:00.000Z' },
      manualClaims: { 'acme/widgets#12': 'claude-c' },
      orphansSeen: { 'acme/widgets#7': '2025-03-01T10:00:00.000Z' },
      lastScanAt: '2025-03-01T10:00:00.000Z',
    }));
    expect(next).toMatchObject({ paused: true, maxSlots: 3, disabledFamilies: ['codex'] });
    expect(await store().getDispatchState()).toEqual(next);
  });

  it('never loses an update: 50 concurrent increments end at exactly 50', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => store().updateDispatchState(bump)));
    expect(results.map((s) => s.idleScans).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    expect((await store().getDispatchState()).idleScans).toBe(50);
  });

  it('keeps the old state when the update function throws or returns an invalid state', async () => {
    await store().updateDispatchState(bump);
    const boom = store().updateDispatchState(() => {
      throw new Error('boom');
    });
    await expect(boom).rejects.toThrow('boom');
    await expect(store().updateDispatchState((s) => ({ ...s, rotation: -1 }))).rejects.toMatchObject({
      code: 'bad_input',
    });
    expect(await store().getDispatchState()).toEqual({ ...initialDispatchState(), idleScans: 1 });
  });

  it('hands out copies of the dispatch state', async () => {
    const got = (await store().getDispatchState()) as unknown as {
      disabledFamilies: string[];
      quotaUntil: Record<string, string>;
    };
    got.disabledFamilies.push('claude');
    got.quotaUntil['codex'] = '2025-03-01T15:00:00.000Z';
    const returned = (await store().updateDispatchState(bump)) as unknown as { disabledFamilies: string[] };
    returned.disabledFamilies.push('codex');
    expect(await store().getDispatchState()).toEqual({ ...initialDispatchState(), idleScans: 1 });
  });
};
