import { repoKey } from '../model/refs.js';
import type { IssueSnapshot } from '../model/work-items.js';

const STAGE_RANK: Record<string, number> = { 'needs-review': 0, ready: 1 };

/** `needs-review` before `ready`; oldest first within each; ties by repo and number (stable). */
export const compareCandidates = (
  a: { stage: string; issue: IssueSnapshot },
  b: { stage: string; issue: IssueSnapshot },
): number =>
  (STAGE_RANK[a.stage] ?? 9) - (STAGE_RANK[b.stage] ?? 9) ||
  a.issue.createdAt.localeCompare(b.issue.createdAt) ||
  repoKey(a.issue.repo).localeCompare(repoKey(b.issue.repo)) ||
  a.issue.number - b.issue.number;
