import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubFake } from '../../sandbox/github-fake/index.js';
import { signIn, startFake, startOAuthWeb, type OAuthWeb } from './__tests__/oauth-web.js';

let fake: GitHubFake;
beforeAll(async () => {
  fake = await startFake();
});
afterAll(async () => {
  await fake.close();
});

const PROXIED = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'k3sc.example.com' };

const probe = async (web: OAuthWeb): Promise<{ secure: boolean; redirectUri: string | null }> => {
  const login = await fetch(`${web.url}/login`, { headers: PROXIED });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('k3sc_session=')) ?? '';
  const go = await fetch(`${web.url}/login/github`, { redirect: 'manual', headers: PROXIED });
  const to = new URL(go.headers.get('location') ?? '');
  return { secure: /;\s*Secure/i.test(cookie), redirectUri: to.searchParams.get('redirect_uri') };
};

const withWeb = async (trustProxy: boolean | readonly string[], fn: (web: OAuthWeb) => Promise<void>) => {
  const web = await startOAuthWeb(fake, { trustProxy });
  try {
    await fn(web);
  } finally {
    await web.close();
  }
};

describe('web.trust_proxy', () => {
  it('off (the default): forwarded headers are ignored — no Secure cookie, the real address', async () => {
    await withWeb(false, async (web) => {
      expect(await probe(web)).toEqual({ secure: false, redirectUri: `${web.url}/login/github/callback` });
    });
  });

  it('on: https from the proxy makes cookies Secure and the OAuth callback the public URL', async () => {
    await withWeb(true, async (web) => {
      expect(await probe(web)).toEqual({
        secure: true,
        redirectUri: 'https://k3sc.example.com/login/github/callback',
      });
    });
  });

  it('a list trusts only the proxies it names', async () => {
    await withWeb(['10.0.0.0/8'], async (web) => {
      expect((await probe(web)).secure).toBe(false); // the request came from 127.0.0.1
    });
    await withWeb(['127.0.0.1/32'], async (web) => {
      expect((await probe(web)).secure).toBe(true);
    });
  });

  it('rate limits failed logins per client address behind the proxy, not per proxy', async () => {
    await withWeb(['127.0.0.1'], async (web) => {
      const from = (ip: string) =>
        fetch(`${web.url}/login/github/callback?state=forged&code=x`, { headers: { 'x-forwarded-for': ip } });
      for (let i = 0; i < 5; i++) expect((await from('203.0.113.5')).status).toBe(400);
      expect((await from('203.0.113.5')).status).toBe(429);
      expect((await from('203.0.113.6')).status).toBe(400);
      expect((await signIn(web, 'alice')).callback.status).toBe(303);
    });
  });
});
