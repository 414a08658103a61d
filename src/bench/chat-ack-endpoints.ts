import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { App } from '@slack/bolt';
import { silentLogger } from '../core/ports/logger.js';
import { textReply } from '../bot/reply.js';
import type { CommandRouter, Transport } from '../bot/transport.js';
import { slackTransport } from '../adapters/chat/slack/slack-transport.js';
import { ServeSlackReceiver } from '../adapters/chat/slack/slack-receiver.js';
import { createDiscordInteractions } from '../adapters/chat/discord/discord-transport.js';
import { checkSignature, discordPublicKey } from '../adapters/chat/discord/verify-signature.js';
import { readBodyUpTo } from '../adapters/shared/http-request.js';

/** What one command costs after its ack: a GitHub round trip or two (the dashboard's refresh). */
export const WORK_MS = 50;
const work = (): Promise<void> => sleep(WORK_MS);

export interface Endpoint {
  readonly url: string;
  close(): Promise<void>;
}

const listen = async (handler: RequestListener, stop: () => Promise<void>): Promise<Endpoint> => {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
};

/** k3sc's router stand-in: acknowledge first, then the work, then the answer. */
const ackFirst: CommandRouter = {
  handle: async (_inbound, r) => {
    await r.acknowledge();
    await work();
    await r.respond({ kind: 'reply', reply: textReply('top', 'done'), json: false });
  },
};

const started = async (t: Transport, handler: RequestListener): Promise<Endpoint> => {
  await t.start(ackFirst, new AbortController().signal);
  return listen(handler, () => t.stop());
};

/** k3sc's Slack transport (real Bolt, signature check, ack first). */
export const k3scSlack = (secret: string, apiUrl: string): Promise<Endpoint> => {
  const t = slackTransport({
    botToken: 'xoxb-bench',
    signingSecret: secret,
    apiUrl,
    logger: silentLogger,
    retries: 0,
  });
  return started(t, (q, s) => void t.handle(q, s));
};

/** Naive Slack: the same Bolt receiver and signature check, but the work happens before the ack. */
export const naiveSlack = async (secret: string, apiUrl: string): Promise<Endpoint> => {
  const receiver = new ServeSlackReceiver({ signingSecret: secret, logger: silentLogger });
  const app = new App({
    token: 'xoxb-bench',
    receiver,
    clientOptions: { slackApiUrl: apiUrl, retryConfig: { retries: 0 } },
  });
  app.command(/.*/, async ({ ack }) => {
    await work();
    await ack({ response_type: 'in_channel', text: 'done' });
  });
  await app.start();
  return listen(
    (q, s) => void receiver.handle(q, s),
    () => app.stop().then(() => undefined),
  );
};

/** k3sc's Discord interactions endpoint (Ed25519 check, deferred reply first). */
export const k3scDiscord = (publicKey: string, applicationId: string, apiUrl: string): Promise<Endpoint> => {
  const d = createDiscordInteractions({
    publicKey,
    applicationId,
    apiUrl,
    channels: [],
    logger: silentLogger,
  });
  return started(d.transport, (q, s) => void d.handler(q, s));
};

/** Naive Discord: the same signature check, then the work, then the answer as the HTTP response. */
export const naiveDiscord = (publicKey: string): Promise<Endpoint> => {
  const key = discordPublicKey(publicKey);
  return listen(
    (req, res) =>
      void (async () => {
        const body = (await readBodyUpTo(req, 256 * 1024)) ?? '';
        const h = (n: string): string | undefined => req.headers[n] as string | undefined;
        const verdict = checkSignature(
          key,
          { signature: h('x-signature-ed25519'), timestamp: h('x-signature-timestamp') },
          body,
          Date.now(),
        );
        if (verdict !== 'ok') return void res.writeHead(401).end();
        await work();
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ type: 4, data: { content: 'done' } }));
      })(),
    () => Promise.resolve(),
  );
};
