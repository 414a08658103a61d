import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AgentConfig, FiledIssue } from '../../core/api/farm-api.js';
import { allows } from '../../core/domain/roles.js';
import { CONFIG_NAME } from '../../core/domain/launch-marker.js';
import { K3scError } from '../../core/errors.js';
import type { Outbound } from '../../bot/transport.js';
import {
  checkConfigForm,
  emptyForm,
  formOf,
  launchCommand,
  quote,
  readConfigForm,
  saveCommand,
  type ConfigFormValues,
  type FieldErrors,
} from './config-form.js';
import type { PageContext } from './layout.js';
import { messagePage } from './page-login.js';
import { newConfigPage } from './page-config-form.js';
import { configPage, configsPage, deleteConfigPage, type ShowOptions } from './page-configs.js';
import { sameToken } from './sessions.js';
import type { WebParts } from './web-app.js';
import { outcome, send } from './web-page-routes.js';
import { pageContext, sessionOf, viewerOf, type Viewer } from './web-viewer.js';

type User = Extract<Viewer, { kind: 'user' }>;

const canEdit = (v: Viewer): boolean => v.kind === 'user' && allows(v.role, 'operator');

/** The reply's data when the router ran the command and it succeeded. */
const dataOf = <T>(out: readonly Outbound[]): T | undefined => {
  const first = out[0];
  return first?.kind === 'reply' ? (first.reply.data as T) : undefined;
};

/**
 * Saved configs on the page: list, new, show + edit, clone (a prefilled new form), delete (with
 * a confirmation) and launch. Reads go through the facade; every change is a command line run
 * by the shared router (`configs save|delete`, `launch`): its role rules and its audit entry.
 */
