import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeAppAuth } from './app-auth.js';
import type { FakeOAuth } from './routes-oauth.js';
import type { Counters } from './counters.js';
import { faultResponse, type FaultInjector } from './faults.js';
import { ghError, type FakeRequest, type FakeResponse, type RouteContext } from './http-types.js';
import { etagMatches, parseJsonBody, readBody, resolveActor } from './request-context.js';
import type { Router } from './router.js';

export interface ServerDeps {
  readonly router: Router;
  readonly counters: Counters;
  readonly faults: FaultInjector;
  readonly ctx: RouteContext;
  readonly tokens: Readonly<Record<string, string>> | undefined;
  readonly apps: FakeAppAuth;
  readonly oauth: FakeOAuth;
  readonly origin: () => string;
  readonly now: () => Date;
}

const FREE_ROUTES = new Set(['GET /rate_limit']);

let requestSeq = 0;

/** What `answer` returns for a hang fault: the listener then never responds. */
const HANG = Symbol('hang');

/** Runs one request through auth, body parsing, rate limit, faults and the route. */
const answer = async (
  deps: ServerDeps,
  req: IncomingMessage,
  routeKey: string,
): Promise<FakeResponse | typeof HANG> => {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://fake.invalid');
  // The OAuth web flow is for browsers and apps without a token; OAuth user tokens act as the user.
  const auth = url.pathname.startsWith('/login/oauth/')
    ? ({ ok: true, actor: 'anonymous' } as const)
    : url.pathname.startsWith('/app/')
      ? deps.apps.appActor(req.headers.authorization)
      : resolveActor(
          req.headers.authorization,
          deps.tokens,
          (t) => deps.apps.tokenLogin(t) ?? deps.oauth.tokenLogin(t),
        );
  if (!auth.ok) return auth.error;
  const raw = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
  const body = parseJsonBody(raw);
  if (!body.ok) return body.error;
  const nowSeconds = Math.floor(deps.now().getTime() / 1000);
  if (deps.counters.exhausted() && !FREE_ROUTES.has(routeKey)) {
    return faultResponse(
      { status: 403, times: 1, retryAfterSeconds: deps.counters.rateLimit().reset - nowSeconds },
      nowSeconds,
    );
  }
  const fault = deps.faults.take(method, url.pathname);
  const after = fault !== undefined && !('hang' in fault) && fault.afterEffect === true;
  if (fault && !after) return 'hang' in fault ? HANG : faultResponse(fault, nowSeconds);
  const match = deps.router.match(method, url.pathname);
  if (!match) return ghError(404, 'Not Found');
  const fakeReq: FakeRequest = {
    method,
    pathname: url.pathname,
    query: url.searchParams,
    params: match.params,
    body: body.value,
    actor: auth.actor,
    origin: deps.origin(),
  };
  const res = match.handler(fakeReq, deps.ctx);
  return after && fault && !('hang' in fault) ? faultResponse(fault, nowSeconds) : res;
};

const etagOf = (res: FakeResponse, json: string): string | undefined =>
  res.etagScope === undefined || res.status !== 200
    ? undefined
    : `W/"${createHash('sha1').update(res.etagScope).update('\n').update(json).digest('hex')}"`;

/** The node request listener of the fake. */
export const createRequestListener =
  (deps: ServerDeps) =>
  async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const pathname = new URL(req.url ?? '/', 'http://fake.invalid').pathname;
    const routeKey = deps.router.match(method, pathname)?.key ?? `${method} (unmatched)`;
    deps.counters.countRequest(routeKey);
    let answered: FakeResponse | typeof HANG;
    try {
      answered = await answer(deps, req, routeKey);
    } catch (err) {
      answered = ghError(500, `fake internal error: ${err instanceof Error ? err.message : String(err)}`);
    }
    // A hung request keeps its socket open and unanswered; `close()` destroys it.
    if (answered === HANG) return;
    const result = answered;
    const json = result.raw ?? (result.body === undefined ? '' : JSON.stringify(result.body));
    const etag = etagOf(result, json);
    const notModified = etag !== undefined && etagMatches(req.headers['if-none-match'], etag);
    const status = notModified ? 304 : result.status;
    if (!FREE_ROUTES.has(routeKey) || status === 304) deps.counters.charge(status);
    const rl = deps.counters.rateLimit();
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(rl.limit),
      'x-ratelimit-remaining': String(rl.remaining),
      'x-ratelimit-reset': String(rl.reset),
      'x-ratelimit-used': String(rl.used),
      'x-ratelimit-resource': 'core',
      'x-github-request-id': `FAKE:${++requestSeq}`,
      ...(etag
        ? { etag, 'cache-control': 'private, max-age=60, s-maxage=60', vary: 'Accept, Authorization' }
        : {}),
      ...(!notModified && json !== '' ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      ...result.headers,
    };
    res.writeHead(status, headers);
    res.end(notModified ? undefined : json);
  };
