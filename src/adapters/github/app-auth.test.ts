import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubFake, type GitHubFake } from '../../sandbox/github-fake/index.js';
import { createOctokit } from './create-octokit.js';
import { GitHubTracker } from './github-tracker.js';

const repo = { owner: 'acme', name: 'widgets' };
const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
let fake: GitHubFake;

beforeEach(async () => {
  fake = await startGitHubFake({ tokens: {}, apps: { '4242': 'k3sc-app[bot]' } });
  fake.addRepo(repo);
});
afterEach(() => fake.close());

const trackerFor = (appId: number): GitHubTracker =>
  new GitHubTracker({
    client: createOctokit({
      baseUrl: fake.url,
      auth: { kind: 'app', appId, privateKey: pem, installationId: 7 },
      throttle: { minTime: 0, retryAfterBaseMs: 1 },
      retryBaseMs: 1,
    }),
  });

describe('GitHub App authentication', () => {
  it('mints an installation token from the App JWT and acts as the app bot', async () => {
    const n = fake.addIssue(repo, { title: 't', author: 'alice' });
    const tracker = trackerFor(4242);
    await tracker.changeLabels({ repo, number: n }, { add: ['ready'], remove: [] });
    await tracker.comment({ repo, number: n }, 'hi');
    expect(fake.labelEvents(repo, n).at(-1)?.actor).toBe('k3sc-app[bot]');
    expect(fake.getComments(repo, n)[0]?.author).toBe('k3sc-app[bot]');
    // auth-app caches the installation token: one token request for both calls.
    expect(fake.counters.byRoute['POST /app/installations/{installation_id}/access_tokens']).toBe(1);
  });

  it('fails as forbidden for an app the server does not know', async () => {
    const err: unknown = await trackerFor(1)
      .listWorkItems(repo)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'forbidden' });
    expect(fake.counters.byRoute['GET /repos/{owner}/{repo}/issues']).toBeUndefined();
  });
});
