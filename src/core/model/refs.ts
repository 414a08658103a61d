/** A repository k3sc knows about, always addressed by owner and name together. */
export interface RepoRef {
  readonly owner: string;
  readonly name: string;
}

/** An issue or pull request, always qualified by its repository (never a bare number). */
export interface IssueRef {
  readonly repo: RepoRef;
  readonly number: number;
}

export const repoKey = (repo: RepoRef): string => `${repo.owner}/${repo.name}`;

export const issueKey = (ref: IssueRef): string => `${repoKey(ref.repo)}#${ref.number}`;

export const sameRepo = (a: RepoRef, b: RepoRef): boolean =>
  a.owner.toLowerCase() === b.owner.toLowerCase() && a.name.toLowerCase() === b.name.toLowerCase();

export const sameIssue = (a: IssueRef, b: IssueRef): boolean =>
  a.number === b.number && sameRepo(a.repo, b.repo);
