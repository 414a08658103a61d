import type { IssueRef, RepoRef } from '../model/refs.js';
import type { PullSnapshot, RepoWorkItems } from '../model/work-items.js';

/** Labels to add and remove on one issue or PR; only workflow labels ever appear here. */
export interface LabelChange {
  readonly add: readonly string[];
  readonly remove: readonly string[];
}

export interface CommentOptions {
  /** A stable id for this comment (e.g. `claim:<attempt>`), used to post it only once. */
  readonly marker?: string;
}

/** A new issue k3sc files (`new`, `launch`). */
export interface NewIssue {
  readonly title: string;
  readonly body: string;
  /** Applied at creation, by k3sc's own login (e.g. `ready` on the asker's behalf). */
  readonly labels: readonly string[];
  /**
   * A stable id for this request (e.g. `new:<cid>`), hidden in the body: a retry after a lost
   * answer first looks for an issue carrying it, so one request never files two issues.
   */
  readonly marker: string;
}

export interface CreatedIssue {
  readonly ref: IssueRef;
  readonly url: string;
  /** False when the issue already existed (found by its marker) and nothing was filed. */
  readonly created: boolean;
}

/** The hidden text that marks a comment, so a repeat after a crash can be recognised. */
export const commentMarker = (marker: string): string => `<!-- k3sc:${marker} -->`;

/**
 * GitHub from core's point of view. Implementations keep one client per process, use
 * conditional requests, paginate fully, and honour the AbortSignal.
 */
export interface IssueTracker {
  /** Open issues and pull requests of a repository (all pages). Unchanged repos cost a 304. */
  listWorkItems(repo: RepoRef, signal?: AbortSignal): Promise<RepoWorkItems>;
  /** Login of whoever most recently applied `label` to the issue, if any. */
  labelAppliedBy(ref: IssueRef, label: string, signal?: AbortSignal): Promise<string | undefined>;
  /** Whether `login` is a collaborator with write (push) access or more. */
  hasWriteAccess(repo: RepoRef, login: string, signal?: AbortSignal): Promise<boolean>;
  /** Adds and removes labels; removing a label that is absent is not an error. */
  changeLabels(ref: IssueRef, change: LabelChange, signal?: AbortSignal): Promise<void>;
  /**
   * Posts a comment. With `marker`, the comment carries it invisibly and is posted at most once
   * per issue: when a comment with that marker exists already (an earlier process posted it
   * before crashing), nothing is posted. Returns false when it was skipped for that reason.
   */
  comment(ref: IssueRef, body: string, signal?: AbortSignal, opts?: CommentOptions): Promise<boolean>;
  /**
   * Files an issue with title, body (the marker appended invisibly) and labels. Safe to retry:
   * an issue with the same marker among the repository's newest issues is returned instead.
   */
  createIssue(repo: RepoRef, issue: NewIssue, signal?: AbortSignal): Promise<CreatedIssue>;
  /** The most recent pull request (open first) whose head branch is `branch`. */
  findPullByBranch(repo: RepoRef, branch: string, signal?: AbortSignal): Promise<PullSnapshot | undefined>;
}
