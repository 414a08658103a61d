import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_SETTINGS } from '../model/settings.js';
import { idleScanDelay, retryDelay } from './backoff.js';

const MIN = 60_000;

describe('idleScanDelay', () => {
  it('doubles from 2 minutes per idle scan and caps at 1 hour', () => {
    const { minIntervalMs, maxIntervalMs } = DEFAULT_ENGINE_SETTINGS.scan;
    const delays = [0, 1, 2, 3, 4, 5, 6, 40].map((n) => idleScanDelay(n, minIntervalMs, maxIntervalMs) / MIN);
    expect(delays).toEqual([2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('treats negative counts as zero and never overflows', () => {
    expect(idleScanDelay(-3, 1000, 10_000)).toBe(1000);
    expect(idleScanDelay(Number.MAX_SAFE_INTEGER, 1000, 10_000)).toBe(10_000);
  });
});

describe('retryDelay', () => {
  it('follows the schedule by failure number and repeats its last entry', () => {
    const schedule = DEFAULT_ENGINE_SETTINGS.retryBackoffMs;
    expect([1, 2, 3, 9].map((f) => retryDelay(f, schedule) / MIN)).toEqual([1, 5, 5, 5]);
    expect(retryDelay(0, schedule)).toBe(MIN);
  });

  it('is zero with an empty schedule', () => {
    expect(retryDelay(2, [])).toBe(0);
  });
});
