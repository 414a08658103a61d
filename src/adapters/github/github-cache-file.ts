import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { TrustEntry } from '../../core/engine/check-trust.js';
import { trackerCacheSchema, type TrackerCache } from './tracker-cache.js';

/** A trust verdict as saved: when it was first reached, so old ones can be dropped. */
export interface SavedTrust extends TrustEntry {
  readonly checkedAt: number;
}

/** What one cache file holds, once checked against the process that reads it. */
export interface CacheContent {
  readonly tracker: TrackerCache;
  readonly trust: readonly SavedTrust[];
}

/** The file is for this API and these trust settings (allowed authors, bot login). */
export interface CacheScope {
  readonly apiUrl: string;
  readonly trustScope: string;
}

export interface CacheLimits {
  /** A bigger file is not read (default 32 MiB). */
  readonly maxFileBytes: number;
  /** Pages kept, newest first, until their JSON passes this (default 16 MiB). */
  readonly maxPageBytes: number;
  /** Trust verdicts older than this are dropped on load (default 1 h). */
  readonly trustMaxAgeMs: number;
  /** At most this many trust verdicts and write-access answers are saved (default 20,000). */
  readonly maxEntries: number;
}

export const DEFAULT_CACHE_LIMITS: CacheLimits = {
  maxFileBytes: 32 * 1024 * 1024,
  maxPageBytes: 16 * 1024 * 1024,
  trustMaxAgeMs: 60 * 60_000,
  maxEntries: 20_000,
};

const VERSION = 1;

export const githubCachePath = (dataDir: string): string => join(dataDir, 'cache', 'github.json');

const verdict = z.union([
  z.object({ trusted: z.literal(true) }),
  z.object({ trusted: z.literal(false), detail: z.string() }),
]);

const fileSchema = z.object({
  version: z.literal(VERSION),
  apiUrl: z.string(),
  trustScope: z.string(),
  savedAt: z.string(),
  tracker: trackerCacheSchema,
  trust: z.array(z.object({ issue: z.string(), updatedAt: z.string(), verdict, checkedAt: z.number() })),
});

export type LoadResult =
  | { readonly kind: 'absent' }
  | { readonly kind: 'loaded'; readonly content: CacheContent }
  | { readonly kind: 'ignored'; readonly problem: string };

const errnoCode = (err: unknown): unknown =>
  typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;

/**
 * Reads the cache file. Never throws: a missing file is `absent`; an unreadable, oversized,
 * malformed or foreign one (other API, other trust settings, other version) is `ignored`
 * with the reason. Trust verdicts from other settings or older than the limit are dropped.
 */
export const loadCacheFile = async (
  path: string,
  scope: CacheScope,
  now: number,
  limits: CacheLimits = DEFAULT_CACHE_LIMITS,
): Promise<LoadResult> => {
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) return { kind: 'ignored', problem: 'it is not a regular file' };
    if (info.size > limits.maxFileBytes)
      return { kind: 'ignored', problem: `it is ${info.size} bytes, over ${limits.maxFileBytes}` };
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return { kind: 'absent' };
    return { kind: 'ignored', problem: `it cannot be read (${String(errnoCode(err) ?? err)})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'ignored', problem: 'it is not valid JSON' };
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.join('.') || '(top level)';
    return { kind: 'ignored', problem: `it is malformed at ${where}: ${first?.message ?? 'invalid'}` };
  }
  const file = parsed.data;
  if (file.apiUrl !== scope.apiUrl)
    return { kind: 'ignored', problem: `it was written for ${file.apiUrl}, not ${scope.apiUrl}` };
  const trust =
    file.trustScope === scope.trustScope
      ? file.trust.filter((t) => now - t.checkedAt < limits.trustMaxAgeMs && t.checkedAt <= now)
      : [];
  return { kind: 'loaded', content: { tracker: file.tracker, trust } };
};

/** The newest pages whose JSON fits in `budget` bytes, oldest first again. */
const newestPages = (pages: TrackerCache['pages'], budget: number): TrackerCache['pages'] => {
  const kept: TrackerCache['pages'][number][] = [];
  let used = 0;
  for (let i = pages.length - 1; i >= 0; i--) {
    const p = pages[i] as TrackerCache['pages'][number];
    used += JSON.stringify(p).length + 1;
    if (used > budget) break;
    kept.push(p);
  }
  return kept.reverse();
};

/**
 * Writes the cache atomically (temp file + rename, mode 0600), within the limits. Concurrent
 * writers cannot leave a torn file: the last rename wins.
 */
export const saveCacheFile = async (
  path: string,
  scope: CacheScope,
  content: CacheContent,
  now: number,
  limits: CacheLimits = DEFAULT_CACHE_LIMITS,
): Promise<void> => {
  const tracker: TrackerCache = {
    pages: newestPages(content.tracker.pages, limits.maxPageBytes),
    branches: content.tracker.branches,
    writeAccess: content.tracker.writeAccess.slice(-limits.maxEntries),
  };
  const doc = {
    version: VERSION,
    apiUrl: scope.apiUrl,
    trustScope: scope.trustScope,
    savedAt: new Date(now).toISOString(),
    tracker,
    trust: content.trust.slice(-limits.maxEntries),
  };
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(doc), { mode: 0o600 });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
};
