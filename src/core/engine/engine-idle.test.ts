import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHarness } from '../../testing/engine-harness.js';

const MIN = 60_000;

describe('engine: idle back-off', () => {
  it('counts idle passes, doubling the delay, and resets when work is found', async () => {
    const h = createHarness();
    expect(await h.engine.nextDelayMs()).toBe(2 * MIN);
    await h.engine.pass();
    await h.engine.pass();
    expect((await h.state()).idleScans).toBe(2);
    expect(await h.engine.nextDelayMs()).toBe(4 * MIN);
    await h.engine.pass({ dryRun: true });
    expect((await h.state()).idleScans).toBe(2);
    h.seedReady();
    await h.engine.pass();
    expect((await h.state()).idleScans).toBe(0);
    await h.engine.pass();
    expect((await h.state()).idleScans).toBe(1);
    await h.engine.resetIdle();
    expect((await h.state()).idleScans).toBe(0);
  });

  it('caps the delay at the max interval', async () => {
    const h = createHarness();
    for (let i = 0; i < 8; i++) await h.engine.pass();
    expect(await h.engine.nextDelayMs()).toBe(60 * MIN);
  });

  it('records when the scan ran', async () => {
    const h = createHarness();
    await h.engine.pass();
    expect((await h.state()).lastScanAt).toBe(h.clock.iso());
  });
});

describe('engine: scan loop', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sleeps the idle delay, and a trigger wakes it to scan at once', async () => {
    vi.useFakeTimers();
    const h = createHarness();
    const ac = new AbortController();
    const loop = h.engine.run(ac.signal);
    await vi.advanceTimersByTimeAsync(0);
    const scans = (): number => h.events.filter((e) => e.type === 'scan').length;
    expect(scans()).toBe(1);
    // One idle scan so far: the next one comes after the 2-minute minimum.
    expect((await h.state()).nextScanAt).toBe(h.clock.iso(2 * MIN));
    await vi.advanceTimersByTimeAsync(2 * MIN - 1);
    expect(scans()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(scans()).toBe(2);

    const ref = h.seedReady();
    h.engine.trigger(h.repo);
    await vi.advanceTimersByTimeAsync(0);
    expect(scans()).toBe(3);
    expect(h.tracker.labels(ref)).toEqual(['claude-a']);
    h.engine.trigger({ owner: 'not', name: 'configured' });
    await vi.advanceTimersByTimeAsync(0);
    expect(scans()).toBe(3);
    ac.abort();
    await loop;
  });

  it('a webhook trigger resets the idle back-off to the minimum interval', async () => {
    vi.useFakeTimers();
    const h = createHarness();
    const ac = new AbortController();
    const loop = h.engine.run(ac.signal);
    await vi.advanceTimersByTimeAsync(2 * MIN + 4 * MIN);
    expect((await h.state()).idleScans).toBe(3);
    expect((await h.state()).nextScanAt).toBe(h.clock.iso(8 * MIN));
    h.engine.trigger(h.repo);
    await vi.advanceTimersByTimeAsync(0);
    expect((await h.state()).idleScans).toBe(0);
    expect((await h.state()).nextScanAt).toBe(h.clock.iso(2 * MIN));
    ac.abort();
    await loop;
  });
});
