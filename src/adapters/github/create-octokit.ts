import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import { createLimiterGroups } from './limiter-groups.js';
import { rateLimitHandlers } from './rate-limit-handlers.js';
import { rateLimitWaiter, SERVE_MAX_WAIT_SECONDS, type RateLimitPolicy } from './rate-limit-waiter.js';
import { fetchWithTimeout } from './request-timeout.js';

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
  /**
   * A rate limit that resets later than this fails at once as `rate_limited` instead of being
   * waited out (default 65 min, i.e. always wait, as `serve` should). Waits end when the
   * request's signal aborts. See setRateLimitMaxWait for one-shot commands.
   */
  readonly maxWaitSeconds?: number;
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
  /**
   * Longest wait for one HTTP attempt (connect, headers and body), default 30 s. A hung socket
   * then fails as a timeout, which plugin-retry retries like a 5xx; a caller's abort still wins.
   */
  readonly requestTimeoutMs?: number;
  /** The fetch under the timeout (tests); defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /**
   * The process's root signal: it ends every rate-limit wait of this client, so a wait for a
   * request made without a signal of its own (an engine pass) may be long and still end on SIGTERM.
   */
  readonly signal?: AbortSignal;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

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

const throttleOptions = (settings: ThrottleSettings = {}): ThrottlingOptions => ({
  ...rateLimitHandlers(),
  // Our groups satisfy the part of Bottleneck.Group that plugin-throttling calls (key().schedule()).
  ...(settings.minTime === undefined
    ? {}
    : (createLimiterGroups(settings.minTime) as unknown as Partial<ThrottlingOptions>)),
});

const policies = new WeakMap<GitHubClient, RateLimitPolicy>();

/**
 * Changes how long `client` may wait for a rate limit to reset. A one-shot command sets a short
 * bound, so an exhausted limit fails at once with the reset time instead of waiting an hour.
 */
export const setRateLimitMaxWait = (client: GitHubClient, seconds: number): void => {
  const policy = policies.get(client);
  if (policy) policy.maxWaitSeconds = seconds;
};

/** Creates the shared GitHub client. Never logs the token: logs carry method and URL template only. */
export const createOctokit = (opts: CreateOctokitOptions): GitHubClient => {
  const logger = (opts.logger ?? silentLogger).child({ component: 'github' });
  const client = new K3scOctokit({
    ...authOptions(opts.auth),
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    userAgent: opts.userAgent ?? 'k3sc',
    request: { fetch: fetchWithTimeout(opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, opts.fetch) },
    log: {
      debug: (message: string) => logger.debug({}, message),
      info: (message: string) => logger.info({}, message),
      warn: (message: string) => logger.warn({}, message),
      // Octokit logs every non-2xx as an error: 304s are the point of ETags, and a rate limit
      // (403/429) is reported by the rate-limit waiter, a refusal by the caller's K3scError.
      error: (message: string) =>
        / - (304|403|429) with id /.test(message) ? logger.debug({}, message) : logger.error({}, message),
    },
    throttle: throttleOptions(opts.throttle),
    retry: {
      retries: opts.retries ?? 3,
      // 429 and 403 are the rate-limit waiter's; retrying them here too would double the waits.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      ...(opts.retryBaseMs === undefined ? {} : { retryAfterBaseValue: opts.retryBaseMs }),
    },
  });
  const policy: RateLimitPolicy = { maxWaitSeconds: opts.throttle?.maxWaitSeconds ?? SERVE_MAX_WAIT_SECONDS };
  policies.set(client, policy);
  // Registered last, so it wraps plugin-retry and plugin-throttling: its waits see the caller's signal.
  client.hook.wrap(
    'request',
    rateLimitWaiter({
      policy,
      maxRetries: opts.throttle?.maxRetries ?? 3,
      msPerSecond: opts.throttle?.retryAfterBaseMs ?? 1000,
      logger,
      ...(opts.signal ? { signal: opts.signal } : {}),
    }),
  );
  return client;
};

/** The API root a client was built with, for error messages. */
export const clientBaseUrl = (client: GitHubClient): string =>
  String(client.request.endpoint.DEFAULTS.baseUrl);
