import type { RepoRef } from '../core/model/refs.js';
import type { GitHubFake } from '../sandbox/github-fake/index.js';

export const ALLOWED_AUTHOR = 'alice';
export const OTHER_AUTHOR = 'bob';
export const ITEMS_PER_REPO = 200;

const T0 = Date.parse('2026-01-05T08:00:00Z');

/** What one seeded repository holds, by issue number. */
export interface SeededRepo {
  readonly repo: RepoRef;
  readonly ready: readonly number[];
  readonly needsReview: readonly number[];
  readonly pulls: readonly number[];
  /** Issues by the allowed author with no workflow label: targets for "someone adds ready". */
  readonly plain: readonly number[];
}

export interface SeedOptions {
  /** Items per repository (default 200). */
  readonly perRepo?: number;
  /** False: no `ready`/`needs-review` issues (a quiet backdrop for latency runs). Default true. */
  readonly workflow?: boolean;
  /** Shifts every createdAt, so repositories interleave in age. */
  readonly offsetMs?: number;
}

const PLAIN_LABELS: readonly (readonly string[])[] = [
  ['bug'],
  ['enhancement'],
  [],
  ['bug', 'p2'],
  ['waiting', 'question'],
];

/**
 * One repository with `count` open items, oldest first: every 20th item is a PR on branch
 * `issue-<N>` for the needs-review issue just before it, every 40th (offset 5) is `ready`
 * (applied by the allowed author), every 10th (offset 3) is by an untrusted author, and the
 * rest carry ordinary labels. 200 items give 5 ready, 10 needs-review, 10 PRs, 2 list pages.
 */
export const seedRepo = (fake: GitHubFake, repo: RepoRef, opts: SeedOptions = {}): SeededRepo => {
  const count = opts.perRepo ?? ITEMS_PER_REPO;
  const workflow = opts.workflow ?? true;
  const offsetMs = opts.offsetMs ?? 0;
  fake.addRepo({ owner: repo.owner, name: repo.name, defaultBranch: 'trunk' });
  const out = {
    ready: [] as number[],
    needsReview: [] as number[],
    pulls: [] as number[],
    plain: [] as number[],
  };
  for (let i = 0; i < count; i++) {
    const createdAt = new Date(T0 + offsetMs + i * 60_000);
    if (i % 20 === 19) {
      const issue = i; // the item just before this one (numbers start at 1)
      const title = `${i % 3 === 0 ? 'fix' : 'perf'}: change for #${issue}`;
      out.pulls.push(fake.addPull(repo, { title, head: `issue-${issue}`, author: 'k3sc-bot', createdAt }));
      continue;
    }
    if (i % 20 === 18 && workflow) {
      out.needsReview.push(
        fake.addIssue(repo, {
          title: `Review the change ${i}`,
          author: ALLOWED_AUTHOR,
          labels: ['needs-review'],
          createdAt,
        }),
      );
      continue;
    }
    if (i % 40 === 5 && workflow) {
      out.ready.push(
        fake.addIssue(repo, {
          title: `Implement feature ${i}`,
          author: ALLOWED_AUTHOR,
          labels: ['ready', 'enhancement'],
          createdAt,
        }),
      );
      continue;
    }
    const author = i % 10 === 3 ? OTHER_AUTHOR : ALLOWED_AUTHOR;
    const labels = PLAIN_LABELS[i % PLAIN_LABELS.length] ?? [];
    const n = fake.addIssue(repo, {
      title: `Issue ${i}: something to look at`,
      body: 'Steps to reproduce: …',
      author,
      labels,
      createdAt,
    });
    if (author === ALLOWED_AUTHOR && !labels.includes('waiting')) out.plain.push(n);
  }
  return { repo, ...out };
};

export const repoName = (i: number): RepoRef => ({
  owner: 'bench-org',
  name: `service-${String(i).padStart(2, '0')}`,
});

/** `count` repositories; repo i's items are 1 s younger than repo i-1's. */
export const seedFarm = (
  fake: GitHubFake,
  count: number,
  opts: Omit<SeedOptions, 'offsetMs'> = {},
): SeededRepo[] =>
  Array.from({ length: count }, (_, i) => seedRepo(fake, repoName(i), { ...opts, offsetMs: i * 1000 }));
