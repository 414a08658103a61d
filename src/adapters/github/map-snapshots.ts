import { readLaunchMarker } from '../../core/domain/launch-marker.js';
import type { RepoRef } from '../../core/model/refs.js';
import type { IssueSnapshot, PullSnapshot } from '../../core/model/work-items.js';

/** The fields of GitHub's issue and pull JSON that k3sc reads (Octokit's types satisfy these). */
type WireLabel = string | { readonly name?: string | undefined };
interface WireUser {
  readonly login: string;
}

export interface WireIssue {
  readonly number: number;
  readonly title: string;
  readonly user: WireUser | null;
  readonly labels: readonly WireLabel[];
  readonly state: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly html_url: string;
  readonly body?: string | null | undefined;
  readonly pull_request?: unknown;
}

/** A PR's head: its branch and the repository that branch lives in (`null` once a fork is deleted). */
export interface WireHead {
  readonly ref: string;
  readonly label?: string | undefined;
  readonly repo: { readonly full_name: string } | null;
}

export interface WirePull {
  readonly number: number;
  readonly title: string;
  readonly user: WireUser | null;
  readonly labels: readonly WireLabel[];
  readonly state: string;
  readonly head: WireHead;
  readonly created_at: string;
  readonly html_url: string;
}

/** An entry of the issues list: issues and PRs arrive together; PRs still lack their branch. */
export interface ListedItem {
  readonly item: IssueSnapshot;
  readonly isPull: boolean;
}

const labelNames = (labels: readonly WireLabel[]): string[] =>
  labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((n) => n !== '');

const openOrClosed = (state: string): 'open' | 'closed' => (state === 'closed' ? 'closed' : 'open');

/** A deleted account shows up as `user: null`; GitHub calls it `ghost`. */
const loginOf = (user: WireUser | null): string => user?.login ?? 'ghost';

/**
 * The branch core links a PR by. Only a head in the PR's own repository gives the bare ref
 * (`issue-12`); a fork's head is qualified as GitHub shows it (`mallory:issue-12`), which no
 * branch pattern matches, so a fork cannot pass itself off as the work on issue 12.
 */
export const headBranch = (repo: RepoRef, head: WireHead): string => {
  const own = head.repo?.full_name.toLowerCase() === `${repo.owner}/${repo.name}`.toLowerCase();
  if (own) return head.ref;
  const owner = head.repo?.full_name.split('/')[0] ?? head.label?.split(':')[0] ?? 'unknown';
  return `${owner}:${head.ref}`;
};

const issueFields = (repo: RepoRef, w: WireIssue): IssueSnapshot => ({
  repo,
  number: w.number,
  title: w.title,
  author: loginOf(w.user),
  labels: labelNames(w.labels),
  state: openOrClosed(w.state),
  createdAt: w.created_at,
  updatedAt: w.updated_at,
  url: w.html_url,
});

export const toListedItem = (repo: RepoRef, w: WireIssue): ListedItem => {
  const isPull = w.pull_request !== undefined && w.pull_request !== null;
  // Only the launch marker of the body is kept (never the whole body: the cache stays small).
  const launch = isPull ? undefined : readLaunchMarker(w.body);
  return { isPull, item: { ...issueFields(repo, w), ...(launch ? { launch } : {}) } };
};

export const pullFromIssue = (issue: IssueSnapshot, branch: string): PullSnapshot => ({
  repo: issue.repo,
  number: issue.number,
  title: issue.title,
  author: issue.author,
  labels: issue.labels,
  state: issue.state,
  branch,
  createdAt: issue.createdAt,
  url: issue.url,
});

export const toPullSnapshot = (repo: RepoRef, w: WirePull): PullSnapshot => ({
  repo,
  number: w.number,
  title: w.title,
  author: loginOf(w.user),
  labels: labelNames(w.labels),
  state: openOrClosed(w.state),
  branch: headBranch(repo, w.head),
  createdAt: w.created_at,
  url: w.html_url,
});
