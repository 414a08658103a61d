import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/ports/logger.js';
import { textReply, errorReply } from '../../../bot/reply.js';
import type { CommandRouter, Inbound } from '../../../bot/transport.js';
import { startSlackFake, type SlackFake } from '../../../sandbox/slack-fake/index.js';
import { slackTransport, type SlackTransport } from './slack-transport.js';

const SECRET = 'slack-signing-secret-for-tests';

let fake: SlackFake;
let transport: SlackTransport;
let server: Server;
let url: string;
const seen: Inbound[] = [];
/** Resolves the current command; the test decides when the "work" finishes. */
let release: () => void = () => undefined;

const router: CommandRouter = {
  handle: async (inbound, r) => {
    if (inbound.text.trim() === '') return;
    seen.push(inbound);
    await r.acknowledge();
    if (inbound.text === 'bad')
      return void (await r.respond({ kind: 'text', text: 'error: unknown command "bad"' }));
    if (inbound.text === 'fail')
      return void (await r.respond({
        kind: 'reply',
        reply: errorReply('not_found', 'no such issue'),
        json: false,
      }));
    await new Promise<void>((resolve) => (release = resolve));
    await r.respond({
      kind: 'reply',
      reply: textReply('top', `dashboard for ${inbound.who.userId}`),
      json: false,
    });
  },
};

const post = (body: string, headers: Record<string, string>): Promise<Response> =>
  fetch(`${url}/slack/events`, { method: 'POST', body, headers });

beforeAll(async () => {
  fake = await startSlackFake({ signingSecret: SECRET });
  transport = slackTransport({
    botToken: 'xoxb-test',
    signingSecret: SECRET,
    apiUrl: fake.apiUrl,
    logger: silentLogger,
    retries: 0,
  });
  server = createServer((req, res) => void transport.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await transport.start(router, new AbortController().signal);
});

afterAll(async () => {
  release();
  await transport.stop();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await fake.close();
});

describe('slack transport (real Bolt against the Slack fake)', () => {
  it('acks a signed /k3sc before the work finishes, then answers through response_url', async () => {
    const cmd = fake.slashCommand('top', { user_id: 'U123' });
    const before = fake.responses().length;
    const res = await post(cmd.body, cmd.headers);
    // The HTTP answer came back while the command is still blocked in the router.
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(fake.responses().length).toBe(before);
    expect(seen.at(-1)?.who).toMatchObject({ platform: 'slack', userId: 'U123', channelId: 'C0FAKE' });
    release();
    await fake.waitFor(() => fake.responses().length === before + 1);
    const answer = fake.responses().at(-1)!.body;
    expect(answer['response_type']).toBe('in_channel');
    expect(JSON.stringify(answer['blocks'])).toContain('dashboard for U123');
  });

  it('answers 401 to forged, unsigned and stale requests, and runs nothing', async () => {
    const count = seen.length;
    const cmd = fake.slashCommand('top');
    const forged = { ...cmd.headers, 'x-slack-signature': `v0=${'0'.repeat(64)}` };
    expect((await post(cmd.body, forged)).status).toBe(401);
    const unsigned = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await post(cmd.body, unsigned)).status).toBe(401);
    const old = fake.slashCommand('top', { timestampSeconds: Math.floor(Date.now() / 1000) - 301 });
    expect((await post(old.body, old.headers)).status).toBe(401);
    const tampered = fake.slashCommand('top');
    expect((await post(tampered.body.replace('text=top', 'text=kill'), tampered.headers)).status).toBe(401);
    expect(seen.length).toBe(count);
  });

  it('runs a redelivered command once (same trigger id, retry headers)', async () => {
    const count = seen.length;
    const cmd = fake.slashCommand('bad', { trigger_id: 'trig-1' });
    expect((await post(cmd.body, cmd.headers)).status).toBe(200);
    const again = { ...cmd.headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };
    expect((await post(cmd.body, again)).status).toBe(200);
    expect((await post(cmd.body, cmd.headers)).status).toBe(200);
    expect(seen.length).toBe(count + 1);
  });

  it('sends usage errors and failed replies only to the caller (ephemeral)', async () => {
    const before = fake.responses().length;
    const bad = fake.slashCommand('bad');
    await post(bad.body, bad.headers);
    const fail = fake.slashCommand('fail');
    await post(fail.body, fail.headers);
    await fake.waitFor(() => fake.responses().length === before + 2);
    const [a, b] = fake.responses().slice(before);
    expect(a!.body['response_type']).toBe('ephemeral');
    expect(JSON.stringify(a!.body['blocks'])).toContain('unknown command');
    expect(b!.body['response_type']).toBe('ephemeral');
    expect(JSON.stringify(b!.body['blocks'])).toContain('no such issue');
  });

  it('acks a bare /k3sc and answers with the usage', async () => {
    const before = fake.responses().length;
    const cmd = fake.slashCommand('');
    expect((await post(cmd.body, cmd.headers)).status).toBe(200);
    await fake.waitFor(() => fake.responses().length === before + 1);
    expect(JSON.stringify(fake.responses().at(-1)!.body)).toContain('usage: /k3sc');
  });

  it('runs a k3sc button through the router with the clicker, acked first', async () => {
    const count = seen.length;
    const payload = {
      type: 'block_actions',
      team: { id: 'T0FAKE' },
      user: { id: 'U777', username: 'bob' },
      channel: { id: 'C0FAKE' },
      trigger_id: 'btn-1',
      response_url: fake.responseUrl(),
      actions: [{ type: 'button', action_id: 'k3sc:refresh', value: 'bad', block_id: 'b', action_ts: '1' }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const before = fake.responses().length;
    expect((await post(body, fake.sign(body))).status).toBe(200);
    expect(seen.length).toBe(count + 1);
    expect(seen.at(-1)).toMatchObject({
      text: 'bad',
      who: { userId: 'U777', display: 'bob' },
      where: 'slack:C0FAKE',
    });
    await fake.waitFor(() => fake.responses().length === before + 1);
  });

  it('answers url_verification with the challenge', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' });
    const res = await post(body, { ...fake.sign(body), 'content-type': 'application/json' });
    expect(await res.json()).toEqual({ challenge: 'abc123' });
  });
});
