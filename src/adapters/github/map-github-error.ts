import { K3scError } from '../../core/errors.js';

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

/**
 * Turns an Octokit failure into a K3scError whose message says what failed and what to check.
 * Abort errors and K3scErrors pass through unchanged.
 * @param what e.g. `listing issues of acme/widgets`
 */
export const mapGitHubError = (err: unknown, what: string, baseUrl: string): unknown => {
  if (err instanceof K3scError || isAbortError(err)) return err;
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
  return new K3scError(
    'unavailable',
    `GitHub at ${baseUrl} did not answer while ${what} (${status === undefined ? detail : `HTTP ${status}`}), even after retries. Check github_url and the network; k3sc will try again.`,
    cause,
  );
};
