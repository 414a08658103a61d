/** Restart delays for a watch: exponential from `baseMs` to `maxMs`, full jitter. */
export interface Backoff {
  next(): number;
  reset(): void;
}

export const jitteredBackoff = (
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): Backoff => {
  let failures = 0;
  return {
    next: () => {
      const ceiling = Math.min(maxMs, baseMs * 2 ** failures);
      failures = Math.min(failures + 1, 30);
      // Half fixed, half random: never zero, never a thundering herd of replicas in step.
      return Math.round(ceiling / 2 + random() * (ceiling / 2));
    },
    reset: () => {
      failures = 0;
    },
  };
};

/** Rejects with `what timed out` after `ms`; the losing promise is left to settle on its own. */
export const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
