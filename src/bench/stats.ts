import { K3scError } from '../core/errors.js';

const sorted = (samples: readonly number[]): number[] => {
  if (samples.length === 0)
    throw new K3scError('bad_input', 'no samples to summarise; run the measure at least once');
  if (samples.some((x) => !Number.isFinite(x)))
    throw new K3scError('bad_input', 'samples must be finite numbers');
  return [...samples].sort((a, b) => a - b);
};

/**
 * The p-th percentile (0–100) with linear interpolation between the closest ranks
 * (numpy's default), so p50 of [1, 2, 3, 4] is 2.5 and p100 is the maximum.
 */
export const percentile = (samples: readonly number[], p: number): number => {
  if (!(p >= 0 && p <= 100))
    throw new K3scError('bad_input', `percentile must be between 0 and 100, got ${p}`);
  const xs = sorted(samples);
  const rank = (p / 100) * (xs.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = xs[lo] as number;
  const b = xs[hi] as number;
  return a + (b - a) * (rank - lo);
};

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export const p95 = (samples: readonly number[]): number => percentile(samples, 95);

export const mean = (samples: readonly number[]): number =>
  sorted(samples).reduce((s, x) => s + x, 0) / samples.length;

export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly mean: number;
}

export const summarize = (samples: readonly number[]): Summary => {
  const xs = sorted(samples);
  return {
    n: xs.length,
    min: xs[0] as number,
    p50: median(xs),
    p95: p95(xs),
    max: xs[xs.length - 1] as number,
    mean: mean(xs),
  };
};
