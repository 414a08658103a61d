import { createHash } from 'node:crypto';
import type { IssueRecord, RepoRecord } from './records.js';
import type { FakeComment, LabelEvent } from './types.js';

/** Wire shapes in GitHub's REST format (only the fields clients commonly read, plus ids and urls). */

const stableId = (text: string): number => createHash('sha1').update(text).digest().readUInt32BE(0);

export const userJson = (login: string): object => ({
  login,
  id: stableId(`user:${login}`),
  type: login.endsWith('[bot]') ? 'Bot' : 'User',
  html_url: `https://github.com/${login}`,
});

export const labelJson = (name: string): object => ({
  id: stableId(`label:${name}`),
  name,
  color: 'ededed',
  default: false,
  description: null,
});

const apiBase = (origin: string, repo: RepoRecord): string => `${origin}/repos/${repo.owner}/${repo.name}`;
const htmlBase = (repo: RepoRecord): string => `https://github.com/${repo.owner}/${repo.name}`;

export const repoJson = (repo: RepoRecord, origin: string): object => ({
  id: stableId(`repo:${repo.owner}/${repo.name}`),
  name: repo.name,
  full_name: `${repo.owner}/${repo.name}`,
  owner: userJson(repo.owner),
  private: repo.private,
  html_url: htmlBase(repo),
  url: apiBase(origin, repo),
  clone_url: repo.cloneUrl,
  default_branch: repo.defaultBranch,
  fork: false,
});

export const issueJson = (repo: RepoRecord, i: IssueRecord, origin: string): object => {
  const kind = i.pull ? 'pull' : 'issues';
  return {
    id: stableId(`issue:${repo.owner}/${repo.name}#${i.number}`),
    number: i.number,
    title: i.title,
    body: i.body,
    user: userJson(i.author),
    labels: i.labels.map(labelJson),
    state: i.state,
    comments: i.comments.length,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    url: `${apiBase(origin, repo)}/issues/${i.number}`,
    html_url: `${htmlBase(repo)}/${kind}/${i.number}`,
    ...(i.pull
      ? {
          pull_request: {
            url: `${apiBase(origin, repo)}/pulls/${i.number}`,
            html_url: `${htmlBase(repo)}/pull/${i.number}`,
            merged_at: null,
          },
        }
      : {}),
  };
};

export const pullJson = (repo: RepoRecord, i: IssueRecord, origin: string): object => {
  const pull = i.pull ?? { head: '', headOwner: repo.owner, base: repo.defaultBranch };
  // A head owned by someone else lives in their fork, which GitHub names `<owner>/<repo name>`.
  const repoOf = (owner: string): object =>
    owner.toLowerCase() === repo.owner.toLowerCase()
      ? repoJson(repo, origin)
      : {
          ...repoJson({ ...repo, owner, cloneUrl: `https://github.com/${owner}/${repo.name}.git` }, origin),
          fork: true,
        };
  const ref = (owner: string, branch: string): object => ({
    label: `${owner}:${branch}`,
    ref: branch,
    sha: createHash('sha1').update(`${owner}:${branch}`).digest('hex'),
    user: userJson(owner),
    repo: repoOf(owner),
  });
  return {
    id: stableId(`pull:${repo.owner}/${repo.name}#${i.number}`),
    number: i.number,
    title: i.title,
    body: i.body,
    user: userJson(i.author),
    labels: i.labels.map(labelJson),
    state: i.state,
    draft: false,
    head: ref(pull.headOwner, pull.head),
    base: ref(repo.owner, pull.base),
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    merged_at: null,
    url: `${apiBase(origin, repo)}/pulls/${i.number}`,
    html_url: `${htmlBase(repo)}/pull/${i.number}`,
  };
};

export const eventJson = (e: LabelEvent): object => ({
  id: e.id,
  event: e.event,
  actor: userJson(e.actor),
  commit_id: null,
  created_at: e.createdAt,
  label: { name: e.label, color: 'ededed' },
});

export const commentJson = (repo: RepoRecord, number: number, c: FakeComment, origin: string): object => ({
  id: c.id,
  body: c.body,
  user: userJson(c.author),
  created_at: c.createdAt,
  updated_at: c.createdAt,
  issue_url: `${apiBase(origin, repo)}/issues/${number}`,
  url: `${apiBase(origin, repo)}/issues/comments/${c.id}`,
  html_url: `${htmlBase(repo)}/issues/${number}#issuecomment-${c.id}`,
});
