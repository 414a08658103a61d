import { describe, expect, it } from 'vitest';
import { createHarness } from '../../testing/engine-harness.js';
import { restoreQuota } from './restore-quota.js';

describe('restoreQuota', () => {
  it('brings a family back once its reset time passes, with one alert, and not before', async () => {
    const h = createHarness();
    const until = h.clock.iso(30 * 60_000);
    await h.store.updateDispatchState((s) => ({ ...s, quotaUntil: { claude: until } }));
    expect(await restoreQuota(h.deps)).toEqual([]);
    expect((await h.state()).quotaUntil).toEqual({ claude: until });
    h.advance(30 * 60_000);
    expect(await restoreQuota(h.deps)).toEqual(['claude']);
    expect((await h.state()).quotaUntil).toEqual({});
    expect(h.alerts('quota-restored')).toHaveLength(1);
    expect(await restoreQuota(h.deps)).toEqual([]);
  });

  it('runs as part of a dispatch pass, so the family is used again at once', async () => {
    const h = createHarness();
    await h.store.updateDispatchState((s) => ({
      ...s,
      quotaUntil: { claude: h.clock.iso(1000) },
      disabledFamilies: ['codex'],
    }));
    h.seedReady();
    const blocked = await h.engine.pass();
    expect(blocked.started).toHaveLength(0);
    h.advance(1000);
    const report = await h.engine.pass();
    expect(report.started.map((a) => a.slot)).toEqual(['claude-a']);
  });
});
