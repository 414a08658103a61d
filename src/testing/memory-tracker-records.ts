import { readLaunchMarker } from '../core/domain/launch-marker.js';
import type { RepoRef } from '../core/model/refs.js';
import type { IssueSnapshot, PullSnapshot } from '../core/model/work-items.js';

export interface IssueSeed {
  readonly repo: RepoRef;
  readonly title: string;
  readonly author: string;
  /** Applied at creation, each recorded as a `labeled` event by `labeledBy` (default: the author). */
  readonly labels?: readonly string[];
  readonly labeledBy?: string;
  readonly createdAt?: string | Date;
}

export interface PullSeed {
  readonly repo: RepoRef;
  readonly title: string;
  readonly branch: string;
  readonly author?: string;
  readonly labels?: readonly string[];
  readonly createdAt?: string | Date;
  readonly state?: 'open' | 'closed';
}

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface MemoryComment {
  readonly author: string;
  readonly body: string;
  readonly at: string;
}

export interface MemoryLabelEvent {
  readonly action: 'labeled' | 'unlabeled';
  readonly label: string;
  readonly actor: string;
  readonly at: string;
}

/** One issue or pull request as the memory tracker keeps it (mutable inside the tracker only). */
export interface ItemRecord {
  readonly repo: RepoRef;
  readonly number: number;
  readonly kind: 'issue' | 'pull';
  title: string;
  readonly author: string;
  labels: string[];
  state: 'open' | 'closed';
  readonly createdAt: string;
  updatedAt: string;
  readonly branch: string;
  /** Issues filed through createIssue keep their body (markers included). */
  body?: string;
  readonly comments: MemoryComment[];
  readonly events: MemoryLabelEvent[];
}

export interface RepoRecord {
  readonly repo: RepoRef;
  nextNumber: number;
  readonly items: Map<number, ItemRecord>;
  readonly permissions: Map<string, Permission>;
  /** Bumped by every change; `listWorkItems` reports `changed` when it moved since the last list. */
  version: number;
  listedVersion?: number;
}

/** What tests read back about one issue or PR: copies, never the live record. */
export interface MemoryItemView {
  readonly kind: 'issue' | 'pull';
  readonly title: string;
  readonly author: string;
  readonly labels: readonly string[];
  readonly state: 'open' | 'closed';
  readonly updatedAt: string;
  readonly branch: string;
  readonly body: string;
  readonly comments: readonly MemoryComment[];
  readonly events: readonly MemoryLabelEvent[];
}

const urlOf = (r: ItemRecord): string =>
  `https://github.com/${r.repo.owner}/${r.repo.name}/${r.kind === 'pull' ? 'pull' : 'issues'}/${r.number}`;

export const toIssueSnapshot = (r: ItemRecord): IssueSnapshot => {
  const launch = readLaunchMarker(r.body);
  return { ...issueFields(r), ...(launch ? { launch } : {}) };
};

const issueFields = (r: ItemRecord): IssueSnapshot => ({
  repo: { ...r.repo },
  number: r.number,
  title: r.title,
  author: r.author,
  labels: [...r.labels],
  state: r.state,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  url: urlOf(r),
});

export const toPullSnapshot = (r: ItemRecord): PullSnapshot => ({
  repo: { ...r.repo },
  number: r.number,
  title: r.title,
  author: r.author,
  labels: [...r.labels],
  state: r.state,
  branch: r.branch,
  createdAt: r.createdAt,
  url: urlOf(r),
});

export const toView = (r: ItemRecord): MemoryItemView => ({
  kind: r.kind,
  title: r.title,
  author: r.author,
  labels: [...r.labels],
  state: r.state,
  updatedAt: r.updatedAt,
  branch: r.branch,
  body: r.body ?? '',
  comments: r.comments.map((c) => ({ ...c })),
  events: r.events.map((e) => ({ ...e })),
});

/** Oldest first, as the GitHub adapter lists them. */
export const byCreated = (a: ItemRecord, b: ItemRecord): number =>
  a.createdAt.localeCompare(b.createdAt) || a.number - b.number;

export const WRITE_PERMISSIONS: readonly Permission[] = ['admin', 'maintain', 'write'];
