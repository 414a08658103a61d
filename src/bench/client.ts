import { createOctokit, type GitHubClient } from '../adapters/github/index.js';
import type { GitHubFake } from '../sandbox/github-fake/index.js';

export const BENCH_TOKEN = 'ghp_bench_token_not_secret';

/** The client every measure uses: no spacing between writes (plugin-throttling's 1 s default would dominate). */
export const THROTTLE_NOTE =
  'Octokit built with createOctokit({ throttle: { minTime: 0 } }): writes are not spaced out as in production (1 s).';

export const benchClient = (fake: GitHubFake): GitHubClient =>
  createOctokit({
    baseUrl: fake.url,
    auth: { kind: 'token', token: BENCH_TOKEN },
    throttle: { minTime: 0, retryAfterBaseMs: 1 },
    retryBaseMs: 1,
  });
