import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/ports/logger.js';
import { MemoryLogger } from '../../../testing/memory-logger.js';
import { textReply } from '../../../bot/reply.js';
import type { CommandRouter, Inbound, Transport } from '../../../bot/transport.js';
import {
  postInteraction,
  slashInteraction,
  startDiscordFake,
  type DiscordFake,
} from '../../../sandbox/discord-fake/index.js';
import { discordGatewayTransport } from './discord-gateway.js';
import { createDiscordInteractions } from './discord-transport.js';

let fake: DiscordFake;
let interactions: ReturnType<typeof createDiscordInteractions>;
let gateway: Transport;
const seen: Inbound[] = [];
let gate: Promise<void> = Promise.resolve();
let n = 0;
let server: Server;
let httpUrl: string;

const router: CommandRouter = {
  handle: async (inbound, r) => {
    seen.push(inbound);
    await r.acknowledge();
    await gate;
    await r.respond({ kind: 'reply', reply: textReply('ok', `done: ${inbound.text}`), json: false });
  },
};

/** Polls `pred` (for state that changes without a fake event: what the router saw). */
const until = async (pred: () => boolean, ms = 5_000): Promise<void> => {
  for (const end = Date.now() + ms; !pred(); await new Promise((r) => setTimeout(r, 10)))
    if (Date.now() > end) throw new Error('condition not met in time');
};
const log = new MemoryLogger();
const runs = (text: string): number => seen.filter((s) => s.text === text).length;
const callbacks = (id: string) =>
  fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith(`/api/v10/interactions/${id}/`));
const edited = (token: string) => (): boolean =>
  fake.requests.some((r) => r.method === 'PATCH' && r.path.includes(token));

/** A `/k3sc status <issue>` interaction with a fresh id and token; the command text is `status <issue>`. */
const slash = (issue: string): Record<string, unknown> =>
  slashInteraction({ sub: 'status', options: { issue }, id: `9${++n}`.padEnd(18, '0'), token: `tok-${n}` });

const roundTrip = async (issue: string): Promise<void> => {
  const i = slash(issue);
  fake.gateway.interaction(i);
  await fake.waitFor(edited(String(i['token'])));
};

beforeAll(async () => {
  fake = await startDiscordFake({ heartbeatIntervalMs: 150 });
  interactions = createDiscordInteractions({
    publicKey: fake.keys.publicKeyHex,
    applicationId: fake.applicationId,
    apiUrl: fake.apiUrl,
    channels: [],
    logger: silentLogger,
  });
  gateway = discordGatewayTransport({
    token: fake.botToken,
    apiUrl: fake.apiUrl,
    accept: interactions.accept,
    logger: log,
    backoff: { baseMs: 20, capMs: 200 },
  });
  server = createServer((req, res) => void interactions.handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  httpUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signal = new AbortController().signal;
  await interactions.transport.start(router, signal);
  await gateway.start(router, signal);
});

afterAll(async () => {
  await gateway.stop();
  await interactions.transport.stop();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await fake.close();
});

describe('discord gateway (real discord.js Client against the fake gateway)', () => {
  it('identifies with the bot token and the Guilds intent over one socket', () => {
    expect(fake.gateway.identifies).toHaveLength(1);
    expect(fake.gateway.identifies[0]).toMatchObject({ token: fake.botToken, intents: 1 });
    expect(fake.gateway.openSockets()).toBe(1);
  });

  it('defers through the interaction callback (204, no content type) before the work, then edits the answer', async () => {
    let open = (): void => undefined;
    gate = new Promise((resolve) => (open = resolve));
    const i = slash('acme/w#1');
    fake.gateway.interaction(i);
    await fake.waitFor(() => callbacks(String(i['id'])).length === 1);
    const cb = callbacks(String(i['id']))[0]!;
    expect(cb).toMatchObject({ status: 204, body: { type: 5 } });
    await until(() => runs('status acme/w#1') === 1);
    expect(seen.at(-1)).toMatchObject({ text: 'status acme/w#1', who: { platform: 'discord' } });
    expect(edited(String(i['token']))()).toBe(false); // deferred while the command still runs
    open();
    await fake.waitFor(edited(String(i['token'])));
    gate = Promise.resolve();
  });

  it('runs an interaction redelivered on the gateway, or also posted over HTTP, once', async () => {
    const i = slash('acme/w#2');
    fake.gateway.interaction(i);
    fake.gateway.interaction(i);
    const http = await postInteraction(`${httpUrl}/discord/interactions`, fake.keys, i);
    expect(http).toEqual({ status: 200, json: { type: 5 } }); // acknowledged again, not run
    await fake.waitFor(edited(String(i['token'])));
    await fake.waitFor(() => callbacks(String(i['id'])).length === 2);
    expect(runs('status acme/w#2')).toBe(1);
  });

  it('resumes after the socket is killed mid-stream and replays what it missed, exactly once', async () => {
    const resumes = fake.gateway.resumes.length;
    fake.gateway.killSocket();
    const missed = slash('acme/w#3'); // sent while the socket is down: queued for RESUME
    fake.gateway.interaction(missed);
    await fake.gateway.waitFor(() => fake.gateway.resumes.length === resumes + 1);
    await fake.waitFor(edited(String(missed['token'])));
    await roundTrip('acme/w#4');
    expect(runs('status acme/w#3')).toBe(1);
    expect(runs('status acme/w#4')).toBe(1);
    expect(fake.gateway.identifies).toHaveLength(1); // resumed, not a new session
  });

  it('drops a zombie socket (heartbeats not acked) and resumes', async () => {
    const before = fake.gateway.connections();
    fake.gateway.silence();
    await fake.gateway.waitFor(() => fake.gateway.connections() > before && fake.gateway.openSockets() === 1);
    await roundTrip('acme/w#5');
    expect(runs('status acme/w#5')).toBe(1);
    expect(fake.gateway.maxOpenSockets()).toBe(1); // never two sockets at once
  });

  it('does not hold up start-up while the gateway is down, and connects once it is back', async () => {
    fake.gateway.acceptConnections(false);
    const late = discordGatewayTransport({
      token: fake.botToken,
      apiUrl: fake.apiUrl,
      accept: interactions.accept,
      logger: silentLogger,
      startTimeoutMs: 200,
    });
    const identified = fake.gateway.identifies.length;
    await late.start(router, new AbortController().signal); // resolves though nothing is connected
    expect(late.client()?.isReady() ?? false).toBe(false);
    fake.gateway.acceptConnections(true);
    await until(() => late.client()?.isReady() === true, 10_000);
    expect(fake.gateway.identifies.length).toBeGreaterThan(identified);
    await late.stop();
  });

  it('refuses to start with a token the gateway rejects', async () => {
    const bad = discordGatewayTransport({
      token: 'wrong-token',
      apiUrl: fake.apiUrl,
      accept: interactions.accept,
      logger: silentLogger,
    });
    await expect(bad.start(router, new AbortController().signal)).rejects.toThrow(/token/i);
    await bad.stop();
  });
});
