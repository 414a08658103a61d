import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['90s', 90_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['24h', 86_400_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['90', 90_000],
    [90, 90_000],
    [' 2m ', 120_000],
    ['0s', 0],
  ] as const)('%j → %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['2x', '', 'm', '1.5h', '-1m', '2 m', '1h 30m', 'ten'])('rejects %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('rejects non-integers, negatives and other types', () => {
    expect(parseDuration(1.5)).toBeUndefined();
    expect(parseDuration(-3)).toBeUndefined();
    expect(parseDuration(true)).toBeUndefined();
    expect(parseDuration(null)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('prints the shortest compound form', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(86_400_000 + 1)).toBe('1d1ms');
  });

  it('round-trips through parseDuration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 86_400_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });
});
