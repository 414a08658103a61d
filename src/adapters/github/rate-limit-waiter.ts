import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../core/ports/logger.js';
import { readRateLimit, type RateLimitHit } from './rate-limit-handlers.js';

/** How long a client may wait for a rate limit to reset; changeable after creation (one-shot CLI). */
export interface RateLimitPolicy {
  /**
   * A longer wait fails at once with RateLimitError (default 65 min: GitHub's window is an hour).
   * A request without an AbortSignal never waits longer than ONE_SHOT_MAX_WAIT_SECONDS.
   */
  maxWaitSeconds: number;
}

export const SERVE_MAX_WAIT_SECONDS = 65 * 60;
/** A one-shot command waits out a short secondary limit (Ctrl-C still ends it), never a long reset. */
export const ONE_SHOT_MAX_WAIT_SECONDS = 60;

/** GitHub still refuses: the wait was too long for this process, or the retries ran out. */
export class RateLimitError extends Error {
  override readonly name = 'RateLimitError';
  constructor(
    readonly hit: RateLimitHit,
    readonly reason: 'wait-too-long' | 'retries-exhausted',
    options?: { cause?: unknown },
  ) {
    super(`GitHub ${hit.kind} rate limit until ${new Date(hit.resetAt).toISOString()}`, options);
  }
}

interface RequestOptions {
  readonly method: string;
  readonly url: string;
  readonly request?: { readonly signal?: AbortSignal | undefined };
}

export interface WaiterSettings {
  readonly policy: RateLimitPolicy;
  /** Rate-limited retries per request (default 3). */
  readonly maxRetries: number;
  /** Milliseconds actually waited per second of wait (1000; tests use 1). */
  readonly msPerSecond: number;
  readonly logger: Logger;
  /** Ends every wait of this client (the process's root signal), on top of each request's own. */
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

/**
 * A `hook.wrap('request')` for the client (install it outermost, around plugin-retry and plugin-throttling): a
 * rate-limited answer is waited out and retried, the wait ending early when the request's
 * own signal aborts; a wait over `policy.maxWaitSeconds`, or retries over `maxRetries`, fail
 * with RateLimitError. While a primary limit is known to be exhausted, further requests do
 * not go out at all: they wait for the reset too, or fail at once.
 */
export const rateLimitWaiter = (
  s: WaiterSettings,
): (<O extends RequestOptions, R>(request: (o: O) => R | Promise<R>, options: O) => Promise<R>) => {
  const now = s.now ?? Date.now;
  let blocked: RateLimitHit | undefined;

  const waitFor = async (hit: RateLimitHit, o: RequestOptions, retryCount: number): Promise<void> => {
    // A primary reset is a whole second; one more makes the retry land after it (as plugin-throttling does).
    const seconds = Math.max(0, Math.ceil((hit.resetAt - now()) / 1000)) + (hit.kind === 'primary' ? 1 : 0);
    const fields = { kind: hit.kind, method: o.method, url: o.url, retryAfterSeconds: seconds, retryCount };
    const resets = new Date(hit.resetAt).toISOString();
    // A wait nothing could cut short stays short: without a signal, SIGTERM could not end it.
    const own = o.request?.signal;
    const signal = own && s.signal ? AbortSignal.any([own, s.signal]) : (own ?? s.signal);
    const maxWait = signal
      ? s.policy.maxWaitSeconds
      : Math.min(s.policy.maxWaitSeconds, ONE_SHOT_MAX_WAIT_SECONDS);
    if (seconds > maxWait) {
      s.logger.error(fields, `GitHub ${hit.kind} rate limit hit; it resets at ${resets}, not waiting`);
      throw new RateLimitError(hit, 'wait-too-long');
    }
    if (retryCount >= s.maxRetries) {
      s.logger.error(fields, `GitHub ${hit.kind} rate limit hit; giving up after ${retryCount} retries`);
      throw new RateLimitError(hit, 'retries-exhausted');
    }
    s.logger.warn(fields, `GitHub ${hit.kind} rate limit hit; retrying in ${seconds}s (at ${resets})`);
    await sleep(seconds * s.msPerSecond, undefined, signal ? { signal } : {});
  };

  /** Waits `hit` out; a request that did so no longer counts the limit as blocking. */
  const waitOut = async (hit: RateLimitHit, o: RequestOptions, retryCount: number): Promise<void> => {
    await waitFor(hit, o, retryCount);
    if (blocked === hit) blocked = undefined;
  };

  return async (request, options) => {
    const pending = blocked;
    if (pending && pending.resetAt > now()) await waitOut(pending, options, 0);
    for (let retryCount = 0; ; retryCount++) {
      options.request?.signal?.throwIfAborted();
      try {
        return await request(options);
      } catch (err) {
        const hit = readRateLimit(err, now());
        if (!hit) throw err;
        if (hit.kind === 'primary') blocked = hit;
        try {
          await waitOut(hit, options, retryCount);
        } catch (waitErr) {
          if (waitErr instanceof RateLimitError)
            throw new RateLimitError(hit, waitErr.reason, { cause: err });
          throw waitErr;
        }
      }
    }
  };
};
