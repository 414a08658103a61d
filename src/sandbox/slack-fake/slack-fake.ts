import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RateWindows, SLACK_FAKE_LIMITS, type WindowLimit } from '../chat-limits/rate-window.js';
import { slackSignatureHeaders, slashCommandBody } from './sign.js';
import { socketModeFake, type SocketModeFake } from './socket-mode-fake.js';
import { SlackFakeFiles, type SlackFakeUpload } from './slack-files.js';

/** One Web API call or `response_url` POST as the fake received it (JSON-string fields decoded). */
export interface SlackFakeRecord {
  readonly kind: 'api' | 'response';
  /** `chat.postMessage`, `chat.update`, `auth.test`, … or the response_url id. */
  readonly method: string;
  readonly body: Record<string, unknown>;
  readonly authorization?: string;
  readonly at: number;
}

/** A message in a channel (posted, then maybe updated). */
export interface SlackFakeMessage {
  readonly channel: string;
  readonly ts: string;
  /** The root message's ts when this is a thread reply. */
  readonly thread_ts?: string;
  text: string;
  blocks: unknown;
  /** Message metadata (`event_type`, `event_payload`) as posted. */
  readonly metadata?: unknown;
  edits: number;
  /** Every state it had, the first post included (transcripts show them). */
  readonly states: { readonly text: string; readonly blocks: unknown }[];
}

