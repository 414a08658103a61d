import { describe, expect, it } from 'vitest';
import { createHarness } from '../../testing/engine-harness.js';
import { isK3scError } from '../errors.js';
import { scaleSlots, setFamilyEnabled, setPaused } from './farm-controls.js';

describe('farm controls', () => {
  it('pause stops dispatch with reason paused; resume lets it through', async () => {
    const h = createHarness();
    h.seedReady();
    await setPaused(h.deps, true);
    const paused = await h.engine.pass();
    expect(paused.entries[0]?.decision).toMatchObject({ dispatch: false, reason: 'paused' });
    expect(h.runtime.starts).toBe(0);
    await setPaused(h.deps, false);
    expect((await h.engine.pass()).started).toHaveLength(1);
  });

  it('scale changes max slots at runtime and validates the number', async () => {
    const h = createHarness();
    h.seedReady();
    h.seedReady();
    expect(await scaleSlots(h.deps, 1)).toEqual({ maxSlots: 1, configured: 5 });
    const report = await h.engine.pass();
    expect(report.entries.map((e) => (e.decision.dispatch ? e.decision.slot : e.decision.reason))).toEqual([
      'claude-a',
      'no-free-slot',
    ]);
    expect(await scaleSlots(h.deps, undefined)).toEqual({ maxSlots: 1, configured: 5 });
    for (const bad of [-1, 1.5, 1000])
      await expect(scaleSlots(h.deps, bad)).rejects.toSatisfy((e) => isK3scError(e, 'bad_input'));
  });

  it('disable moves work to other families; enable also clears an out-of-quota mark', async () => {
    const h = createHarness();
    await h.store.updateDispatchState((s) => ({ ...s, quotaUntil: { codex: h.clock.iso(3_600_000) } }));
    await setFamilyEnabled(h.deps, 'claude', false);
    h.seedReady();
    expect((await h.engine.pass()).entries[0]?.decision).toMatchObject({ reason: 'no-family-available' });
    const state = await setFamilyEnabled(h.deps, 'codex', true);
    expect(state.quotaUntil).toEqual({});
    expect((await h.engine.pass()).started.map((a) => a.slot)).toEqual(['codex-a']);
    await expect(setFamilyEnabled(h.deps, 'gemini', true)).rejects.toSatisfy((e) =>
      isK3scError(e, 'not_found'),
    );
  });
});
