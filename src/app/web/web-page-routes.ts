import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { K3scError } from '../../core/errors.js';
import { issueKey } from '../../core/model/refs.js';
import { renderText } from '../../bot/render/text.js';
import type { Outbound } from '../../bot/transport.js';
import { openEventStream, type Watched } from './event-stream.js';
import type { SafeHtml } from './html.js';
import { confirmPage, messagePage } from './page-login.js';
import { dashboardPage } from './page-dashboard.js';
import { issuePage } from './page-issue.js';
import { usagePage } from './page-usage.js';
import { parseCursor } from './sse-cursor.js';
import { parseAction, safeBack } from './web-actions.js';
import type { WebParts } from './web-app.js';
import { pageContext, sessionOf, viewerOf, type Viewer } from './web-viewer.js';
import { sameToken, type Session } from './sessions.js';
import type { PageContext } from './layout.js';

const ATTEMPT = /^[A-Za-z0-9._-]{1,200}$/;
const ISSUE = /^(?:[A-Za-z0-9_.-]{1,100}\/)?[A-Za-z0-9_.-]{1,100}#\d{1,9}$/;

export const send = (reply: FastifyReply, page: SafeHtml, status = 200): FastifyReply =>
  reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page.text);

/** Why a query failed, for the page (a K3scError's message is safe to show). */
export const problem = (err: unknown): { status: number; message: string } =>
  err instanceof K3scError
    ? { status: err.code === 'not_found' ? 404 : err.code === 'forbidden' ? 403 : 400, message: err.message }
    : { status: 500, message: 'internal error (see the k3sc log)' };

/** What the router answered, as text, and the HTTP status that goes with it. */
export const outcome = (out: readonly Outbound[]): { status: number; text: string } => {
  const first = out[0];
  if (!first) return { status: 500, text: 'the command gave no answer' };
  if (first.kind === 'text') return { status: 400, text: first.text };
  const data = first.reply.data as { error?: { code?: string } } | undefined;
  const code = data?.error?.code;
  const status = code === undefined ? 200 : code === 'forbidden' ? 403 : code === 'internal' ? 500 : 400;
  return { status, text: renderText(first.reply) };
};

