import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, type Receiver, type RespondFn } from '@slack/bolt';
import type { Logger } from '../../../core/ports/logger.js';
import { renderSlackPreformatted, type SlackMessage } from '../../../bot/render/slack-blocks.js';
import type { CommandRouter, Inbound, PostedMessage, Responder, Transport } from '../../../bot/transport.js';
import { ServeSlackReceiver } from './slack-receiver.js';
import { SlackUserGroups } from './user-groups.js';
import { registerSlackInteractions } from './slack-interactions.js';
import { slackOutbox } from './slack-outbox.js';
import { boltLogger, toMessages } from './slack-messages.js';

export interface SlackTransportOptions {
  readonly botToken: string;
  readonly signingSecret: string;
  /** Web API base (`chat.slack.api_url`); default Slack's. */
  readonly apiUrl?: string;
  /** Channel ids the bot answers in; empty: every channel. */
  readonly channels?: readonly string[];
  readonly logger: Logger;
  /** Web API retries (0 in tests: a failing fake would otherwise be retried for half an hour). */
  readonly retries?: number;
  readonly now?: () => number;
  /** User-group ids `rbac` names: a sender's membership is read (`usergroups.users.list`, cached). */
  readonly userGroups?: readonly string[];
  readonly userGroupTtlMs?: number;
  /** The repository the message shortcut files into, for a channel (undefined: it asks). */
  readonly shortcutRepo?: (channelId: string) => string | undefined;
}

export interface SlackTransport extends Transport {
  /** `POST /slack/events` on serve's HTTP server. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

const USAGE = 'usage: /k3sc <command> [args]; /k3sc help lists the commands';

/**
 * Slack over HTTP (Bolt, Events/Interactivity Request URL `POST /slack/events` of serve): the
 * `/k3sc` slash command and k3sc's buttons go through the shared router; every one is acked
 * before any work, and answered through `respond()` (the request's `response_url`).
 */
export const slackTransport = (opts: SlackTransportOptions): SlackTransport => {
  const receiver = new ServeSlackReceiver({
    signingSecret: opts.signingSecret,
    logger: opts.logger,
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { ...slackAppTransport(receiver, opts), handle: receiver.handle };
};

/**
 * The Bolt App and k3sc's command handling over any receiver: HTTP (`ServeSlackReceiver`) or
 * Socket Mode (`SlackSocketReceiver`). Outbound (the Web API client, `respond()`) is the same.
 */
export const slackAppTransport = (
  receiver: Receiver,
  opts: Omit<SlackTransportOptions, 'signingSecret'>,
): Transport => {
  const app = new App({
    token: opts.botToken,
    receiver,
    logger: boltLogger(opts.logger),
    clientOptions: {
      ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
      retryConfig: { retries: opts.retries ?? 3 },
    },
  });
  const abort = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let router: CommandRouter | undefined;
  const channels = new Set(opts.channels ?? []);
  const groups =
    opts.userGroups && opts.userGroups.length > 0
      ? new SlackUserGroups({
          api: () => app.client,
          groupIds: opts.userGroups,
          logger: opts.logger,
          ...(opts.userGroupTtlMs === undefined ? {} : { ttlMs: opts.userGroupTtlMs }),
          ...(opts.now ? { now: opts.now } : {}),
        })
      : undefined;
  const outbox = slackOutbox({ botToken: opts.botToken, ...(opts.apiUrl ? { apiUrl: opts.apiUrl } : {}) });

  const run = async (
    inbound: Omit<Inbound, 'signal'>,
    ack: () => Promise<void>,
    respond: RespondFn,
  ): Promise<void> => {
    let acked = false;
    const acknowledge = async (): Promise<void> => {
      if (acked) return;
      acked = true;
      await ack();
    };
    /** `replace`: the first message takes the place of the clicked one (its buttons go with it). */
    const send = async (
      messages: readonly SlackMessage[],
      ephemeral: boolean,
      replace = false,
    ): Promise<void> => {
      for (const [i, m] of messages.entries())
        await respond({
          ...(replace && i === 0 ? {} : { response_type: ephemeral ? 'ephemeral' : 'in_channel' }),
          replace_original: replace && i === 0,
          text: m.text,
          blocks: [...m.blocks],
        });
    };
    const streamed: string[] = [];
    const channel = inbound.who.channelId ?? '';
    /** A message the router will replace later (a confirmation card), posted as the bot. */
    let kept: PostedMessage | undefined;
    const responder: Responder = {
      acknowledge,
      stream: (line) => void streamed.push(line),
      respond: async (out) => {
        if (streamed.length > 0)
          await send(renderSlackPreformatted('output', streamed.splice(0).join('\n')), true);
        const { messages, ephemeral } = toMessages(out);
        kept = undefined;
        if (out.kind === 'reply' && out.keep === true && !ephemeral && out.replace !== true && channel !== '')
          try {
            // chat.postMessage gives the card a ts, so it can be updated when it expires.
            kept = await outbox.post({ channel }, out.reply);
            return;
          } catch (err) {
            opts.logger.warn(
              { err, channel },
              'slack: posting the card as the bot failed; answering through response_url',
            );
          }
        await send(messages, ephemeral && out.replace !== true, out.replace === true);
      },
      replaceLater: () => {
        const message = kept;
        if (message === undefined) return undefined;
        return async (out) => {
          if (out.kind === 'reply') await outbox.edit(message, out.reply);
        };
      },
    };
    if (channels.size > 0 && !channels.has(channel)) {
      await acknowledge();
      await send(
        renderSlackPreformatted(
          'k3sc',
          `k3sc does not answer in this channel (${channel}); see chat.slack.channels`,
        ),
        true,
      );
      return;
    }
    if (!router) {
      await acknowledge();
      await send(
        renderSlackPreformatted('k3sc', 'k3sc is starting or stopping; try again in a moment'),
        true,
      );
      return;
    }
    let who = inbound.who;
    if (groups) {
      await acknowledge(); // the Web API lookup comes after the ack, like any other I/O
      who = { ...who, groupIds: await groups.groupsOf(who.userId) };
    }
    const active = router;
    const work = active
      .handle({ ...inbound, who, signal: abort.signal }, responder)
      .catch(async (err: unknown) => {
        opts.logger.error({ err }, 'slack: command failed');
        await send(
          renderSlackPreformatted('k3sc', `error: ${err instanceof Error ? err.message : String(err)}`),
          true,
        );
      });
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
    if (!acked) {
      await acknowledge();
      await send(renderSlackPreformatted('k3sc', USAGE), true);
    }
  };

  app.command(/.*/, async ({ command, ack, respond, context }) =>
    command.user_id === context.botUserId
      ? ack()
      : run(
          {
            text: command.text,
            who: {
              platform: 'slack',
              userId: command.user_id,
              display: command.user_name || command.user_id,
              channelId: command.channel_id,
            },
            where: `slack:${command.channel_id}`,
          },
          () => ack(),
          respond,
        ),
  );
  registerSlackInteractions(app, run, opts.shortcutRepo ? { shortcutRepo: opts.shortcutRepo } : {});
  app.error(async (err) => {
    opts.logger.error({ err }, 'slack: listener failed');
    return Promise.resolve();
  });

  return {
    name: 'slack',
    outbox,
    start: async (r, signal) => {
      router = r;
      signal.addEventListener('abort', () => abort.abort(), { once: true });
      await app.start();
    },
    stop: async () => {
      router = undefined;
      abort.abort();
      await app.stop();
      await Promise.allSettled([...inFlight]);
      outbox.close();
    },
  };
};
