/** The GitHub side of the web login: where to go and who may sign in. */
export interface WebGithub {
  /** GitHub's web base (`github.url`): /login/oauth/authorize and /login/oauth/access_token. */
  readonly webUrl: string;
  /** The REST API base (`github.api_url`): GET /user, team memberships. */
  readonly apiUrl: string;
  readonly allowedAuthors: readonly string[];
  /** Overrides the configured client secret (the sandbox makes one up for its fake). */
  readonly clientSecret?: string;
}

export type OAuthOutcome =
  | { readonly ok: true; readonly login: string }
  | { readonly ok: false; readonly status: number; readonly message: string; readonly login?: string };

const join = (base: string, path: string): string => `${base.replace(/\/+$/, '')}${path}`;

const fail = (status: number, message: string, login?: string): OAuthOutcome => ({
  ok: false,
  status,
  message,
  ...(login === undefined ? {} : { login }),
});

/** GitHub's authorize URL for this app; `read:org` only when teams are checked. */
export const authorizeUrl = (
  gh: WebGithub,
  p: { clientId: string; redirectUri: string; state: string; teams: readonly string[] },
): string => {
  const u = new URL(join(gh.webUrl, '/login/oauth/authorize'));
  u.searchParams.set('client_id', p.clientId);
  u.searchParams.set('redirect_uri', p.redirectUri);
  u.searchParams.set('state', p.state);
  u.searchParams.set('scope', p.teams.length > 0 ? 'read:org' : '');
  u.searchParams.set('allow_signup', 'false');
  return u.toString();
};

/**
 * Exchanges the callback's code for a token, reads the user and checks that they are in
 * `allowed_authors` or an active member of one of `teams`. The token lives only in this call:
 * it is never returned, stored or logged.
 */
export const githubSignIn = async (p: {
  readonly github: WebGithub;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly teams: readonly string[];
  readonly code: string;
  readonly redirectUri: string;
  readonly signal: AbortSignal;
}): Promise<OAuthOutcome> => {
  const signal = AbortSignal.any([p.signal, AbortSignal.timeout(15_000)]);
  let token: string;
  try {
    const res = await fetch(join(p.github.webUrl, '/login/oauth/access_token'), {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: p.clientId,
        client_secret: p.clientSecret,
        code: p.code,
        redirect_uri: p.redirectUri,
      }),
      signal,
    });
    if (!res.ok) return fail(502, `GitHub did not exchange the sign-in code (HTTP ${res.status}): try again`);
    const body = (await res.json()) as { access_token?: unknown; error?: unknown };
    if (typeof body.error === 'string')
      return fail(401, `GitHub refused the sign-in (${body.error}): start again from the login page`);
    if (typeof body.access_token !== 'string' || body.access_token === '')
      return fail(502, 'GitHub answered the code exchange without a token: try again');
    token = body.access_token;
  } catch (err) {
    return fail(502, `cannot reach GitHub to finish the sign-in: ${(err as Error).message}`);
  }
  const api = (path: string): Promise<Response> =>
    fetch(join(p.github.apiUrl, path), {
      headers: { accept: 'application/vnd.github+json', authorization: `Bearer ${token}` },
      signal,
    });
  try {
    const me = await api('/user');
    if (!me.ok) return fail(502, `GitHub did not say who you are (GET /user: HTTP ${me.status}): try again`);
    const login = ((await me.json()) as { login?: unknown }).login;
    if (typeof login !== 'string' || login === '')
      return fail(502, 'GitHub answered GET /user without a login');
    const lower = login.toLowerCase();
    if (p.github.allowedAuthors.some((a) => a.toLowerCase() === lower)) return { ok: true, login };
    const problems: string[] = [];
    for (const team of p.teams) {
      const [org = '', slug = ''] = team.split('/');
      const res = await api(
        `/orgs/${encodeURIComponent(org)}/teams/${encodeURIComponent(slug)}/memberships/${encodeURIComponent(login)}`,
      );
      if (res.ok && ((await res.json()) as { state?: unknown }).state === 'active')
        return { ok: true, login };
      if (!res.ok && res.status !== 404) problems.push(`${team}: HTTP ${res.status}`);
    }
    const where =
      p.teams.length > 0 ? `allowed_authors or the teams ${p.teams.join(', ')}` : 'allowed_authors';
    const note = problems.length > 0 ? ` (could not check ${problems.join('; ')})` : '';
    return fail(403, `${login} may not sign in here: not in ${where}${note}`, login);
  } catch (err) {
    return fail(502, `cannot reach GitHub to finish the sign-in: ${(err as Error).message}`);
  }
};
