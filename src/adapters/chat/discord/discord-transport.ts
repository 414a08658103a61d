import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../../core/ports/logger.js';
import { discordCommandText } from '../../../bot/render/discord-commands.js';
import {
  renderDiscordReply,
  renderDiscordText,
  type DiscordMessage,
} from '../../../bot/render/discord-message.js';
import type { CommandRouter, Outbound, Responder, Transport } from '../../../bot/transport.js';
import { discordRest, interactionWebhook } from './discord-rest.js';
import { admitInteraction, type Interaction } from './admit-interaction.js';
import { discordOutbox } from './discord-outbox.js';
import { interactionReplies, sendInteractionMessages } from './interaction-replies.js';
import { RecentKeys } from '../../shared/recent-keys.js';
import { headerOf as header, readBodyUpTo as readBody } from '../../shared/http-request.js';
import { checkSignature, discordPublicKey } from './verify-signature.js';

export interface DiscordTransportOptions {
  /** The 64-hex public key of the application (developer portal → General Information); without it (gateway only) HTTP answers 503. */
  readonly publicKey?: string;
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

/** The answer to an interaction, and (for a command that runs) what starts it once the answer is out. */
export interface Accepted {
  readonly status: number;
  readonly body: unknown;
  readonly start?: () => void;
}
export type { Interaction };

const USAGE = 'usage: /k3sc <command> [args]; /k3sc help lists the commands';
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
): {
  transport: Transport;
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** For the gateway: the answer to send through the interaction callback, and the command to start after it. */
  accept: (i: Interaction) => Accepted;
} => {
  const key = opts.publicKey === undefined ? undefined : discordPublicKey(opts.publicKey);
  const now = opts.now ?? Date.now;
  const seen = new RecentKeys(opts.dedupeMs ?? 15 * 60_000, 100_000, now);
  const rest = discordRest(opts.apiUrl);
  const log = opts.logger.child({ transport: 'discord' });
  const inFlight = new Set<Promise<void>>();
  const stopper = new AbortController();
  let router: CommandRouter | undefined;
  // With the bot token: k3sc's own posts, and answers that come after the interaction window.
  const outbox =
    opts.botToken === undefined ? undefined : discordOutbox({ botToken: opts.botToken, apiUrl: opts.apiUrl });

  /** `button`: a click acknowledged as a deferred update; @original is then the clicked message. */
  const run = (i: Interaction, token: string, publicDefer: boolean, button?: string): void => {
    const user = i.member?.user ?? i.user;
    const channel = typeof i.channel_id === 'string' ? i.channel_id : 'dm';
    const hook = interactionReplies({
      hook: interactionWebhook(rest, opts.applicationId, token),
      ...(outbox ? { outbox } : {}),
      channel,
      ...(typeof i.message?.id === 'string' ? { clickedMessageId: i.message.id } : {}),
      receivedAt: now(),
      now,
      log,
    });
    const streamed: string[] = [];
    const send = (messages: DiscordMessage[], isPrivate: boolean, replace = false) =>
      sendInteractionMessages(hook, messages, {
        isPrivate,
        replace,
        click: button !== undefined,
        publicDefer,
      });
    let answered = false;
    let lastPosted: string | undefined;
    const render = (out: Outbound): DiscordMessage[] =>
      out.kind === 'text'
        ? renderDiscordText(out.text)
        : out.json
          ? renderDiscordText(JSON.stringify(out.reply.data, null, 2))
          : renderDiscordReply(out.reply);
    const responder: Responder = {
      acknowledge: () => undefined, // the deferred reply already went out as the HTTP answer
      stream: (line) => void streamed.push(line),
      respond: async (out: Outbound) => {
        answered = true;
        const isPrivate = out.kind === 'text' || (out.reply.exitCode ?? 0) !== 0;
        const lines = streamed.length > 0 ? renderDiscordText(streamed.splice(0).join('\n')) : [];
        const messages = render(out);
        const id = await send(
          [...lines, ...messages],
          isPrivate && out.replace !== true,
          out.replace === true,
        );
        lastPosted = lines.length === 0 ? id : undefined;
      },
      replaceLater: () => {
        const id = lastPosted;
        if (id === undefined) return undefined;
        return async (out) => {
          const [first] = render(out);
          if (first) await hook.editMessage(id, { ...first, components: first.components ?? [] });
        };
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
            text: button ?? discordCommandText(i.data),
            who: identity,
            where: `discord:${channel}`,
            signal: stopper.signal,
            ...(button === undefined ? {} : { fromButton: true }),
          },
          responder,
        );
        // A line the router found blank (e.g. a subcommand named "/k3sc") still gets an answer:
        // a deferred reply left alone says "thinking…" forever.
        if (!answered) await responder.respond({ kind: 'text', text: USAGE });
      } catch (err) {
        // REST errors carry the URL, and the URL carries the interaction token: keep it out of the log.
        const message = (err instanceof Error ? err.message : String(err)).replaceAll(token, '<token>');
        log.error({ error: message, interaction: i.id }, 'discord command failed');
      }
    })();
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
  };

  /**
   * What to answer an interaction (the HTTP response, or the gateway's callback) and, for a new
   * command, how to start it once that answer is out: HTTP and gateway share this, and one memory
   * of interaction ids, so a redelivery on either path runs nothing.
   */
  const accept = (i: Interaction): Accepted => {
    const id = typeof i.id === 'string' ? i.id : undefined;
    const token = typeof i.token === 'string' ? i.token : undefined;
    if (id === undefined || token === undefined)
      return { status: 400, body: { error: 'interaction without id or token' } };
    const admitted = admitInteraction(i, opts.channels);
    if ('answer' in admitted) return admitted.answer;
    const { ack, known, button } = admitted;
    if (!seen.firstTime(id)) {
      log.info({ interaction: id }, 'discord interaction redelivered: not run again');
      return { status: 200, body: ack };
    }
    // Acknowledge first: the deferred reply goes out before any command work starts.
    return { status: 200, body: ack, start: () => run(i, token, known, button) };
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!router || stopper.signal.aborted) return json(res, 503, { error: 'discord transport not running' });
    if (key === undefined)
      return json(res, 503, { error: 'set chat.discord.public_key for HTTP interactions' });
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
    const a = accept(i);
    json(res, a.status, a.body);
    a.start?.();
  };

  let detach = (): void => undefined;
  const stop = async (): Promise<void> => {
    detach();
    stopper.abort();
    await Promise.allSettled([...inFlight]);
    outbox?.close();
  };
  return {
    handler,
    accept: (i) =>
      !router || stopper.signal.aborted
        ? { status: 503, body: { error: 'discord transport not running' } }
        : accept(i),
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
