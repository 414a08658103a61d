import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DISCORD_FAKE_LIMITS, RateWindows } from '../chat-limits/rate-window.js';
import {
  DiscordFakeChannels,
  type DiscordFakeFile,
  type DiscordFakeMessage,
  type DiscordFakeThread,
} from './discord-channels.js';
import { newDiscordKeys, type DiscordKeys } from './discord-keys.js';
import { InteractionTokens, WEBHOOK } from './interaction-tokens.js';
import { discordGatewayFake, type DiscordGatewayFake } from './gateway-fake.js';

/** One request the fake answered (interaction tokens are part of `path`). */
export interface DiscordFakeRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly status: number;
  readonly auth?: string;
}

export interface DiscordFake {
  /** REST base for `new REST({ api })` and `chat.discord.api_url` (ends in `/api`). */
  readonly apiUrl: string;
  readonly applicationId: string;
  /** The bot token the command registration endpoints accept. */
  readonly botToken: string;
  readonly keys: DiscordKeys;
  /** Every request, in order. */
  readonly requests: readonly DiscordFakeRequest[];
  /** Registered command lists: key `global` or the guild id. */
  readonly commands: ReadonlyMap<string, readonly unknown[]>;
  /** Channel messages (posts, thread replies, attachments) with every state they had. */
  readonly messages: readonly DiscordFakeMessage[];
  readonly threads: readonly DiscordFakeThread[];
  /** Requests refused with 429 by the real limits (a well-behaved client causes none). */
  readonly refused: () => number;
  /**
   * An interaction was created now (or `at`): its token's webhook works for 15 minutes, then
   * answers 401 Invalid Webhook Token (50027), as Discord does. A token never announced counts
   * from its first use (or its gateway callback).
   */
  interactionCreated(token: string, at?: number): void;
  /** Answers the next `count` requests with 429 and `retry-after` (seconds). */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** The gateway (`GET /gateway/bot`, the WebSocket): see gateway-fake.ts. */
  readonly gateway: DiscordGatewayFake;
  /** Resolves when `pred` holds over the requests (checked after each one), or rejects after `ms`. */
  waitFor(pred: (reqs: readonly DiscordFakeRequest[]) => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** JSON, or multipart with `payload_json` and `files[n]` (attachments), as @discordjs/rest sends them. */
const readBody = async (req: IncomingMessage): Promise<{ body: unknown; files: DiscordFakeFile[] }> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: raw,
    }).formData();
    const files: DiscordFakeFile[] = [];
    let body: unknown;
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json' && typeof value === 'string') body = JSON.parse(value) as unknown;
      else if (typeof value !== 'string') files.push({ filename: value.name, content: await value.text() });
    }
    return { body, files };
  }
  const text = raw.toString('utf8');
  return { body: text === '' ? undefined : (JSON.parse(text) as unknown), files: [] };
};

