import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SafeHtml } from './html.js';
import { authorizeUrl, githubSignIn } from './github-oauth.js';
import { messagePage } from './page-login.js';
import { sameToken } from './sessions.js';
import type { WebParts } from './web-app.js';
import { pageContext, sessionOf, setSessionCookie, viewerOf, webRole } from './web-viewer.js';

export const OAUTH_STATE_COOKIE = 'k3sc_oauth_state';
const STATE_TTL_S = 600;

const send = (reply: FastifyReply, page: SafeHtml, status: number): FastifyReply =>
  reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page.text);

/**
 * "Sign in with GitHub" (`web.github_oauth`): GET /login/github sends the browser to GitHub
 * with a random `state` that is also in a short-lived cookie; GET /login/github/callback checks
 * it, exchanges the code, checks who it is (allowed_authors or a team) and only then creates a
 * session. Failures count against the login limiter like wrong passwords.
 */
export const oauthRoutes = (app: FastifyInstance, p: WebParts): void => {
  const cfg = p.options.config.githubOauth;
  if (!cfg) return;
  const { deps } = p;
  const gh = p.options.github;
  const secret = gh.clientSecret ?? cfg.clientSecret;
  const cookiePath = `${deps.base}/login/github`;
  const callback = (req: FastifyRequest): string => `${req.protocol}://${req.host}${cookiePath}/callback`;
  const page = async (req: FastifyRequest, reply: FastifyReply, status: number, message: string) => {
    const s = sessionOf(deps, req, reply);
    const ctx = pageContext(deps, s, await viewerOf(deps, req, s));
    return send(reply, messagePage(ctx, 'Not signed in', message, `${deps.base}/login`, 'error'), status);
  };

  app.get('/login/github', async (req, reply) => {
    if (secret === undefined)
      return page(
        req,
        reply,
        503,
        `GitHub sign-in is not set up: set ${cfg.clientSecretEnv} (or web.github_oauth.client_secret_file) on the server`,
      );
    const state = randomBytes(24).toString('base64url');
    void reply.setCookie(OAUTH_STATE_COOKIE, state, {
      path: cookiePath,
      httpOnly: true,
      sameSite: 'lax', // sent on the top-level redirect back from GitHub
      secure: 'auto',
      maxAge: STATE_TTL_S,
    });
    const to = authorizeUrl(gh, {
      clientId: cfg.clientId,
      redirectUri: callback(req),
      state,
      teams: cfg.teams,
    });
    return reply.header('cache-control', 'no-store').redirect(to, 302);
  });

  app.get(
    '/login/github/callback',
    { config: { rateLimit: { max: 30, timeWindow: 60_000 } } },
    async (req, reply) => {
      const q = req.query as Record<string, unknown>;
      const text = (k: string): string => (typeof q[k] === 'string' ? q[k] : '');
      const expected = req.cookies[OAUTH_STATE_COOKIE];
      void reply.clearCookie(OAUTH_STATE_COOKIE, { path: cookiePath });
      const anyone = `github-state:${req.ip}`;
      const wait = p.limiter.retryAfter(anyone, req.ip);
      if (wait > 0)
        return page(
          req,
          reply,
          429,
          `too many failed logins: try again in ${Math.ceil(wait / 60_000)} minute(s)`,
        );
      if (secret === undefined)
        return page(req, reply, 503, `GitHub sign-in is not set up: set ${cfg.clientSecretEnv}`);
      if (!sameToken(text('state') || undefined, expected)) {
        p.limiter.fail(anyone, req.ip);
        return page(
          req,
          reply,
          400,
          'the GitHub sign-in could not be verified (its state does not match this browser, or it took over 10 minutes): start again',
        );
      }
      if (text('error') !== '')
        return page(
          req,
          reply,
          403,
          `GitHub did not sign you in (${text('error')}): start again if you meant to`,
        );
      if (text('code') === '') return page(req, reply, 400, 'GitHub sent no sign-in code: start again');
      const out = await githubSignIn({
        github: gh,
        clientId: cfg.clientId,
        clientSecret: secret,
        teams: cfg.teams,
        code: text('code'),
        redirectUri: callback(req),
        signal: p.options.signal,
      });
      const login = out.login;
      const userWait = login === undefined ? 0 : p.limiter.retryAfter(`github:${login}`, req.ip);
      if (userWait > 0)
        return page(
          req,
          reply,
          429,
          `too many failed logins: try again in ${Math.ceil(userWait / 60_000)} minute(s)`,
        );
      if (!out.ok) {
        p.limiter.fail(login === undefined ? anyone : `github:${login}`, req.ip);
        if (out.status >= 500)
          p.options.logger.warn({ status: out.status, reason: out.message }, 'web: GitHub sign-in failed');
        return page(req, reply, out.status, out.message);
      }
      if (!webRole(deps.policy, out.login, undefined))
        return page(req, reply, 403, `${out.login} has no role in rbac: ask an admin`);
      p.limiter.succeed(`github:${out.login}`);
      const s = sessionOf(deps, req, reply);
      const next = await deps.sessions.login(s, { name: out.login, via: 'github' });
      setSessionCookie(deps, reply, next);
      return reply.redirect(`${deps.base}/`, 303);
    },
  );
};
