import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../../core/ports/logger.js';
import {
  discordCommandText,
  isDiscordSubcommand,
  type InteractionOption,
} from '../../../bot/render/discord-commands.js';
import {
  renderDiscordReply,
  renderDiscordText,
  type DiscordMessage,
} from '../../../bot/render/discord-message.js';
import type { CommandRouter, Outbound, Responder, Transport } from '../../../bot/transport.js';
import { BUTTON_PREFIX } from '../../../bot/render/discord-buttons.js';
import { discordRest, interactionWebhook } from './discord-rest.js';
import { discordOutbox } from './discord-outbox.js';
import { RecentKeys } from '../../shared/recent-keys.js';
import { headerOf as header, readBodyUpTo as readBody } from '../../shared/http-request.js';
import { checkSignature, discordPublicKey } from './verify-signature.js';

export interface DiscordTransportOptions {
  /** The 64-hex public key of the application (developer portal → General Information). */
  readonly publicKey: string;
  readonly applicationId: string;
  readonly apiUrl: string;
  /** The bot token (`DISCORD_TOKEN`): with it the transport has an outbox (threads, alerts, hand-offs). */
  readonly botToken?: string;
  /** Only these channel ids are answered (empty: every channel). */
  readonly channels: readonly string[];
  readonly logger: Logger;
  readonly now?: () => number;
  /** Redelivered interaction ids are ignored for this long (default 15 minutes). */
  readonly dedupeMs?: number;
}

interface Interaction {
  readonly id?: unknown;
  readonly type?: unknown;
  readonly token?: unknown;
  readonly channel_id?: unknown;
  readonly data?: {
    readonly name?: string;
    readonly options?: readonly InteractionOption[];
    /** A button's id: `k3sc:<command line>` for k3sc's buttons. */
    readonly custom_id?: string;
  };
  readonly member?: {
    readonly nick?: string | null;
    readonly roles?: readonly string[];
    readonly user?: User;
  };
  readonly user?: User;
}
interface User {
  readonly id: string;
  readonly username?: string;
  readonly global_name?: string | null;
}

const EPHEMERAL = 64;
const json = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

/**
 * Discord HTTP interactions at `POST /discord/interactions`: Ed25519-checked (forged, unsigned or
 * stale → 401), PING → PONG, `/k3sc …` → a deferred reply at once, then the router's answer as
 * an edit of that reply (plus follow-ups for further pages) through Discord's REST API.
 */
