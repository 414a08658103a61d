import { isLive, type Attempt } from '../model/attempt.js';
import type { DispatchState } from '../model/dispatch-state.js';
import { issueKey, repoKey, sameRepo, type IssueRef } from '../model/refs.js';
import type { EngineSettings } from '../model/settings.js';
import type { RepoWorkItems } from '../model/work-items.js';
import { branchFor } from './attempt-name.js';
import { attemptsOf } from './issue-history.js';
import { readLabels, type TargetStage } from './labels.js';

export interface OrphanRecovery {
  readonly ref: IssueRef;
  readonly owners: readonly string[];
  readonly target: TargetStage;
}

export interface OrphanPlan {
  readonly recover: OrphanRecovery[];
  /** The new `orphansSeen` map: first sightings added, recovered or resolved ones dropped. */
  readonly orphansSeen: Record<string, string>;
  /** Manual claims whose owner label is gone from an issue k3sc has seen: the exemption ends with them. */
  readonly staleClaims: string[];
}

/**
 * Owner labels with no live attempt for longer than the grace period go back to where they
 * came from: `needs-review` if the PR exists, else `ready`. Issues with a live attempt are
 * never touched, nor manual claims.
 */
export const planOrphanSweep = (
  items: readonly RepoWorkItems[],
  attempts: readonly Attempt[],
  state: DispatchState,
  settings: EngineSettings,
  now: Date,
): OrphanPlan => {
  const fams = settings.families.map((f) => f.name);
  const recover: OrphanRecovery[] = [];
  const seen: Record<string, string> = {};
  const staleClaims: string[] = [];
  for (const repo of items)
    for (const issue of repo.issues) {
      const ref = { repo: issue.repo, number: issue.number };
      const key = issueKey(ref);
      const { stage, owners } = readLabels(issue.labels, fams);
      const claimedBy = state.manualClaims[key];
      if (claimedBy !== undefined && (!issue.labels.includes(claimedBy) || issue.state !== 'open'))
        staleClaims.push(key);
      if (stage !== 'owned' || issue.state !== 'open' || state.manualClaims[key] !== undefined) continue;
      const history = attemptsOf(attempts, ref);
      if (history.some(isLive)) continue;
      const lastFinish = history
        .map((a) => a.finishedAt ?? a.createdAt)
        .sort()
        .pop();
      const firstSeen = state.orphansSeen[key] ?? now.toISOString();
      const since =
        [firstSeen, lastFinish]
          .filter((x): x is string => x !== undefined)
          .sort()
          .pop() ?? firstSeen;
      if (now.getTime() - Date.parse(since) < settings.orphanGraceMs) {
        seen[key] = firstSeen;
        continue;
      }
      const branch = branchFor(settings.branchPattern, issue.number);
      const hasPr = repo.pulls.some((p) => p.branch === branch && sameRepo(p.repo, issue.repo));
      recover.push({ ref, owners, target: hasPr ? { stage: 'needs-review' } : { stage: 'ready' } });
    }
  // A claim on an issue that is no longer open (closed, deleted, transferred): not in the listing
  // of its repository, which was listed in full.
  const listed = new Set(
    items.flatMap((r) => r.issues.map((i) => issueKey({ repo: i.repo, number: i.number }))),
  );
  const repos = items.map((r) => `${repoKey(r.repo)}#`.toLowerCase());
  for (const key of Object.keys(state.manualClaims))
    if (!listed.has(key) && !staleClaims.includes(key) && repos.some((p) => key.toLowerCase().startsWith(p)))
      staleClaims.push(key);
  return { recover, orphansSeen: seen, staleClaims };
};
