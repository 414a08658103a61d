import { K3scError } from '../errors.js';
import { repoKey, sameRepo, type IssueRef, type RepoRef } from '../model/refs.js';

const FULL = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)#([1-9][0-9]*)$/;
const SHORT = /^([A-Za-z0-9_.-]+)#([1-9][0-9]*)$/;
const BARE = /^#?([1-9][0-9]*)$/;

/**
 * `owner/repo#N` always; `repo#N` when only one configured repo has that name; a bare `N`
 * only when exactly one repository is configured. Unknown repos are an error, never a guess.
 */
export const parseIssueRef = (text: string, repos: readonly RepoRef[]): IssueRef => {
  const t = text.trim();
  const digits = /#?([0-9]+)$/.exec(t)?.[1];
  if (digits !== undefined && Number(digits) > 2_147_483_647)
    throw new K3scError('bad_input', `issue number ${digits} is too large — GitHub numbers fit in 32 bits`);
  const known = repos.map(repoKey).join(', ') || '(none configured)';
  const full = FULL.exec(t);
  if (full) {
    const repo = { owner: full[1] ?? '', name: full[2] ?? '' };
    const match = repos.find((r) => sameRepo(r, repo));
    if (!match)
      throw new K3scError('not_found', `repository ${repoKey(repo)} is not configured (known: ${known})`);
    return { repo: match, number: Number(full[3]) };
  }
  const short = SHORT.exec(t);
  if (short) {
    const hits = repos.filter((r) => r.name.toLowerCase() === (short[1] ?? '').toLowerCase());
    if (hits.length === 0)
      throw new K3scError('not_found', `no configured repository is named ${short[1]} (known: ${known})`);
    if (hits.length > 1)
      throw new K3scError(
        'ambiguous',
        `${t} is ambiguous: ${hits.map(repoKey).join(' and ')} — write owner/repo#N`,
      );
    return { repo: hits[0] as RepoRef, number: Number(short[2]) };
  }
  const bare = BARE.exec(t);
  if (bare) {
    if (repos.length === 1) return { repo: repos[0] as RepoRef, number: Number(bare[1]) };
    throw new K3scError(
      'ambiguous',
      `issue number ${bare[1]} is ambiguous with ${repos.length} repositories — write owner/repo#${bare[1]}`,
    );
  }
  throw new K3scError(
    'bad_input',
    `"${text}" is not an issue reference — write owner/repo#N (e.g. acme/widgets#12)`,
  );
};
