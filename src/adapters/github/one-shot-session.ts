import type { TrustEntry } from '../../core/engine/check-trust.js';
import type { EngineSettings } from '../../core/model/settings.js';
import type { Logger } from '../../core/ports/logger.js';
import {
  DEFAULT_CACHE_LIMITS,
  githubCachePath,
  loadCacheFile,
  saveCacheFile,
  type CacheLimits,
  type CacheScope,
  type SavedTrust,
} from './github-cache-file.js';
import type { GitHubTracker } from './github-tracker.js';
import { ONE_SHOT_MAX_WAIT_SECONDS } from './rate-limit-waiter.js';

/** The trust cache of the engine (TrustChecker): what a one-shot process keeps between runs. */
export interface TrustCache {
  snapshot(): TrustEntry[];
  restore(entries: readonly TrustEntry[]): void;
}

export interface OneShotOptions {
  readonly dataDir: string;
  readonly tracker: GitHubTracker;
  readonly trust: TrustCache;
  /** Verdicts depend on these: saved ones are dropped when allowed authors or the bot login change. */
  readonly settings: Pick<EngineSettings, 'allowedAuthors' | 'botLogin'>;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly limits?: CacheLimits;
}

export interface OneShotSession {
  /** Saves what this process learned (never throws: a failed save is a warning). */
  end(): Promise<void>;
}

const trustScopeOf = (s: OneShotOptions['settings']): string =>
  JSON.stringify({
    allowedAuthors: s.allowedAuthors.map((a) => a.toLowerCase()).sort(),
    botLogin: s.botLogin?.toLowerCase() ?? null,
  });

const sameVerdict = (a: TrustEntry, b: TrustEntry): boolean =>
  a.updatedAt === b.updatedAt && JSON.stringify(a.verdict) === JSON.stringify(b.verdict);

/**
 * How a one-shot CLI command uses GitHub: a rate limit that resets later than a minute away
 * fails at once with its reset time, and the conditional-request and trust caches of the
 * previous command are loaded from `<data_dir>/cache/github.json` and saved again at the end.
 * A bad file is ignored with a warning, never fatal.
 */
export const startOneShotSession = async (opts: OneShotOptions): Promise<OneShotSession> => {
  const now = opts.now ?? Date.now;
  const limits = opts.limits ?? DEFAULT_CACHE_LIMITS;
  const path = githubCachePath(opts.dataDir);
  const scope: CacheScope = { apiUrl: opts.tracker.apiUrl, trustScope: trustScopeOf(opts.settings) };
  opts.tracker.setRateLimitMaxWait(ONE_SHOT_MAX_WAIT_SECONDS);
  const loaded = await loadCacheFile(path, scope, now(), limits);
  const restored = new Map<string, SavedTrust>();
  if (loaded.kind === 'ignored')
    opts.logger.warn(
      { path, problem: loaded.problem },
      `ignoring the GitHub cache ${path}: ${loaded.problem}`,
    );
  if (loaded.kind === 'loaded') {
    opts.tracker.importCache(loaded.content.tracker);
    opts.trust.restore(loaded.content.trust);
    for (const t of loaded.content.trust) restored.set(t.issue, t);
  }
  return {
    end: async () => {
      const at = now();
      // A verdict carried over keeps the time it was first reached, so it ages out on schedule.
      const trust = opts.trust.snapshot().map((t): SavedTrust => {
        const before = restored.get(t.issue);
        return { ...t, checkedAt: before && sameVerdict(before, t) ? before.checkedAt : at };
      });
      try {
        await saveCacheFile(path, scope, { tracker: opts.tracker.exportCache(), trust }, at, limits);
      } catch (err) {
        opts.logger.warn({ path, err }, `could not save the GitHub cache ${path}`);
      }
    },
  };
};
