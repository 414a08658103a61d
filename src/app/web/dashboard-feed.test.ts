import { describe, expect, it } from 'vitest';
import { DashboardFeed } from './dashboard-feed.js';
import { ManualClock, settle } from './__tests__/manual-clock.js';

/** A feed whose fragment is whatever `state.v` says, on a manual clock. */
const setup = () => {
  const clock = new ManualClock();
  const state = { v: 0 };
  const feed = new DashboardFeed(() => Promise.resolve(`<p>${state.v}</p>`), { clock });
  return { clock, state, feed };
};

describe('DashboardFeed (pushed, coalesced)', () => {
  it('renders nothing while nobody listens, however many changes are reported', async () => {
    const { clock, feed } = setup();
    for (let i = 0; i < 100; i++) feed.changed();
    await clock.advance(60_000);
    expect(feed.renders).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('renders once for the first subscriber, then only the safety tick while idle', async () => {
    const { clock, feed } = setup();
    const off = feed.subscribe(() => undefined);
    await settle();
    expect(feed.renders).toBe(1);
    await clock.advance(60_000);
    expect(feed.renders).toBe(1 + 4); // one every 15 s
    off();
    await clock.advance(60_000);
    expect(feed.renders).toBe(5);
    expect(clock.pending).toBe(0);
  });

  it('turns a burst of N changes into one render, and tells listeners once', async () => {
    const { clock, state, feed } = setup();
    let heard = 0;
    feed.subscribe(() => heard++);
    await clock.advance(1_000);
    const before = feed.renders;
    const heardBefore = heard;
    state.v = 1;
    for (let i = 0; i < 50; i++) feed.changed();
    await clock.advance(600);
    expect(feed.renders - before).toBe(1);
    expect(heard - heardBefore).toBe(1);
    expect(feed.current).toBe('<p>1</p>');
  });

  it('renders at most once per 500 ms under a steady stream of changes', async () => {
    const { clock, state, feed } = setup();
    feed.subscribe(() => undefined);
    await settle();
    const before = feed.renders;
    for (let t = 0; t < 10_000; t += 10) {
      state.v = t;
      feed.changed();
      await clock.advance(10);
    }
    const renders = feed.renders - before;
    expect(renders).toBeGreaterThanOrEqual(18);
    expect(renders).toBeLessThanOrEqual(21); // 10 s / 500 ms, ± the edges
    expect(feed.current).not.toBe('<p>0</p>');
  });

  it('a change reported during a render is not lost: one more render follows', async () => {
    const clock = new ManualClock();
    let release: (() => void) | undefined;
    let v = 0;
    const feed = new DashboardFeed(
      () =>
        new Promise<string>((resolve) => {
          const now = v;
          release = () => resolve(`<p>${now}</p>`);
        }),
      { clock },
    );
    feed.subscribe(() => undefined);
    expect(feed.renders).toBe(1);
    v = 7;
    feed.changed(); // while the first render is still running
    release?.();
    await clock.advance(600);
    expect(feed.renders).toBe(2);
    release?.();
    await settle();
    expect(feed.current).toBe('<p>7</p>');
  });

  it('keeps the sequence unchanged when a render gives the same fragment (resume ids stay stable)', async () => {
    const { clock, state, feed } = setup();
    feed.subscribe(() => undefined);
    await settle();
    const seq = feed.seq;
    feed.changed();
    await clock.advance(600);
    expect(feed.renders).toBe(2);
    expect(feed.seq).toBe(seq);
    state.v = 2;
    feed.changed();
    await clock.advance(600);
    expect(feed.seq).toBe(seq + 1);
  });

  it('drops the fragment when the last subscriber leaves, so a later page is never sent a stale one', async () => {
    const { clock, state, feed } = setup();
    const off = feed.subscribe(() => undefined);
    await settle();
    expect(feed.current).toBe('<p>0</p>');
    const seq = feed.seq;
    off();
    expect(feed.current).toBe('');
    state.v = 5;
    await clock.advance(60_000);
    feed.subscribe(() => undefined);
    await settle();
    expect(feed.current).toBe('<p>5</p>');
    expect(feed.seq).toBe(seq + 1);
  });
});
