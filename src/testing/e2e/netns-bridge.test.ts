import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createConnection, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// scripts/node/netns-bridge.mjs carries the e2e node's traffic between the host's loopback and
// the node's network namespace over Unix sockets. Here all of it runs in one namespace.
const bridge = join(import.meta.dirname, '..', '..', '..', 'scripts', 'node', 'netns-bridge.mjs');

let dir: string;
let echo: Server;
let echoPort: number;
let child: ChildProcess;
let tcpPort: number;

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

const waitFor = async (path: string): Promise<void> => {
  for (let i = 0; i < 100; i++) {
    if (
      await stat(path).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${path} never appeared`);
};

/** Writes `send` on a fresh connection and collects everything until the peer closes. */
const exchange = (opts: { path: string } | { port: number; host: string }, send: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const c = createConnection(opts);
    let got = '';
    c.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.includes('ECHO:ping') || got.startsWith('HTTP/1.1 4') || got.startsWith('HTTP/1.1 5')) c.end();
    });
    c.on('end', () => resolve(got));
    c.on('error', reject);
    c.write(send);
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k3sc-bridge-'));
  echo = createServer((s) => s.on('data', (d: Buffer) => s.write(`ECHO:${d.toString()}`)));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as AddressInfo).port;
  tcpPort = await freePort();
  const api = join(dir, 'api.sock');
  child = spawn(process.execPath, [
    bridge,
    ...['uds-to-tcp', api, '127.0.0.1', String(echoPort)],
    ...['+', 'tcp-to-uds', '127.0.0.1', String(tcpPort), api],
    ...['+', 'connect-proxy', join(dir, 'egress.sock')],
  ]);
  await waitFor(api);
  await waitFor(join(dir, 'egress.sock'));
});

afterAll(async () => {
  child.kill('SIGTERM');
  echo.close();
  await rm(dir, { recursive: true, force: true });
});

describe('netns-bridge', () => {
  it('forwards TCP -> Unix socket -> TCP both ways (the kubelet reaching the API server)', async () => {
    await new Promise((r) => setTimeout(r, 100)); // the TCP listener starts with the Unix ones
    expect(await exchange({ host: '127.0.0.1', port: tcpPort }, 'ping')).toBe('ECHO:ping');
  });

  it('answers CONNECT with 200 and then tunnels (the API server reaching the kubelet)', async () => {
    const got = await exchange(
      { path: join(dir, 'egress.sock') },
      `CONNECT 127.0.0.1:${echoPort} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nping`,
    );
    expect(got).toBe('HTTP/1.1 200 Connection established\r\n\r\nECHO:ping');
  });

  it('refuses anything but CONNECT, and reports a dial failure as 502', async () => {
    expect(await exchange({ path: join(dir, 'egress.sock') }, 'GET / HTTP/1.1\r\n\r\n')).toMatch(
      /^HTTP\/1\.1 405/,
    );
    const closed = await freePort();
    expect(
      await exchange({ path: join(dir, 'egress.sock') }, `CONNECT 127.0.0.1:${closed} HTTP/1.1\r\n\r\n`),
    ).toMatch(/^HTTP\/1\.1 502/);
  });
});
