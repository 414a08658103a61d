import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLimiterGroups, Limiter } from './limiter-groups.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('Limiter', () => {
  it('never runs more than maxConcurrent tasks at once and keeps their order', async () => {
    const limiter = new Limiter(2, 0);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = async (i: number): Promise<number> => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      order.push(i);
      running--;
      return i * 10;
    };
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => limiter.key().schedule({}, task as (...a: unknown[]) => unknown, i)),
    );
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it('spaces starts by minTime (fake timers)', async () => {
    vi.useFakeTimers();
    const limiter = new Limiter(1, 1000);
    const starts: number[] = [];
    const t0 = Date.now();
    const all = Promise.all([0, 1, 2].map(() => limiter.schedule({}, () => starts.push(Date.now() - t0))));
    await vi.advanceTimersByTimeAsync(2500);
    await all;
    expect(starts).toEqual([0, 1000, 2000]);
  });

  it('with minTime 0 builds groups that pass requests straight through', async () => {
    const groups = createLimiterGroups(0);
    const value = await groups.write.key('id').schedule({}, (a: unknown) => a, 'ok');
    expect(value).toBe('ok');
  });
});
