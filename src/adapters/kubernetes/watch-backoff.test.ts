import { describe, expect, it } from 'vitest';
import { jitteredBackoff, withTimeout } from './watch-backoff.js';

describe('jitteredBackoff', () => {
  it('doubles up to the ceiling, half fixed and half random, and resets', () => {
    const low = jitteredBackoff(500, 4_000, () => 0);
    expect([low.next(), low.next(), low.next(), low.next(), low.next()]).toEqual([
      250, 500, 1000, 2000, 2000,
    ]);
    const high = jitteredBackoff(500, 4_000, () => 1);
    expect([high.next(), high.next()]).toEqual([500, 1000]);
    high.reset();
    expect(high.next()).toBe(500);
  });
});

describe('withTimeout', () => {
  it('rejects a request that takes too long and passes a fast one through', async () => {
    await expect(withTimeout(new Promise(() => undefined), 5, 'list jobs')).rejects.toThrow(
      'list jobs timed out after 5 ms',
    );
    await expect(withTimeout(Promise.resolve(7), 1_000, 'x')).resolves.toBe(7);
  });
});
