import { K3scError } from '../core/errors.js';
import { sameRepo, type RepoRef } from '../core/model/refs.js';
import type { GitHubFake } from '../sandbox/github-fake/index.js';

const OWNER = /^(claude|codex)-[a-z]$/;

/**
 * Resolves with `performance.now()` at the moment the fake records an owner label
 * (`claude-a` … `codex-z`) on `repo#number` — the claim, as GitHub would see it.
 */
export const ownerLabelSeen = (
  fake: GitHubFake,
  repo: RepoRef,
  number: number,
  timeoutMs: number,
): Promise<number> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(
        new K3scError(
          'unavailable',
          `${repo.owner}/${repo.name}#${number} was not claimed within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    const stop = fake.onChange((c) => {
      if (
        c.action !== 'labeled' ||
        c.number !== number ||
        !OWNER.test(c.label ?? '') ||
        !sameRepo(c.repo, repo)
      )
        return;
      const at = performance.now();
      clearTimeout(timer);
      stop();
      resolve(at);
    });
  });

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
