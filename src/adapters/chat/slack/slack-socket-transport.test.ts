import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/ports/logger.js';
import { textReply } from '../../../bot/reply.js';
import type { CommandRouter, Inbound, Transport } from '../../../bot/transport.js';
import { startSlackFake, type SlackFake } from '../../../sandbox/slack-fake/index.js';
import { slackSocketTransport } from './slack-socket-transport.js';

let fake: SlackFake;
let transport: Transport;
const seen: Inbound[] = [];
let gate: Promise<void> = Promise.resolve();

const router: CommandRouter = {
  handle: async (inbound, r) => {
    if (inbound.text.trim() === '') return;
    seen.push(inbound);
    await r.acknowledge();
    await gate;
    await r.respond({ kind: 'reply', reply: textReply('ok', `done: ${inbound.text}`), json: false });
  },
};

const runs = (text: string): number => seen.filter((s) => s.text === text).length;
const answered = (text: string): boolean =>
  fake.responses().some((r) => JSON.stringify(r.body).includes(`done: ${text}`));

/** Sends `text` on the current socket and waits until it was acked and answered. */
const roundTrip = async (text: string): Promise<string> => {
  const id = fake.socketMode.slashCommand(text);
  await fake.socketMode.waitFor(() => fake.socketMode.acks.some((a) => a.envelopeId === id));
  await fake.waitFor(() => answered(text));
  return id;
};

const connectedAgain = (before: number) => (): boolean =>
  fake.socketMode.connections() > before && fake.socketMode.openSockets() === 1;

beforeAll(async () => {
  fake = await startSlackFake({ signingSecret: 'unused-in-socket-mode' });
  transport = slackSocketTransport({
    botToken: 'xoxb-test',
    appToken: 'xapp-1-test',
    apiUrl: fake.apiUrl,
    logger: silentLogger,
    retries: 0,
    pingIntervalMs: 50,
    pongTimeoutMs: 400,
    backoff: { baseMs: 20, capMs: 200 },
  });
  await transport.start(router, new AbortController().signal);
});

afterAll(async () => {
  await transport.stop();
  await fake.close();
});

describe("slack socket mode (real Bolt over k3sc's socket, against the fake)", () => {
  it('connects with the app token, acks an envelope before the work ends, answers via response_url', async () => {
    expect(
      fake.records.some(
        (r) => r.method === 'apps.connections.open' && r.authorization === 'Bearer xapp-1-test',
      ),
    ).toBe(true);
    let open = (): void => undefined;
    gate = new Promise((resolve) => (open = resolve));
    const id = fake.socketMode.slashCommand('top', { user_id: 'U42', channel_id: 'C9' });
    await fake.socketMode.waitFor(() => fake.socketMode.acks.some((a) => a.envelopeId === id));
    expect(answered('top')).toBe(false); // acked while the command is still running
    expect(seen.at(-1)).toMatchObject({
      text: 'top',
      who: { platform: 'slack', userId: 'U42' },
      where: 'slack:C9',
    });
    open();
    await fake.waitFor(() => answered('top'));
    gate = Promise.resolve();
  });

  it('runs a redelivered envelope once (same envelope id, or same trigger id), acking each copy', async () => {
    const payload = { text: 'status', trigger_id: 'trig-same' };
    const first = fake.socketMode.slashCommand('status', payload, 'env-dup');
    fake.socketMode.send({ type: 'slash_commands', envelope_id: 'env-dup', retry_attempt: 1, payload: {} });
    fake.socketMode.slashCommand('status', payload, 'env-other');
    await fake.socketMode.waitFor(
      () =>
        fake.socketMode.acks.filter((a) => a.envelopeId === first || a.envelopeId === 'env-other').length ===
        3,
    );
    await fake.waitFor(() => answered('status'));
    expect(runs('status')).toBe(1);
  });

  it('comes back after the socket is killed mid-stream, and commands run exactly once', async () => {
    const before = fake.socketMode.connections();
    fake.socketMode.killSocket();
    await fake.socketMode.waitFor(connectedAgain(before));
    await roundTrip('after-kill');
    expect(runs('after-kill')).toBe(1);
  });

  it('drops a half-open socket (pings unanswered) by its watchdog and reconnects', async () => {
    const before = fake.socketMode.connections();
    fake.socketMode.silence();
    await fake.socketMode.waitFor(connectedAgain(before));
    await roundTrip('after-silence');
    expect(runs('after-silence')).toBe(1);
  });

  it('on disconnect/refresh_requested opens the new socket first, then closes the old one itself', async () => {
    const before = fake.socketMode.connections();
    fake.socketMode.refresh();
    await fake.socketMode.waitFor(() => fake.socketMode.connections() === before + 1);
    // The old socket is closed by k3sc (the fake would wait 10 s), leaving exactly one.
    await fake.socketMode.waitFor(() => fake.socketMode.openSockets() === 1, 5_000);
    expect(fake.socketMode.maxOpenSockets()).toBe(2); // only ever during a refresh overlap
    await roundTrip('after-refresh');
    expect(runs('after-refresh')).toBe(1);
  });

  it('keeps retrying (back-off) while Slack refuses new connections, then comes back', async () => {
    const before = fake.socketMode.connections();
    const opens = (): number => fake.records.filter((r) => r.method === 'apps.connections.open').length;
    const opensBefore = opens();
    fake.socketMode.acceptConnections(false);
    fake.socketMode.killSocket();
    await fake.waitFor(() => opens() >= opensBefore + 3);
    expect(fake.socketMode.openSockets()).toBe(0);
    fake.socketMode.acceptConnections(true);
    await fake.socketMode.waitFor(connectedAgain(before));
    await roundTrip('after-outage');
    expect(runs('after-outage')).toBe(1);
    expect(fake.socketMode.openSockets()).toBe(1);
  });

  it('refuses to start with a token that is not an app-level token', async () => {
    const bad = slackSocketTransport({
      botToken: 'xoxb-test',
      appToken: 'xoxb-not-an-app-token',
      apiUrl: fake.apiUrl,
      logger: silentLogger,
      retries: 0,
    });
    await expect(bad.start(router, new AbortController().signal)).rejects.toThrow(/not_allowed_token_type/);
    await bad.stop();
  });
});
