import { randomBytes } from 'node:crypto';
import { ghError, notFound, ok, type FakeRequest, type FakeResponse } from './http-types.js';
import type { Router } from './router.js';

interface Grant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly login: string;
  readonly scope: string;
  readonly expires: number;
}

const CODE_TTL_MS = 10 * 60_000;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const htmlPage = (status: number, body: string): FakeResponse => ({
  status,
  raw: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>GitHub fake: authorize</title></head><body>${body}</body></html>`,
  headers: { 'content-type': 'text/html; charset=utf-8' },
});

/**
 * GitHub's OAuth web flow, enough for a "Sign in with GitHub" button: registered OAuth apps
 * (client id → secret), one-use codes bound to the app and redirect URI, user tokens that act
 * as their login on the API, and team memberships (`org/team` → login → active | pending).
 */
export class FakeOAuth {
  private readonly apps = new Map<string, string>();
  private readonly grants = new Map<string, Grant>();
  private readonly tokens = new Map<string, string>();
  private readonly teams = new Map<string, Map<string, 'active' | 'pending'>>();
  /** When set, the authorize page answers as this login at once (no form). */
  login: string | undefined;

  addApp(clientId: string, clientSecret: string): void {
    this.apps.set(clientId, clientSecret);
  }

  addTeamMember(team: string, login: string, state: 'active' | 'pending' = 'active'): void {
    const key = team.toLowerCase();
    const members = this.teams.get(key) ?? new Map<string, 'active' | 'pending'>();
    members.set(login.toLowerCase(), state);
    this.teams.set(key, members);
  }

  tokenLogin(token: string): string | undefined {
    return this.tokens.get(token);
  }

  knows(clientId: string): boolean {
    return this.apps.has(clientId);
  }

  grant(g: Omit<Grant, 'expires'>, now: number): string {
    const code = randomBytes(10).toString('hex');
    this.grants.set(code, { ...g, expires: now + CODE_TTL_MS });
    return code;
  }

  /** The token for a code, or GitHub's error name (GitHub answers these with 200). */
  exchange(
    p: { clientId: string; clientSecret: string; code: string; redirectUri: string | undefined },
    now: number,
  ): { token: string; scope: string } | { error: string } {
    const secret = this.apps.get(p.clientId);
    if (secret === undefined || secret !== p.clientSecret) return { error: 'incorrect_client_credentials' };
    const g = this.grants.get(p.code);
    this.grants.delete(p.code); // one use, right or wrong
    if (!g || g.clientId !== p.clientId || g.expires <= now) return { error: 'bad_verification_code' };
    if (p.redirectUri !== undefined && p.redirectUri !== g.redirectUri)
      return { error: 'redirect_uri_mismatch' };
    const token = `gho_fake${randomBytes(16).toString('hex')}`;
    this.tokens.set(token, g.login);
    return { token, scope: g.scope };
  }

  membership(team: string, login: string): 'active' | 'pending' | undefined {
    return this.teams.get(team.toLowerCase())?.get(login.toLowerCase());
  }
}

const field = (req: FakeRequest, name: string): string | undefined => {
  const fromBody = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof fromBody === 'string' ? fromBody : (req.query.get(name) ?? undefined);
};

const authorizeForm = (q: URLSearchParams): FakeResponse => {
  const hidden = ['client_id', 'redirect_uri', 'state', 'scope']
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q.get(k) ?? '')}">`)
    .join('');
  return htmlPage(
    200,
    `<main><h1>Authorize ${escapeHtml(q.get('client_id') ?? '')}</h1>
<p>The GitHub fake: sign in as any login.</p>
<form method="get" action="/login/oauth/authorize">${hidden}
<label for="login">GitHub login</label> <input id="login" name="login" autocapitalize="none" required>
<button>Authorize</button></form>
<form method="get" action="/login/oauth/authorize">${hidden}<input type="hidden" name="deny" value="1"><button>Cancel</button></form></main>`,
  );
};

export const addOAuthRoutes = (router: Router, oauth: FakeOAuth, now: () => Date): void => {
  // The page GitHub shows before redirecting back: `login` (or `oauth.login`) answers at once.
  router.add('GET', '/login/oauth/authorize', (req) => {
    const clientId = req.query.get('client_id') ?? '';
    const redirectUri = req.query.get('redirect_uri') ?? '';
    if (!oauth.knows(clientId)) return htmlPage(404, '<p>No OAuth app with that client_id.</p>');
    if (!/^https?:\/\//.test(redirectUri)) return htmlPage(400, '<p>redirect_uri is missing.</p>');
    const back = new URL(redirectUri);
    const state = req.query.get('state');
    if (state !== null) back.searchParams.set('state', state);
    if (req.query.get('deny') === '1') {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user has denied your application access.');
      return { status: 302, headers: { location: back.toString() } };
    }
    const login = req.query.get('login')?.trim() || oauth.login;
    if (!login) return authorizeForm(req.query);
    const scope = req.query.get('scope') ?? '';
    back.searchParams.set('code', oauth.grant({ clientId, redirectUri, login, scope }, now().getTime()));
    return { status: 302, headers: { location: back.toString() } };
  });

  router.add('POST', '/login/oauth/access_token', (req) => {
    const r = oauth.exchange(
      {
        clientId: field(req, 'client_id') ?? '',
        clientSecret: field(req, 'client_secret') ?? '',
        code: field(req, 'code') ?? '',
        redirectUri: field(req, 'redirect_uri'),
      },
      now().getTime(),
    );
    return 'error' in r
      ? ok({ error: r.error, error_description: r.error.replace(/_/g, ' ') })
      : ok({ access_token: r.token, token_type: 'bearer', scope: r.scope });
  });

  router.add('GET', '/orgs/{org}/teams/{team_slug}/memberships/{username}', (req) => {
    const team = `${req.params.org ?? ''}/${req.params.team_slug ?? ''}`;
    const user = req.params.username ?? '';
    const state = oauth.membership(team, user);
    if (state === undefined) return notFound();
    if (req.actor === 'anonymous') return ghError(401, 'Requires authentication');
    return ok({
      url: `${req.origin}/orgs/${team.replace('/', '/teams/')}/memberships/${user}`,
      role: 'member',
      state,
    });
  });
};
