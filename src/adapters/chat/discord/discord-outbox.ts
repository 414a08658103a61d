import { DiscordAPIError, type REST } from '@discordjs/rest';
import {
  DISCORD_SEND_LIMITS,
  SendBudget,
  type BudgetLimits,
  type BudgetTimers,
} from '../../../core/domain/send-budget.js';
import type { Reply } from '../../../bot/reply.js';
import { renderDiscordReply, type DiscordMessage } from '../../../bot/render/discord-message.js';
import type { ChatOutbox, ChatTarget, PostedMessage } from '../../../bot/transport.js';
import { realTimers } from '../budget-timers.js';
import { discordRest } from './discord-rest.js';

export interface DiscordOutboxOptions {
  readonly botToken: string;
  /** REST base (`chat.discord.api_url`). */
  readonly apiUrl: string;
  readonly limits?: BudgetLimits;
  readonly timers?: BudgetTimers;
  readonly rest?: REST;
}

export interface DiscordOutbox extends ChatOutbox {
  readonly budget: SendBudget;
  /** A rendered message as an ordinary bot message in a channel (answers past the interaction window). */
  postMessage(channel: string, m: DiscordMessage): Promise<PostedMessage>;
  /** Edits a bot message in place (a card or a clicked message past the interaction window). */
  editMessage(message: PostedMessage, m: DiscordMessage): Promise<void>;
  close(): void;
}

type Path = `/${string}`;
const THREAD_EXISTS = 160004;

/**
 * A root message Discord can find again: the marker as the nonce (Discord also drops a repeat
 * within minutes with `enforce_nonce`) and in the first embed's footer (GET messages shows it).
 */
const marked = (
  m: DiscordMessage,
  marker: string,
): DiscordMessage & { nonce: string; enforce_nonce: boolean } => {
  const [first, ...more] = m.embeds ?? [];
  const footer = { text: [first?.footer?.text, `k3sc ${marker}`].filter(Boolean).join(' · ') };
  return {
    ...m,
    ...(first ? { embeds: [{ ...first, footer }, ...more] } : {}),
    nonce: marker,
    enforce_nonce: true,
  };
};

const firstPage = (reply: Reply): DiscordMessage => {
  const [m] = renderDiscordReply(reply);
  return m ?? { content: reply.title, allowed_mentions: { parse: [] } };
};

/**
 * What k3sc posts on its own in Discord, through @discordjs/rest (which waits out 429s by their
 * retry-after itself): channel messages, edits, a thread started from the root message (its id is
 * the root's id), and attachments, all through one budget for the guild.
 */
export const discordOutbox = (opts: DiscordOutboxOptions): DiscordOutbox => {
  const rest = opts.rest ?? discordRest(opts.apiUrl, opts.botToken);
  const budget = new SendBudget(opts.limits ?? DISCORD_SEND_LIMITS, opts.timers ?? realTimers);
  const threads = new Set<string>();

  /** The channel a message to `target` goes to: the thread (opened on first use) or the channel. */
  const channelFor = async (target: ChatTarget): Promise<string> => {
    if (target.thread === undefined) return target.channel;
    const root = target.thread;
    if (threads.has(root)) return root;
    try {
      await rest.post(`/channels/${target.channel}/messages/${root}/threads` as Path, {
        body: { name: 'k3sc attempt', auto_archive_duration: 10080 },
      });
    } catch (err) {
      if (!(err instanceof DiscordAPIError && err.code === THREAD_EXISTS)) throw err;
    }
    threads.add(root);
    return root;
  };

  const create = async (target: ChatTarget, body: unknown, files?: { name: string; data: Buffer }[]) => {
    const channel = await channelFor(target);
    const out = (await rest.post(`/channels/${channel}/messages` as Path, {
      body,
      ...(files ? { files } : {}),
    })) as { id: string; channel_id?: string };
    return { channel: out.channel_id ?? channel, id: out.id };
  };

  const editMessage = async (message: PostedMessage, whole: DiscordMessage): Promise<void> => {
    const { flags: _flags, ...m } = whole;
    await budget.submit({
      kind: 'edit',
      channel: message.channel,
      key: `${message.channel}/${message.id}`,
      run: () => rest.patch(`/channels/${message.channel}/messages/${message.id}` as Path, { body: m }),
    });
  };

  return {
    platform: 'discord',
    budget,
    close: () => budget.close(),
    post: (target, reply): Promise<PostedMessage> =>
      budget.submit({
        kind: 'post',
        channel: target.thread ?? target.channel,
        run: () => create(target, firstPage(reply)),
      }),
    postMarked: (target, reply, marker): Promise<PostedMessage> =>
      budget.submit({
        kind: 'post',
        channel: target.thread ?? target.channel,
        run: () => create(target, marked(firstPage(reply), marker)),
      }),
    findMarked: async (channel, marker) => {
      const recent = (await rest.get(`/channels/${channel}/messages` as Path, {
        query: new URLSearchParams({ limit: '100' }),
      })) as { id: string; nonce?: unknown; embeds?: { footer?: { text?: string } }[] }[];
      const hit = recent.find(
        (m) => m.nonce === marker || (m.embeds ?? []).some((e) => e.footer?.text?.includes(marker) === true),
      );
      return hit ? { channel, id: hit.id } : undefined;
    },
    edit: (message, reply) => editMessage(message, firstPage(reply)),
    postMessage: (channel, m) => {
      const { flags: _flags, ...body } = m;
      return budget.submit({ kind: 'post', channel, run: () => create({ channel }, body) });
    },
    editMessage,
    upload: async (target, file) => {
      await budget.submit({
        kind: 'upload',
        channel: target.thread ?? target.channel,
        run: () =>
          create(
            target,
            {
              content: file.title ?? file.name,
              attachments: [{ id: 0, filename: file.name }],
              allowed_mentions: { parse: [] },
            },
            [{ name: file.name, data: Buffer.from(file.content, 'utf8') }],
          ),
      });
    },
  };
};