export const configRoutes = (app: FastifyInstance, p: WebParts): void => {
  const { deps, options: o } = p;
  const call = { signal: o.signal };
  const choices = o.configChoices;
  const list = `${deps.base}/configs`;
  const at = (name: string, rest = ''): string => `${list}/${encodeURIComponent(name)}${rest}`;

  const view = async (req: FastifyRequest, reply: FastifyReply) => {
    const s = sessionOf(deps, req, reply);
    const v = await viewerOf(deps, req, s);
    return { s, v, ctx: pageContext(deps, s, v) };
  };
  const guard = async (req: FastifyRequest, reply: FastifyReply) => {
    const g = await view(req, reply);
    if (g.v.kind !== 'none') return g;
    void reply.redirect(`${deps.base}/login`, 303);
    return undefined;
  };
  /** A POST: the CSRF token, then a logged-in user; otherwise the refusal is sent. */
  const poster = async (
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ v: User; ctx: PageContext; form: Record<string, unknown> } | undefined> => {
    const { s, v, ctx } = await view(req, reply);
    const form = (req.body ?? {}) as Record<string, unknown>;
    const token = typeof form['_csrf'] === 'string' ? form['_csrf'] : undefined;
    if (!sameToken(token, s.csrf)) {
      void send(
        reply,
        messagePage(
          ctx,
          'Not done',
          'the form is out of date (CSRF check failed): reload the page and try again',
          list,
          'error',
        ),
        403,
      );
      return undefined;
    }
    if (v.kind !== 'user') {
      void send(
        reply,
        messagePage(ctx, 'Not done', 'log in to change anything (this page is read-only)', list, 'error'),
        401,
      );
      return undefined;
    }
    return { v, ctx, form };
  };
  const run = (command: string, v: User) => o.run(command, v.who, v.fileRole, o.signal);
  /** A viewer's change: the router refuses it (and audits the refusal); nothing is saved. */
  const refuse = async (reply: FastifyReply, ctx: PageContext, command: string, v: User, back: string) => {
    const { status, text } = outcome(await run(command, v));
    return send(reply, messagePage(ctx, 'Not done', text, back, 'error'), status === 200 ? 403 : status);
  };
  const find = async (name: string): Promise<AgentConfig | undefined> => {
    if (!CONFIG_NAME.test(name)) return undefined;
    try {
      return await o.api.getConfig(name, call);
    } catch (err) {
      if (err instanceof K3scError && err.code === 'not_found') return undefined;
      throw err;
    }
  };
  const missing = (reply: FastifyReply, ctx: PageContext, name: string) =>
    send(reply, messagePage(ctx, 'No such config', `no saved config named ${name}`, list, 'error'), 404);
  const showPage = (ctx: PageContext, v: Viewer, c: AgentConfig, more: Partial<ShowOptions> = {}) =>
    configPage(ctx, c, formOf(c), {
      canEdit: canEdit(v),
      ...(choices ? { choices } : {}),
      ...more,
    });
  const refusedForm = (errors: FieldErrors, general?: string) => ({
    errors,
    ...(general ? { general } : {}),
    ...(choices ? { choices } : {}),
  });

  app.get('/configs', async (req, reply) => {
    const g = await guard(req, reply);
    if (!g) return reply;
    const deleted = (req.query as { deleted?: unknown }).deleted;
    const configs = await o.api.listConfigs(call);
    return send(
      reply,
      configsPage(g.ctx, configs, {
        canEdit: canEdit(g.v),
        ...(typeof deleted === 'string' && CONFIG_NAME.test(deleted)
          ? { notice: `Deleted config ${deleted}.` }
          : {}),
      }),
    );
  });

  app.get('/configs/new', async (req, reply) => {
    const g = await guard(req, reply);
    if (!g) return reply;
    if (!canEdit(g.v))
      return send(
        reply,
        messagePage(g.ctx, 'Read-only', 'saving a config needs the operator role', list, 'error'),
        403,
      );
    const from = (req.query as { from?: unknown }).from;
    if (typeof from !== 'string')
      return send(reply, newConfigPage(g.ctx, { values: emptyForm, ...refusedForm({}) }));
    const source = await find(from);
    if (!source) return missing(reply, g.ctx, from);
    const copy = `${source.name}-copy`.slice(0, 63);
    return send(
      reply,
      newConfigPage(g.ctx, {
        values: { ...formOf(source), name: copy },
        cloneOf: source.name,
        ...refusedForm({}),
      }),
    );
  });

  app.post('/configs/new', async (req, reply) => {
    const g = await poster(req, reply);
    if (!g) return reply;
    const values = readConfigForm(g.form);
    if (!canEdit(g.v)) return refuse(reply, g.ctx, saveCommand(values), g.v, list);
    const errors = checkConfigForm(values, { creating: true, ...(choices ? { choices } : {}) });
    if (!errors.name && (await find(values.name)))
      errors.name = `${values.name} exists already: edit it on its page, or pick another name`;
    const form = (e: FieldErrors, general?: string, status = 400) =>
      send(reply, newConfigPage(g.ctx, { values, ...refusedForm(e, general) }), status);
    if (Object.keys(errors).length) return form(errors);
    const { status, text } = outcome(await run(saveCommand(values), g.v));
    if (status !== 200) return form({}, text, status);
    return reply.redirect(`${at(values.name)}?saved=1`, 303);
  });

  app.get('/configs/:name', async (req, reply) => {
    const g = await guard(req, reply);
    if (!g) return reply;
    const { name } = req.params as { name: string };
    const c = await find(name);
    if (!c) return missing(reply, g.ctx, name);
    const saved = (req.query as { saved?: unknown }).saved === '1';
    return send(reply, showPage(g.ctx, g.v, c, saved ? { notice: `Saved config ${c.name}.` } : {}));
  });

  app.post('/configs/:name', async (req, reply) => {
    const g = await poster(req, reply);
    if (!g) return reply;
    const { name } = req.params as { name: string };
    const values: ConfigFormValues = { ...readConfigForm(g.form), name };
    if (!canEdit(g.v)) return refuse(reply, g.ctx, saveCommand(values), g.v, at(name));
    const c = await find(name);
    if (!c) return missing(reply, g.ctx, name);
    const errors = checkConfigForm(values, { creating: false, ...(choices ? { choices } : {}) });
    const form = (e: FieldErrors, general?: string, status = 400) =>
      send(reply, showPage(g.ctx, g.v, c, { form: { values, ...refusedForm(e, general) } }), status);
    if (Object.keys(errors).length) return form(errors);
    const { status, text } = outcome(await run(saveCommand(values), g.v));
    if (status !== 200) return form({}, text, status);
    return reply.redirect(`${at(name)}?saved=1`, 303);
  });

  app.post('/configs/:name/delete', async (req, reply) => {
    const g = await poster(req, reply);
    if (!g) return reply;
    const { name } = req.params as { name: string };
    if (!CONFIG_NAME.test(name)) return missing(reply, g.ctx, name);
    if (g.form['confirm'] !== 'yes') return send(reply, deleteConfigPage(g.ctx, name));
    const { status, text } = outcome(await run(`configs delete ${quote(name)}`, g.v));
    if (status !== 200) return send(reply, messagePage(g.ctx, 'Not done', text, at(name), 'error'), status);
    return reply.redirect(`${list}?deleted=${encodeURIComponent(name)}`, 303);
  });

  app.post('/configs/:name/launch', async (req, reply) => {
    const g = await poster(req, reply);
    if (!g) return reply;
    const { name } = req.params as { name: string };
    const c = await find(name);
    if (!c) return missing(reply, g.ctx, name);
    const title = typeof g.form['title'] === 'string' ? g.form['title'] : '';
    const cmd = launchCommand(name, g.form);
    const again = (error: string, status: number) =>
      canEdit(g.v)
        ? send(reply, showPage(g.ctx, g.v, c, { launchError: error, launchTitle: title }), status)
        : send(reply, messagePage(g.ctx, 'Not done', error, at(name), 'error'), status);
    if (!cmd.ok) return again(cmd.error, 400);
    const out = await run(cmd.command, g.v);
    const { status, text } = outcome(out);
    if (status !== 200) return again(text, status);
    const filed = dataOf<FiledIssue>(out);
    if (!filed?.issue) return again('the launch gave no issue', 500);
    const issuePage = `${deps.base}/issue?ref=${encodeURIComponent(filed.issue)}`;
    if (filed.warnings.length === 0) return reply.redirect(issuePage, 303);
    return send(reply, messagePage(g.ctx, `Launched ${filed.issue}`, text, issuePage, 'ok'));
  });
};
