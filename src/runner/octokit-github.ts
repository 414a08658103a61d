import { createOctokit, type GitHubClient } from '../adapters/github/create-octokit.js';
import { K3scError } from '../core/errors.js';
import type { RepoRef } from '../core/model/refs.js';
import type { RunnerGitHub } from './github-api.js';

const describe = (err: unknown): string => {
  const status = (err as { status?: unknown }).status;
  const message = err instanceof Error ? err.message : String(err);
  return typeof status === 'number' ? `HTTP ${status}: ${message}` : message;
};

const wrap = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    const code =
      status === 404 ? 'not_found' : status === 401 || status === 403 ? 'forbidden' : 'unavailable';
    throw new K3scError(code, `GitHub: ${what} failed (${describe(err)})`, { cause: err });
  }
};

const r = (repo: RepoRef): { owner: string; repo: string } => ({ owner: repo.owner, repo: repo.name });

/**
 * RunnerGitHub over k3sc's Octokit (retry + throttling); `apiUrl` may point at GitHub
 * Enterprise or the sandbox fake. Without a token the requests go unauthenticated.
 */
export const createOctokitGitHub = (opts: {
  apiUrl: string;
  token?: string;
  client?: GitHubClient;
}): RunnerGitHub => {
  const octokit =
    opts.client ??
    createOctokit({
      baseUrl: opts.apiUrl,
      auth: { kind: 'token', token: opts.token ?? '' },
      userAgent: 'k3sc-runner',
    });
  const req = (signal?: AbortSignal): { request: { signal: AbortSignal } } | Record<string, never> =>
    signal ? { request: { signal } } : {};
  return {
    getRepo: (repo, signal) =>
      wrap(`reading ${repo.owner}/${repo.name}`, async () => {
        const { data } = await octokit.rest.repos.get({ ...r(repo), ...req(signal) });
        return { defaultBranch: data.default_branch, cloneUrl: data.clone_url };
      }),
    getIssue: (repo, issue, signal) =>
      wrap(`reading issue #${issue}`, async () => {
        const { data } = await octokit.rest.issues.get({ ...r(repo), issue_number: issue, ...req(signal) });
        return { title: data.title, body: data.body ?? '', url: data.html_url };
      }),
    findOpenPull: (repo, branch, signal) =>
      wrap(`looking up the pull request for ${branch}`, async () => {
        const head = `${repo.owner}:${branch}`;
        const { data } = await octokit.rest.pulls.list({ ...r(repo), head, state: 'open', ...req(signal) });
        const pull = data.find((p) => p.head.ref === branch) ?? data[0];
        return pull === undefined
          ? undefined
          : { number: pull.number, url: pull.html_url, title: pull.title };
      }),
    createPull: (repo, pull, signal) =>
      wrap(`opening a pull request for ${pull.head}`, async () => {
        const { data } = await octokit.rest.pulls.create({ ...r(repo), ...pull, ...req(signal) });
        return { number: data.number, url: data.html_url, title: data.title };
      }),
    listComments: (repo, issue, signal) =>
      wrap(`reading comments of #${issue}`, async () => {
        const all = await octokit.paginate(octokit.rest.issues.listComments, {
          ...r(repo),
          issue_number: issue,
          per_page: 100,
          ...req(signal),
        });
        return all.map((c) => ({ id: c.id, body: c.body ?? '' }));
      }),
    comment: (repo, issue, body, signal) =>
      wrap(`commenting on #${issue}`, async () => {
        await octokit.rest.issues.createComment({ ...r(repo), issue_number: issue, body, ...req(signal) });
      }),
  };
};
