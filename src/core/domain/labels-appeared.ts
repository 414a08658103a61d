import type { IssueSnapshot, RepoWorkItems } from '../model/work-items.js';

export interface LabelAppeared {
  readonly number: number;
  readonly from: readonly string[];
  /** The issue's `updatedAt` when the label was seen: names this appearance of the label. */
  readonly seenAt: string;
}

/**
 * Issues of `next` that carry `label` while their snapshot in `prev` did not: a label someone
 * set on GitHub, seen by a scan or a webhook-triggered refresh. Labels k3sc writes itself are in
 * the cache before the next listing, so they never appear here. An issue that is new in the
 * listing and already carries the label counts too (filed with it, or labelled and reopened).
 *
 * No `prev` (a cold cache: a new process, a newly configured repository): with `since` (the
 * last scan any earlier process recorded), issues that carry the label and changed after it —
 * labelled while no k3sc was looking. Without `since` (never scanned before) nothing is new.
 */
export const labelsAppeared = (
  prev: RepoWorkItems | undefined,
  next: RepoWorkItems,
  label: string,
  since?: string,
): LabelAppeared[] => {
  const seen = (i: IssueSnapshot, from: readonly string[]): LabelAppeared => ({
    number: i.number,
    from,
    seenAt: i.updatedAt,
  });
  if (!prev) {
    if (since === undefined) return [];
    const after = Date.parse(since);
    return next.issues
      .filter((i) => i.labels.includes(label) && Date.parse(i.updatedAt) > after)
      .map((i) => seen(i, []));
  }
  const before = new Map(prev.issues.map((i) => [i.number, i.labels]));
  return next.issues.flatMap((i) => {
    const old = before.get(i.number) ?? [];
    if (old.includes(label) || !i.labels.includes(label)) return [];
    return [seen(i, old)];
  });
};
