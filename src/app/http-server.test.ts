import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { K3scError } from '../core/errors.js';
import { MemoryLogger } from '../testing/memory-logger.js';
import { listenError, startHttpServer } from './http-server.js';

const fail = async (p: Promise<unknown>): Promise<K3scError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof K3scError) return err;
    throw err;
  }
  throw new Error('expected a failure');
};

describe('startHttpServer says why it cannot listen (A16)', () => {
  it('names a port already in use', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const err = await fail(
        startHttpServer({ host: '127.0.0.1', port, routes: {}, logger: new MemoryLogger() }),
      );
      expect(err.code).toBe('unavailable');
      expect(err.message).toBe(
        `cannot listen on 127.0.0.1:${port}: the port is already in use (another k3sc serve, or another program); set http.port in the config or pass --port (0 picks a free port)`,
      );
      expect((err.cause as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('names an address that is not this machine’s', async () => {
    const err = await fail(
      startHttpServer({ host: '192.0.2.1', port: 0, routes: {}, logger: new MemoryLogger() }),
    );
    expect(err.code).toBe('config_invalid');
    expect(err.message).toContain('192.0.2.1 is not an address of this machine');
  });

  it('maps an unresolvable host and other errors to messages', () => {
    const e = (code: string): Error => Object.assign(new Error(`getaddrinfo ${code} x`), { code });
    expect(listenError(e('ENOTFOUND'), 'nowhere.invalid', 80).message).toBe(
      'cannot listen on nowhere.invalid:80: the host name nowhere.invalid does not resolve (ENOTFOUND); set http.host to an IP address or a name this machine resolves',
    );
    expect(listenError(e('EACCES'), '0.0.0.0', 80).message).toContain('permission denied');
    expect(listenError(e('EWHATEVER'), 'h', 1).message).toBe('cannot listen on h:1: getaddrinfo EWHATEVER x');
  });
});

describe('startHttpServer on Fastify keeps the raw routes raw', () => {
  it('hands the untouched body to a raw handler, 404s/405s in JSON, and a throwing handler gets a 500', async () => {
    const http = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger: new MemoryLogger(),
      routes: {
        'POST /echo': async (req, res) => {
          const chunks: Buffer[] = [];
          for await (const c of req) chunks.push(c as Buffer);
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(`${req.headers['content-type'] ?? ''}|${Buffer.concat(chunks).toString('utf8')}`);
        },
        'GET /boom': () => {
          throw new Error('boom');
        },
      },
    });
    try {
      const body = '{"a": 1,  "spaced":true}';
      const echo = await fetch(`${http.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(await echo.text()).toBe(`application/json|${body}`);
      const form = await fetch(`${http.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'payload=%7B%7D&x=1',
      });
      expect(await form.text()).toBe('application/x-www-form-urlencoded|payload=%7B%7D&x=1');
      const missing = await fetch(`${http.url}/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: 'no route /nope' });
      const wrong = await fetch(`${http.url}/echo`);
      expect(wrong.status).toBe(405);
      expect(await wrong.json()).toEqual({ error: 'method GET not allowed on /echo' });
      const boom = await fetch(`${http.url}/boom`);
      expect(boom.status).toBe(500);
      expect(await boom.json()).toEqual({ error: 'internal error (see the k3sc log)' });
    } finally {
      await http.close();
    }
  });
});
