import { labelsAppeared } from '../domain/labels-appeared.js';
import { NEEDS_HUMAN, readLabels } from '../domain/labels.js';
import type { RepoRef } from '../model/refs.js';
import type { RepoWorkItems } from '../model/work-items.js';
import { familiesOf, type EngineDeps } from './deps.js';

export interface RefreshResult {
  readonly items: RepoWorkItems[];
  readonly changed: number;
  readonly failed: { repo: RepoRef; error: string }[];
}

const describeLabels = (labels: readonly string[], deps: EngineDeps): string => {
  const r = readLabels(labels, familiesOf(deps));
  return r.stage === 'owned' ? r.owners.join(',') : r.stage;
};

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
        const prev = deps.cache.get(repo);
        if (items.changed || !prev) changed++;
        deps.cache.put(items);
        // A person (or another tool) set needs-human on GitHub: chat alerts it like the engine's own.
        for (const n of labelsAppeared(prev, items, NEEDS_HUMAN))
          deps.events.emit({
            type: 'transition',
            ref: { repo, number: n.number },
            from: describeLabels(n.from, deps),
            to: NEEDS_HUMAN,
            by: 'github',
          });
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
