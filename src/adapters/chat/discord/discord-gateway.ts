import { setTimeout as sleep } from 'node:timers/promises';
import { Client, DiscordjsErrorCodes, Events, GatewayDispatchEvents, GatewayIntentBits } from 'discord.js';
import type { CommandRouter, Transport } from '../../../bot/transport.js';
import type { Logger } from '../../../core/ports/logger.js';
import { DEFAULT_BACKOFF, reconnectDelay, type ReconnectBackoff } from '../shared/reconnect-backoff.js';
import { discordRest } from './discord-rest.js';
import type { Accepted, Interaction } from './discord-transport.js';

export interface DiscordGatewayOptions {
  /** The bot token (`DISCORD_TOKEN`). */
  readonly token: string;
  /** REST base (`chat.discord.api_url`): `GET /gateway/bot` says where the gateway is. */
  readonly apiUrl: string;
  /** The interactions transport's shared handling (dedupe, channel check, the deferred answer). */
  readonly accept: (i: Interaction) => Accepted;
  readonly logger: Logger;
  readonly backoff?: ReconnectBackoff;
  /** start() waits this long for READY (default 15 s); then discord.js keeps connecting in the background. */
  readonly startTimeoutMs?: number;
}

const isFatal = (err: unknown): boolean =>
  (err as { code?: unknown } | undefined)?.code === DiscordjsErrorCodes.TokenInvalid;

/**
 * Discord's gateway (`chat.discord.gateway: true`): one discord.js `Client` (one shard, one
 * socket), intents `Guilds` only. Slash commands arrive as INTERACTION_CREATE and take the same
 * path as HTTP interactions; the deferred answer goes out through the interaction callback.
 * Mid-stream, discord.js keeps the socket up (a missed HEARTBEAT_ACK drops a zombie socket, then
 * RESUME replays what was missed); when it cannot (no gateway at login, an invalidated session
 * or a close code it will not recover from) k3sc logs in again with capped back-off and jitter.
 */
export const discordGatewayTransport = (
  opts: DiscordGatewayOptions,
): Transport & { readonly client: () => Client | undefined } => {
  const rest = discordRest(opts.apiUrl);
  const log = opts.logger;
  let client: Client | undefined;
  let stopped = false;
  let relogging: Promise<void> | undefined;
  const wake = new AbortController();

  const onInteraction = async (i: Interaction): Promise<void> => {
    const a = opts.accept(i);
    if (a.status !== 200)
      return void log.warn({ status: a.status, body: a.body }, 'discord: interaction refused');
    const token = String(i.token);
    try {
      await rest.post(`/interactions/${String(i.id)}/${token}/callback`, { body: a.body, auth: false });
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).replaceAll(token, '<token>');
      return void log.error({ error: message, interaction: i.id }, 'discord: interaction callback failed');
    }
    a.start?.();
  };

  const login = async (): Promise<void> => {
    const c = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: opts.apiUrl, hashSweepInterval: 0, handlerSweepInterval: 0 },
    });
    c.ws.on(GatewayDispatchEvents.InteractionCreate, (d: Interaction) => void onInteraction(d));
    c.on(Events.Error, (err) => log.warn({ err: err.message }, 'discord: gateway error'));
    c.on(Events.ShardResume, (_id, replayed) => log.info({ replayed }, 'discord: gateway resumed'));
    c.on(Events.ShardDisconnect, (e) => relogin(`closed with ${e.code}`));
    c.on(Events.Invalidated, () => relogin('session invalidated'));
    client = c;
    try {
      await c.login(opts.token);
    } catch (err) {
      client = undefined;
      await c.destroy();
      throw err;
    }
    log.info({}, 'discord: gateway connected');
  };

  /** Logs in until it works (or stops); one loop at a time, so never two clients. */
  const relogin = (why: string): void => {
    if (stopped || relogging) return;
    relogging = (async () => {
      await client?.destroy();
      client = undefined;
      for (let attempt = 1; !stopped; attempt += 1) {
        const delay = reconnectDelay(attempt, opts.backoff ?? DEFAULT_BACKOFF);
        log.warn({ attempt, delayMs: delay, why }, 'discord: gateway reconnecting');
        await sleep(delay, undefined, { signal: wake.signal }).catch(() => undefined);
        if (stopped) return;
        try {
          await login();
          return;
        } catch (err) {
          if (isFatal(err)) return void log.error({}, 'discord: the bot token was refused; gateway stopped');
          why = err instanceof Error ? err.message : String(err);
        }
      }
    })().finally(() => (relogging = undefined));
  };

  return {
    name: 'discord-gateway',
    client: () => client,
    start: async (_router: CommandRouter, signal: AbortSignal) => {
      signal.addEventListener('abort', () => void (stopped = true), { once: true });
      // A gateway that is down must not hold up serve: after the timeout, keep connecting in the background.
      const first = login().then(
        () => 'ready' as const,
        (err: unknown) => ({ err }),
      );
      const timer = new AbortController();
      const outcome = await Promise.race([
        first,
        sleep(opts.startTimeoutMs ?? 15_000, 'pending' as const, { signal: timer.signal }),
      ]);
      timer.abort();
      const settle = (o: 'ready' | { err: unknown }): void => {
        if (o === 'ready') return;
        if (isFatal(o.err)) return void log.error({}, 'discord: the bot token was refused; gateway stopped');
        relogin(o.err instanceof Error ? o.err.message : String(o.err));
      };
      if (outcome === 'pending') {
        log.warn({}, 'discord: gateway not ready yet; still connecting');
        void first.then(settle);
        return;
      }
      if (outcome !== 'ready' && isFatal(outcome.err)) throw outcome.err;
      settle(outcome);
    },
    stop: async () => {
      stopped = true;
      wake.abort();
      await relogging;
      await client?.destroy();
      client = undefined;
    },
  };
};