const send = (
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void => {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
};

const COMMANDS = /^\/api\/v10\/applications\/([^/]+)(?:\/guilds\/([^/]+))?\/commands$/;
const CALLBACK = /^\/api\/v10\/interactions\/[^/]+\/([^/]+)\/callback$/;

/** A small Discord REST fake on 127.0.0.1: interaction webhooks and command registration. */
export const startDiscordFake = async (
  opts: {
    applicationId?: string;
    botToken?: string;
    /** `real` (default): 5 messages per 5 s per channel, 50 requests/s in all, 429 + retry-after. */
    limits?: 'real' | 'off';
    now?: () => number;
    heartbeatIntervalMs?: number;
  } = {},
): Promise<DiscordFake> => {
  const applicationId = opts.applicationId ?? '100000000000000001';
  const botToken = opts.botToken ?? 'fake-discord-bot-token';
  const requests: DiscordFakeRequest[] = [];
  const commands = new Map<string, unknown[]>();
  const events = new EventEmitter();
  let limited: { count: number; retryAfter: number } = { count: 0, retryAfter: 0 };
  let nextId = 1_000_000_000_000_000_000n;
  const snowflake = (): string => String((nextId += 1n));
  const clock = opts.now ?? Date.now;
  const channels = new DiscordFakeChannels(snowflake);
  const windows = new RateWindows(opts.now);
  const tokens = new InteractionTokens(clock, snowflake, applicationId);
  /** The real limits: per channel for channel routes, and the global one. */
  const overLimit = (method: string, path: string): number | undefined => {
    if (opts.limits === 'off') return undefined;
    const channel = DiscordFakeChannels.channelOf(path);
    // Like Discord's buckets: per route (method and path shape) and channel.
    const route = `${method} ${path.replace(/\/\d{5,}/g, '/:id')}`;
    const perChannel = channel
      ? windows.take(`${route}:${channel}`, DISCORD_FAKE_LIMITS.channel)
      : { ok: true as const };
    if (!perChannel.ok) return perChannel.retryAfterMs;
    // As on Discord, interaction responses and their webhooks are not under the bot's global limit.
    if (/^\/api\/v10\/(webhooks|interactions)\//.test(path)) return undefined;
    const global = windows.take('global', DISCORD_FAKE_LIMITS.global);
    return global.ok ? undefined : global.retryAfterMs;
  };

  const answer = (
    method: string,
    path: string,
    body: unknown,
    auth: string | undefined,
    files: readonly DiscordFakeFile[],
  ): [number, unknown] => {
    if (method === 'GET' && path === '/api/v10/gateway/bot') return gateway.gatewayBot(auth);
    // The interaction callback (gateway interactions): 204, no body, no content type.
    const callback = CALLBACK.exec(path);
    if (method === 'POST' && callback) {
      tokens.bornOf(callback[1] ?? '');
      return [204, undefined];
    }
    if (DiscordFakeChannels.channelOf(path) !== undefined) {
      if (auth !== `Bot ${botToken}`) return [401, { message: '401: Unauthorized', code: 0 }];
      const out = channels.answer(method, path, body, files);
      if (out) return out;
    }
    const hook = WEBHOOK.exec(path);
    if (hook) return tokens.webhook(method, hook, body);
    const cmd = COMMANDS.exec(path);
    if (cmd && method === 'PUT') {
      if (auth !== `Bot ${botToken}`) return [401, { message: '401: Unauthorized', code: 0 }];
      if (cmd[1] !== applicationId) return [403, { message: 'Missing Access', code: 50001 }];
      // As Discord: a command with more than 25 options (subcommands) is an invalid form body.
      if (
        (Array.isArray(body) ? body : []).some(
          (c) => ((c as { options?: unknown[] }).options?.length ?? 0) > 25,
        )
      )
        return [400, { message: 'Invalid Form Body', code: 50035 }];
      const list = (Array.isArray(body) ? body : []).map((c) => ({
        id: snowflake(),
        application_id: applicationId,
        ...(c as object),
      }));
      commands.set(cmd[2] ?? 'global', list);
      return [200, list];
    }
    return [404, { message: '404: Not Found', code: 0 }];
  };

  const server = createServer((req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const { body, files } = await readBody(req).catch(() => ({ body: undefined, files: [] }));
      const auth = req.headers.authorization;
      const record = (status: number): void => {
        requests.push({ method, path, body, status, ...(auth === undefined ? {} : { auth }) });
        events.emit('request');
      };
      if (limited.count > 0) {
        limited.count -= 1;
        record(429);
        send(
          res,
          429,
          { message: 'You are being rate limited.', retry_after: limited.retryAfter, global: false },
          { 'retry-after': String(limited.retryAfter), 'x-ratelimit-scope': 'user' },
        );
        return;
      }
      const wait = overLimit(method, path);
      if (wait !== undefined) {
        record(429);
        const seconds = Math.ceil(wait / 100) / 10;
        send(
          res,
          429,
          { message: 'You are being rate limited.', retry_after: seconds, global: false },
          { 'retry-after': String(Math.ceil(seconds)), 'x-ratelimit-scope': 'user' },
        );
        return;
      }
      const [status, out] = answer(method, path, body, auth, files);
      record(status);
      send(res, status, out);
    })();
  });
  const gateway = discordGatewayFake({
    baseUrl: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    botToken,
    applicationId,
    ...(opts.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: opts.heartbeatIntervalMs }),
  });
  server.on('upgrade', gateway.upgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    applicationId,
    botToken,
    keys: newDiscordKeys(),
    requests,
    commands,
    gateway,
    messages: channels.messages,
    threads: channels.threads,
    refused: () => windows.refused,
    interactionCreated: (token, at) => tokens.created(token, at),
    rateLimitNext: (count, retryAfter) => {
      limited = { count, retryAfter };
    },
    waitFor: (pred, ms = 5_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!pred(requests)) return;
          clearTimeout(timer);
          events.off('request', check);
          resolve();
        };
        const timer = setTimeout(() => {
          events.off('request', check);
          reject(new Error(`discord fake: condition not met after ${ms} ms (${requests.length} requests)`));
        }, ms);
        events.on('request', check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        gateway.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** The JSON body of a `/k3sc <sub> …` slash command interaction, as Discord posts it. */
export const slashInteraction = (opts: {
  sub: string;
  options?: Readonly<Record<string, string | boolean>>;
  applicationId?: string;
  userId?: string;
  roles?: readonly string[];
  channelId?: string;
  id?: string;
  token?: string;
}): Record<string, unknown> => ({
  id: opts.id ?? String(BigInt(Date.now()) << 22n),
  application_id: opts.applicationId ?? '100000000000000001',
  type: 2,
  token: opts.token ?? `itok-${randomUUID()}`,
  version: 1,
  channel_id: opts.channelId ?? '200000000000000002',
  guild_id: '300000000000000003',
  member: { user: { id: opts.userId ?? '400000000000000004', username: 'alice' }, roles: opts.roles ?? [] },
  data: {
    id: '500000000000000005',
    name: 'k3sc',
    type: 1,
    options: [
      {
        name: opts.sub,
        type: 1,
        options: Object.entries(opts.options ?? {}).map(([name, value]) => ({
          name,
          type: typeof value === 'boolean' ? 5 : 3,
          value,
        })),
      },
    ],
  },
});

/** Posts a signed interaction to k3sc the way Discord does; `forge` breaks the signature. */
export const postInteraction = async (
  url: string,
  keys: DiscordKeys,
  body: unknown,
  opts: { timestamp?: number; forge?: boolean; unsigned?: boolean } = {},
): Promise<{ status: number; json: unknown }> => {
  const text = JSON.stringify(body);
  const headers = opts.unsigned ? {} : keys.sign(text, opts.timestamp);
  if (opts.forge) headers['x-signature-ed25519'] = '00'.repeat(64);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: text,
  });
  const raw = await res.text();
  return { status: res.status, json: raw === '' ? undefined : (JSON.parse(raw) as unknown) };
};
