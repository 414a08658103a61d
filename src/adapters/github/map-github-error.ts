import { K3scError } from '../../core/errors.js';
import { RateLimitError } from './rate-limit-waiter.js';
import { timeoutOf } from './request-timeout.js';

/** The parts of an Octokit RequestError this module reads (duck-typed; no import of request-error). */
interface HttpErrorLike {
  readonly status: number;
  readonly message: string;
  readonly response?: { readonly headers?: Record<string, string | undefined>; readonly data?: unknown };
}

export const httpStatusOf = (err: unknown): number | undefined =>
  typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number'
    ? err.status
    : undefined;

export const isAbortError = (err: unknown): boolean => err instanceof Error && err.name === 'AbortError';

/** GitHub's own `message` from the response body, trimmed to something safe to show. */
export const githubMessage = (err: unknown): string => {
  const data = (err as HttpErrorLike).response?.data;
  const msg = typeof data === 'object' && data !== null && 'message' in data ? String(data.message) : '';
  return (msg || (err instanceof Error ? err.message : String(err))).slice(0, 200);
};

const isRateLimited = (err: HttpErrorLike): boolean =>
  err.status === 429 ||
  err.response?.headers?.['x-ratelimit-remaining'] === '0' ||
  /rate limit/i.test(githubMessage(err));

/** `rate_limited`, with the moment GitHub lets requests through again (ISO-8601 in `resetAt`). */
export class RateLimitedError extends K3scError {
  readonly resetAt: string;
  constructor(message: string, resetAt: number, options?: { cause?: unknown }) {
    super('rate_limited', message, options);
    this.resetAt = new Date(resetAt).toISOString();
  }
}

/** `42 min`, `1 h 5 min`, `15 s`. */
const humanWait = (ms: number): string => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.ceil(s / 60);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
};

const rateLimited = (err: RateLimitError, what: string): RateLimitedError => {
  const at = new Date(err.hit.resetAt).toISOString();
  const when = `${at} (in ${humanWait(err.hit.resetAt - Date.now())})`;
  const head =
    err.hit.kind === 'primary'
      ? `GitHub's API rate limit for k3sc's credentials is used up (while ${what}); it resets at ${when}.`
      : `GitHub's secondary rate limit stopped ${what}; it accepts requests again at ${when}.`;
  const tail =
    err.reason === 'wait-too-long'
      ? ' k3sc does not wait that long here: run the command again after that.'
      : ' k3sc gave up after retrying and will try again later.';
  return new RateLimitedError(`${head}${tail}`, err.hit.resetAt, { cause: err });
};

/**
 * Turns an Octokit failure into a K3scError whose message says what failed and what to check.
 * Abort errors and K3scErrors pass through unchanged.
 * @param what e.g. `listing issues of acme/widgets`
 */
export const mapGitHubError = (err: unknown, what: string, baseUrl: string): unknown => {
  if (err instanceof K3scError || isAbortError(err)) return err;
  if (err instanceof RateLimitError) return rateLimited(err, what);
  const status = httpStatusOf(err);
  const detail = githubMessage(err);
  const cause = { cause: err };
  if (status === 401) {
    return new K3scError(
      'forbidden',
      `GitHub rejected k3sc's credentials while ${what} (401: ${detail}). Check the GitHub token or App credentials in the github section of the config, and that github_url (${baseUrl}) is the right API.`,
      cause,
    );
  }
  if ((status === 403 || status === 429) && isRateLimited(err as HttpErrorLike)) {
    return new K3scError(
      'rate_limited',
      `GitHub rate limit still exceeded after retries while ${what}; k3sc will try again later.`,
      cause,
    );
  }
  if (status === 403) {
    return new K3scError(
      'forbidden',
      `GitHub refused ${what} (403: ${detail}). Check that the token or App installation can access the repository with issues and pull requests write permission.`,
      cause,
    );
  }
  if (status === 404) {
    return new K3scError(
      'not_found',
      `GitHub found nothing while ${what} (404). Check the repository and number in the config or command, and that the credentials can see it (API ${baseUrl}).`,
      cause,
    );
  }
  if (status === 422) return new K3scError('bad_input', `GitHub rejected ${what} (422: ${detail}).`, cause);
  const timedOut = timeoutOf(err) ?? (err instanceof Error && err.name === 'TimeoutError' ? err : undefined);
  const why = timedOut ? timedOut.message : status === undefined ? detail : `HTTP ${status}`;
  return new K3scError(
    'unavailable',
    `GitHub at ${baseUrl} did not answer while ${what} (${why}), even after retries. Check github_url and the network; k3sc will try again.`,
    cause,
  );
};
