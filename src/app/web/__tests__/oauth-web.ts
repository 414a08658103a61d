import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebConfig } from '../../../adapters/config/web-config.js';
import { createFarmApi, type RbacPolicy } from '../../../core/api/farm-api.js';
import type { StateStore } from '../../../core/ports/state-store.js';
import { startGitHubFake, type GitHubFake } from '../../../sandbox/github-fake/index.js';
import { createHarness } from '../../../testing/engine-harness.js';
import { MemoryLogger } from '../../../testing/memory-logger.js';
import { startHttpServer } from '../../http-server.js';
import { webPlugin } from '../web-app.js';

export const CLIENT_ID = 'Iv1.k3sc-test';
export const CLIENT_SECRET = 'oauth-client-secret-for-tests';

export interface OAuthWeb {
  readonly url: string;
  readonly store: StateStore;
  readonly logger: MemoryLogger;
  /** Another serve over the same store (a restart). */
  restart(): Promise<OAuthWeb>;
  close(): Promise<void>;
}

/**
 * The web plugin over a real facade (memory engine harness) on a real HTTP server, signing in
 * against a started GitHub fake (tokens required, as on GitHub) with one OAuth app.
 */
export const startOAuthWeb = async (
  fake: GitHubFake,
  opts: {
    secret?: string | undefined;
    teams?: readonly string[];
    policy?: RbacPolicy;
    store?: StateStore;
    trustProxy?: boolean | readonly string[];
  } = {},
): Promise<OAuthWeb> => {
  const h = createHarness(opts.store ? { store: opts.store } : {});
  const api = createFarmApi({ deps: h.deps, engine: h.engine, serving: true, runtimeName: 'memory' });
  const dir = await mkdtemp(join(tmpdir(), 'k3sc-oauth-'));
  const secret = 'secret' in opts ? opts.secret : CLIENT_SECRET;
  const config: WebConfig = {
    basePath: '/',
    usersFile: join(dir, 'web-users.json'),
    sessionTtlMs: 3_600_000,
    trustProxy: opts.trustProxy ?? false,
    githubOauth: {
      clientId: CLIENT_ID,
      clientSecretEnv: 'K3SC_GITHUB_OAUTH_SECRET',
      teams: opts.teams ?? ['acme/ops'],
      ...(secret === undefined ? {} : { clientSecret: secret }),
    },
  };
  const logger = new MemoryLogger();
  const abort = new AbortController();
  const web = webPlugin({
    api,
    config,
    policy: opts.policy ?? { admins: [], operators: [], viewers: [], unknown: 'viewer' },
    sandbox: false,
    run: () => Promise.reject(new Error('no commands in these tests')),
    logger,
    records: h.deps.store,
    github: { webUrl: fake.url, apiUrl: fake.url, allowedAuthors: ['alice'] },
    signal: abort.signal,
  });
  const http = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    routes: {},
    logger,
    plugins: [web.plugin],
    trustProxy: web.trustProxy,
  });
  const self: OAuthWeb = {
    url: http.url,
    store: h.deps.store,
    logger,
    restart: async () => {
      await self.close();
      return startOAuthWeb(fake, { ...opts, store: h.deps.store });
    },
    close: async () => {
      abort.abort();
      await http.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return self;
};

export const startFake = async (): Promise<GitHubFake> => {
  const fake = await startGitHubFake({ tokens: { 'bot-token-for-tests': 'k3sc-bot' } });
  fake.addOAuthApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  fake.addTeamMember('acme/ops', 'tess');
  fake.addTeamMember('acme/ops', 'pete', 'pending');
  return fake;
};

const cookieOf = (res: Response, name: string): string | undefined =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((pair) => pair.startsWith(`${name}=`));

export interface Flow {
  /** The browser's k3sc_session cookie after the callback (`name=value`), if one was set. */
  readonly session?: string;
  readonly callback: Response;
  readonly text: string;
  /** The callback URL as the browser followed it, and the state cookie it sent. */
  readonly url: URL;
  readonly stateCookie: string | undefined;
}

/**
 * A browser's round trip: GET /login/github, GitHub's authorize page as `login`, then the
 * callback; `tamper` may change the callback URL or the state cookie on the way.
 */
export const signIn = async (
  web: { readonly url: string },
  login: string,
  tamper: { url?: (u: URL) => void; stateCookie?: (c: string) => string | undefined } = {},
): Promise<Flow> => {
  const start = await fetch(`${web.url}/login/github`, { redirect: 'manual' });
  if (start.status !== 302) throw new Error(`GET /login/github answered ${start.status}`);
  const state = cookieOf(start, 'k3sc_oauth_state') ?? '';
  const authorize = new URL(start.headers.get('location') ?? '');
  authorize.searchParams.set('login', login);
  const back = await fetch(authorize, { redirect: 'manual' });
  const callback = new URL(back.headers.get('location') ?? '');
  tamper.url?.(callback);
  const cookie = tamper.stateCookie ? tamper.stateCookie(state) : state;
  const res = await fetch(callback, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const session = cookieOf(res, 'k3sc_session');
  return {
    callback: res,
    text: await res.text(),
    url: callback,
    stateCookie: cookie,
    ...(session ? { session } : {}),
  };
};
