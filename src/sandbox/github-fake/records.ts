import type { FakeComment, FakeIssue, FakeRepoKey, LabelEvent, Permission } from './types.js';

/** Mutable in-memory records; only FakeState changes them. */
export interface IssueRecord {
  number: number;
  title: string;
  body: string;
  author: string;
  labels: string[];
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  pull?: { head: string; headOwner: string; base: string };
  events: LabelEvent[];
  comments: FakeComment[];
  /** Bumped by every mutation of this issue; part of its ETags. */
  version: number;
}

export interface RepoRecord {
  owner: string;
  name: string;
  defaultBranch: string;
  cloneUrl: string;
  private: boolean;
  nextNumber: number;
  issues: Map<number, IssueRecord>;
  /** lower-cased login -> permission */
  collaborators: Map<string, Permission>;
  /** Bumped by every mutation in the repository; part of list ETags. */
  version: number;
}

export const repoKeyOf = (owner: string, name: string): string => `${owner}/${name}`.toLowerCase();

export const keyOfRecord = (r: RepoRecord): FakeRepoKey => ({ owner: r.owner, name: r.name });

/** GitHub's timestamp format: second precision, `Z`. */
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const copyIssue = (i: IssueRecord): FakeIssue => ({
  number: i.number,
  title: i.title,
  body: i.body,
  author: i.author,
  labels: [...i.labels],
  state: i.state,
  createdAt: i.createdAt,
  updatedAt: i.updatedAt,
  closedAt: i.closedAt,
  ...(i.pull ? { pull: { ...i.pull } } : {}),
});

/** Splits `owner:branch` (or a bare `branch`, owned by `defaultOwner`). */
export const parseHead = (head: string, defaultOwner: string): { owner: string; ref: string } => {
  const colon = head.indexOf(':');
  return colon < 0
    ? { owner: defaultOwner, ref: head }
    : { owner: head.slice(0, colon), ref: head.slice(colon + 1) };
};
