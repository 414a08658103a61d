import type { RepoRef } from '../core/model/refs.js';

export interface RepoInfo {
  readonly defaultBranch: string;
  /** https URL on GitHub; a local bare-repository path in the sandbox. */
  readonly cloneUrl: string;
}

export interface IssueInfo {
  readonly title: string;
  readonly body: string;
  readonly url: string;
}

export interface PullInfo {
  readonly number: number;
  readonly url: string;
  readonly title: string;
}

export interface CommentInfo {
  readonly id: number;
  readonly body: string;
}

/** The few GitHub calls the runner makes. It never touches labels. */
export interface RunnerGitHub {
  getRepo(repo: RepoRef, signal?: AbortSignal): Promise<RepoInfo>;
  getIssue(repo: RepoRef, issue: number, signal?: AbortSignal): Promise<IssueInfo>;
  /** The open pull request whose head is `<owner>:<branch>`, if any. */
  findOpenPull(repo: RepoRef, branch: string, signal?: AbortSignal): Promise<PullInfo | undefined>;
  createPull(
    repo: RepoRef,
    pull: { title: string; body: string; head: string; base: string },
    signal?: AbortSignal,
  ): Promise<PullInfo>;
  listComments(repo: RepoRef, issue: number, signal?: AbortSignal): Promise<CommentInfo[]>;
  comment(repo: RepoRef, issue: number, body: string, signal?: AbortSignal): Promise<void>;
}
