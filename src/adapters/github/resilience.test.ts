import { afterEach, describe, expect, it } from 'vitest';
import { isK3scError, type K3scError } from '../../core/errors.js';
import { BOT_TOKEN, startHarness, type Harness } from '../../testing/github-test-setup.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const failure = async (p: Promise<unknown>): Promise<K3scError> => {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isK3scError(err)) throw new Error(`expected a K3scError, got ${String(err)}`);
  return err;
};

const ISSUES = '/repos/acme/widgets/issues';

describe('GitHub client resilience', () => {
  it('recovers from two 500s through plugin-retry', async () => {
    h = await startHarness();
    h.fake.addIssue(h.repo, { title: 't', author: 'alice' });
    h.fake.injectFault({ method: 'GET', path: ISSUES, status: 500, times: 1 });
    h.fake.injectFault({ method: 'GET', path: ISSUES, status: 502, times: 1 });
    const items = await h.tracker.listWorkItems(h.repo);
    expect(items.issues).toHaveLength(1);
    expect(h.fake.counters.byRoute['GET /repos/{owner}/{repo}/issues']).toBe(3);
    expect(h.fake.pendingFaults()).toBe(0);
  });

  it('retries a primary rate limit (429) and logs it without the token', async () => {
    h = await startHarness();
    h.fake.addIssue(h.repo, { title: 't', author: 'alice' });
    h.fake.injectFault({ path: ISSUES, status: 429, times: 1, retryAfterSeconds: 0 });
    expect((await h.tracker.listWorkItems(h.repo)).issues).toHaveLength(1);
    const warn = h.logs.find((l) => l.level === 'warn' && /primary rate limit/.test(l.msg ?? ''));
    expect(warn?.fields).toMatchObject({ kind: 'primary', method: 'GET', retryCount: 0 });
    expect(JSON.stringify(h.logs)).not.toContain(BOT_TOKEN);
  });

  it('retries a secondary rate limit (403 + retry-after)', async () => {
    h = await startHarness();
    const n = h.fake.addIssue(h.repo, { title: 't', author: 'alice' });
    h.fake.injectFault({ method: 'POST', status: 403, secondary: true, times: 2, retryAfterSeconds: 1 });
    await h.tracker.comment({ repo: h.repo, number: n }, 'hello');
    expect(h.fake.getComments(h.repo, n)).toHaveLength(1);
    expect(h.logs.filter((l) => (l.fields as { kind?: string }).kind === 'secondary')).toHaveLength(2);
  });

  it('gives up as rate_limited when the limit outlasts the retries', async () => {
    h = await startHarness({ maxRetries: 1 });
    h.fake.injectFault({ path: ISSUES, status: 403, times: 5 });
    const err = await failure(h.tracker.listWorkItems(h.repo));
    expect(err.code).toBe('rate_limited');
    expect(h.fake.counters.byRoute['GET /repos/{owner}/{repo}/issues']).toBe(2);
  });

  it('maps a bad token to forbidden with a message that says what to check', async () => {
    h = await startHarness({ token: 'ghp_wrong' });
    const err = await failure(h.tracker.listWorkItems(h.repo));
    expect(err.code).toBe('forbidden');
    expect(err.message).toContain('acme/widgets');
    expect(err.message).toMatch(/credentials/);
    expect(err.message).toContain(h.fake.url);
    expect(err.message).not.toContain('ghp_wrong');
    expect(h.fake.counters.byRoute['GET /repos/{owner}/{repo}/issues']).toBe(1);
  });

  it('maps an unknown repository to not_found', async () => {
    h = await startHarness();
    const err = await failure(h.tracker.listWorkItems({ owner: 'acme', name: 'nope' }));
    expect(err.code).toBe('not_found');
    expect(err.message).toContain('acme/nope');
  });

  it('maps persistent 5xx to unavailable after the retries', async () => {
    h = await startHarness({ retries: 2 });
    h.fake.injectFault({ path: ISSUES, status: 502, times: 10 });
    const err = await failure(h.tracker.listWorkItems(h.repo));
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain(h.fake.url);
    expect(h.fake.counters.byRoute['GET /repos/{owner}/{repo}/issues']).toBe(3);
  });

  it('maps an unreachable API to unavailable', async () => {
    h = await startHarness({ retries: 0 });
    const { tracker, repo } = h;
    await h.fake.close();
    h = undefined;
    const err = await failure(tracker.listWorkItems(repo));
    expect(err.code).toBe('unavailable');
  });

  it('honours an aborted signal', async () => {
    h = await startHarness();
    const err: unknown = await h.tracker.listWorkItems(h.repo, AbortSignal.abort()).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
  });
});
