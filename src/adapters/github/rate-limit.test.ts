import { afterEach, describe, expect, it } from 'vitest';
import { isK3scError } from '../../core/errors.js';
import { RateLimitedError } from './map-github-error.js';
import { ONE_SHOT_MAX_WAIT_SECONDS } from './rate-limit-waiter.js';
import { startGitHubFake } from '../../sandbox/github-fake/index.js';
import { createOctokit } from './create-octokit.js';
import { GitHubTracker } from './github-tracker.js';
import { BOT_TOKEN, recordingLogger, startHarness, type Harness } from '../../testing/github-test-setup.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ISSUES = '/repos/acme/widgets/issues';
const LIST_ROUTE = 'GET /repos/{owner}/{repo}/issues';

const settle = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => 'resolved',
    (e: unknown) => e,
  );

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

describe('GitHub rate limits in a one-shot command', () => {
  it('fails at once with rate_limited and the reset time instead of waiting an hour', async () => {
    h = await startHarness();
    h.tracker.setRateLimitMaxWait(ONE_SHOT_MAX_WAIT_SECONDS);
    const before = nowSeconds();
    h.fake.injectFault({ path: ISSUES, status: 403, times: 5, retryAfterSeconds: 3600 });
    const err = await settle(h.tracker.listWorkItems(h.repo));
    expect(isK3scError(err, 'rate_limited')).toBe(true);
    const limited = err as RateLimitedError;
    const reset = Date.parse(limited.resetAt) / 1000;
    expect(reset).toBeGreaterThanOrEqual(before + 3600);
    expect(reset).toBeLessThanOrEqual(nowSeconds() + 3600);
    expect(limited.message).toContain(limited.resetAt);
    expect(limited.message).toMatch(
      /rate limit .* is used up \(while listing open issues of acme\/widgets\)/,
    );
    expect(limited.message).toMatch(/\(in (59 min|1 h)\)/);
    expect(limited.message).toContain('run the command again after that');
    expect(h.fake.counters.byRoute[LIST_ROUTE]).toBe(1);
  });

  it('sends nothing more while the primary limit is known to be exhausted', async () => {
    h = await startHarness();
    h.tracker.setRateLimitMaxWait(ONE_SHOT_MAX_WAIT_SECONDS);
    h.fake.injectFault({ path: ISSUES, status: 403, times: 1, retryAfterSeconds: 3600 });
    await settle(h.tracker.listWorkItems(h.repo));
    const second = await settle(h.tracker.hasWriteAccess(h.repo, 'bob'));
    expect(isK3scError(second, 'rate_limited')).toBe(true);
    expect(h.fake.counters.requests).toBe(1);
  });

  it('still waits out a short secondary limit', async () => {
    h = await startHarness();
    h.tracker.setRateLimitMaxWait(ONE_SHOT_MAX_WAIT_SECONDS);
    h.fake.addIssue(h.repo, { title: 't', author: 'alice' });
    h.fake.injectFault({ path: ISSUES, status: 403, secondary: true, times: 1, retryAfterSeconds: 30 });
    expect((await h.tracker.listWorkItems(h.repo)).issues).toHaveLength(1);
    expect(h.fake.counters.byRoute[LIST_ROUTE]).toBe(2);
  });
});

describe('GitHub rate limits in serve', () => {
  it('waits for the reset and then retries (a request with a signal)', async () => {
    h = await startHarness();
    h.fake.addIssue(h.repo, { title: 't', author: 'alice' });
    h.fake.injectFault({ path: ISSUES, status: 403, times: 1, retryAfterSeconds: 300 });
    const serveSignal = new AbortController().signal;
    expect((await h.tracker.listWorkItems(h.repo, serveSignal)).issues).toHaveLength(1);
    expect(h.fake.counters.byRoute[LIST_ROUTE]).toBe(2);
    const warn = h.logs.find(
      (l) => l.level === 'warn' && /primary rate limit hit; retrying in 30[01]s/.test(l.msg ?? ''),
    );
    expect(warn).toBeDefined();
  });

  it('does not wait an hour for a request that has no signal to end the wait', async () => {
    h = await startHarness({ retryAfterBaseMs: 1000 });
    h.fake.injectFault({ path: '/user', status: 403, times: 1, retryAfterSeconds: 3600 });
    const err = await settle(h.client.rest.users.getAuthenticated());
    expect((err as Error).name).toBe('RateLimitError');
    expect(h.fake.counters.byRoute['GET /user']).toBe(1);
  });

  it('lets the client-wide signal end the long wait of a request made without one (an engine pass)', async () => {
    const root = new AbortController();
    const logs = recordingLogger();
    const fake = await startGitHubFake({ tokens: { [BOT_TOKEN]: 'k3sc-bot' } });
    try {
      fake.addRepo({ owner: 'acme', name: 'widgets' });
      const client = createOctokit({
        baseUrl: fake.url,
        auth: { kind: 'token', token: BOT_TOKEN },
        logger: logs,
        throttle: { minTime: 0 },
        signal: root.signal,
      });
      const tracker = new GitHubTracker({ client });
      fake.injectFault({ path: ISSUES, status: 403, times: 1, retryAfterSeconds: 3600 });
      const pending = settle(tracker.listWorkItems({ owner: 'acme', name: 'widgets' }));
      while (!logs.lines.some((l) => /retrying in/.test(l.msg ?? '')))
        await new Promise((r) => setTimeout(r, 5));
      root.abort();
      expect(((await pending) as Error).name).toBe('AbortError');
    } finally {
      await fake.close();
    }
  });

  it("stops waiting when the caller's signal aborts (SIGTERM during an hour-long wait)", async () => {
    h = await startHarness({ retryAfterBaseMs: 1000 });
    h.fake.injectFault({ path: ISSUES, status: 403, times: 1, retryAfterSeconds: 3600 });
    const abort = new AbortController();
    const pending = settle(h.tracker.listWorkItems(h.repo, abort.signal));
    while (!h.logs.some((l) => /retrying in/.test(l.msg ?? ''))) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    expect(((await pending) as Error).name).toBe('AbortError');
    expect(h.fake.counters.byRoute[LIST_ROUTE]).toBe(1);
  });
});
