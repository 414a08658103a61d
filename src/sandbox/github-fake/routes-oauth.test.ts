import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake, type GitHubFake } from './index.js';

let fake: GitHubFake;
const REDIRECT = 'http://127.0.0.1:9/cb';
beforeAll(async () => {
  fake = await startGitHubFake({ tokens: { 'bot-token': 'k3sc-bot' } });
  fake.addOAuthApp({ clientId: 'cid', clientSecret: 'csecret' });
  fake.addTeamMember('Acme/Ops', 'tess');
});
afterAll(async () => {
  await fake.close();
});

const authorize = (q: Record<string, string>): Promise<Response> =>
  fetch(`${fake.url}/login/oauth/authorize?${new URLSearchParams(q).toString()}`, { redirect: 'manual' });

const exchange = async (body: Record<string, string>): Promise<Record<string, unknown>> =>
  (await (
    await fetch(`${fake.url}/login/oauth/access_token`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).json()) as Record<string, unknown>;

const codeFor = async (login: string): Promise<string> => {
  const res = await authorize({ client_id: 'cid', redirect_uri: REDIRECT, state: 's1', login });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get('location') ?? '');
  expect(back.searchParams.get('state')).toBe('s1');
  return back.searchParams.get('code') ?? '';
};

describe('the GitHub fake: OAuth web flow', () => {
  it('without a login shows a form (HTML), and refuses an unknown client id', async () => {
    const page = await authorize({ client_id: 'cid', redirect_uri: REDIRECT, state: 'x"<y' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const text = await page.text();
    expect(text).toContain('name="login"');
    expect(text).toContain('value="x&#34;&#60;y"');
    expect((await authorize({ client_id: 'nope', redirect_uri: REDIRECT })).status).toBe(404);
  });

  it('a code is exchanged once, with the right secret and redirect_uri; the token acts as the user', async () => {
    const code = await codeFor('alice');
    expect(await exchange({ client_id: 'cid', client_secret: 'wrong', code })).toMatchObject({
      error: 'incorrect_client_credentials',
    });
    const code2 = await codeFor('alice');
    expect(
      await exchange({
        client_id: 'cid',
        client_secret: 'csecret',
        code: code2,
        redirect_uri: 'http://evil/',
      }),
    ).toMatchObject({ error: 'redirect_uri_mismatch' });
    // A wrong secret does not use the code up; the right one then gets the token, once.
    const ok = await exchange({ client_id: 'cid', client_secret: 'csecret', code, redirect_uri: REDIRECT });
    expect(ok['access_token']).toMatch(/^gho_/);
    expect(await exchange({ client_id: 'cid', client_secret: 'csecret', code })).toMatchObject({
      error: 'bad_verification_code',
    });
    const octokit = new Octokit({ baseUrl: fake.url, auth: String(ok['access_token']) });
    expect((await octokit.rest.users.getAuthenticated()).data.login).toBe('alice');
    const member = await octokit.rest.teams.getMembershipForUserInOrg({
      org: 'acme',
      team_slug: 'ops',
      username: 'TESS',
    });
    expect(member.data.state).toBe('active');
    await expect(
      octokit.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'ops', username: 'alice' }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('Cancel redirects back with error=access_denied and the state', async () => {
    const res = await authorize({ client_id: 'cid', redirect_uri: REDIRECT, state: 's2', deny: '1' });
    const back = new URL(res.headers.get('location') ?? '');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('s2');
    expect(back.searchParams.get('code')).toBeNull();
  });
});
