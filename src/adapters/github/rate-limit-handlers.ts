import type { Logger } from '../../core/ports/logger.js';

/** What plugin-throttling passes to its limit handlers (only the fields used here). */
interface LimitedRequest {
  readonly method: string;
  readonly url: string;
}

type LimitHandler = (
  retryAfter: number,
  options: LimitedRequest,
  octokit: unknown,
  retryCount: number,
) => boolean;

/**
 * onRateLimit / onSecondaryRateLimit for plugin-throttling: log (method and URL template
 * only; never headers, so never the token) and retry up to `maxRetries` times.
 */
export const rateLimitHandlers = (
  logger: Logger,
  maxRetries: number,
): { onRateLimit: LimitHandler; onSecondaryRateLimit: LimitHandler } => {
  const handler =
    (kind: 'primary' | 'secondary'): LimitHandler =>
    (retryAfter, options, _octokit, retryCount) => {
      const retry = retryCount < maxRetries;
      const fields = {
        kind,
        method: options.method,
        url: options.url,
        retryAfterSeconds: retryAfter,
        retryCount,
      };
      if (retry) logger.warn(fields, `GitHub ${kind} rate limit hit; retrying in ${retryAfter}s`);
      else logger.error(fields, `GitHub ${kind} rate limit hit; giving up after ${retryCount} retries`);
      return retry;
    };
  return { onRateLimit: handler('primary'), onSecondaryRateLimit: handler('secondary') };
};
