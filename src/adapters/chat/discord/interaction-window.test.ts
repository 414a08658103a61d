import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/ports/logger.js';
import { textReply } from '../../../bot/reply.js';
import type { CommandRouter, Outbound, Transport } from '../../../bot/transport.js';
import {
  buttonInteraction,
  postInteraction,
  slashInteraction,
  startDiscordFake,
  type DiscordFake,
} from '../../../sandbox/discord-fake/index.js';
import { createDiscordInteractions } from './discord-transport.js';

const CHANNEL = '200000000000000002';
const MIN = 60_000;

let fake: DiscordFake;
let server: Server;
let url: string;
let transport: Transport;
let clock: number;
/** The command finishes when the test says so, with this answer. */
let release: (out: Outbound) => void;

const slowRouter: CommandRouter = {
  handle: async (_i, r) => {
    const out = await new Promise<Outbound>((resolve) => (release = resolve));
    await r.respond(out);
  },
};

beforeEach(async () => {
  clock = Date.now();
  fake = await startDiscordFake({ now: () => clock });
  const d = createDiscordInteractions({
    publicKey: fake.keys.publicKeyHex,
    applicationId: fake.applicationId,
    apiUrl: fake.apiUrl,
    botToken: fake.botToken,
    channels: [],
    logger: silentLogger,
    now: () => clock,
  });
  transport = d.transport;
  server = createServer((q, s) => void d.handler(q, s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  await transport.start(slowRouter, new AbortController().signal);
});

afterEach(async () => {
  await transport.stop();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await fake.close();
});

const answer: Outbound = { kind: 'reply', reply: textReply('top', 'done at last'), json: false };
const webhooks = () => fake.requests.filter((r) => r.path.includes('/webhooks/'));
const channelPosts = () =>
  fake.requests.filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${CHANNEL}/messages`);

/** Posts the interaction (Discord created it now) and waits until the command runs. */
const interact = async (body: Record<string, unknown>, createdAt = clock): Promise<void> => {
  fake.interactionCreated(String(body['token']), createdAt);
  const res = await postInteraction(url, fake.keys, body);
  expect(res.status).toBe(200);
  await new Promise((r) => setTimeout(r, 20));
};
/** Waits until `n` requests succeeded after `from` (the command's answer went out). */
const answered = (from: number, n = 1): Promise<void> =>
  fake.waitFor((reqs) => reqs.slice(from).filter((q) => q.status === 200).length >= n);

describe('discord: the 15-minute interaction window', () => {
  it('the fake refuses an interaction webhook older than 15 minutes, as Discord does', async () => {
    const token = 'itok-old';
    fake.interactionCreated(token, clock - 16 * MIN);
    const res = await fetch(`${fake.apiUrl}/v10/webhooks/${fake.applicationId}/${token}/messages/@original`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'late' }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 50027, message: 'Invalid Webhook Token' });
  });

  it('within the window the deferred reply is edited through the token', async () => {
    await interact(slashInteraction({ sub: 'top' }));
    clock += 10 * MIN;
    release(answer);
    await answered(0);
    expect(webhooks().map((r) => [r.method, r.status])).toEqual([['PATCH', 200]]);
    expect(channelPosts()).toEqual([]);
  });

  it('a command that finishes after 16 minutes answers as an ordinary bot message in the channel', async () => {
    await interact(slashInteraction({ sub: 'top' }));
    clock += 16 * MIN;
    release(answer);
    await answered(0);
    expect(webhooks()).toEqual([]); // the dead token is not even tried
    const [post] = channelPosts();
    expect(post).toMatchObject({ status: 200, auth: `Bot ${fake.botToken}` });
    expect(fake.messages[0]).toMatchObject({ channel_id: CHANNEL });
    expect(JSON.stringify(fake.messages[0]?.embeds)).toContain('done at last');
  });

  it('a token Discord already killed (401 Invalid Webhook Token) falls back to a bot message', async () => {
    // Discord created the interaction 15 minutes before k3sc saw it (a slow delivery, a skewed clock).
    await interact(slashInteraction({ sub: 'top' }), clock - 15 * MIN - 1);
    release(answer);
    await answered(0);
    expect(webhooks().map((r) => r.status)).toEqual([401]);
    expect(channelPosts().map((r) => r.status)).toEqual([200]);
    expect(JSON.stringify(fake.messages[0]?.embeds)).toContain('done at last');
  });

  it('private answers and further pages after the window are channel messages too (no ephemeral flag)', async () => {
    await interact(slashInteraction({ sub: 'top' }));
    clock += 20 * MIN;
    const long = Array.from({ length: 150 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    release({ kind: 'text', text: long });
    await answered(0, 3);
    expect(webhooks()).toEqual([]);
    expect(channelPosts().every((p) => (p.body as { flags?: number }).flags === undefined)).toBe(true);
  });

  it('a click answered after the window edits the clicked message through the bot token', async () => {
    const card = await fetch(`${fake.apiUrl}/v10/channels/${CHANNEL}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bot ${fake.botToken}` },
      body: JSON.stringify({ content: 'a dashboard', components: [{ type: 1, components: [] }] }),
    });
    const { id } = (await card.json()) as { id: string };
    await interact(buttonInteraction({ customId: 'k3sc:top', messageId: id }));
    clock += 16 * MIN;
    const from = fake.requests.length;
    release({ ...answer, replace: true });
    await answered(from);
    expect(webhooks()).toEqual([]);
    const edit = fake.requests.find((r) => r.method === 'PATCH');
    expect(edit).toMatchObject({ path: `/api/v10/channels/${CHANNEL}/messages/${id}`, status: 200 });
    expect(fake.messages[0]?.components).toEqual([]);
    expect(JSON.stringify(fake.messages[0]?.embeds)).toContain('done at last');
  });
});
