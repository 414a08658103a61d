import { repoKey, sameRepo, type IssueRef, type RepoRef } from '../model/refs.js';
import type { IssueSnapshot, PullSnapshot, RepoWorkItems } from '../model/work-items.js';
import { applyLabelChange } from '../domain/labels.js';
import type { LabelChange } from '../ports/issue-tracker.js';

/** The last known open issues and PRs per repository, kept current by scans and our own writes. */
export class WorkItemsCache {
  private readonly byRepo = new Map<string, RepoWorkItems>();

  put(items: RepoWorkItems): void {
    this.byRepo.set(repoKey(items.repo).toLowerCase(), items);
  }

  get(repo: RepoRef): RepoWorkItems | undefined {
    return this.byRepo.get(repoKey(repo).toLowerCase());
  }

  all(repos: readonly RepoRef[]): RepoWorkItems[] {
    return repos.map((r) => this.get(r)).filter((x): x is RepoWorkItems => x !== undefined);
  }

  issue(ref: IssueRef): IssueSnapshot | undefined {
    return this.get(ref.repo)?.issues.find((i) => i.number === ref.number && sameRepo(i.repo, ref.repo));
  }

  pull(ref: IssueRef): PullSnapshot | undefined {
    return this.get(ref.repo)?.pulls.find((p) => p.number === ref.number);
  }

  /** Reflects a label write we just made, so decisions before the next scan see it. */
  applyLabels(ref: IssueRef, change: LabelChange): void {
    const items = this.get(ref.repo);
    if (!items) return;
    const patch = <T extends { number: number; labels: readonly string[] }>(x: T): T =>
      x.number === ref.number ? { ...x, labels: applyLabelChange(x.labels, change) } : x;
    this.put({ ...items, issues: items.issues.map(patch), pulls: items.pulls.map(patch) });
  }
}
