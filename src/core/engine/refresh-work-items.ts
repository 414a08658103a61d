import type { RepoRef } from '../model/refs.js';
import type { RepoWorkItems } from '../model/work-items.js';
import type { EngineDeps } from './deps.js';

export interface RefreshResult {
  readonly items: RepoWorkItems[];
  readonly changed: number;
  readonly failed: { repo: RepoRef; error: string }[];
}

/** Lists repositories with bounded concurrency; a failing repo keeps its last known items. */
export const refreshWorkItems = async (
  deps: EngineDeps,
  repos: readonly RepoRef[],
  signal?: AbortSignal,
  concurrency = 4,
): Promise<RefreshResult> => {
  const failed: RefreshResult['failed'] = [];
  let changed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < repos.length) {
      const repo = repos[next++] as RepoRef;
      try {
        const items = await deps.tracker.listWorkItems(repo, signal);
        if (items.changed || !deps.cache.get(repo)) changed++;
        deps.cache.put(items);
      } catch (err) {
        failed.push({ repo, error: err instanceof Error ? err.message : String(err) });
        deps.logger.warn(
          { repo: `${repo.owner}/${repo.name}`, err },
          'listing failed; using last known items',
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, repos.length) }, worker));
  return { items: deps.cache.all(deps.settings.repos), changed, failed };
};
