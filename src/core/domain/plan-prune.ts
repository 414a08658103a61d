import { isLive, type Attempt } from '../model/attempt.js';
import { repoKey } from '../model/refs.js';

/**
 * The newest ended implementation that did not fail and was not cut short by k3sc: every count
 * the engine keeps over an issue's history (failures toward the cap, quota hits, interruptions,
 * the implementer a review must differ from, the next sequence number) stops at it or after it.
 */
const anchorIndex = (history: readonly Attempt[]): number => {
  for (let i = history.length - 1; i >= 0; i--) {
    const a = history[i];
    if (a && a.kind === 'implement' && !isLive(a) && a.phase !== 'failed' && a.interrupted !== true) return i;
  }
  return -1;
};

const endedAt = (a: Attempt): number => Date.parse(a.finishedAt ?? a.startedAt ?? a.createdAt);

/**
 * `scan.task_ttl`: the attempts whose records may go. Only ended (and so reported) attempts
 * that ended more than `ttlMs` before `now`, and only those older than their issue's anchor
 * (see above): what the engine still reads of a history is always kept, so pruning never
 * changes a retry count, the cap, or the next attempt's name. Pure.
 */
export const planPrune = (attempts: readonly Attempt[], now: Date, ttlMs: number): string[] => {
  const byIssue = new Map<string, Attempt[]>();
  for (const a of attempts) {
    const key = `${repoKey(a.repo).toLowerCase()}#${a.issue}`;
    byIssue.set(key, [...(byIssue.get(key) ?? []), a]);
  }
  const cutoff = now.getTime() - ttlMs;
  const names: string[] = [];
  for (const list of byIssue.values()) {
    const history = [...list].sort((a, b) => a.seq - b.seq);
    const anchor = anchorIndex(history);
    for (const a of history.slice(0, Math.max(anchor, 0)))
      if (!isLive(a) && endedAt(a) < cutoff) names.push(a.name);
  }
  return names.sort();
};
