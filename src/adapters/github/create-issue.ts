import { repoKey, type RepoRef } from '../../core/model/refs.js';
import { commentMarker, type CreatedIssue, type NewIssue } from '../../core/ports/issue-tracker.js';
import type { GitHubClient } from './create-octokit.js';
import { httpStatusOf } from './map-github-error.js';
import { withSignal, type RequestRunner } from './request-runner.js';

/** Tries of one create; between them the newest issues are searched for the marker. */
const CREATE_TRIES = 4;

/** A failure GitHub may have hidden a stored issue behind: a 5xx, a timeout, a broken socket. */
const isRetryable = (err: unknown): boolean => {
  const status = httpStatusOf(err instanceof Error ? (err.cause ?? err) : err);
  return status === undefined || status >= 500;
};

interface WireCreated {
  readonly number: number;
  readonly html_url: string;
  readonly body?: string | null;
}

/**
 * The issue among the repository's newest (open or closed, one page of 100) whose body carries
 * `mark`. The list is read straight from the issues table, not the search index, so an issue
 * whose POST answer was lost is already in it.
 */
const findMarked = async (
  deps: { client: GitHubClient; runner: RequestRunner },
  repo: RepoRef,
  mark: string,
  signal?: AbortSignal,
): Promise<WireCreated | undefined> => {
  const res = await deps.runner.run(`looking for an issue k3sc filed in ${repoKey(repo)}`, () =>
    deps.client.request('GET /repos/{owner}/{repo}/issues', {
      owner: repo.owner,
      repo: repo.name,
      state: 'all',
      sort: 'created',
      direction: 'desc',
      per_page: 100,
      ...withSignal(signal),
    }),
  );
  return (res.data as readonly WireCreated[]).find((i) => (i.body ?? '').includes(mark));
};

/**
 * Files an issue, never twice for one marker: the POST is not retried blindly (GitHub may
 * have stored it and lost the answer); each retry first looks for the marker.
 */
export const createIssue = async (
  deps: { client: GitHubClient; runner: RequestRunner },
  repo: RepoRef,
  issue: NewIssue,
  signal?: AbortSignal,
): Promise<CreatedIssue> => {
  const mark = commentMarker(`issue:${issue.marker}`);
  const body = `${issue.body}\n\n${mark}`;
  const done = (w: WireCreated, created: boolean): CreatedIssue => ({
    ref: { repo, number: w.number },
    url: w.html_url,
    created,
  });
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await deps.runner.run(`filing an issue in ${repoKey(repo)}`, () =>
        deps.client.request('POST /repos/{owner}/{repo}/issues', {
          owner: repo.owner,
          repo: repo.name,
          title: issue.title,
          body,
          labels: [...issue.labels],
          request: { retries: 0, ...(signal ? { signal } : {}) },
        }),
      );
      return done(res.data, true);
    } catch (err) {
      if (attempt >= CREATE_TRIES || signal?.aborted || !isRetryable(err)) throw err;
      const found = await findMarked(deps, repo, mark, signal);
      if (found) return done(found, false);
    }
  }
};
