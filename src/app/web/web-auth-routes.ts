import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SafeHtml } from './html.js';
import { loginPage, messagePage } from './page-login.js';
import { sameToken } from './sessions.js';
import { readUsers, verifyPassword } from './users-file.js';
import type { WebParts } from './web-app.js';
import { pageContext, SESSION_COOKIE, sessionOf, setSessionCookie, viewerOf, webRole } from './web-viewer.js';

const send = (reply: FastifyReply, page: SafeHtml, status = 200): FastifyReply =>
  reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page.text);

/** Login with a local user (scrypt hash in `web.users_file`), logout. Failed logins are limited. */
export const authRoutes = (app: FastifyInstance, p: WebParts): void => {
  const { deps } = p;
  const github = p.options.config.githubOauth !== undefined;

  app.get('/login', async (req, reply) => {
    const s = sessionOf(deps, req, reply);
    const v = await viewerOf(deps, req, s);
    const noUsers = (await readUsers(deps.usersFile)).length === 0;
    return send(reply, loginPage(pageContext(deps, s, v), { github, noUsers }));
  });

  app.post('/login', { config: { rateLimit: { max: 30, timeWindow: 60_000 } } }, async (req, reply) => {
    const s = sessionOf(deps, req, reply);
    const v = await viewerOf(deps, req, s);
    const ctx = pageContext(deps, s, v);
    const form = (req.body ?? {}) as Record<string, unknown>;
    const name = typeof form['name'] === 'string' ? form['name'].trim() : '';
    const password = typeof form['password'] === 'string' ? form['password'] : '';
    const noUsers = (await readUsers(deps.usersFile)).length === 0;
    const again = (error: string, status: number): FastifyReply =>
      send(reply, loginPage(ctx, { error, name, github, noUsers }), status);
    if (!sameToken(typeof form['_csrf'] === 'string' ? form['_csrf'] : undefined, s.csrf))
      return again('the form is out of date (CSRF check failed): try again', 403);
    if (name === '' || password === '') return again('give your user name and password', 400);
    const wait = p.limiter.retryAfter(name, req.ip);
    if (wait > 0)
      return again(`too many failed logins: try again in ${Math.ceil(wait / 60_000)} minute(s)`, 429);
    const user = (await readUsers(deps.usersFile)).find((u) => u.name === name);
    const ok = await verifyPassword(password, user?.hash);
    if (!ok || !user) {
      p.limiter.fail(name, req.ip);
      return again('wrong user name or password', 401);
    }
    if (!webRole(deps.policy, user.name, user.role))
      return again(`${user.name} has no role in rbac: ask an admin`, 403);
    p.limiter.succeed(name);
    const next = await deps.sessions.login(s, {
      name: user.name,
      via: 'local',
      ...(user.role ? { role: user.role } : {}),
    });
    setSessionCookie(deps, reply, next);
    return reply.redirect(`${deps.base}/`, 303);
  });

  app.post('/logout', async (req, reply) => {
    const s = sessionOf(deps, req, reply);
    const form = (req.body ?? {}) as Record<string, unknown>;
    if (!sameToken(typeof form['_csrf'] === 'string' ? form['_csrf'] : undefined, s.csrf)) {
      const v = await viewerOf(deps, req, s);
      return send(
        reply,
        messagePage(
          pageContext(deps, s, v),
          'Not done',
          'the form is out of date: reload and try again',
          `${deps.base}/`,
          'error',
        ),
        403,
      );
    }
    await deps.sessions.end(s.id);
    void reply.clearCookie(SESSION_COOKIE, { path: deps.base === '' ? '/' : deps.base });
    return reply.redirect(`${deps.base}/login`, 303);
  });
};
