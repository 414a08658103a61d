import type { IssueRef, RepoRef } from '../../core/model/refs.js';
import type { PullSnapshot, RepoWorkItems } from '../../core/model/work-items.js';
import type { CreatedIssue, IssueTracker, LabelChange, NewIssue } from '../../core/ports/issue-tracker.js';
import type { Redactor } from '../../core/secrets/index.js';

/** Whatever `IssueTracker.comment` takes after the body (e.g. an options object), passed on untouched. */
type CommentRest = Parameters<IssueTracker['comment']> extends [IssueRef, string, ...infer R] ? R : never;

/**
 * An IssueTracker whose comments are redacted before they leave the process: the engine quotes
 * an attempt's summary or failure reason, and those come from agent output. Reads pass through.
 */
export class RedactingTracker implements IssueTracker {
  constructor(
    private readonly inner: IssueTracker,
    private readonly redact: Redactor,
  ) {}

  listWorkItems(repo: RepoRef, signal?: AbortSignal): Promise<RepoWorkItems> {
    return this.inner.listWorkItems(repo, signal);
  }

  labelAppliedBy(ref: IssueRef, label: string, signal?: AbortSignal): Promise<string | undefined> {
    return this.inner.labelAppliedBy(ref, label, signal);
  }

  hasWriteAccess(repo: RepoRef, login: string, signal?: AbortSignal): Promise<boolean> {
    return this.inner.hasWriteAccess(repo, login, signal);
  }

  changeLabels(ref: IssueRef, change: LabelChange, signal?: AbortSignal): Promise<void> {
    return this.inner.changeLabels(ref, change, signal);
  }

  comment(ref: IssueRef, body: string, ...rest: CommentRest): Promise<boolean> {
    return this.inner.comment(ref, this.redact(body), ...rest);
  }

  /** Title and body may quote what people typed in chat: redacted like comments. */
  createIssue(repo: RepoRef, issue: NewIssue, signal?: AbortSignal): Promise<CreatedIssue> {
    return this.inner.createIssue(
      repo,
      { ...issue, title: this.redact(issue.title), body: this.redact(issue.body) },
      signal,
    );
  }

  findPullByBranch(repo: RepoRef, branch: string, signal?: AbortSignal): Promise<PullSnapshot | undefined> {
    return this.inner.findPullByBranch(repo, branch, signal);
  }
}
