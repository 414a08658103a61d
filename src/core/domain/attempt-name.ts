import type { RepoRef } from '../model/refs.js';

/** DNS-1123 friendly: lowercase, [a-z0-9-], no leading/trailing dash. */
const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');

/** FNV-1a, 6 hex digits: enough to keep `widgets.js` and `widgets-js` apart. */
const shortHash = (s: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0').slice(0, 6);
};

/**
 * `owner-repo`, plus a hash when the plain form could stand for another repository: slugging
 * lost characters (`widgets.js` vs `widgets-js`), or the owner has a dash, so the split point is
 * ambiguous (`acme-tools/web` vs `acme/tools-web`).
 */
const repoSlug = (repo: RepoRef): string => {
  const plain = `${slug(repo.owner)}-${slug(repo.name)}`;
  const lossless =
    !repo.owner.includes('-') &&
    slug(repo.owner) === repo.owner.toLowerCase() &&
    slug(repo.name) === repo.name.toLowerCase();
  return lossless ? plain : `${plain}-${shortHash(`${repo.owner}/${repo.name}`.toLowerCase())}`;
};

/** `<owner>-<repo>-<issue>-<attempt>`: the same inputs always give the same name (the lock). */
export const attemptName = (repo: RepoRef, issue: number, seq: number): string =>
  `${repoSlug(repo)}-${issue}-${seq}`;

/** One lease per pull request: `<owner>-<repo>-pr-<number>`. */
export const leaseName = (repo: RepoRef, pr: number): string => `${repoSlug(repo)}-pr-${pr}`;

export const branchFor = (pattern: string, issue: number): string => pattern.replaceAll('{N}', String(issue));

/** The issue a branch belongs to under `pattern` (`issue-{N}`), or undefined. */
export const issueForBranch = (pattern: string, branch: string): number | undefined => {
  const [before = '', after = ''] = pattern.split('{N}');
  if (!branch.startsWith(before) || !branch.endsWith(after)) return undefined;
  const digits = branch.slice(before.length, branch.length - after.length);
  return /^[1-9][0-9]*$/.test(digits) ? Number(digits) : undefined;
};
