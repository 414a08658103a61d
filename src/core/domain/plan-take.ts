import { isLive, type Attempt } from '../model/attempt.js';
import type { ReviewLease } from '../model/lease.js';
import { sameRepo } from '../model/refs.js';
import type { PullSnapshot, RepoWorkItems } from '../model/work-items.js';
import { issueForBranch } from './attempt-name.js';
import { readLabels } from './labels.js';

const titleRank = (title: string): number => {
  const t = title.trimStart().toLowerCase();
  if (t.startsWith('perf:') || t.startsWith('perf(')) return 0;
  if (t.startsWith('fix:') || t.startsWith('fix(')) return 1;
  return 2;
};

export const comparePullsForReview = (a: PullSnapshot, b: PullSnapshot): number =>
  titleRank(a.title) - titleRank(b.title) || a.createdAt.localeCompare(b.createdAt) || a.number - b.number;

export type PullSkip = 'owned' | 'waiting' | 'leased' | 'live-attempt' | 'closed';

/** Why a PR cannot be taken, or undefined when it can. */
export const pullSkip = (
  pr: PullSnapshot,
  families: readonly string[],
  leases: readonly ReviewLease[],
  attempts: readonly Attempt[],
  branchPattern: string,
): PullSkip | undefined => {
  if (pr.state !== 'open') return 'closed';
  const labels = readLabels(pr.labels, families);
  if (labels.waiting) return 'waiting';
  if (labels.owners.length > 0) return 'owned';
  if (leases.some((l) => l.pr === pr.number && sameRepo(l.repo, pr.repo))) return 'leased';
  const issue = issueForBranch(branchPattern, pr.branch);
  const live = attempts.some(
    (a) => issue !== undefined && a.issue === issue && sameRepo(a.repo, pr.repo) && isLive(a),
  );
  return live ? 'live-attempt' : undefined;
};

/** Open PRs a reviewer may take, best first: `perf:`, then `fix:`, then the rest; oldest first. */
export const planTakeCandidates = (
  items: readonly RepoWorkItems[],
  families: readonly string[],
  leases: readonly ReviewLease[],
  attempts: readonly Attempt[],
  branchPattern: string,
): PullSnapshot[] =>
  items
    .flatMap((r) => r.pulls)
    .filter((pr) => pullSkip(pr, families, leases, attempts, branchPattern) === undefined)
    .sort(comparePullsForReview);

export const isExpired = (lease: ReviewLease, now: Date): boolean =>
  Date.parse(lease.expiresAt) <= now.getTime();

/** Worker names are owner labels: `<family>-<suffix>` for a configured family. */
export const validWorker = (worker: string, families: readonly string[]): boolean =>
  new RegExp(`^(${families.map((f) => f.replace(/[^a-z0-9]/g, '')).join('|')})-[a-z0-9][a-z0-9-]*$`).test(
    worker,
  );
