import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake, type GitHubFake } from '../sandbox/github-fake/index.js';
import { runCli } from './__tests__/run-cli.js';
import { cleanEnv, tempHome, type TempHome } from './__tests__/temp-home.js';

const TOKEN = 'ghp_oneshot_test_token_value';
const repos = [
  { owner: 'acme', name: 'widgets' },
  { owner: 'acme', name: 'gadgets' },
];

let fake: GitHubFake;
let home: TempHome;

beforeAll(async () => {
  fake = await startGitHubFake({ tokens: { [TOKEN]: 'k3sc-bot' } });
  for (const repo of repos) {
    fake.addRepo(repo);
    for (let i = 0; i < 3; i++)
      fake.addIssue(repo, { title: `ready ${i}`, author: 'alice', labels: ['ready'] });
    fake.addIssue(repo, { title: 'plain', author: 'alice' });
  }
  home = await tempHome(
    [
      `github: { api_url: ${JSON.stringify(fake.url)} }`,
      'allowed_authors: [alice]',
      `repos: [${repos.map((r) => `{ owner: ${r.owner}, name: ${r.name} }`).join(', ')}]`,
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await fake.close();
  await home.cleanup();
});

const top = () =>
  runCli(
    ['--config', home.configPath, 'top', '--once', '--json'],
    cleanEnv({ HOME: home.dir, GITHUB_TOKEN: TOKEN }),
  );

describe('one-shot CLI commands across real process restarts', () => {
  it('a second `top --once` sends only the login and the 304 listings; the dashboard is the same', async () => {
    const first = await top();
    expect(first.code, first.stderr).toBe(0);
    const cold = fake.counters;
    expect(cold.byRoute['GET /repos/{owner}/{repo}/issues/{number}/events']).toBe(6);
    fake.resetCounters();
    const second = await top();
    expect(second.code, second.stderr).toBe(0);
    expect(fake.counters.byRoute).toEqual({ 'GET /user': 1, 'GET /repos/{owner}/{repo}/issues': 2 });
    expect(fake.counters.notModified).toBe(2);
    const queue = (r: { stdout: string }) => (JSON.parse(r.stdout) as { queue: unknown }).queue;
    expect(queue(second)).toEqual(queue(first));
    expect(second.stdout).not.toContain(TOKEN);
  });

  it('when the rate limit is used up, says so with the reset time and exits at once', async () => {
    fake.injectFault({ status: 403, times: 20, retryAfterSeconds: 3600 });
    const r = await runCli(
      ['--config', home.configPath, 'kill', 'acme/widgets#1'],
      cleanEnv({ HOME: home.dir, GITHUB_TOKEN: TOKEN }),
    );
    fake.clearFaults();
    // The exit code is the reply's for a rate_limited error (whatever the error-to-exit mapping says).
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /error: GitHub's API rate limit for k3sc's credentials is used up \(while [^)]+\); it resets at \d{4}-\d\d-\d\dT[\d:.]+Z \(in (59 min|1 h)\)/,
    );
  });
});
