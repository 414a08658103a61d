import { webApi } from '@slack/bolt';
import {
  RateLimitedError,
  SendBudget,
  SLACK_SEND_LIMITS,
  type BudgetLimits,
  type BudgetTimers,
} from '../../../core/domain/send-budget.js';
import type { Reply } from '../../../bot/reply.js';
import { renderSlackMessages, type SlackMessage } from '../../../bot/render/slack-blocks.js';
import type { ChatOutbox, ChatTarget, PostedMessage } from '../../../bot/transport.js';
import { realTimers } from '../budget-timers.js';

export interface SlackOutboxOptions {
  readonly botToken: string;
  /** Web API base (`chat.slack.api_url`), ending in `/`. */
  readonly apiUrl?: string;
  readonly limits?: BudgetLimits;
  readonly timers?: BudgetTimers;
  /** A client of the caller's (e.g. the Bolt app's); default: a new one with 429s passed to the budget. */
  readonly client?: webApi.WebClient;
}

export interface SlackOutbox extends ChatOutbox {
  readonly budget: SendBudget;
  close(): void;
}

/** A 429 from the Web API becomes the budget's pause; everything else is the caller's error. */
const viaBudget = async <T>(call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === webApi.ErrorCode.RateLimitedError)
      throw new RateLimitedError(1000 * Number((err as { retryAfter?: number }).retryAfter ?? 1));
    throw err;
  }
};

/** The metadata event type on a root message (its payload carries the attempt's marker). */
const ROOT_EVENT = 'k3sc_attempt_root';

/** A root or thread message is one message: the first page of the rendered reply. */
const firstPage = (reply: Reply): SlackMessage =>
  renderSlackMessages(reply)[0] ?? { text: reply.title, blocks: [] };

/**
 * What k3sc posts on its own in Slack: `chat.postMessage` (with `thread_ts` for thread replies),
 * `chat.update` (coalesced per message), and the v2 file upload (`files.getUploadURLExternal`,
 * the bytes, `files.completeUploadExternal`), all through one budget for the workspace.
 */
export const slackOutbox = (opts: SlackOutboxOptions): SlackOutbox => {
  const client =
    opts.client ??
    new webApi.WebClient(opts.botToken, {
      ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
  const budget = new SendBudget(opts.limits ?? SLACK_SEND_LIMITS, opts.timers ?? realTimers);
  const post = async (target: ChatTarget, reply: Reply, marker?: string): Promise<PostedMessage> => {
    const m = firstPage(reply);
    const out = await budget.submit({
      kind: 'post',
      channel: target.channel,
      run: () =>
        viaBudget(() =>
          client.chat.postMessage({
            channel: target.channel,
            text: m.text,
            blocks: [...m.blocks],
            unfurl_links: false,
            ...(target.thread ? { thread_ts: target.thread } : {}),
            ...(marker === undefined
              ? {}
              : { metadata: { event_type: ROOT_EVENT, event_payload: { marker } } }),
          }),
        ),
    });
    return { channel: out.channel ?? target.channel, id: out.ts ?? '' };
  };
  return {
    platform: 'slack',
    budget,
    close: () => budget.close(),
    post: (target: ChatTarget, reply: Reply): Promise<PostedMessage> => post(target, reply),
    postMarked: (target, reply, marker) => post(target, reply, marker),
    findMarked: async (channel, marker) => {
      const out = await viaBudget(() =>
        client.conversations.history({ channel, include_all_metadata: true, limit: 100 }),
      );
      const hit = (out.messages ?? []).find(
        (m) =>
          m.metadata?.event_type === ROOT_EVENT &&
          (m.metadata.event_payload as { marker?: unknown } | undefined)?.marker === marker,
      );
      return hit?.ts === undefined ? undefined : { channel, id: hit.ts };
    },
    edit: async (message: PostedMessage, reply: Reply): Promise<void> => {
      const m = firstPage(reply);
      await budget.submit({
        kind: 'edit',
        channel: message.channel,
        key: `${message.channel}/${message.id}`,
        run: () =>
          viaBudget(() =>
            client.chat.update({
              channel: message.channel,
              ts: message.id,
              text: m.text,
              blocks: [...m.blocks],
            }),
          ),
      });
    },
    upload: async (target, file): Promise<void> => {
      await budget.submit({
        kind: 'upload',
        channel: target.channel,
        run: async () => {
          const bytes = Buffer.from(file.content, 'utf8');
          const url = await viaBudget(() =>
            client.files.getUploadURLExternal({ filename: file.name, length: bytes.length }),
          );
          if (!url.upload_url || !url.file_id) throw new Error('slack: no upload URL for the file');
          const put = await fetch(url.upload_url, { method: 'POST', body: bytes });
          if (!put.ok) throw new Error(`slack: the file upload answered ${put.status}`);
          await viaBudget(() =>
            client.files.completeUploadExternal({
              files: [{ id: url.file_id!, title: file.title ?? file.name }],
              channel_id: target.channel,
              ...(target.thread ? { thread_ts: target.thread } : {}),
            }),
          );
        },
      });
    },
  };
};
