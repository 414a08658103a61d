import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimitedError, SendBudget, type BudgetLimits, type BudgetTimers } from './send-budget.js';

const timers: BudgetTimers = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};
const limits: BudgetLimits = { editsPerWindow: 3, windowMs: 60_000, channelIntervalMs: 1_000 };

describe('SendBudget', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 0 }));
  afterEach(() => void vi.useRealTimers());

  it('spaces operations in one channel by the interval and keeps their order', async () => {
    const b = new SendBudget(limits, timers);
    const sent: [string, number][] = [];
    const op = (name: string) => ({
      kind: 'post' as const,
      channel: 'C1',
      run: () => Promise.resolve(void sent.push([name, Date.now()])),
    });
    const all = Promise.all([b.submit(op('a')), b.submit(op('b')), b.submit(op('c'))]);
    await vi.advanceTimersByTimeAsync(5_000);
    await all;
    expect(sent).toEqual([
      ['a', 0],
      ['b', 1_000],
      ['c', 2_000],
    ]);
  });

  it('lets another channel go while one waits', async () => {
    const b = new SendBudget(limits, timers);
    const sent: string[] = [];
    const op = (channel: string, name: string) => ({
      kind: 'post' as const,
      channel,
      run: () => Promise.resolve(void sent.push(name)),
    });
    void b.submit(op('C1', 'a1'));
    void b.submit(op('C1', 'a2'));
    void b.submit(op('C2', 'b1'));
    await vi.advanceTimersByTimeAsync(10);
    expect(sent).toEqual(['a1', 'b1']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toEqual(['a1', 'b1', 'a2']);
  });

  it('coalesces edits of one message to the latest state; every caller settles', async () => {
    const b = new SendBudget(limits, timers);
    const sent: string[] = [];
    const edit = (state: string) => ({
      kind: 'edit' as const,
      channel: 'C1',
      key: 'm1',
      run: () => Promise.resolve(void sent.push(state)),
    });
    void b.submit({ kind: 'post', channel: 'C1', run: () => Promise.resolve(void sent.push('root')) });
    const waits = ['claimed', 'running', 'pr-opened', 'needs-review'].map((s) => b.submit(edit(s)));
    await vi.advanceTimersByTimeAsync(3_000);
    await Promise.all(waits);
    expect(sent).toEqual(['root', 'needs-review']);
    expect(b.stats).toMatchObject({ posts: 1, edits: 1, coalesced: 3 });
  });

  it('keeps edits across the workspace within the window', async () => {
    const b = new SendBudget({ ...limits, channelIntervalMs: 0 }, timers);
    const at: number[] = [];
    for (let i = 0; i < 5; i++)
      void b.submit({
        kind: 'edit',
        channel: `C${i}`,
        key: `m${i}`,
        run: () => Promise.resolve(void at.push(Date.now())),
      });
    await vi.advanceTimersByTimeAsync(59_999);
    expect(at).toEqual([0, 0, 0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(at).toEqual([0, 0, 0, 60_000, 60_000]);
  });

  it('pauses for retry-after on a 429 and sends again, dropping nothing', async () => {
    const b = new SendBudget(limits, timers);
    const tries: number[] = [];
    let first = true;
    const done = b.submit({
      kind: 'post',
      channel: 'C1',
      run: () => {
        tries.push(Date.now());
        if (first) {
          first = false;
          return Promise.reject(new RateLimitedError(7_000));
        }
        return Promise.resolve('ok');
      },
    });
    await vi.advanceTimersByTimeAsync(6_999);
    expect(tries).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    await expect(done).resolves.toBe('ok');
    expect(tries).toEqual([0, 7_000]);
    expect(b.stats.rateLimited).toBe(1);
  });

  it('passes other errors to the caller and goes on', async () => {
    const b = new SendBudget(limits, timers);
    const failed = b.submit({ kind: 'post', channel: 'C1', run: () => Promise.reject(new Error('boom')) });
    const next = b.submit({ kind: 'post', channel: 'C1', run: () => Promise.resolve(2) });
    await expect(failed).rejects.toThrow('boom');
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(next).resolves.toBe(2);
  });

  it('close rejects what waits', async () => {
    const b = new SendBudget(limits, timers);
    void b.submit({ kind: 'post', channel: 'C1', run: () => Promise.resolve(1) });
    const waiting = b.submit({ kind: 'post', channel: 'C1', run: () => Promise.resolve(2) });
    b.close();
    await expect(waiting).rejects.toThrow('closed');
    await expect(b.submit({ kind: 'post', channel: 'C1', run: () => Promise.resolve(3) })).rejects.toThrow();
  });
});
