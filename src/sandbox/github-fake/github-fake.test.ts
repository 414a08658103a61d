import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubFake, type FakeChange, type GitHubFake } from './index.js';

let fake: GitHubFake;
const repo = { owner: 'acme', name: 'widgets' };
const auth = { authorization: 'token t-alice' };
const numbers = (list: unknown): number[] => (list as { number: number }[]).map((p) => p.number);

const call = async (method: string, path: string, body?: string, headers: Record<string, string> = auth) => {
  const res = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return { res, text, json: text === '' ? undefined : JSON.parse(text) };
};

beforeEach(async () => {
  fake = await startGitHubFake({ tokens: { 't-alice': 'alice', 't-bot': 'k3sc[bot]' } });
  fake.addRepo({ ...repo, defaultBranch: 'trunk' });
});
afterEach(() => fake.close());

describe('github fake: repos, auth and errors', () => {
  it('serves repository metadata with rate-limit headers', async () => {
    const { res, json } = await call('GET', '/repos/acme/widgets');
    expect(json).toMatchObject({
      default_branch: 'trunk',
      full_name: 'acme/widgets',
      name: 'widgets',
      owner: { login: 'acme' },
    });
    expect(json.clone_url).toBe('https://github.com/acme/widgets.git');
    expect(res.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect(res.headers.get('x-ratelimit-resource')).toBe('core');
  });

  it('answers unknown routes and repos with GitHub-shaped 404s', async () => {
    const unknown = await call('GET', '/repos/acme/widgets/deployments');
    expect(unknown.res.status).toBe(404);
    expect(unknown.json).toMatchObject({ message: 'Not Found', documentation_url: expect.any(String) });
    expect((await call('GET', '/repos/acme/nope')).res.status).toBe(404);
  });

  it('rejects missing and unknown tokens with 401', async () => {
    expect((await call('GET', '/repos/acme/widgets', undefined, {})).json.message).toBe(
      'Requires authentication',
    );
    const bad = await call('GET', '/repos/acme/widgets', undefined, { authorization: 'Bearer nope' });
    expect(bad.res.status).toBe(401);
    expect(bad.json.message).toBe('Bad credentials');
    expect(
      (await call('GET', '/repos/acme/widgets', undefined, { authorization: 'Bearer t-alice' })).res.status,
    ).toBe(200);
  });

  it('answers malformed JSON with 400 and missing fields with 422', async () => {
    const n = fake.addIssue(repo, { title: 't', author: 'bob' });
    const bad = await call('POST', `/repos/acme/widgets/issues/${n}/comments`, '{"body": ');
    expect(bad.res.status).toBe(400);
    expect(bad.json.message).toBe('Problems parsing JSON');
    const missing = await call('POST', `/repos/acme/widgets/issues/${n}/comments`, '{}');
    expect(missing.res.status).toBe(422);
    expect(missing.json.errors[0]).toMatchObject({ code: 'missing_field', field: 'body' });
    expect(fake.getComments(repo, n)).toEqual([]);
  });

  it('reports collaborator roles; public non-collaborators read, private ones none', async () => {
    fake.addCollaborator(repo, 'Carol', 'maintain');
    const carol = await call('GET', '/repos/acme/widgets/collaborators/carol/permission');
    expect(carol.json).toMatchObject({
      permission: 'write',
      role_name: 'maintain',
      user: { login: 'carol' },
    });
    expect((await call('GET', '/repos/acme/widgets/collaborators/dave/permission')).json.permission).toBe(
      'read',
    );
    fake.addRepo({ owner: 'acme', name: 'secret', private: true });
    expect((await call('GET', '/repos/acme/secret/collaborators/dave/permission')).json.permission).toBe(
      'none',
    );
  });
});

describe('github fake: lists, pagination and ETags', () => {
  it('paginates issues and PRs together with a real Link header', async () => {
    for (let i = 0; i < 249; i++) fake.addIssue(repo, { title: `i${i}`, author: 'bob' });
    fake.addPull(repo, { title: 'pr', head: 'issue-1', author: 'bot' });
    const first = await call('GET', '/repos/acme/widgets/issues?per_page=100&sort=created&direction=asc');
    expect(first.json).toHaveLength(100);
    const link = first.res.headers.get('link') ?? '';
    expect(link).toContain(
      `<${fake.url}/repos/acme/widgets/issues?per_page=100&sort=created&direction=asc&page=2>; rel="next"`,
    );
    expect(link).toContain('page=3>; rel="last"');
    const last = await call(
      'GET',
      '/repos/acme/widgets/issues?per_page=100&sort=created&direction=asc&page=3',
    );
    expect(last.json).toHaveLength(50);
    expect(last.json[49]).toMatchObject({ number: 250, pull_request: expect.any(Object) });
    expect(last.json[0].pull_request).toBeUndefined();
    expect(last.res.headers.get('link')).not.toContain('rel="next"');
  });

  it('answers a matching If-None-Match with 304, no body and no rate-limit cost', async () => {
    fake.addIssue(repo, { title: 't', author: 'bob', labels: ['bug'] });
    const first = await call('GET', '/repos/acme/widgets/issues');
    const etag = first.res.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    const used = fake.counters.rateLimit.used;
    const second = await call('GET', '/repos/acme/widgets/issues', undefined, {
      ...auth,
      'if-none-match': etag,
    });
    expect(second.res.status).toBe(304);
    expect(second.text).toBe('');
    expect(fake.counters.rateLimit.used).toBe(used);
    expect(fake.counters.notModified).toBe(1);
    expect(fake.counters.byRoute['GET /repos/{owner}/{repo}/issues']).toBe(2);
  });

  it('changes ETags after every mutation', async () => {
    const n = fake.addIssue(repo, { title: 't', author: 'bob' });
    const etag = (await call('GET', '/repos/acme/widgets/issues')).res.headers.get('etag') ?? '';
    await call('POST', `/repos/acme/widgets/issues/${n}/comments`, '{"body":"hi"}');
    const after = await call('GET', '/repos/acme/widgets/issues', undefined, {
      ...auth,
      'if-none-match': etag,
    });
    expect(after.res.status).toBe(200);
    expect(after.json[0].comments).toBe(1);
  });

  it('filters pulls by head owner:branch and state', async () => {
    fake.addPull(repo, { title: 'a', head: 'issue-7', author: 'bot' });
    const closed = fake.addPull(repo, { title: 'b', head: 'issue-7', author: 'bot' });
    fake.closeIssue(repo, closed);
    const open = await call('GET', '/repos/acme/widgets/pulls?head=acme:issue-7');
    expect(numbers(open.json)).toEqual([1]);
    const all = await call('GET', '/repos/acme/widgets/pulls?head=acme:issue-7&state=all');
    expect((all.json as { head: { ref: string } }[]).map((p) => p.head.ref)).toEqual(['issue-7', 'issue-7']);
    expect(all.json[0].base.ref).toBe('trunk');
  });

  it("names a fork's head repository after the fork's owner", async () => {
    const own = fake.addPull(repo, { title: 'own', head: 'issue-7', author: 'bot' });
    const fork = fake.addPull(repo, { title: 'fork', head: 'mallory:issue-7', author: 'mallory' });
    const mine = await call('GET', `/repos/acme/widgets/pulls/${own}`);
    expect(mine.json.head.repo).toMatchObject({ full_name: 'acme/widgets', fork: false });
    const theirs = await call('GET', `/repos/acme/widgets/pulls/${fork}`);
    expect(theirs.json.head).toMatchObject({ ref: 'issue-7', label: 'mallory:issue-7' });
    expect(theirs.json.head.repo).toMatchObject({ full_name: 'mallory/widgets', fork: true });
    expect(theirs.json.base.repo.full_name).toBe('acme/widgets');
  });
});

describe('github fake: mutations', () => {
  it('records label events with the token login and 404s an absent label', async () => {
    const n = fake.addIssue(repo, { title: 't', author: 'bob', labels: ['bug'] });
    const added = await call('POST', `/repos/acme/widgets/issues/${n}/labels`, '{"labels":["ready"]}', {
      authorization: 'token t-bot',
    });
    expect((added.json as { name: string }[]).map((l) => l.name)).toEqual(['bug', 'ready']);
    const gone = await call('DELETE', `/repos/acme/widgets/issues/${n}/labels/waiting`);
    expect(gone.res.status).toBe(404);
    expect(gone.json.message).toBe('Label does not exist');
    expect((await call('DELETE', `/repos/acme/widgets/issues/${n}/labels/ready`)).res.status).toBe(200);
    expect(fake.labelEvents(repo, n).map((e) => `${e.event}:${e.label}:${e.actor}`)).toEqual([
      'labeled:bug:bob',
      'labeled:ready:k3sc[bot]',
      'unlabeled:ready:alice',
    ]);
    const events = await call('GET', `/repos/acme/widgets/issues/${n}/events`);
    expect(events.json[1]).toMatchObject({
      event: 'labeled',
      actor: { login: 'k3sc[bot]' },
      label: { name: 'ready' },
    });
  });

  it('creates pull requests and refuses a second open one for the same head with 422', async () => {
    const body = JSON.stringify({
      title: 'Fix',
      head: 'acme:issue-3',
      base: 'trunk',
      body: 'Closes nothing',
    });
    const created = await call('POST', '/repos/acme/widgets/pulls', body);
    expect(created.res.status).toBe(201);
    expect(created.json).toMatchObject({ number: 1, head: { ref: 'issue-3' }, user: { login: 'alice' } });
    const dup = await call('POST', '/repos/acme/widgets/pulls', body);
    expect(dup.res.status).toBe(422);
    expect(dup.json.errors[0].message).toBe('A pull request already exists for acme:issue-3.');
    const noHead = await call('POST', '/repos/acme/widgets/pulls', '{"title":"x","base":"trunk"}');
    expect(noHead.json.errors[0]).toMatchObject({ code: 'missing_field', field: 'head' });
    expect(fake.getPulls(repo)).toHaveLength(1);
  });

  it('fires onChange after mutations from HTTP and from seeding', async () => {
    const seen: FakeChange[] = [];
    fake.onChange((c) => seen.push(c));
    const n = fake.addIssue(repo, { title: 't', author: 'bob' });
    await call('POST', `/repos/acme/widgets/issues/${n}/labels`, '["ready"]');
    expect(seen.map((c) => `${c.event}.${c.action}:${c.actor}`)).toEqual([
      'issues.opened:bob',
      'issues.labeled:alice',
    ]);
    expect(seen[1]).toMatchObject({ repo, number: n, label: 'ready' });
  });
});

describe('github fake: faults and rate limits', () => {
  it('sends primary and secondary rate-limit responses as GitHub does', async () => {
    fake.injectFault({ path: '/repos/acme/widgets', status: 429, times: 1, retryAfterSeconds: 30 });
    fake.injectFault({
      method: 'GET',
      path: /\/repos\//,
      status: 403,
      times: 1,
      secondary: true,
      retryAfterSeconds: 7,
    });
    const primary = await call('GET', '/repos/acme/widgets');
    expect(primary.res.status).toBe(429);
    expect(primary.res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(primary.res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 + 20);
    const secondary = await call('GET', '/repos/acme/widgets');
    expect(secondary.res.status).toBe(403);
    expect(secondary.json.message).toMatch(/You have exceeded a secondary rate limit/);
    expect(secondary.res.headers.get('retry-after')).toBe('7');
    expect((await call('GET', '/repos/acme/widgets')).res.status).toBe(200);
    expect(fake.pendingFaults()).toBe(0);
  });

  it('fails with 500 the given number of times', async () => {
    fake.injectFault({ method: 'GET', status: 500, times: 2 });
    expect((await call('GET', '/repos/acme/widgets')).res.status).toBe(500);
    expect((await call('GET', '/repos/acme/widgets')).res.status).toBe(500);
    expect((await call('GET', '/repos/acme/widgets')).res.status).toBe(200);
  });

  it('hangs matching requests without an answer, the given number of times', async () => {
    fake.injectFault({ method: 'GET', path: '/repos/acme/widgets', hang: true, times: 1 });
    const hung = fetch(`${fake.url}/repos/acme/widgets`, { headers: auth, signal: AbortSignal.timeout(200) });
    const err: unknown = await hung.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).name).toBe('TimeoutError');
    expect(fake.counters.byRoute['GET /repos/{owner}/{repo}']).toBe(1);
    expect(fake.pendingFaults()).toBe(0);
    expect((await call('GET', '/repos/acme/widgets')).res.status).toBe(200);
  });

  it('answers 403 once the primary budget is spent; /rate_limit is free', async () => {
    const small = await startGitHubFake({ rateLimit: 2 });
    try {
      small.addRepo(repo);
      const get = () => fetch(`${small.url}/repos/acme/widgets`);
      expect((await get()).status).toBe(200);
      expect((await get()).status).toBe(200);
      const over = await get();
      expect(over.status).toBe(403);
      expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
      const rl = JSON.parse(await (await fetch(`${small.url}/rate_limit`)).text());
      expect(rl.resources.core).toMatchObject({ limit: 2, remaining: 0 });
      small.resetCounters();
      expect(small.counters).toMatchObject({ requests: 0, rateLimit: { used: 0, remaining: 2 } });
      expect((await get()).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});
