import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { K3scError } from '../core/errors.js';
import type { Logger } from '../core/ports/logger.js';
import { readBodyUpTo } from '../adapters/shared/http-request.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpRoutes {
  readonly [methodAndPath: string]: RouteHandler;
}

export const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};

/** Why `listen` failed, in words that say what to change (Node's error stays the cause). */
export const listenError = (err: Error, host: string, port: number): K3scError => {
  const where = `cannot listen on ${host}:${port}`;
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EADDRINUSE':
      return new K3scError(
        'unavailable',
        `${where}: the port is already in use (another k3sc serve, or another program); set http.port in the config or pass --port (0 picks a free port)`,
        { cause: err },
      );
    case 'EACCES':
      return new K3scError(
        'unavailable',
        `${where}: permission denied (ports below 1024 need privileges); choose another http.port or --port`,
        { cause: err },
      );
    case 'EADDRNOTAVAIL':
      return new K3scError(
        'config_invalid',
        `${where}: ${host} is not an address of this machine; set http.host to 127.0.0.1, 0.0.0.0 or one of its own addresses`,
        { cause: err },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return new K3scError(
        'config_invalid',
        `${where}: the host name ${host} does not resolve (${code}); set http.host to an IP address or a name this machine resolves`,
        { cause: err },
      );
    default:
      return new K3scError('unavailable', `${where}: ${err.message}`, { cause: err });
  }
};

/** Mounts more routes (the web pages) on the same server; raw routes keep their untouched body. */
export type HttpPlugin = (app: FastifyInstance) => Promise<void> | void;

/** The raw `METHOD /path` routes, in their own context whose body parser leaves the stream alone. */
const rawRoutes =
  (routes: HttpRoutes, logger: Logger): HttpPlugin =>
  (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    for (const [key, handler] of Object.entries(routes)) {
      const [method = 'GET', url = '/'] = key.split(' ');
      app.route({
        method,
        url,
        handler: async (request, reply) => {
          reply.hijack(); // the handler writes the node response itself and reads the raw body
          const res = reply.raw;
          try {
            await handler(request.raw, res);
          } catch (err) {
            logger.error({ err, path: url }, 'http handler failed');
            if (!res.headersSent) sendJson(res, 500, { error: 'internal error (see the k3sc log)' });
            else res.end();
          }
        },
      });
    }
  };

/**
 * serve's HTTP server (Fastify): the exact `METHOD /path` raw routes (health, metrics, webhooks,
 * chat), JSON 404/405, errors never crash it; `plugins` mount the web pages on the same port.
 */
export const startHttpServer = async (opts: {
  host: string;
  port: number;
  routes: HttpRoutes;
  logger: Logger;
  plugins?: readonly HttpPlugin[];
  bodyLimit?: number;
  /** Fastify's `trustProxy`: believe X-Forwarded-For/-Proto from these (or any, when true). */
  trustProxy?: boolean | readonly string[];
}): Promise<{ server: Server; url: string; close: () => Promise<void> }> => {
  const app = Fastify({
    logger: false,
    keepAliveTimeout: 5_000,
    forceCloseConnections: true,
    bodyLimit: opts.bodyLimit ?? 1 << 20,
    trustProxy:
      opts.trustProxy === undefined || typeof opts.trustProxy === 'boolean'
        ? (opts.trustProxy ?? false)
        : [...opts.trustProxy],
  });
  const known = new Set(Object.keys(opts.routes).map((k) => k.split(' ')[1]));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = known.has(path);
    void reply.code(allowed ? 405 : 404).send({
      error: allowed ? `method ${request.method} not allowed on ${path}` : `no route ${path}`,
    });
  });
  app.setErrorHandler((err: { statusCode?: number; message: string }, request, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) opts.logger.error({ err, path: request.url }, 'http handler failed');
    void reply
      .code(status)
      .send({ error: status >= 500 ? 'internal error (see the k3sc log)' : err.message });
  });
  await app.register(rawRoutes(opts.routes, opts.logger));
  for (const plugin of opts.plugins ?? []) await app.register(plugin);
  try {
    await app.listen({ port: opts.port, host: opts.host });
  } catch (err) {
    await app.close().catch(() => undefined);
    throw listenError(err as Error, opts.host, opts.port);
  }
  const addr = app.server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server: app.server,
    url: `http://${host}:${addr.port}`,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
};

/** Reads a request body up to `limit` bytes; throws a status-carrying error past it. */
export const readBody = async (req: IncomingMessage, limit = 1 << 20): Promise<string> => {
  const text = await readBodyUpTo(req, limit);
  if (text === undefined) throw Object.assign(new Error(`body larger than ${limit} bytes`), { status: 413 });
  return text;
};
