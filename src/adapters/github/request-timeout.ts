/** The error a GitHub call fails with when one HTTP attempt outlives its deadline. */
export class GitHubTimeoutError extends Error {
  override readonly name = 'GitHubTimeoutError';
  constructor(
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(`no answer within ${formatSeconds(timeoutMs)}`, options);
  }
}

const formatSeconds = (ms: number): string =>
  ms < 1000 ? `${ms} ms` : `${Math.round((ms / 1000) * 10) / 10} s`;

/**
 * A fetch whose every call has a deadline, combined with the caller's own signal. When the
 * deadline fires (and the caller did not abort), the call rejects with GitHubTimeoutError,
 * which Octokit wraps as a 500 RequestError, so plugin-retry retries it like a 5xx. A caller's
 * abort stays an AbortError, which Octokit passes through without retrying.
 */
export const fetchWithTimeout =
  (timeoutMs: number, base: typeof fetch = globalThis.fetch): typeof fetch =>
  async (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const caller = init?.signal ?? undefined;
    const signal = caller ? AbortSignal.any([caller, deadline]) : deadline;
    try {
      return await base(input, { ...init, signal });
    } catch (err) {
      if (deadline.aborted && caller?.aborted !== true)
        throw new GitHubTimeoutError(timeoutMs, { cause: err });
      throw err;
    }
  };

/** True when `err` (or the RequestError wrapping it) is a GitHubTimeoutError. */
export const timeoutOf = (err: unknown): GitHubTimeoutError | undefined => {
  if (err instanceof GitHubTimeoutError) return err;
  const cause = err instanceof Error ? err.cause : undefined;
  return cause instanceof GitHubTimeoutError ? cause : undefined;
};
