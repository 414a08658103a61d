import type { RepoWorkItems } from '../model/work-items.js';

/**
 * Issues of `next` that carry `label` while their snapshot in `prev` did not: a label someone
 * set on GitHub, seen by a scan or a webhook-triggered refresh. Labels k3sc writes itself are in
 * the cache before the next listing, so they never appear here. No `prev`: nothing is new.
 */
export const labelsAppeared = (
  prev: RepoWorkItems | undefined,
  next: RepoWorkItems,
  label: string,
): { number: number; from: readonly string[] }[] => {
  if (!prev) return [];
  const before = new Map(prev.issues.map((i) => [i.number, i.labels]));
  return next.issues.flatMap((i) => {
    const old = before.get(i.number);
    if (old === undefined || old.includes(label) || !i.labels.includes(label)) return [];
    return [{ number: i.number, from: old }];
  });
};
