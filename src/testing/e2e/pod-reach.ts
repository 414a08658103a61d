import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';

const bridge = join(import.meta.dirname, '..', '..', '..', 'scripts', 'node', 'netns-bridge.mjs');

export interface Exposed {
  /** `http://<node IP>:<port>`: what a pod on the e2e node dials to reach the host server. */
  readonly url: string;
  close(): Promise<void>;
}

const started = (child: ChildProcess, what: string): Promise<void> =>
  new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('netns-bridge: ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
    child.once('error', reject);
  });

const stop = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/**
 * Makes a server listening on the host's 127.0.0.1:`hostPort` (the GitHub fake, a webhook
 * receiver…) reachable from the e2e node's pods at the node IP, through Unix sockets: the host
 * gets no address or route. Pods dial `url`; call `close()` when done.
 */
export const exposeToPods = async (hostPort: number): Promise<Exposed> => {
  const { nodeIp, netns } = inject('e2e');
  const dir = await mkdtemp(join(tmpdir(), 'k3sc-expose-'));
  const sock = join(dir, 'fwd.sock');
  const stdio: ['ignore', 'pipe', 'inherit'] = ['ignore', 'pipe', 'inherit'];
  const host = spawn(process.execPath, [bridge, 'uds-to-tcp', sock, '127.0.0.1', String(hostPort)], {
    stdio,
  });
  const inside = spawn(
    'nsenter',
    [`--net=/run/netns/${netns}`, process.execPath, bridge, 'tcp-to-uds', nodeIp, String(hostPort), sock],
    { stdio },
  );
  const close = async (): Promise<void> => {
    await Promise.all([stop(inside), stop(host)]);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all([started(host, 'host bridge'), started(inside, 'netns bridge')]);
  } catch (err) {
    await close();
    throw err;
  }
  return { url: `http://${nodeIp}:${hostPort}`, close };
};
