import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeStateStore } from './kube-state-store.js';

/** An API server that accepts requests and never answers: timeouts and aborts must still end calls. */
let server: Server;
const sockets = new Set<Socket>();
let url = '';

beforeAll(async () => {
  server = createServer(() => undefined);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

const storeFor = (requestTimeoutMs: number): KubeStateStore => {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'hung', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'c', cluster: 'hung', user: 'u' }],
    currentContext: 'c',
  });
  return new KubeStateStore({ kubeConfig: kc, namespace: 'claude-agents', requestTimeoutMs });
};

describe('KubeStateStore against an API server that never answers', () => {
  it('ends a request after its timeout with a clear unavailable error', async () => {
    await expect(storeFor(150).getAttempt('acme-widgets-12-1')).rejects.toMatchObject({
      code: 'unavailable',
      message: 'AgentJob claude-agents/acme-widgets-12-1: the Kubernetes API did not answer in time',
    });
  });

  it("ends a request in flight when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const pending = storeFor(60_000).updateDispatchState((s) => s, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
