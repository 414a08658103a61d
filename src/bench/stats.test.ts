import { describe, expect, it } from 'vitest';
import { isK3scError } from '../core/errors.js';
import { mean, median, p95, percentile, summarize } from './stats.js';

describe('bench stats', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('interpolates percentiles between ranks', () => {
    const xs = Array.from({ length: 21 }, (_, i) => i * 10); // 0..200
    expect(p95(xs)).toBe(190);
    expect(percentile([10, 20], 25)).toBe(12.5);
    expect(percentile([5, 1, 9], 0)).toBe(1);
    expect(percentile([5, 1, 9], 100)).toBe(9);
  });

  it('does not reorder the caller’s array', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });

  it('summarises min, p50, p95, max and mean', () => {
    const s = summarize([1, 2, 3, 4, 100]);
    expect({ ...s, p95: undefined }).toEqual({ n: 5, min: 1, p50: 3, p95: undefined, max: 100, mean: 22 });
    expect(s.p95).toBeCloseTo(80.8, 9);
    expect(mean([1, 2, 6])).toBe(3);
  });

  it('rejects empty input, non-finite samples and out-of-range percentiles', () => {
    const code = (fn: () => unknown): string | undefined => {
      try {
        fn();
        return undefined;
      } catch (err) {
        return isK3scError(err) ? err.code : 'other';
      }
    };
    expect(code(() => median([]))).toBe('bad_input');
    expect(code(() => summarize([1, Number.NaN]))).toBe('bad_input');
    expect(code(() => percentile([1, 2], 101))).toBe('bad_input');
    expect(code(() => percentile([1, 2], -1))).toBe('bad_input');
  });
});
