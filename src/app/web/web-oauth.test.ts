import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubFake } from '../../sandbox/github-fake/index.js';
import { SESSION_KIND } from './sessions.js';
import { CLIENT_ID, signIn, startFake, startOAuthWeb, type OAuthWeb } from './__tests__/oauth-web.js';

let fake: GitHubFake;
beforeAll(async () => {
  fake = await startFake();
});
afterAll(async () => {
  await fake.close();
});

const withWeb = async (
  fn: (web: OAuthWeb) => Promise<void>,
  opts: Parameters<typeof startOAuthWeb>[1] = {},
): Promise<void> => {
  const web = await startOAuthWeb(fake, opts);
  try {
    await fn(web);
  } finally {
    await web.close();
  }
};

const sessions = async (web: OAuthWeb): Promise<number> => (await web.store.listRecords(SESSION_KIND)).length;

/** The page at / as the holder of `cookie` sees it (a redirect to /login when not logged in). */
const home = async (web: OAuthWeb, cookie: string | undefined): Promise<Response> =>
  fetch(`${web.url}/`, { redirect: 'manual', headers: cookie ? { cookie } : {} });

describe('GitHub OAuth sign-in (web.github_oauth) against the GitHub fake', () => {
  it('shows the button, and sends the browser to github.url with a state bound to a cookie', async () => {
    await withWeb(async (web) => {
      expect(await (await fetch(`${web.url}/login`)).text()).toContain('Sign in with GitHub');
      const res = await fetch(`${web.url}/login/github`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const to = new URL(res.headers.get('location') ?? '');
      expect(`${to.origin}${to.pathname}`).toBe(`${fake.url}/login/oauth/authorize`);
      expect(to.searchParams.get('client_id')).toBe(CLIENT_ID);
      expect(to.searchParams.get('redirect_uri')).toBe(`${web.url}/login/github/callback`);
      expect(to.searchParams.get('scope')).toBe('read:org');
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('k3sc_oauth_state='));
      expect(cookie).toContain(`k3sc_oauth_state=${to.searchParams.get('state')}`);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Path=\/login\/github/);
    });
  });

  it('signs in a login from allowed_authors; the token is nowhere (store, cookie, log)', async () => {
    await withWeb(async (web) => {
      const flow = await signIn(web, 'alice');
      expect(flow.callback.status).toBe(303);
      expect(flow.callback.headers.get('location')).toBe('/');
      const page = await home(web, flow.session);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('alice');
      const stored = JSON.stringify(await web.store.listRecords(SESSION_KIND));
      expect(stored).toContain('"via":"github"');
      for (const where of [stored, flow.session ?? '', JSON.stringify(web.logger.entries)])
        expect(where).not.toMatch(/gho_/);
    });
  });

  it('signs in an active member of a configured team, and refuses a pending one', async () => {
    await withWeb(async (web) => {
      const tess = await signIn(web, 'tess');
      expect(tess.callback.status).toBe(303);
      expect((await home(web, tess.session)).status).toBe(200);
      const pete = await signIn(web, 'pete');
      expect(pete.callback.status).toBe(403);
      expect(pete.text).toContain('pete may not sign in here: not in allowed_authors or the teams acme/ops');
      expect(await sessions(web)).toBe(1);
    });
  });

  it('refuses a login in neither allowed_authors nor a team: a clear page, no session', async () => {
    await withWeb(async (web) => {
      const flow = await signIn(web, 'mallory');
      expect(flow.callback.status).toBe(403);
      expect(flow.text).toContain('mallory may not sign in here');
      expect(await sessions(web)).toBe(0);
      expect((await home(web, flow.session)).status).toBe(303);
    });
  });

  it('an allowed login that rbac gives no role (unknown: none) is refused; one it names gets its role', async () => {
    await withWeb(
      async (web) => {
        const tess = await signIn(web, 'tess');
        expect(tess.callback.status).toBe(403);
        expect(tess.text).toContain('tess has no role in rbac');
        expect(await sessions(web)).toBe(0);
        const alice = await signIn(web, 'alice');
        expect(await (await home(web, alice.session)).text()).toContain('alice (operator)');
      },
      { policy: { admins: [], operators: ['alice'], viewers: [], unknown: 'none' } },
    );
  });

  it('a state that does not match the cookie, or no cookie, is a 400 and creates nothing', async () => {
    await withWeb(async (web) => {
      const wrong = await signIn(web, 'alice', {
        url: (u) => u.searchParams.set('state', 'forged-state-value'),
      });
      expect(wrong.callback.status).toBe(400);
      expect(wrong.text).toContain('the GitHub sign-in could not be verified');
      const none = await signIn(web, 'alice', { stateCookie: () => undefined });
      expect(none.callback.status).toBe(400);
      const other = await signIn(web, 'alice', {
        stateCookie: () => 'k3sc_oauth_state=another-browsers-state',
      });
      expect(other.callback.status).toBe(400);
      expect(await sessions(web)).toBe(0);
      expect((await home(web, wrong.session)).status).toBe(303);
    });
  });

  it('a code GitHub refuses (bad, or used twice) gives a clear error and no session', async () => {
    await withWeb(async (web) => {
      const bad = await signIn(web, 'alice', { url: (u) => u.searchParams.set('code', 'not-a-code') });
      expect(bad.callback.status).toBe(401);
      expect(bad.text).toContain('GitHub refused the sign-in (bad_verification_code)');
      expect(await sessions(web)).toBe(0);
      const ok = await signIn(web, 'alice');
      expect(ok.callback.status).toBe(303);
      const replay = await fetch(ok.url, { redirect: 'manual', headers: { cookie: ok.stateCookie ?? '' } });
      expect(replay.status).toBe(401);
      expect(await replay.text()).toContain('bad_verification_code');
      expect(await sessions(web)).toBe(1);
    });
  });

  it('a wrong client secret is refused by GitHub and said so', async () => {
    await withWeb(
      async (web) => {
        const flow = await signIn(web, 'alice');
        expect(flow.callback.status).toBe(401);
        expect(flow.text).toContain('incorrect_client_credentials');
        expect(await sessions(web)).toBe(0);
      },
      { secret: 'not-the-right-secret' },
    );
  });

  it('without a client secret the button explains what to set', async () => {
    await withWeb(
      async (web) => {
        const res = await fetch(`${web.url}/login/github`, { redirect: 'manual' });
        expect(res.status).toBe(503);
        expect(await res.text()).toContain('set K3SC_GITHUB_OAUTH_SECRET');
      },
      { secret: undefined },
    );
  });

  it('GitHub access_denied (the user pressed Cancel) is a clear page', async () => {
    await withWeb(async (web) => {
      const flow = await signIn(web, 'alice', {
        url: (u) => {
          u.searchParams.delete('code');
          u.searchParams.set('error', 'access_denied');
        },
      });
      expect(flow.callback.status).toBe(403);
      expect(flow.text).toContain('GitHub did not sign you in (access_denied)');
    });
  });

  it('rate limits failed callbacks like failed logins', async () => {
    await withWeb(async (web) => {
      for (let i = 0; i < 5; i++) expect((await signIn(web, 'mallory')).callback.status).toBe(403);
      const limited = await signIn(web, 'mallory');
      expect(limited.callback.status).toBe(429);
      expect(limited.text).toContain('too many failed logins');
      for (let i = 0; i < 5; i++)
        expect((await signIn(web, 'x', { stateCookie: () => undefined })).callback.status).toBe(400);
      expect((await signIn(web, 'alice', { stateCookie: () => undefined })).callback.status).toBe(429);
    });
  });

  it('a restarted web over the same store keeps the GitHub user logged in; logout ends it', async () => {
    const first = await startOAuthWeb(fake);
    const flow = await signIn(first, 'alice');
    const again = await first.restart();
    try {
      const page = await home(again, flow.session);
      expect(page.status).toBe(200);
      const text = await page.text();
      expect(text).toContain('alice');
      const csrf = /name="csrf-token" content="([^"]+)"/.exec(text)?.[1] ?? '';
      const out = await fetch(`${again.url}/logout`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: flow.session ?? '', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf }).toString(),
      });
      expect(out.status).toBe(303);
      expect(await sessions(again)).toBe(0);
      expect((await home(again, flow.session)).status).toBe(303);
    } finally {
      await again.close();
    }
  });
});