export const pageRoutes = (app: FastifyInstance, p: WebParts): void => {
  const { deps, options: o } = p;
  /** Session, viewer and page context, or a redirect to the login page. */
  const guard = async (
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ s: Session; v: Viewer; ctx: PageContext } | undefined> => {
    const s = sessionOf(deps, req, reply);
    const v = await viewerOf(deps, req, s);
    if (v.kind === 'none') {
      void reply.redirect(`${deps.base}/login`, 303);
      return undefined;
    }
    return { s, v, ctx: pageContext(deps, s, v) };
  };
  const call = { signal: o.signal };

  app.get('/', async (req, reply) => {
    const g = await guard(req, reply);
    if (!g) return reply;
    const d = await o.api.dashboard(call);
    return send(reply, dashboardPage(g.ctx, d, `${deps.base}/events?dash=1&at=0`));
  });

  app.get('/issue', async (req, reply) => {
    const g = await guard(req, reply);
    if (!g) return reply;
    const ref = (req.query as { ref?: unknown }).ref;
    const back = `${deps.base}/`;
    if (typeof ref !== 'string' || !ISSUE.test(ref))
      return send(
        reply,
        messagePage(g.ctx, 'No such issue', 'give an issue like owner/repo#12', back, 'error'),
        400,
      );
    try {
      const s = await o.api.issueStatus(ref, call);
      const latest = s.attempts[s.attempts.length - 1];
      const key = issueKey(s.ref);
      const watched = latest && {
        attempt: latest.name,
        events: `${deps.base}/events?watch=${encodeURIComponent(`${key} ${latest.name}`)}&at=0.0`,
      };
      return send(reply, issuePage(g.ctx, s, watched));
    } catch (err) {
      const { status, message } = problem(err);
      return send(reply, messagePage(g.ctx, 'Cannot show this issue', message, back, 'error'), status);
    }
  });

  app.get('/log', async (req, reply) => {
    const g = await guard(req, reply);
    if (!g) return reply;
    const ref = (req.query as { ref?: unknown }).ref;
    if (typeof ref !== 'string' || !ISSUE.test(ref)) return reply.code(400).send({ error: 'bad issue' });
    try {
      const log = await o.api.logs(ref, {}, call);
      return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(log.log);
    } catch (err) {
      const { status, message } = problem(err);
      return reply.code(status).type('text/plain; charset=utf-8').send(message);
    }
  });

  app.get('/usage', async (req, reply) => {
    const g = await guard(req, reply);
    if (!g) return reply;
    return send(reply, usagePage(g.ctx, await o.api.usage(call)));
  });

  app.get('/events', async (req, reply) => {
    const s = deps.sessions.get(req.cookies['k3sc_session']);
    const v = s
      ? await viewerOf(deps, req, s)
      : await viewerOf(deps, req, { id: '', csrf: '', expiresAt: 0 });
    if (v.kind === 'none') return reply.code(401).send({ error: 'log in first' });
    const q = req.query as { watch?: unknown; dash?: unknown; sessions?: unknown; at?: unknown };
    const list = (Array.isArray(q.watch) ? q.watch : q.watch === undefined ? [] : [q.watch]) as unknown[];
    const watch: Watched[] = [];
    for (const w of list.slice(0, 4)) {
      const [issue = '', attempt = ''] = typeof w === 'string' ? w.split(' ') : [];
      if (!ISSUE.test(issue) || !ATTEMPT.test(attempt)) return reply.code(400).send({ error: 'bad watch' });
      watch.push({ issue, attempt });
    }
    const last = req.headers['last-event-id'];
    const cursor = parseCursor(typeof last === 'string' ? last : undefined, watch.length) ??
      parseCursor(typeof q.at === 'string' ? q.at : undefined, watch.length) ?? {
        dash: 0,
        logs: watch.map(() => 0),
      };
    reply.hijack();
    openEventStream({
      req: req.raw,
      res: reply.raw,
      watch,
      cursor,
      logs: p.logs,
      // The page's one shared fragment: the farm, or (on /sessions) the local sessions.
      ...(q.dash === '1' ? { dashboard: p.feed } : q.sessions === '1' ? { dashboard: p.sessionsFeed } : {}),
      ...(o.heartbeatMs ? { heartbeatMs: o.heartbeatMs } : {}),
    });
    return reply;
  });

  app.post('/action', async (req, reply) => {
    const s = sessionOf(deps, req, reply);
    const v = await viewerOf(deps, req, s);
    const ctx = pageContext(deps, s, v);
    const form = (req.body ?? {}) as Record<string, unknown>;
    const back = safeBack(deps.base, form['back']);
    if (!sameToken(typeof form['_csrf'] === 'string' ? form['_csrf'] : undefined, s.csrf))
      return send(
        reply,
        messagePage(
          ctx,
          'Not done',
          'the form is out of date (CSRF check failed): reload the page and try again',
          back,
          'error',
        ),
        403,
      );
    if (v.kind !== 'user')
      return send(
        reply,
        messagePage(ctx, 'Not done', 'log in to change anything (this page is read-only)', back, 'error'),
        401,
      );
    const parsed = parseAction(form);
    if (!parsed.ok) return send(reply, messagePage(ctx, 'Not done', parsed.error, back, 'error'), 400);
    if ('confirm' in parsed) return send(reply, confirmPage(ctx, parsed.fields, parsed.confirm, back));
    const { status, text } = outcome(await o.run(parsed.command, v.who, v.fileRole, o.signal));
    return send(
      reply,
      messagePage(ctx, status === 200 ? 'Done' : 'Not done', text, back, status === 200 ? 'ok' : 'error'),
      status,
    );
  });
};
