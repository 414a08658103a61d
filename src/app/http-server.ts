import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

/** A small HTTP server: exact `METHOD /path` routes, JSON 404/405, errors never crash it. */
export const startHttpServer = async (opts: {
  host: string;
  port: number;
  routes: HttpRoutes;
  logger: Logger;
}): Promise<{ server: Server; url: string; close: () => Promise<void> }> => {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handler = opts.routes[`${req.method ?? 'GET'} ${path}`];
    if (!handler) {
      const known = Object.keys(opts.routes).some((k) => k.endsWith(` ${path}`));
      sendJson(res, known ? 405 : 404, {
        error: known ? `method ${req.method ?? ''} not allowed on ${path}` : `no route ${path}`,
      });
      return;
    }
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      opts.logger.error({ err, path }, 'http handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error (see the k3sc log)' });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(listenError(err, opts.host, opts.port)));
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server,
    url: `http://${host}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** Reads a request body up to `limit` bytes; throws a status-carrying error past it. */
export const readBody = async (req: IncomingMessage, limit = 1 << 20): Promise<string> => {
  const text = await readBodyUpTo(req, limit);
  if (text === undefined) throw Object.assign(new Error(`body larger than ${limit} bytes`), { status: 413 });
  return text;
};
