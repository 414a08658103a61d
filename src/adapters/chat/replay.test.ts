import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/ports/logger.js';
import { textReply } from '../../bot/reply.js';
import type { CommandRouter, Inbound, Transport } from '../../bot/transport.js';
import { postInteraction, slashInteraction, startDiscordFake } from '../../sandbox/discord-fake/index.js';
import { startSlackFake } from '../../sandbox/slack-fake/index.js';
import { createDiscordInteractions } from './discord/discord-transport.js';
import { slackSocketTransport } from './slack/slack-socket-transport.js';
import { slackTransport } from './slack/slack-transport.js';

/** The injected clock every transport below reads (signatures and the dedupe memory). */
const T0 = Date.parse('2026-03-02T09:00:00Z');
let nowMs = T0;
const now = (): number => nowMs;
const REPLAYS_MS = [0, 60_000, 5 * 60_000];

const seen: Inbound[] = [];
const router: CommandRouter = {
  handle: async (inbound, r) => {
    seen.push(inbound);
    await r.acknowledge();
    await r.respond({ kind: 'reply', reply: textReply('ok', 'done'), json: false });
  },
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  seen.length = 0;
  nowMs = T0;
});

const listen = async (handler: RequestListener): Promise<string> => {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const started = async (t: Transport): Promise<void> => {
  await t.start(router, new AbortController().signal);
  cleanups.push(() => t.stop());
};

describe('a replayed delivery runs once (+0, +1 min, +5 min, injected clock)', () => {
  it('Slack over HTTP: the same signed request, and the same body re-signed as Slack retries do', async () => {
    const fake = await startSlackFake({ signingSecret: 'sec' });
    cleanups.push(() => fake.close());
    const t = slackTransport({
      botToken: 'xoxb-t',
      signingSecret: 'sec',
      apiUrl: fake.apiUrl,
      logger: silentLogger,
      retries: 0,
      now,
    });
    const url = `${await listen((q, s) => void t.handle(q, s))}/slack/events`;
    await started(t);
    const original = fake.slashCommand('top', { trigger_id: 'trig-replay', timestampSeconds: T0 / 1000 });
    for (const at of REPLAYS_MS) {
      nowMs = T0 + at;
      const same = await fetch(url, { method: 'POST', body: original.body, headers: original.headers });
      const resigned = await fetch(url, {
        method: 'POST',
        body: original.body,
        headers: { ...fake.sign(original.body, Math.floor(nowMs / 1000)), 'x-slack-retry-num': '1' },
      });
      expect([same.status, resigned.status]).toEqual([200, 200]);
    }
    expect(seen).toHaveLength(1);
    // Past the signature window the old request is refused outright (401), not run.
    nowMs = T0 + 5 * 60_000 + 1_000;
    expect(
      (await fetch(url, { method: 'POST', body: original.body, headers: original.headers })).status,
    ).toBe(401);
    expect(seen).toHaveLength(1);
  });

  it('Slack Socket Mode: the same envelope (and trigger) redelivered', async () => {
    const fake = await startSlackFake({ signingSecret: 'sec' });
    cleanups.push(() => fake.close());
    await started(
      slackSocketTransport({
        botToken: 'xoxb-t',
        appToken: 'xapp-1',
        apiUrl: fake.apiUrl,
        logger: silentLogger,
        retries: 0,
        now,
      }),
    );
    for (const [n, at] of REPLAYS_MS.entries()) {
      nowMs = T0 + at;
      fake.socketMode.send({
        type: 'slash_commands',
        envelope_id: n === 2 ? 'env-retry-2' : 'env-1', // Slack may also re-wrap the same command
        retry_attempt: n,
        payload: {
          command: '/k3sc',
          text: 'top',
          user_id: 'U1',
          channel_id: 'C1',
          team_id: 'T1',
          trigger_id: 'trig-s',
          response_url: fake.responseUrl(),
        },
      });
    }
    await fake.socketMode.waitFor(() => fake.socketMode.acks.length === 3);
    await fake.waitFor(() => fake.responses().length === 1);
    expect(seen).toHaveLength(1);
  });

  it('Discord HTTP interactions: the same interaction id re-signed and redelivered', async () => {
    const fake = await startDiscordFake();
    cleanups.push(() => fake.close());
    const d = createDiscordInteractions({
      publicKey: fake.keys.publicKeyHex,
      applicationId: fake.applicationId,
      apiUrl: fake.apiUrl,
      channels: [],
      logger: silentLogger,
      now,
    });
    const url = await listen((q, s) => void d.handler(q, s));
    await started(d.transport);
    const body = slashInteraction({ sub: 'top', id: '880000000000000001' });
    for (const at of REPLAYS_MS) {
      nowMs = T0 + at;
      const res = await postInteraction(url, fake.keys, body, { timestamp: Math.floor(nowMs / 1000) });
      expect(res).toEqual({ status: 200, json: { type: 5 } });
    }
    await fake.waitFor((r) => r.some((x) => x.method === 'PATCH'));
    expect(seen).toHaveLength(1);
  });
});
