import type { RepoRef } from '../model/refs.js';

/** DNS-1123 friendly: lowercase, [a-z0-9-], no leading/trailing dash. */
const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');

/** `<owner>-<repo>-<issue>-<attempt>`: the same inputs always give the same name (the lock). */
export const attemptName = (repo: RepoRef, issue: number, seq: number): string =>
  `${slug(repo.owner)}-${slug(repo.name)}-${issue}-${seq}`;

/** One lease per pull request: `<owner>-<repo>-pr-<number>`. */
export const leaseName = (repo: RepoRef, pr: number): string => `${slug(repo.owner)}-${slug(repo.name)}-pr-${pr}`;

export const branchFor = (pattern: string, issue: number): string => pattern.replaceAll('{N}', String(issue));

/** The issue a branch belongs to under `pattern` (`issue-{N}`), or undefined. */
export const issueForBranch = (pattern: string, branch: string): number | undefined => {
  const [before = '', after = ''] = pattern.split('{N}');
  if (!branch.startsWith(before) || !branch.endsWith(after)) return undefined;
  const digits = branch.slice(before.length, branch.length - after.length);
  return /^[1-9][0-9]*$/.test(digits) ? Number(digits) : undefined;
};
