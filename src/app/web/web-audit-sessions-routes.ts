import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sinceArg, sinceDate } from '../../bot/commands/audit-command.js';
import { K3scError } from '../../core/errors.js';
import type { SafeHtml } from './html.js';
import { html } from './html.js';
import type { PageContext } from './layout.js';
import { AUDIT_PAGE_SIZE, auditPage } from './page-audit.js';
import { messagePage } from './page-login.js';
import { sessionsFragment, sessionsPage } from './page-sessions.js';
import type { WebParts } from './web-app.js';
import { pageContext, sessionOf, viewerOf, type Viewer } from './web-viewer.js';

/** What `/audit` shows when no `since` is given. */
export const AUDIT_DEFAULT_SINCE = '7d';

const send = (reply: FastifyReply, page: SafeHtml, status = 200): FastifyReply =>
  reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page.text);

/** The sessions fragment when the report cannot be made (shown in place of the data). */
export const sessionsProblem = (err: unknown): SafeHtml =>
  html`<section class="card">
    <p class="error" role="alert">
      ${err instanceof K3scError ? err.message : 'the sessions could not be read (see the k3sc log)'}
    </p>
  </section>`;

const one = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `/audit` (admins) and `/sessions` (everyone who may look). */
export const auditSessionRoutes = (app: FastifyInstance, p: WebParts): void => {
  const { deps, options: o } = p;
  const guard = async (
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ v: Viewer; ctx: PageContext } | undefined> => {
    const s = sessionOf(deps, req, reply);
    const v = await viewerOf(deps, req, s);
    if (v.kind === 'none') {
      void reply.redirect(`${deps.base}/login`, 303);
      return undefined;
    }
    return { v, ctx: pageContext(deps, s, v) };
  };

  app.get('/audit', async (req, reply) => {
    const g = await guard(req, reply);
    if (!g) return reply;
    const back = `${deps.base}/`;
    if (g.v.kind !== 'user' || g.v.role !== 'admin') {
      const you = g.v.kind === 'user' ? `you are ${g.v.role}` : 'you are not logged in (read-only)';
      return send(
        reply,
        messagePage(g.ctx, 'Not allowed', `the audit log needs the admin role; ${you}`, back, 'error'),
        403,
      );
    }
    const q = req.query as { since?: unknown; page?: unknown };
    const since = (one(q.since) ?? AUDIT_DEFAULT_SINCE).trim() || AUDIT_DEFAULT_SINCE;
    const retry = `${deps.base}/audit`;
    if (!sinceArg.safeParse(since).success)
      return send(
        reply,
        messagePage(
          g.ctx,
          'Cannot show the audit log',
          `since takes a duration like 30m, 24h, 7d or a time like 2026-12-01T10:00Z (got "${since.slice(0, 60)}")`,
          retry,
          'error',
        ),
        400,
      );
    const pageText = one(q.page) ?? '1';
    const page = /^\d{1,6}$/.test(pageText) ? Number(pageText) : 0;
    if (page < 1)
      return send(
        reply,
        messagePage(g.ctx, 'Cannot show the audit log', 'page takes a whole number from 1', retry, 'error'),
        400,
      );
    const sinceAt = sinceDate(since, o.api.now());
    const all = (await o.api.auditLog({ since: sinceAt }, { signal: o.signal })).reverse();
    const entries = all.slice((page - 1) * AUDIT_PAGE_SIZE, page * AUDIT_PAGE_SIZE);
    return send(
      reply,
      auditPage(g.ctx, { entries, since, sinceAt: sinceAt.toISOString(), page, total: all.length }),
    );
  });

  app.get('/sessions', async (req, reply) => {
    const g = await guard(req, reply);
    if (!g) return reply;
    let body: SafeHtml;
    try {
      body = sessionsFragment(await o.api.sessions({ signal: o.signal }));
    } catch (err) {
      body = sessionsProblem(err);
    }
    return send(reply, sessionsPage(g.ctx, body, `${deps.base}/events?sessions=1&at=0`));
  });
};