export const createDiscordInteractions = (
  opts: DiscordTransportOptions,
): { transport: Transport; handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> } => {
  const key = discordPublicKey(opts.publicKey);
  const now = opts.now ?? Date.now;
  const seen = new RecentKeys(opts.dedupeMs ?? 15 * 60_000, 100_000, now);
  const rest = discordRest(opts.apiUrl);
  const log = opts.logger.child({ transport: 'discord' });
  const inFlight = new Set<Promise<void>>();
  const stopper = new AbortController();
  let router: CommandRouter | undefined;

  const run = (i: Interaction, token: string, publicDefer: boolean, text?: string): void => {
    const user = i.member?.user ?? i.user;
    const channel = typeof i.channel_id === 'string' ? i.channel_id : 'dm';
    const hook = interactionWebhook(rest, opts.applicationId, token);
    const streamed: string[] = [];
    const send = async (messages: DiscordMessage[], isPrivate: boolean): Promise<void> => {
      let [first, ...rest] = messages;
      if (isPrivate && publicDefer) {
        // A public "thinking…" cannot turn private: remove it, answer in private follow-ups.
        await hook.deleteOriginal();
        rest = messages;
        first = undefined;
      }
      if (first) await hook.editOriginal(first);
      for (const m of rest) await hook.followUp(isPrivate || !publicDefer ? { ...m, flags: EPHEMERAL } : m);
    };
    const responder: Responder = {
      acknowledge: () => undefined, // the deferred reply already went out as the HTTP answer
      stream: (line) => void streamed.push(line),
      respond: async (out: Outbound) => {
        const isPrivate = out.kind === 'text' || (out.reply.exitCode ?? 0) !== 0;
        const messages =
          out.kind === 'text'
            ? renderDiscordText(out.text)
            : out.json
              ? renderDiscordText(JSON.stringify(out.reply.data, null, 2))
              : renderDiscordReply(out.reply);
        const lines = streamed.length > 0 ? renderDiscordText(streamed.splice(0).join('\n')) : [];
        await send([...lines, ...messages], isPrivate);
      },
    };
    const identity = {
      platform: 'discord',
      userId: user?.id ?? 'unknown',
      display: i.member?.nick ?? user?.global_name ?? user?.username ?? user?.id ?? 'unknown',
      groupIds: i.member?.roles ?? [],
      channelId: channel,
    };
    const job = (async () => {
      try {
        await router?.handle(
          {
            text: text ?? discordCommandText(i.data),
            who: identity,
            where: `discord:${channel}`,
            signal: stopper.signal,
          },
          responder,
        );
      } catch (err) {
        // REST errors carry the URL, and the URL carries the interaction token: keep it out of the log.
        const message = (err instanceof Error ? err.message : String(err)).replaceAll(token, '<token>');
        log.error({ error: message, interaction: i.id }, 'discord command failed');
      }
    })();
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!router || stopper.signal.aborted) return json(res, 503, { error: 'discord transport not running' });
    const body = await readBody(req, 256 * 1024);
    if (body === undefined) return json(res, 413, { error: 'body too large' });
    const verdict = checkSignature(
      key,
      { signature: header(req, 'x-signature-ed25519'), timestamp: header(req, 'x-signature-timestamp') },
      body,
      now(),
    );
    if (verdict !== 'ok') {
      log.warn({ verdict }, 'discord interaction rejected: bad signature');
      return json(res, 401, { error: 'invalid request signature' });
    }
    let i: Interaction;
    try {
      i = JSON.parse(body) as Interaction;
    } catch {
      return json(res, 400, { error: 'body is not JSON' });
    }
    if (i.type === 1) return json(res, 200, { type: 1 });
    const id = typeof i.id === 'string' ? i.id : undefined;
    const token = typeof i.token === 'string' ? i.token : undefined;
    if (id === undefined || token === undefined)
      return json(res, 400, { error: 'interaction without id or token' });
    const button = i.data?.custom_id;
    if (i.type === 3 && typeof button === 'string' && button.startsWith(BUTTON_PREFIX)) {
      // A k3sc button (Follow, Stop, Take review): its id is a command line; the answer is private.
      if (!seen.firstTime(id)) return json(res, 200, { type: 5, data: { flags: EPHEMERAL } });
      json(res, 200, { type: 5, data: { flags: EPHEMERAL } });
      run(i, token, false, button.slice(BUTTON_PREFIX.length));
      return;
    }
    if (i.type === 3)
      return json(res, 200, {
        type: 4,
        data: {
          content: 'Buttons are not wired up yet: type the command, e.g. `/k3sc top`.',
          flags: EPHEMERAL,
        },
      });
    if (i.type !== 2) return json(res, 400, { error: `interaction type ${String(i.type)} is not handled` });
    const channel = typeof i.channel_id === 'string' ? i.channel_id : undefined;
    if (opts.channels.length > 0 && (channel === undefined || !opts.channels.includes(channel)))
      return json(res, 200, {
        type: 4,
        data: { content: 'k3sc does not answer in this channel.', flags: EPHEMERAL },
      });
    const known = isDiscordSubcommand(i.data);
    if (!seen.firstTime(id)) {
      log.info({ interaction: id }, 'discord interaction redelivered: not run again');
      return json(res, 200, { type: 5, ...(known ? {} : { data: { flags: EPHEMERAL } }) });
    }
    // Acknowledge first: the deferred reply goes out before any command work starts.
    json(res, 200, { type: 5, ...(known ? {} : { data: { flags: EPHEMERAL } }) });
    run(i, token, known);
  };

  const outbox =
    opts.botToken === undefined ? undefined : discordOutbox({ botToken: opts.botToken, apiUrl: opts.apiUrl });
  let detach = (): void => undefined;
  const stop = async (): Promise<void> => {
    detach();
    stopper.abort();
    await Promise.allSettled([...inFlight]);
    outbox?.close();
  };
  return {
    handler,
    transport: {
      name: 'discord',
      ...(outbox ? { outbox } : {}),
      start: (r, signal) => {
        router = r;
        const onAbort = (): void => void stop();
        signal.addEventListener('abort', onAbort, { once: true });
        detach = () => signal.removeEventListener('abort', onAbort);
        return Promise.resolve();
      },
      stop,
    },
  };
};
