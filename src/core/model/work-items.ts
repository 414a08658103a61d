import type { LaunchPreference } from './launch-preference.js';
import type { RepoRef } from './refs.js';

/** An open or closed issue as core sees it: no SDK types, only what decisions need. */
export interface IssueSnapshot {
  readonly repo: RepoRef;
  readonly number: number;
  readonly title: string;
  readonly author: string;
  readonly labels: readonly string[];
  readonly state: 'open' | 'closed';
  /** ISO-8601 timestamps as GitHub reports them. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly url: string;
  /** Set when the body carries k3sc's launch marker (an issue filed by `launch <config>`). */
  readonly launch?: LaunchPreference;
}

/** A pull request as core sees it. `branch` is the head ref, used to link it to its issue. */
export interface PullSnapshot {
  readonly repo: RepoRef;
  readonly number: number;
  readonly title: string;
  readonly author: string;
  readonly labels: readonly string[];
  readonly state: 'open' | 'closed';
  readonly branch: string;
  readonly createdAt: string;
  readonly url: string;
}

/** What one repository holds right now; `changed` is false when GitHub answered 304 for every page. */
export interface RepoWorkItems {
  readonly repo: RepoRef;
  readonly changed: boolean;
  readonly issues: readonly IssueSnapshot[];
  readonly pulls: readonly PullSnapshot[];
}
