import type { App, RespondFn } from '@slack/bolt';
import type { Inbound } from '../../../bot/transport.js';

/** The callback id of the message shortcut that files a message as an issue (docs/slack.md). */
export const NEW_ISSUE_SHORTCUT = 'k3sc_new_issue';

export type SlackRun = (
  inbound: Omit<Inbound, 'signal'>,
  ack: () => Promise<void>,
  respond: RespondFn,
) => Promise<void>;

interface SlackUser {
  readonly id: string;
  readonly name?: string;
  readonly username?: string;
  readonly is_bot?: boolean;
}

const quote = (text: string): string => `"${text.replace(/["\\]/g, '\\$&')}"`;

/** The command line a shortcut on a message runs: `new <repo> "<message text>"`. */
export const newIssueCommand = (repo: string, text: string): string => `new ${repo} ${quote(text.trim())}`;

/**
 * Buttons (`k3sc:*` action ids; the value is the command line) and the message shortcut: both
 * go through the shared router like a typed command. The bot's own clicks and bots' are acked
 * and ignored.
 */
export const registerSlackInteractions = (
  app: App,
  run: SlackRun,
  opts: { readonly shortcutRepo?: (channelId: string) => string | undefined },
): void => {
  const isBot = (user: SlackUser, botUserId: string | undefined): boolean =>
    user.is_bot === true || (botUserId !== undefined && user.id === botUserId);
  const who = (user: SlackUser, channelId: string) => ({
    platform: 'slack',
    userId: user.id,
    display: user.username ?? user.name ?? user.id,
    channelId,
  });

  app.action(/^k3sc:/, async ({ action, body, ack, respond, context }) => {
    const user = body.user as SlackUser;
    if (isBot(user, context.botUserId)) return ack();
    const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
    const channelId = body.channel?.id ?? '';
    await run(
      { text: value, who: who(user, channelId), where: `slack:${channelId}`, fromButton: true },
      () => ack(),
      respond,
    );
  });

  app.shortcut(
    { callback_id: NEW_ISSUE_SHORTCUT, type: 'message_action' },
    async ({ shortcut, ack, respond, context }) => {
      const user = shortcut.user as SlackUser;
      if (isBot(user, context.botUserId)) return ack();
      const channelId = shortcut.channel.id;
      const repo = opts.shortcutRepo?.(channelId);
      const text = shortcut.message.text ?? '';
      if (repo === undefined) {
        await ack();
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: 'k3sc does not know which repository to file this message in (more than one is configured); type `/k3sc new owner/repo <title>` instead',
        });
        return;
      }
      await run(
        {
          text: newIssueCommand(repo, text),
          who: who(user, channelId),
          where: `slack:${channelId}`,
        },
        () => ack(),
        respond,
      );
    },
  );
};
