import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './reconnect-backoff.js';

describe('reconnectDelay', () => {
  const b = (r: number) => ({ baseMs: 1_000, capMs: 30_000, random: () => r });
  it('doubles per attempt, between half and all of the step', () => {
    expect([1, 2, 3, 4].map((n) => reconnectDelay(n, b(0)))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => reconnectDelay(n, b(0.999999)))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });
  it('never exceeds the cap, even after many attempts', () => {
    for (const n of [6, 10, 100, 10_000]) {
      expect(reconnectDelay(n, b(0.999999))).toBeLessThanOrEqual(30_000);
      expect(reconnectDelay(n, b(0))).toBe(15_000);
    }
  });
  it('spreads clients out (jitter)', () => {
    const seen = new Set([0, 0.25, 0.5, 0.75].map((r) => reconnectDelay(3, b(r))));
    expect(seen.size).toBe(4);
  });
});
