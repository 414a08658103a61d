import { issueKey, repoKey, type IssueRef, type RepoRef } from '../../core/model/refs.js';
import type { PullSnapshot, RepoWorkItems } from '../../core/model/work-items.js';
import { systemClock, type Clock } from '../../core/ports/clock.js';
import {
  commentMarker,
  type CommentOptions,
  type CreatedIssue,
  type IssueTracker,
  type LabelChange,
  type NewIssue,
} from '../../core/ports/issue-tracker.js';
import { EtagCache } from './conditional-pages.js';
import { createIssue } from './create-issue.js';
import { clientBaseUrl, setRateLimitMaxWait, type GitHubClient } from './create-octokit.js';
import { labelAppliedBy } from './label-applied-by.js';
import { listWorkItems } from './list-work-items.js';
import { githubMessage, httpStatusOf } from './map-github-error.js';
import { toPullSnapshot } from './map-snapshots.js';
import { RequestRunner, withSignal, type RequestStats } from './request-runner.js';
import type { TrackerCache } from './tracker-cache.js';
import { canWrite, TtlCache } from './write-access-cache.js';

export interface GitHubTrackerOptions {
  /** The process-wide client from createOctokit. */
  readonly client: GitHubClient;
  readonly clock?: Clock;
  /** How long a write-access answer is trusted (default 5 minutes). */
  readonly permissionTtlMs?: number;
}

/** Tries of a marked comment; between them the issue's comments are checked for the marker. */
const MARKED_COMMENT_TRIES = 4;

/** A failure GitHub may have hidden a stored effect behind: a 5xx, a timeout, a broken socket. */
const isRetryable = (err: unknown): boolean => {
  const status = httpStatusOf(err instanceof Error ? (err.cause ?? err) : err);
  return status === undefined || status >= 500;
};

/** The DELETE failed only because the label was not there (GitHub: 404 "Label does not exist"). */
const isAbsentLabel = (err: unknown): boolean => {
  const cause = err instanceof Error ? err.cause : undefined;
  return httpStatusOf(cause) === 404 && /label does not exist/i.test(githubMessage(cause));
};

/** IssueTracker on GitHub's REST API through one shared Octokit. */
export class GitHubTracker implements IssueTracker {
  private readonly client: GitHubClient;
  private readonly runner: RequestRunner;
  private readonly pages = new EtagCache();
  private readonly branches = new Map<string, ReadonlyMap<number, string>>();
  private readonly writeAccess: TtlCache;
  /** Comment markers this process has posted or found (bounded by the comments k3sc writes). */
  private readonly posted = new Set<string>();

  constructor(opts: GitHubTrackerOptions) {
    this.client = opts.client;
    this.runner = new RequestRunner(clientBaseUrl(opts.client));
    this.writeAccess = new TtlCache(opts.clock ?? systemClock, opts.permissionTtlMs ?? 5 * 60_000);
  }

  /** Requests sent so far and how many were 304s. */
  get stats(): RequestStats {
    return this.runner.stats;
  }

  /**
   * Bounds how long a rate limit is waited out before failing as `rate_limited` with its reset
   * time. `serve` keeps the default (wait, abortably); one-shot commands set a short bound.
   */
  setRateLimitMaxWait(seconds: number): void {
    setRateLimitMaxWait(this.client, seconds);
  }

  /** The API root this tracker talks to (a saved cache belongs to one). */
  get apiUrl(): string {
    return clientBaseUrl(this.client);
  }

  /** ETag pages, PR branches and write-access answers, for the next one-shot process. No secrets. */
  exportCache(): TrackerCache {
    return {
      pages: this.pages.list(),
      branches: [...this.branches].map(([repo, byNumber]) => [repo, [...byNumber]] as const),
      writeAccess: this.writeAccess.list(),
    };
  }

  /** Takes back what exportCache() gave (pages are then sent with If-None-Match, as if seen here). */
  importCache(cache: TrackerCache): void {
    for (const [key, page] of cache.pages) this.pages.set(key, page);
    for (const [repo, rows] of cache.branches) this.branches.set(repo, new Map(rows));
    for (const w of cache.writeAccess) this.writeAccess.set(w.key, w.value, w.expiresAt);
  }

  listWorkItems(repo: RepoRef, signal?: AbortSignal): Promise<RepoWorkItems> {
    return listWorkItems(
      { client: this.client, runner: this.runner, pages: this.pages, branches: this.branches },
      repo,
      signal,
    );
  }

  labelAppliedBy(ref: IssueRef, label: string, signal?: AbortSignal): Promise<string | undefined> {
    return labelAppliedBy(
      { client: this.client, runner: this.runner, pages: this.pages },
      ref,
      label,
      signal,
    );
  }

