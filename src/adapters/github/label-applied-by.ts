import { issueKey, repoKey, type IssueRef } from '../../core/model/refs.js';
import { fetchAllPages, type EtagCache } from './conditional-pages.js';
import type { GitHubClient } from './create-octokit.js';
import { conditional, type RequestRunner } from './request-runner.js';

export interface LabelEventRow {
  readonly event: string;
  readonly actor: string | undefined;
  readonly label: string | undefined;
}

const toRow = (w: object): LabelEventRow => {
  const e = w as { event?: unknown; actor?: { login?: unknown } | null; label?: { name?: unknown } | null };
  return {
    event: typeof e.event === 'string' ? e.event : '',
    actor: typeof e.actor?.login === 'string' ? e.actor.login : undefined,
    label: typeof e.label?.name === 'string' ? e.label.name : undefined,
  };
};

/**
 * Login of whoever most recently added `label` to the issue: the actor of the latest
 * `labeled` event for it, across every page of the timeline (conditional requests, cached).
 */
export const labelAppliedBy = async (
  deps: { client: GitHubClient; runner: RequestRunner; pages: EtagCache },
  ref: IssueRef,
  label: string,
  signal?: AbortSignal,
): Promise<string | undefined> => {
  const key = `events:${repoKey(ref.repo).toLowerCase()}#${ref.number}`;
  const { items } = await fetchAllPages(
    deps.pages,
    (page) => `${key}:${page}`,
    (page, etag) =>
      deps.runner.page(
        `reading label events of ${issueKey(ref)}`,
        () =>
          deps.client.request('GET /repos/{owner}/{repo}/issues/{issue_number}/events', {
            owner: ref.repo.owner,
            repo: ref.repo.name,
            issue_number: ref.number,
            per_page: 100,
            page,
            ...conditional(etag, signal),
          }),
        toRow,
      ),
  );
  const wanted = label.toLowerCase();
  const last = items.filter((e) => e.event === 'labeled' && e.label?.toLowerCase() === wanted).at(-1);
  return last?.actor;
};
