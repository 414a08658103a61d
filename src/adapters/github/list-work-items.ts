import { repoKey, type RepoRef } from '../../core/model/refs.js';
import type { RepoWorkItems } from '../../core/model/work-items.js';
import { fetchAllPages, type EtagCache } from './conditional-pages.js';
import type { GitHubClient } from './create-octokit.js';
import { headBranch, pullFromIssue, toListedItem } from './map-snapshots.js';
import { conditional, withSignal, type RequestRunner } from './request-runner.js';

export interface ListDeps {
  readonly client: GitHubClient;
  readonly runner: RequestRunner;
  readonly pages: EtagCache;
  /** lower-cased repo key -> PR number -> head branch (see headBranch). A PR's head never changes. */
  readonly branches: Map<string, ReadonlyMap<number, string>>;
}

/** Head branches of the repository's open PRs, from the (conditional, paginated) pulls list. */
const fetchOpenBranches = async (
  deps: ListDeps,
  repo: RepoRef,
  signal?: AbortSignal,
): Promise<Map<number, string>> => {
  const key = repoKey(repo).toLowerCase();
  const what = `listing open pull requests of ${repoKey(repo)}`;
  const { items } = await fetchAllPages(
    deps.pages,
    (page) => `pulls:${key}:open:${page}`,
    (page, etag) =>
      deps.runner.page(
        what,
        () =>
          deps.client.request('GET /repos/{owner}/{repo}/pulls', {
            owner: repo.owner,
            repo: repo.name,
            state: 'open',
            per_page: 100,
            page,
            ...conditional(etag, signal),
          }),
        (w) => [w.number, headBranch(repo, w.head)] as const,
      ),
  );
  return new Map(items);
};

const fetchBranch = async (
  deps: ListDeps,
  repo: RepoRef,
  number: number,
  signal?: AbortSignal,
): Promise<string> => {
  const what = `reading pull request ${repoKey(repo)}#${number}`;
  const res = await deps.runner.run(what, () =>
    deps.client.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner: repo.owner,
      repo: repo.name,
      pull_number: number,
      ...withSignal(signal),
    }),
  );
  return headBranch(repo, res.data.head);
};

/**
 * Open issues and PRs of one repository, every page, oldest first. Each page is a conditional
 * request; when all answer 304 the cached result comes back with `changed: false`. PR branches
 * are not in the issues list: they come from the pulls list, fetched only for PRs not seen before.
 */
export const listWorkItems = async (
  deps: ListDeps,
  repo: RepoRef,
  signal?: AbortSignal,
): Promise<RepoWorkItems> => {
  const key = repoKey(repo).toLowerCase();
  const what = `listing open issues of ${repoKey(repo)}`;
  const listed = await fetchAllPages(
    deps.pages,
    (page) => `issues:${key}:open:${page}`,
    (page, etag) =>
      deps.runner.page(
        what,
        () =>
          deps.client.request('GET /repos/{owner}/{repo}/issues', {
            owner: repo.owner,
            repo: repo.name,
            state: 'open',
            sort: 'created',
            direction: 'asc',
            per_page: 100,
            page,
            ...conditional(etag, signal),
          }),
        (w) => toListedItem(repo, w),
      ),
  );
  const pullNumbers = listed.items.filter((i) => i.isPull).map((i) => i.item.number);
  const known = new Map(deps.branches.get(key));
  if (pullNumbers.some((n) => !known.has(n))) {
    for (const [n, ref] of await fetchOpenBranches(deps, repo, signal)) known.set(n, ref);
  }
  for (const n of pullNumbers.filter((x) => !known.has(x)))
    known.set(n, await fetchBranch(deps, repo, n, signal));
  // Keep only the open PRs' branches, so the map cannot grow without bound.
  deps.branches.set(key, new Map(pullNumbers.map((n) => [n, known.get(n) ?? ''])));
  return {
    repo,
    changed: listed.changed,
    issues: listed.items.filter((i) => !i.isPull).map((i) => i.item),
    pulls: listed.items
      .filter((i) => i.isPull)
      .map((i) => pullFromIssue(i.item, known.get(i.item.number) ?? '')),
  };
};
