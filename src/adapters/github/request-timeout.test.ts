import { afterEach, describe, expect, it } from 'vitest';
import { isK3scError } from '../../core/errors.js';
import { startHarness, type Harness } from '../../testing/github-test-setup.js';

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

/** Resolves once the fake has received `n` requests on `route`. */
const received = async (fake: Harness['fake'], route: string, n: number): Promise<void> => {
  while ((fake.counters.byRoute[route] ?? 0) < n) await new Promise((r) => setTimeout(r, 5));
};

describe('GitHub request timeouts', () => {
  it('fails a request the fake never answers as unavailable, after retrying it', async () => {
    h = await startHarness({ requestTimeoutMs: 100, retries: 1 });
    h.fake.injectFault({ method: 'GET', path: ISSUES, hang: true, times: 5 });
    const err = await settle(h.tracker.listWorkItems(h.repo));
    expect(isK3scError(err, 'unavailable')).toBe(true);
    expect((err as Error).message).toContain('no answer within 100 ms');
    expect((err as Error).message).toContain('listing open issues of acme/widgets');
    expect(h.fake.counters.byRoute[LIST_ROUTE]).toBe(2);
  });

  it('recovers when only the first attempt hangs', async () => {
    h = await startHarness({ requestTimeoutMs: 100 });
    h.fake.addIssue(h.repo, { title: 't', author: 'alice' });
    h.fake.injectFault({ method: 'GET', path: ISSUES, hang: true, times: 1 });
    expect((await h.tracker.listWorkItems(h.repo)).issues).toHaveLength(1);
    expect(h.fake.counters.byRoute[LIST_ROUTE]).toBe(2);
  });

  it('times out writes too (comments), while other routes keep working', async () => {
    h = await startHarness({ requestTimeoutMs: 100, retries: 0 });
    const n = h.fake.addIssue(h.repo, { title: 't', author: 'alice' });
    h.fake.injectFault({ method: 'POST', hang: true, times: 1 });
    const err = await settle(h.tracker.comment({ repo: h.repo, number: n }, 'hello'));
    expect(isK3scError(err, 'unavailable')).toBe(true);
    expect((await h.tracker.listWorkItems(h.repo)).issues).toHaveLength(1);
  });

  it("ends a hung request at once when the caller's signal aborts, without retrying it", async () => {
    h = await startHarness({ requestTimeoutMs: 60_000 });
    h.fake.injectFault({ method: 'GET', path: ISSUES, hang: true, times: 5 });
    const abort = new AbortController();
    const pending = settle(h.tracker.listWorkItems(h.repo, abort.signal));
    await received(h.fake, LIST_ROUTE, 1);
    abort.abort();
    expect(((await pending) as Error).name).toBe('AbortError');
    expect(h.fake.counters.byRoute[LIST_ROUTE]).toBe(1);
  });
});