  async hasWriteAccess(repo: RepoRef, login: string, signal?: AbortSignal): Promise<boolean> {
    const key = `${repoKey(repo)}:${login}`.toLowerCase();
    const cached = this.writeAccess.get(key);
    if (cached !== undefined) return cached;
    let allowed = false;
    try {
      const res = await this.runner.run(`checking ${login}'s permission on ${repoKey(repo)}`, () =>
        this.client.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', {
          owner: repo.owner,
          repo: repo.name,
          username: login,
          ...withSignal(signal),
        }),
      );
      allowed = canWrite(res.data.permission, res.data.role_name);
    } catch (err) {
      // GitHub answers 404 for logins that are not users; they certainly cannot write.
      if (!(err instanceof Error && httpStatusOf(err.cause) === 404)) throw err;
    }
    this.writeAccess.set(key, allowed);
    return allowed;
  }

  /**
   * Adds with one POST (which keeps every other label) and removes with one DELETE each; it
   * never replaces the whole list. Adds go first, so a crash in between leaves the new state
   * visible rather than an issue with no workflow label. A label both added and removed is kept.
   */
  async changeLabels(ref: IssueRef, change: LabelChange, signal?: AbortSignal): Promise<void> {
    const base = {
      owner: ref.repo.owner,
      repo: ref.repo.name,
      issue_number: ref.number,
      ...withSignal(signal),
    };
    if (change.add.length > 0) {
      await this.runner.run(`adding labels ${change.add.join(', ')} to ${issueKey(ref)}`, () =>
        this.client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
          ...base,
          labels: [...change.add],
        }),
      );
    }
    for (const name of change.remove.filter((l) => !change.add.includes(l))) {
      try {
        await this.runner.run(`removing label ${name} from ${issueKey(ref)}`, () =>
          this.client.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', {
            ...base,
            name,
          }),
        );
      } catch (err) {
        if (!isAbsentLabel(err)) throw err;
      }
    }
  }

  async comment(
    ref: IssueRef,
    body: string,
    signal?: AbortSignal,
    opts: CommentOptions = {},
  ): Promise<boolean> {
    const mark = opts.marker === undefined ? undefined : commentMarker(opts.marker);
    const seenKey = mark === undefined ? undefined : `${issueKey(ref).toLowerCase()} ${mark}`;
    if (seenKey !== undefined && this.posted.has(seenKey)) return false;
    if (mark !== undefined && (await this.hasCommentWith(ref, mark, signal))) {
      this.posted.add(seenKey ?? '');
      return false;
    }
    if (mark === undefined) {
      await this.postComment(ref, body, signal);
      return true;
    }
    // A marked comment is never retried blindly: GitHub may have stored it and lost the answer
    // (a 502, a timeout). Each retry first looks for the marker.
    const text = `${body}\n\n${mark}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.postComment(ref, text, signal, { retries: 0 });
        break;
      } catch (err) {
        if (attempt >= MARKED_COMMENT_TRIES || signal?.aborted || !isRetryable(err)) throw err;
        if (await this.hasCommentWith(ref, mark, signal)) break;
      }
    }
    this.posted.add(seenKey ?? '');
    return true;
  }

  createIssue(repo: RepoRef, issue: NewIssue, signal?: AbortSignal): Promise<CreatedIssue> {
    return createIssue({ client: this.client, runner: this.runner }, repo, issue, signal);
  }

  private async postComment(
    ref: IssueRef,
    body: string,
    signal?: AbortSignal,
    request?: { retries: number },
  ): Promise<void> {
    await this.runner.run(`commenting on ${issueKey(ref)}`, () =>
      this.client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner: ref.repo.owner,
        repo: ref.repo.name,
        issue_number: ref.number,
        body,
        ...withSignal(signal),
        ...(request ? { request: { ...request, ...(signal ? { signal } : {}) } } : {}),
      }),
    );
  }

  /** Whether any comment on the issue contains `text` (all pages; only asked once per marker). */
  private async hasCommentWith(ref: IssueRef, text: string, signal?: AbortSignal): Promise<boolean> {
    const comments = await this.runner.run(`reading comments of ${issueKey(ref)}`, () =>
      this.client.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner: ref.repo.owner,
        repo: ref.repo.name,
        issue_number: ref.number,
        per_page: 100,
        ...withSignal(signal),
      }),
    );
    return comments.some((c) => (c.body ?? '').includes(text));
  }

  async findPullByBranch(
    repo: RepoRef,
    branch: string,
    signal?: AbortSignal,
  ): Promise<PullSnapshot | undefined> {
    const pulls = await this.runner.run(
      `looking up the pull request for ${repoKey(repo)} branch ${branch}`,
      () =>
        this.client.paginate('GET /repos/{owner}/{repo}/pulls', {
          owner: repo.owner,
          repo: repo.name,
          state: 'all',
          head: `${repo.owner}:${branch}`,
          per_page: 100,
          ...withSignal(signal),
        }),
    );
    const rank = (p: PullSnapshot): [number, string, number] => [
      p.state === 'open' ? 0 : 1,
      p.createdAt,
      p.number,
    ];
    // A fork's PR with the same branch name is not ours (its branch is qualified, see headBranch).
    const sorted = pulls
      .map((w) => toPullSnapshot(repo, w))
      .filter((p) => p.branch === branch)
      .sort((a, b) => {
        const [sa, ca, na] = rank(a);
        const [sb, cb, nb] = rank(b);
        return sa - sb || (cb < ca ? -1 : cb > ca ? 1 : 0) || nb - na;
      });
    return sorted[0];
  }
}
