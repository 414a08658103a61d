import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { FarmApi, Logger, PlatformIdentity, RbacPolicy, Role } from '../../core/api/farm-api.js';
import type { Outbound } from '../../bot/transport.js';
import type { WebConfig } from '../../adapters/config/web-config.js';
import type { HttpPlugin } from '../http-server.js';
import { DashboardFeed, type FeedClock } from './dashboard-feed.js';
import type { DashboardSignal } from './dashboard-signal.js';
import { LogHub } from './log-hub.js';
import { dashboardFragment } from './page-dashboard.js';
import { sessionsFragment } from './page-sessions.js';
import { auditSessionRoutes, sessionsProblem } from './web-audit-sessions-routes.js';
import { SessionStore, type SessionRecords } from './sessions.js';
import { LoginLimiter } from './login-limiter.js';
import { authRoutes } from './web-auth-routes.js';
import type { WebGithub } from './github-oauth.js';
import { oauthRoutes } from './web-oauth-routes.js';
import { pageRoutes } from './web-page-routes.js';
import { SESSION_COOKIE, type ViewerDeps } from './web-viewer.js';
import { configRoutes } from './web-config-routes.js';
import { followRoute } from './web-follow-route.js';
import type { ConfigChoices } from './config-form.js';

/** Runs one command line as a web user through the shared router (table, roles, audit). */
export type WebRun = (
  text: string,
  who: PlatformIdentity,
  fileRole: Role | undefined,
  signal: AbortSignal,
) => Promise<Outbound[]>;

export interface WebOptions {
  readonly api: FarmApi;
  readonly config: WebConfig;
  readonly policy: RbacPolicy;
  /** The GitHub fake of the sandbox is in use: localhost may look read-only when nobody can log in. */
  readonly sandbox: boolean;
  readonly run: WebRun;
  readonly logger: Logger;
  /** Where logged-in sessions are kept (the state store's records); memory only without it. */
  readonly records?: SessionRecords;
  /** For OAuth: GitHub's web and API base URLs, and who may log in. */
  readonly github: WebGithub;
  /** The configured repositories and families: the config form's choices and checks. */
  readonly configChoices?: ConfigChoices;
  readonly now?: () => number;
  readonly heartbeatMs?: number;
  /** Engine events and commands: the dashboard renders when one of them says something changed. */
  readonly changes?: DashboardSignal;
  /** The dashboard feed's time (tests); real timers by default. */
  readonly feedClock?: FeedClock;
  readonly signal: AbortSignal;
}

export interface WebParts {
  readonly deps: ViewerDeps;
  readonly feed: DashboardFeed;
  /** `/sessions`' live part: no event source (files and processes), so a render every 10 s while watched. */
  readonly sessionsFeed: DashboardFeed;
  readonly logs: LogHub;
  readonly limiter: LoginLimiter;
  readonly options: WebOptions;
}

const here = dirname(fileURLToPath(import.meta.url));
/** `web/static` at the repository root, from src/app/web or dist/app/web alike. */
export const STATIC_DIR = join(here, '..', '..', '..', 'web', 'static');
const HTMX_DIR = dirname(createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js'));

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** The dashboard's pages, actions, login and event stream, mounted under `web.base_path`. */
export const webPlugin = (
  o: WebOptions,
): { plugin: HttpPlugin; parts: WebParts; trustProxy: boolean | readonly string[] } => {
  const now = o.now ?? (() => Date.now());
  const base = o.config.basePath === '/' ? '' : o.config.basePath;
  const deps: ViewerDeps = {
    sessions: new SessionStore(o.config.sessionTtlMs, now, o.records, (err) =>
      o.logger.warn({ err }, 'web: session store failed'),
    ),
    policy: o.policy,
    usersFile: o.config.usersFile,
    sandbox: o.sandbox,
    oauth: o.config.githubOauth !== undefined,
    base,
    ttlMs: o.config.sessionTtlMs,
  };
  const feed = new DashboardFeed(
    async () => dashboardFragment(await o.api.dashboard({ signal: o.signal }), base, '').text,
    {
      onError: (err) => o.logger.warn({ err }, 'web: dashboard render failed'),
      ...(o.feedClock ? { clock: o.feedClock } : {}),
    },
  );
  const offChanges = o.changes?.connect(() => feed.changed());
  if (offChanges) o.signal.addEventListener('abort', offChanges, { once: true });
  const logs = new LogHub(
    async (issue, attempt, signal) => (await o.api.followLogs(issue, { attempt }, { signal })).lines,
  );
  const sessionsFeed = new DashboardFeed(
    async () => {
      try {
        return sessionsFragment(await o.api.sessions({ signal: o.signal })).text;
      } catch (err) {
        return sessionsProblem(err).text;
      }
    },
    { safetyMs: 10_000, ...(o.feedClock ? { clock: o.feedClock } : {}) },
  );
  const parts: WebParts = { deps, feed, sessionsFeed, logs, limiter: new LoginLimiter(now), options: o };
  const plugin: HttpPlugin = async (app: FastifyInstance) => {
    await deps.sessions.prune(); // expired logins left by an earlier serve
    await app.register(
      async (scope) => {
        await scope.register(fastifyCookie);
        await scope.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
        await scope.register(fastifyRateLimit, { global: false });
        // A session the memory does not know (a restart, another replica) comes from the store.
        scope.addHook('preHandler', async (req) => deps.sessions.load(req.cookies[SESSION_COOKIE]));
        scope.addHook('onSend', async (_req, reply, payload) => {
          void reply.headers(SECURITY_HEADERS);
          return payload;
        });
        await scope.register(fastifyStatic, {
          root: [STATIC_DIR, HTMX_DIR],
          prefix: '/static/',
          decorateReply: false,
          maxAge: 3_600_000,
          allowedPath: (path) =>
            ['/web.css', '/web.js', '/htmx.min.js', '/configs.css', '/issue-follow.js'].includes(path),
        });
        authRoutes(scope, parts);
        oauthRoutes(scope, parts);
        pageRoutes(scope, parts);
        configRoutes(scope, parts);
        auditSessionRoutes(scope, parts);
        followRoute(scope, parts);
      },
      { prefix: base },
    );
  };
  return { plugin, parts, trustProxy: o.config.trustProxy };
};
