import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import { createLimiterGroups } from './limiter-groups.js';
import { rateLimitHandlers } from './rate-limit-handlers.js';

export type GitHubAuth =
  | { readonly kind: 'token'; readonly token: string }
  | {
      readonly kind: 'app';
      readonly appId: number | string;
      readonly privateKey: string;
      readonly installationId: number;
    };

export interface ThrottleSettings {
  /** Minimum ms between write requests. Omit for plugin-throttling's defaults (1 s); 0 in tests. */
  readonly minTime?: number;
  /** Milliseconds waited per second of `retry-after`/reset (default 1000; tests use 1). */
  readonly retryAfterBaseMs?: number;
  /** Retries after a primary or secondary rate limit (default 3). */
  readonly maxRetries?: number;
}

export interface CreateOctokitOptions {
  /** REST API root, e.g. `https://api.github.com` or `https://ghe.example.com/api/v3`. */
  readonly baseUrl: string;
  readonly auth: GitHubAuth;
  readonly logger?: Logger;
  readonly throttle?: ThrottleSettings;
  /** Retries after 5xx and network errors (default 3). */
  readonly retries?: number;
  /** Base of plugin-retry's quadratic back-off in ms (default 1000; tests use 1). */
  readonly retryBaseMs?: number;
  readonly userAgent?: string;
}

const K3scOctokit = Octokit.plugin(throttling, retry);

/** The Octokit k3sc uses: REST + throttling + retry. Build one per process and share it. */
export type GitHubClient = InstanceType<typeof K3scOctokit>;

const authOptions = (auth: GitHubAuth): object =>
  auth.kind === 'token'
    ? { auth: auth.token }
    : {
        authStrategy: createAppAuth,
        auth: { appId: auth.appId, privateKey: auth.privateKey, installationId: auth.installationId },
      };

const throttleOptions = (logger: Logger, settings: ThrottleSettings = {}): ThrottlingOptions => ({
  ...rateLimitHandlers(logger, settings.maxRetries ?? 3),
  ...(settings.retryAfterBaseMs === undefined ? {} : { retryAfterBaseValue: settings.retryAfterBaseMs }),
  // Our groups satisfy the part of Bottleneck.Group that plugin-throttling calls (key().schedule()).
  ...(settings.minTime === undefined
    ? {}
    : (createLimiterGroups(settings.minTime) as unknown as Partial<ThrottlingOptions>)),
});

/** Creates the shared GitHub client. Never logs the token: logs carry method and URL template only. */
export const createOctokit = (opts: CreateOctokitOptions): GitHubClient => {
  const logger = (opts.logger ?? silentLogger).child({ component: 'github' });
  return new K3scOctokit({
    ...authOptions(opts.auth),
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    userAgent: opts.userAgent ?? 'k3sc',
    log: {
      debug: (message: string) => logger.debug({}, message),
      info: (message: string) => logger.info({}, message),
      warn: (message: string) => logger.warn({}, message),
      // Octokit logs every non-2xx as an error, including the 304s that are the point of ETags.
      error: (message: string) =>
        / - 304 with id /.test(message) ? logger.debug({}, message) : logger.error({}, message),
    },
    throttle: throttleOptions(logger, opts.throttle),
    retry: {
      retries: opts.retries ?? 3,
      // 429 and 403 are plugin-throttling's; retrying them here too would double the waits.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      ...(opts.retryBaseMs === undefined ? {} : { retryAfterBaseValue: opts.retryBaseMs }),
    },
  });
};

/** The API root a client was built with, for error messages. */
export const clientBaseUrl = (client: GitHubClient): string =>
  String(client.request.endpoint.DEFAULTS.baseUrl);
