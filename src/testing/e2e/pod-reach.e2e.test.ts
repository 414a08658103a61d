import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminKubeConfig, plainJob, runJob, succeeded, withNamespace } from './e2e-jobs.js';
import { exposeToPods, type Exposed } from './pod-reach.js';

// A pod on the e2e node calls a server on the host's loopback (as agent pods will call the
// GitHub fake), with no address or route added to the host.
const kc = adminKubeConfig();
let ns: { name: string; drop: () => Promise<void> };
let server: Server;
let exposed: Exposed;
const seen: string[] = [];

beforeAll(async () => {
  ns = await withNamespace(kc, 'e2e-reach');
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.end('hello from the host');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  exposed = await exposeToPods((server.address() as AddressInfo).port);
});
afterAll(async () => {
  await exposed?.close();
  server?.close();
  await ns?.drop();
});

describe('a host server exposed to pods', () => {
  it('answers a pod that dials the node IP', async () => {
    const { agentImage, nodeIp } = inject('e2e');
    expect(exposed.url).toMatch(new RegExp(`^http://${nodeIp.replace(/\./g, '\\.')}:\\d+$`));
    const js = `fetch(process.argv[1] + '/repos/o/r').then(r => r.text()).then(t => console.log('got: ' + t))`;
    const r = await runJob(
      kc,
      ns.name,
      plainJob('reach-host', { name: 'c', image: agentImage, command: ['node', '-e', js, exposed.url] }),
    );
    expect(r.log).toContain('got: hello from the host');
    expect(seen).toEqual(['GET /repos/o/r']);
    expect(succeeded(r.job)).toBe(true);
  });
});