export interface SlackFake {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** The Web API base for `clientOptions.slackApiUrl` (ends with `/api/`). */
  readonly apiUrl: string;
  readonly records: readonly SlackFakeRecord[];
  readonly messages: readonly SlackFakeMessage[];
  /** Files uploaded through files.getUploadURLExternal + completeUploadExternal. */
  readonly uploads: readonly SlackFakeUpload[];
  /** Calls refused with 429 by the real limits (a well-behaved client causes none). */
  readonly refused: () => number;
  /** What arrived at response_urls, in order. */
  readonly responses: () => readonly SlackFakeRecord[];
  /** A fresh response_url on this fake. */
  responseUrl(): string;
  /** Headers like Slack's for `body` (timestamp in seconds, default now). */
  sign(body: string, timestampSeconds?: number): Record<string, string>;
  /** A signed slash command `/k3sc <text>`, ready for `fetch(endpoint, { method: 'POST', ...it })`. */
  slashCommand(
    text: string,
    extra?: Partial<Parameters<typeof slashCommandBody>[0]> & { timestampSeconds?: number },
  ): { body: string; headers: Record<string, string> };
  /** Resolves once `pred` holds for the records (polls on every record). */
  waitFor(pred: (records: readonly SlackFakeRecord[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Make the next `n` Web API calls answer HTTP `status` (429 sends retry-after: 1). */
  failNext(n: number, status: number): void;
  /** Socket Mode: `apps.connections.open` and the sockets it hands out (see socket-mode-fake.ts). */
  readonly socketMode: SocketModeFake;
  /** The members `usergroups.users.list` answers for a user group id (unknown ids: `no_such_subteam`). */
  setUserGroup(id: string, users: readonly string[]): void;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata'];

/** Form or JSON bodies, with the JSON-string fields Slack's client sends decoded. */
const parseBody = (text: string, contentType: string): Record<string, unknown> => {
  if (text === '') return {};
  if (contentType.includes('application/json')) return JSON.parse(text) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    if (JSON_FIELDS.includes(k)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        /* keep the string */
      }
    }
    out[k] = v;
  }
  return out;
};

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

const send = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
};

/**
 * A stateful Slack on 127.0.0.1:0 for tests and the demo: the Web API methods k3sc uses
 * (`auth.test`, `chat.postMessage`, `chat.update`), response_url endpoints, and a signer that
 * makes requests toward k3sc the way Slack does. Everything it receives is recorded.
 */
export const startSlackFake = async (opts: {
  signingSecret: string;
  teamId?: string;
  /** `real` (default): chat.update 50/min per workspace, 1 post/s per channel, 429 + Retry-After. */
  limits?: 'real' | 'off';
  now?: () => number;
}): Promise<SlackFake> => {
  const records: SlackFakeRecord[] = [];
  const userGroups = new Map<string, readonly string[]>();
  const messages: SlackFakeMessage[] = [];
  const waiters = new Set<() => void>();
  let failures: { n: number; status: number } = { n: 0, status: 200 };
  let seq = 0;
  const teamId = opts.teamId ?? 'T0FAKE';
  let url = '';
  const files = new SlackFakeFiles(() => url);
  const windows = new RateWindows(opts.now);
  /** The limit a method is under, and the bucket it counts in. */
  const limitOf = (method: string, body: Record<string, unknown>): [string, WindowLimit] | undefined => {
    if (opts.limits === 'off') return undefined;
    if (method === 'chat.update') return [`update:${teamId}`, SLACK_FAKE_LIMITS.update];
    if (method === 'chat.postMessage') return [`post:${str(body['channel'])}`, SLACK_FAKE_LIMITS.post];
    if (method.startsWith('files.')) return [`files:${teamId}`, SLACK_FAKE_LIMITS.upload];
    return undefined;
  };
  const record = (r: SlackFakeRecord): void => {
    records.push(r);
    for (const w of [...waiters]) w();
  };
  const api = (method: string, body: Record<string, unknown>): { status: number; body: unknown } => {
    switch (method) {
      case 'auth.test':
        return {
          status: 200,
          body: {
            ok: true,
            url: 'https://fake.slack.com/',
            team: 'fake',
            user: 'k3sc',
            team_id: teamId,
            user_id: 'U0BOT',
            bot_id: 'B0BOT',
          },
        };
      case 'chat.postMessage': {
        const channel = str(body['channel']);
        const thread = str(body['thread_ts']);
        if (thread !== '' && !messages.some((x) => x.channel === channel && x.ts === thread))
          return { status: 200, body: { ok: false, error: 'thread_not_found' } };
        const m: SlackFakeMessage = {
          channel,
          ts: `${1_700_000_000 + ++seq}.000100`,
          ...(thread === '' ? {} : { thread_ts: thread }),
          text: str(body['text']),
          blocks: body['blocks'],
          ...(body['metadata'] === undefined ? {} : { metadata: body['metadata'] }),
          edits: 0,
          states: [{ text: str(body['text']), blocks: body['blocks'] }],
        };
        messages.push(m);
        return {
          status: 200,
          body: { ok: true, channel: m.channel, ts: m.ts, message: { text: m.text, blocks: m.blocks } },
        };
      }
      case 'chat.update': {
        const m = messages.find((x) => x.channel === body['channel'] && x.ts === body['ts']);
        if (!m) return { status: 200, body: { ok: false, error: 'message_not_found' } };
        m.text = str(body['text'], m.text);
        m.blocks = body['blocks'] ?? m.blocks;
        m.edits += 1;
        m.states.push({ text: m.text, blocks: m.blocks });
        return { status: 200, body: { ok: true, channel: m.channel, ts: m.ts } };
      }
      case 'conversations.history': {
        // Newest first, channel messages only (thread replies are not in the history), as Slack.
        const withMeta = body['include_all_metadata'] === true || body['include_all_metadata'] === 'true';
        const list = messages
          .filter((x) => x.channel === str(body['channel']) && x.thread_ts === undefined)
          .reverse()
          .slice(0, Number(body['limit'] ?? 100))
          .map((x) => ({
            type: 'message',
            ts: x.ts,
            text: x.text,
            blocks: x.blocks,
            ...(withMeta && x.metadata !== undefined ? { metadata: x.metadata } : {}),
          }));
        return { status: 200, body: { ok: true, messages: list, has_more: false } };
      }
      case 'usergroups.users.list': {
        const users = userGroups.get(str(body['usergroup']));
        return users
          ? { status: 200, body: { ok: true, users: [...users] } }
          : { status: 200, body: { ok: false, error: 'no_such_subteam' } };
      }
      case 'files.getUploadURLExternal':
        return { status: 200, body: files.getUploadUrl(body) };
      case 'files.completeUploadExternal':
        return { status: 200, body: files.complete(body) };
      default:
        return { status: 200, body: { ok: false, error: 'unknown_method' } };
    }
  };
  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const raw = await readBody(req);
      if (path.startsWith('/upload/') && req.method === 'POST') {
        const ok = files.receive(path.slice('/upload/'.length), raw);
        res.writeHead(ok ? 200 : 404, { 'content-type': 'text/plain' }).end(ok ? 'OK' : 'no such upload');
        return;
      }
      const body = parseBody(raw, req.headers['content-type'] ?? '');
      const at = Date.now();
      const authorization = req.headers.authorization;
      if (path.startsWith('/api/')) {
        const method = path.slice('/api/'.length);
        record({ kind: 'api', method, body, at, ...(authorization ? { authorization } : {}) });
        if (failures.n > 0) {
          failures = { ...failures, n: failures.n - 1 };
          send(
            res,
            failures.status,
            { ok: false, error: 'fake_failure' },
            failures.status === 429 ? { 'retry-after': '1' } : {},
          );
          return;
        }
        const limit = limitOf(method, body);
        const verdict = limit ? windows.take(limit[0], limit[1]) : { ok: true as const };
        if (!verdict.ok) {
          const seconds = String(Math.ceil(verdict.retryAfterMs / 1000));
          send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': seconds });
          return;
        }
        const out = method === 'apps.connections.open' ? socket.open(authorization) : api(method, body);
        send(res, out.status, out.body);
      } else if (path.startsWith('/response/') && req.method === 'POST') {
        record({ kind: 'response', method: path.slice('/response/'.length), body, at });
        send(res, 200, { ok: true });
      } else send(res, 404, { ok: false, error: 'no_route' });
    })().catch(() => send(res, 400, { ok: false, error: 'invalid_body' }));
  });
  const socket = socketModeFake({ baseUrl: () => url, responseUrl: () => responseUrl() });
  server.on('upgrade', socket.upgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const responseUrl = (): string => `${url}/response/${++seq}`;
  const sign = (body: string, ts?: number): Record<string, string> =>
    slackSignatureHeaders(opts.signingSecret, body, ts);
  return {
    url,
    apiUrl: `${url}/api/`,
    records,
    messages,
    uploads: files.uploads,
    refused: () => windows.refused,
    responses: () => records.filter((r) => r.kind === 'response'),
    responseUrl,
    sign,
    slashCommand: (text, extra = {}) => {
      const { timestampSeconds, ...fields } = extra;
      const body = slashCommandBody({ team_id: teamId, response_url: responseUrl(), ...fields, text });
      return { body, headers: sign(body, timestampSeconds) };
    },
    waitFor: (pred, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!pred(records)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`slack fake: condition not met within ${timeoutMs} ms (${records.length} records)`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    failNext: (n, status) => {
      failures = { n, status };
    },
    socketMode: socket,
    setUserGroup: (id, users) => void userGroups.set(id, users),
    close: () =>
      new Promise<void>((resolve) => {
        socket.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
