import { randomUUID } from 'node:crypto';

/** Who clicks or runs a shortcut, and where. */
export interface SlackActor {
  readonly userId?: string;
  readonly userName?: string;
  readonly channelId?: string;
  readonly teamId?: string;
}

const trigger = (): string => `${Date.now()}.${randomUUID().slice(0, 8)}`;

/** Slack posts interactions form-encoded, with the JSON in a `payload` field. */
const form = (payload: unknown): string =>
  new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

/** A button click (`block_actions`) on a message k3sc posted: `value` is the button's command line. */
export const blockActionBody = (
  opts: SlackActor & { actionId: string; value: string; responseUrl: string; messageTs?: string },
): string => {
  const channel = opts.channelId ?? 'C0FAKE';
  const ts = opts.messageTs ?? '1700000000.000100';
  return form({
    type: 'block_actions',
    api_app_id: 'A0FAKE',
    token: 'deprecated-verification-token',
    trigger_id: trigger(),
    team: { id: opts.teamId ?? 'T0FAKE', domain: 'fake' },
    user: {
      id: opts.userId ?? 'U0FAKE',
      username: opts.userName ?? 'alice',
      team_id: opts.teamId ?? 'T0FAKE',
    },
    channel: { id: channel, name: 'k3sc' },
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
    message: { type: 'message', ts, text: 'k3sc', user: 'U0BOT', bot_id: 'B0BOT' },
    response_url: opts.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: opts.actionId,
        block_id: 'b1',
        value: opts.value,
        text: { type: 'plain_text', text: opts.actionId },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  });
};

/** A message shortcut (`message_action`) run on a message in a channel. */
export const messageShortcutBody = (
  opts: SlackActor & {
    callbackId: string;
    text: string;
    responseUrl: string;
    messageUser?: string;
    messageTs?: string;
  },
): string => {
  const channel = opts.channelId ?? 'C0FAKE';
  const ts = opts.messageTs ?? '1700000000.000200';
  return form({
    type: 'message_action',
    callback_id: opts.callbackId,
    token: 'deprecated-verification-token',
    trigger_id: trigger(),
    action_ts: `${Date.now() / 1000}`,
    team: { id: opts.teamId ?? 'T0FAKE', domain: 'fake' },
    user: { id: opts.userId ?? 'U0FAKE', name: opts.userName ?? 'alice', team_id: opts.teamId ?? 'T0FAKE' },
    channel: { id: channel, name: 'k3sc' },
    message_ts: ts,
    message: { type: 'message', ts, text: opts.text, user: opts.messageUser ?? 'U0OTHER' },
    response_url: opts.responseUrl,
  });
};
