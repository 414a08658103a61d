import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/ports/logger.js';
import { MemoryLogger } from '../../../testing/memory-logger.js';
import { errorReply, textReply } from '../../../bot/reply.js';
import type { CommandRouter, Inbound, Outbound, Transport } from '../../../bot/transport.js';
import {
  postInteraction,
  slashInteraction,
  startDiscordFake,
  type DiscordFake,
} from '../../../sandbox/discord-fake/index.js';
import { createDiscordInteractions } from './discord-transport.js';

/** A router that records what it got and answers with what `answer` says. */
const stubRouter = (answer: (i: Inbound) => Outbound, seen: Inbound[]): CommandRouter => ({
  handle: async (inbound, r) => {
    seen.push(inbound);
    await r.acknowledge();
    await r.respond(answer(inbound));
  },
});

let fake: DiscordFake;
let server: Server;
let url: string;
let transport: Transport;
let seen: Inbound[];
let answer: (i: Inbound) => Outbound;
let clock: number;
const stopper = new AbortController();

beforeEach(async () => {
  fake = await startDiscordFake();
  seen = [];
  clock = Date.now();
  answer = () => ({ kind: 'reply', reply: textReply('top', 'all quiet'), json: false });
  const d = createDiscordInteractions({
    publicKey: fake.keys.publicKeyHex,
    applicationId: fake.applicationId,
    apiUrl: fake.apiUrl,
    channels: [],
    logger: silentLogger,
    now: () => clock,
  });
  transport = d.transport;
  server = createServer((q: IncomingMessage, s: ServerResponse) => void d.handler(q, s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discord/interactions`;
  await transport.start(
    stubRouter((i) => answer(i), seen),
    stopper.signal,
  );
});

afterEach(async () => {
  await transport.stop();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await fake.close();
});

const webhookCalls = () => fake.requests.filter((r) => r.path.includes('/webhooks/'));

describe('discord interactions endpoint', () => {
  it('answers PING with PONG', async () => {
    expect(await postInteraction(url, fake.keys, { type: 1, id: '1' })).toEqual({
      status: 200,
      json: { type: 1 },
    });
  });

  it.each([
    ['forged', { forge: true }],
    ['unsigned', { unsigned: true }],
    ['stale (6 minutes old)', { timestamp: Math.floor(Date.now() / 1000) - 360 }],
    ['from the future (6 minutes ahead)', { timestamp: Math.floor(Date.now() / 1000) + 360 }],
  ])('rejects a %s interaction with 401 and runs nothing', async (_what, opts) => {
    const res = await postInteraction(url, fake.keys, slashInteraction({ sub: 'top' }), opts);
    expect(res.status).toBe(401);
    expect(seen).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it('rejects a body signed by another key', async () => {
    const other = await startDiscordFake();
    const res = await postInteraction(url, other.keys, slashInteraction({ sub: 'top' }));
    await other.close();
    expect(res.status).toBe(401);
    expect(seen).toEqual([]);
  });

  it('defers at once, then edits the original with the rendered reply through REST', async () => {
    const body = slashInteraction({
      sub: 'kill',
      options: { issue: 'acme/w#3', requeue: true },
      roles: ['R1'],
    });
    const res = await postInteraction(url, fake.keys, body);
    expect(res).toEqual({ status: 200, json: { type: 5 } });
    await fake.waitFor((r) => r.length === 1);
    expect(seen[0]?.text).toBe('kill acme/w#3 --requeue');
    expect(seen[0]?.who).toMatchObject({
      platform: 'discord',
      userId: '400000000000000004',
      groupIds: ['R1'],
    });
    expect(seen[0]?.where).toBe('discord:200000000000000002');
    const [edit] = webhookCalls();
    expect(edit?.method).toBe('PATCH');
    expect(edit?.path).toBe(
      `/api/v10/webhooks/${fake.applicationId}/${String(body['token'])}/messages/@original`,
    );
    expect(edit?.auth).toBeUndefined();
    expect(edit?.body).toMatchObject({ embeds: [{ title: 'top', description: 'all quiet' }] });
  });

  it('the acknowledgement does not wait for the command', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await transport.stop();
    const d = createDiscordInteractions({
      publicKey: fake.keys.publicKeyHex,
      applicationId: fake.applicationId,
      apiUrl: fake.apiUrl,
      channels: [],
      logger: silentLogger,
    });
    const slow: CommandRouter = {
      handle: async (_i, r) => {
        await gate;
        await r.respond({ kind: 'text', text: 'late' });
      },
    };
    await d.transport.start(slow, stopper.signal);
    const s2 = createServer((q, s) => void d.handler(q, s));
    await new Promise<void>((r) => s2.listen(0, '127.0.0.1', r));
    const u2 = `http://127.0.0.1:${(s2.address() as AddressInfo).port}/`;
    const res = await postInteraction(u2, fake.keys, slashInteraction({ sub: 'top' }));
    expect(res.status).toBe(200);
    expect(fake.requests).toEqual([]); // the command is still blocked: the ack came first
    release();
    await fake.waitFor((r) => r.length >= 1);
    await d.transport.stop();
    s2.closeAllConnections();
    await new Promise<void>((r) => s2.close(() => r()));
  });

  it('runs a redelivered interaction once (same id at +0, +1 min and +5 min)', async () => {
    const body = slashInteraction({ sub: 'top', id: '777' });
    const start = clock;
    for (const offset of [0, 60_000, 300_000]) {
      clock = start + offset;
      const res = await postInteraction(url, fake.keys, body, { timestamp: Math.floor(clock / 1000) });
      expect(res.status).toBe(200);
    }
    await fake.waitFor((r) => r.length >= 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toHaveLength(1);
    expect(webhookCalls()).toHaveLength(1);
  });

  it('sends errors only to the caller: the public "thinking" is deleted, the error follows privately', async () => {
    answer = () => ({
      kind: 'reply',
      reply: errorReply('bad_input', 'issue must look like owner/repo#N'),
      json: false,
    });
    await postInteraction(url, fake.keys, slashInteraction({ sub: 'kill', options: { issue: 'nope' } }));
    await fake.waitFor((r) => r.length === 2);
    const [del, follow] = webhookCalls();
    expect(del?.method).toBe('DELETE');
    expect(follow?.method).toBe('POST');
    expect(follow?.body).toMatchObject({ flags: 64, embeds: [{ title: 'error' }] });
  });

  it('defers an unknown subcommand privately and answers it there', async () => {
    answer = () => ({ kind: 'text', text: "error: unknown command 'frobnicate'" });
    const res = await postInteraction(url, fake.keys, slashInteraction({ sub: 'frobnicate' }));
    expect(res.json).toEqual({ type: 5, data: { flags: 64 } });
    await fake.waitFor((r) => r.length === 1);
    expect(seen[0]?.text).toBe('frobnicate');
    const [edit] = webhookCalls();
    expect(edit?.method).toBe('PATCH');
    expect(String((edit?.body as { content: string }).content)).toContain('unknown command');
  });

  it('sends further pages as follow-ups and honours a 429 retry-after', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    answer = () => ({ kind: 'reply', reply: textReply('logs', long), json: false });
    fake.rateLimitNext(1, 0.05);
    await postInteraction(url, fake.keys, slashInteraction({ sub: 'top' }));
    await fake.waitFor((r) => r.filter((x) => x.status === 200).length >= 5);
    const calls = webhookCalls();
    expect(calls[0]?.status).toBe(429);
    expect(calls[1]).toMatchObject({ method: 'PATCH', status: 200 }); // the retry, after retry-after
    const ok = calls.filter((c) => c.status === 200);
    expect(ok.slice(1).every((c) => c.method === 'POST')).toBe(true);
    const text = ok
      .map((c) => (c.body as { embeds: { description: string }[] }).embeds[0]?.description)
      .join('\n');
    for (let i = 0; i < 400; i += 1) expect(text).toContain(`line ${i} `);
  });

  it('answers 503 before start and after stop', async () => {
    await transport.stop();
    expect((await postInteraction(url, fake.keys, { type: 1, id: '1' })).status).toBe(503);
  });

  it('logs a failed follow-up without the interaction token (a 15-minute credential)', async () => {
    const logger = new MemoryLogger();
    const d = createDiscordInteractions({
      publicKey: fake.keys.publicKeyHex,
      applicationId: 'not-this-app', // the fake answers 404 Unknown Webhook
      apiUrl: fake.apiUrl,
      channels: [],
      logger,
    });
    await d.transport.start(
      stubRouter((i) => answer(i), []),
      stopper.signal,
    );
    const s2 = createServer((q, s) => void d.handler(q, s));
    await new Promise<void>((r) => s2.listen(0, '127.0.0.1', r));
    const body = slashInteraction({ sub: 'top', token: 'secret-interaction-token-123' });
    await postInteraction(`http://127.0.0.1:${(s2.address() as AddressInfo).port}/`, fake.keys, body);
    await d.transport.stop(); // waits for the command in flight
    s2.closeAllConnections();
    await new Promise<void>((r) => s2.close(() => r()));
    const failed = logger.entries.filter((e) => e.msg === 'discord command failed');
    expect(failed).toHaveLength(1);
    expect(JSON.stringify(failed[0]?.obj)).toContain('Unknown Webhook');
    expect(JSON.stringify(logger.entries)).not.toContain('secret-interaction-token-123');
  });
});
