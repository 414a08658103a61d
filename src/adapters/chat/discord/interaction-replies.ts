import { DiscordAPIError } from '@discordjs/rest';
import type { Logger } from '../../../core/ports/logger.js';
import type { DiscordMessage } from '../../../bot/render/discord-message.js';
import type { DiscordOutbox } from './discord-outbox.js';
import type { interactionWebhook } from './discord-rest.js';

/** An interaction token works for 15 minutes after the interaction was created; then it is dead. */
export const INTERACTION_WINDOW_MS = 15 * 60_000;
/** Past this age k3sc no longer tries the token (clocks and slow requests): it answers as the bot. */
export const INTERACTION_SAFE_MS = INTERACTION_WINDOW_MS - 30_000;

/** Discord's answer for a dead interaction token: 401 Invalid Webhook Token. */
const INVALID_WEBHOOK_TOKEN = 50027;
const isDeadToken = (err: unknown): boolean =>
  err instanceof DiscordAPIError && (err.code === INVALID_WEBHOOK_TOKEN || err.status === 401);

export interface InteractionReplies {
  /** The deferred reply (or, for a click, the clicked message) becomes `m`; the message id when known. */
  editOriginal(m: DiscordMessage): Promise<string | undefined>;
  /** Removes the deferred "thinking…" (nothing to do once the token is dead). */
  deleteOriginal(): Promise<void>;
  /** Another message; the id when known. */
  followUp(m: DiscordMessage): Promise<string | undefined>;
  /** Edits a message this interaction posted, by id (a confirmation card that expired). */
  editMessage(id: string, m: DiscordMessage): Promise<void>;
}

const idOf = (out: unknown): string | undefined =>
  out !== null && typeof out === 'object' && typeof (out as { id?: unknown }).id === 'string'
    ? (out as { id: string }).id
    : undefined;

/**
 * How one interaction answers: through its webhook (the token) while the token lives, and after
 * Discord's 15-minute window — or when Discord says the token is dead — as ordinary bot messages
 * in the channel (the bot token, through the guild's send budget): new messages instead of
 * follow-ups and of the deferred reply, a channel edit instead of the clicked message's update.
 * Without a bot token a late answer is lost, and logged.
 */
export const interactionReplies = (o: {
  readonly hook: ReturnType<typeof interactionWebhook>;
  readonly outbox?: DiscordOutbox;
  readonly channel: string;
  /** A click: the message whose button was clicked. */
  readonly clickedMessageId?: string;
  readonly receivedAt: number;
  readonly now: () => number;
  readonly log: Logger;
}): InteractionReplies => {
  let dead = false;
  const alive = (): boolean => !dead && o.now() - o.receivedAt < INTERACTION_SAFE_MS;
  /** Tries the token; a dead-token answer switches this interaction to bot messages for good. */
  const viaToken = async <T>(send: () => Promise<T>, late: () => Promise<T>): Promise<T> => {
    if (alive())
      try {
        return await send();
      } catch (err) {
        if (!isDeadToken(err)) throw err;
        o.log.info({ channel: o.channel }, 'discord interaction token expired: answering as the bot');
      }
    dead = true;
    return late();
  };
  const lost = (what: string): undefined => {
    o.log.warn(
      { channel: o.channel },
      `discord: ${what} came after the 15-minute interaction window and there is no bot token (DISCORD_TOKEN) to post it`,
    );
    return undefined;
  };
  const post = async (m: DiscordMessage): Promise<string | undefined> =>
    o.outbox ? (await o.outbox.postMessage(o.channel, m)).id : lost('an answer');
  return {
    editOriginal: (m) =>
      viaToken(
        async () => idOf(await o.hook.editOriginal(m)),
        async () => {
          if (o.clickedMessageId === undefined || !o.outbox) return post(m);
          await o.outbox.editMessage({ channel: o.channel, id: o.clickedMessageId }, m);
          return o.clickedMessageId;
        },
      ),
    deleteOriginal: () =>
      viaToken(
        async () => void (await o.hook.deleteOriginal()),
        () => Promise.resolve(),
      ),
    followUp: (m) =>
      viaToken(
        async () => idOf(await o.hook.followUp(m)),
        () => post(m),
      ),
    editMessage: (id, m) =>
      viaToken(
        async () => void (await o.hook.editMessage(id, m)),
        async () => {
          if (o.outbox) await o.outbox.editMessage({ channel: o.channel, id }, m);
          else lost('an edit');
        },
      ),
  };
};

const EPHEMERAL = 64;

/**
 * One answer as messages: for a click, `replace` makes the clicked message the first one (its
 * buttons go unless it has some) and the rest follow; for a command, the deferred reply is the
 * first one (a private answer after a public "thinking…" removes it and follows privately).
 * Returns the id of the first message sent, when known (to edit it later).
 */
export const sendInteractionMessages = async (
  hook: InteractionReplies,
  messages: readonly DiscordMessage[],
  o: { isPrivate: boolean; replace: boolean; click: boolean; publicDefer: boolean },
): Promise<string | undefined> => {
  const ids: (string | undefined)[] = [];
  const privately = (m: DiscordMessage): DiscordMessage => ({ ...m, flags: EPHEMERAL });
  if (o.click) {
    const [first, ...more] = messages;
    if (o.replace && first)
      ids.push(await hook.editOriginal({ ...first, components: first.components ?? [] }));
    for (const m of o.replace ? more : messages)
      ids.push(await hook.followUp(o.isPrivate ? privately(m) : m));
    return ids[0];
  }
  let [first, ...rest] = messages;
  if (o.isPrivate && o.publicDefer) {
    await hook.deleteOriginal();
    rest = [...messages];
    first = undefined;
  }
  if (first) ids.push(await hook.editOriginal(first));
  for (const m of rest) ids.push(await hook.followUp(o.isPrivate || !o.publicDefer ? privately(m) : m));
  return ids[0];
};
