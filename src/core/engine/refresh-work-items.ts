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

interface ColdWindow {
  /** The last scan any process recorded; undefined when none ever ran. */
  readonly since?: string;
  /** `owner/name#N` of issues whose attempt k3sc finished after `since`. */
  readonly finishedByK3sc: ReadonlySet<string>;
}

const coldWindowOf = async (deps: EngineDeps, signal?: AbortSignal): Promise<ColdWindow> => {
  const since = (await deps.store.getDispatchState(signal)).lastScanAt;
  if (since === undefined) return { finishedByK3sc: new Set() };
  const after = Date.parse(since);
  const attempts = await deps.store.listAttempts({}, signal);
  const finished = attempts.filter((a) => a.finishedAt !== undefined && Date.parse(a.finishedAt) >= after);
  return { since, finishedByK3sc: new Set(finished.map((a) => `${a.repo.owner}/${a.repo.name}#${a.issue}`)) };
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
  // Read once, and only for a repository this process has not listed yet (a cold cache).
  let window: Promise<ColdWindow> | undefined;
  const coldWindow = (): Promise<ColdWindow> => (window ??= coldWindowOf(deps, signal));
  const worker = async (): Promise<void> => {
    while (next < repos.length) {
      const repo = repos[next++] as RepoRef;
      try {
        const items = await deps.tracker.listWorkItems(repo, signal);
        const prev = deps.cache.get(repo);
        if (items.changed || !prev) changed++;
        deps.cache.put(items);
        // A person (or another tool) set needs-human on GitHub: chat alerts it like the engine's own.
        // A cold cache looks back to the last scan an earlier process recorded (labelled while
        // k3sc was down), leaving out issues k3sc itself finished in that window (its own alert).
        const cold = prev ? undefined : await coldWindow();
        for (const n of labelsAppeared(prev, items, NEEDS_HUMAN, cold?.since)) {
          if (cold?.finishedByK3sc.has(`${repo.owner}/${repo.name}#${n.number}`)) continue;
          deps.events.emit({
            type: 'transition',
            ref: { repo, number: n.number },
            from: describeLabels(n.from, deps),
            to: NEEDS_HUMAN,
            by: 'github',
            seenAt: n.seenAt,
          });
        }
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
