import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubWebhookHandler, type GitHubWebhookEvent } from './webhook-handler.js';
import { recordingLogger } from '../../testing/github-test-setup.js';

const SECRET = 'whsec-test-secret';
let server: Server;
let url: string;
let events: GitHubWebhookEvent[];
let throwFromConsumer = false;
let clockMs = 0;
const MAX_DELIVERIES = 3;
const logger = recordingLogger();

const sign = (body: string, secret = SECRET): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const deliver = async (body: string, headers: Record<string, string>, method = 'POST') => {
  const res = await fetch(url, {
    method,
    body: method === 'GET' ? null : body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  return { status: res.status, json: JSON.parse(await res.text()) as { ok: boolean; message: string } };
};

const issuesPayload = JSON.stringify({
  action: 'labeled',
  issue: { number: 12, title: 'x' },
  label: { name: 'ready' },
  repository: { name: 'widgets', full_name: 'acme/widgets', owner: { login: 'acme' } },
});

beforeEach(async () => {
  events = [];
  throwFromConsumer = false;
  clockMs = Date.parse('2025-01-01T00:00:00Z');
  const handler = createGitHubWebhookHandler({
    secret: SECRET,
    logger,
    now: () => clockMs,
    maxDeliveries: MAX_DELIVERIES,
    onEvent: (e) => {
      if (throwFromConsumer) throw new Error('queue full');
      events.push(e);
    },
  });
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/github`;
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('GitHub webhook handler', () => {
  it('accepts a correctly signed issues event with 202 and hands it on', async () => {
    const r = await deliver(issuesPayload, {
      'x-hub-signature-256': sign(issuesPayload),
      'x-github-event': 'issues',
      'x-github-delivery': 'd-1',
    });
    expect(r.status).toBe(202);
    expect(events).toEqual([
      {
        event: 'issues',
        action: 'labeled',
        repo: { owner: 'acme', name: 'widgets' },
        number: 12,
        deliveryId: 'd-1',
      },
    ]);
  });

  it('takes the number of a pull_request event', async () => {
    const body = JSON.stringify({
      action: 'opened',
      number: 7,
      pull_request: { number: 7 },
      repository: { name: 'w', owner: { login: 'o' } },
    });
    const r = await deliver(body, { 'x-hub-signature-256': sign(body), 'x-github-event': 'pull_request' });
    expect(r.status).toBe(202);
    expect(events[0]).toMatchObject({ event: 'pull_request', number: 7, repo: { owner: 'o', name: 'w' } });
    expect(events[0]?.deliveryId).toBeUndefined();
  });

  it('rejects a forged signature with 401 and does not call onEvent', async () => {
    const r = await deliver(issuesPayload, {
      'x-hub-signature-256': sign(issuesPayload, 'other-secret'),
      'x-github-event': 'issues',
    });
    expect(r.status).toBe(401);
    expect(r.json.ok).toBe(false);
    expect(events).toEqual([]);
    expect(JSON.stringify(logger.lines)).not.toContain(SECRET);
  });

  it('rejects a signature over a different body (tampered payload)', async () => {
    const tampered = issuesPayload.replace('"number":12', '"number":13');
    const r = await deliver(tampered, {
      'x-hub-signature-256': sign(issuesPayload),
      'x-github-event': 'issues',
    });
    expect(r.status).toBe(401);
    expect(events).toEqual([]);
  });

  it('rejects an unsigned delivery with 401', async () => {
    const r = await deliver(issuesPayload, { 'x-github-event': 'issues' });
    expect(r.status).toBe(401);
    expect(events).toEqual([]);
  });

  it('answers 400 for bad JSON or a missing repository, even when signed', async () => {
    const bad = '{"action": "opened",';
    const r1 = await deliver(bad, { 'x-hub-signature-256': sign(bad), 'x-github-event': 'issues' });
    expect(r1.status).toBe(400);
    expect(r1.json.message).toMatch(/not valid JSON/);
    const noRepo = JSON.stringify({ action: 'opened', issue: { number: 1 } });
    const r2 = await deliver(noRepo, { 'x-hub-signature-256': sign(noRepo), 'x-github-event': 'issues' });
    expect(r2.status).toBe(400);
    expect(r2.json.message).toContain('repository');
    expect(events).toEqual([]);
  });

  it('answers ping with 200 and ignores other events with 200', async () => {
    const ping = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    expect(
      (await deliver(ping, { 'x-hub-signature-256': sign(ping), 'x-github-event': 'ping' })).status,
    ).toBe(200);
    const push = JSON.stringify({ ref: 'refs/heads/main', repository: { name: 'w', owner: { login: 'o' } } });
    const r = await deliver(push, { 'x-hub-signature-256': sign(push), 'x-github-event': 'push' });
    expect(r.status).toBe(200);
    expect(r.json.message).toContain('ignored');
    expect(events).toEqual([]);
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) });
    const r = await deliver(big, { 'x-hub-signature-256': sign(big), 'x-github-event': 'issues' });
    expect(r.status).toBe(413);
    expect(events).toEqual([]);
  });

  it('refuses a streamed body (no Content-Length) once it passes the limit', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 40) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(url, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'x-github-event': 'issues', 'x-hub-signature-256': 'sha256=00' },
    });
    expect(res.status).toBe(413);
    expect(events).toEqual([]);
  });

  it('answers 405 to other methods and 500 when the consumer throws', async () => {
    expect((await deliver('', {}, 'GET')).status).toBe(405);
    throwFromConsumer = true;
    const r = await deliver(issuesPayload, {
      'x-hub-signature-256': sign(issuesPayload),
      'x-github-event': 'issues',
    });
    expect(r.status).toBe(500);
  });

  const signed = (delivery: string) => ({
    'x-hub-signature-256': sign(issuesPayload),
    'x-github-event': 'issues',
    'x-github-delivery': delivery,
  });

  it('hands on 200 replays of one delivery once; the repeats get 200', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await deliver(issuesPayload, signed('d-replayed'))).status);
    expect(events).toHaveLength(1);
    expect(statuses[0]).toBe(202);
    expect(new Set(statuses.slice(1))).toEqual(new Set([200]));
    const again = await deliver(issuesPayload, signed('d-replayed'));
    expect(again.json.message).toBe('delivery d-replayed already accepted');
    expect((await deliver(issuesPayload, signed('d-other'))).status).toBe(202);
    expect(events.map((e) => e.deliveryId)).toEqual(['d-replayed', 'd-other']);
  });

  it('dedupes concurrent copies of one delivery', async () => {
    const all = await Promise.all(
      Array.from({ length: 20 }, () => deliver(issuesPayload, signed('d-burst'))),
    );
    expect(events).toHaveLength(1);
    expect(all.filter((r) => r.status === 202)).toHaveLength(1);
  });

  it('remembers a delivery for 10 minutes, then accepts it again', async () => {
    expect((await deliver(issuesPayload, signed('d-1'))).status).toBe(202);
    clockMs += 10 * 60_000 - 1;
    expect((await deliver(issuesPayload, signed('d-1'))).status).toBe(200);
    clockMs += 1;
    expect((await deliver(issuesPayload, signed('d-1'))).status).toBe(202);
    expect(events).toHaveLength(2);
  });

  it('keeps at most maxDeliveries ids, forgetting the oldest first', async () => {
    for (const id of ['a', 'b', 'c', 'd']) await deliver(issuesPayload, signed(id));
    expect((await deliver(issuesPayload, signed('d'))).status).toBe(200);
    expect((await deliver(issuesPayload, signed('a'))).status).toBe(202);
    expect(events.map((e) => e.deliveryId)).toEqual(['a', 'b', 'c', 'd', 'a']);
  });

  it('does not remember a delivery its consumer failed to take, so a redelivery gets through', async () => {
    throwFromConsumer = true;
    expect((await deliver(issuesPayload, signed('d-failed'))).status).toBe(500);
    throwFromConsumer = false;
    expect((await deliver(issuesPayload, signed('d-failed'))).status).toBe(202);
    expect(events).toHaveLength(1);
  });

  it('refuses an empty secret at construction', () => {
    expect(() => createGitHubWebhookHandler({ secret: '', onEvent: () => undefined })).toThrow(
      /webhook secret is empty/,
    );
  });
});
