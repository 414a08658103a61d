import type { Transport } from '../../../bot/transport.js';
import { slackAppTransport, type SlackTransportOptions } from './slack-transport.js';
import { SlackSocketReceiver, type SocketReceiverOptions } from './socket-receiver.js';

export type SlackSocketTransportOptions = Omit<SlackTransportOptions, 'signingSecret'> &
  Omit<SocketReceiverOptions, 'logger' | 'now'>;

/**
 * Slack in Socket Mode (`chat.slack.socket_mode: true`): the same Bolt App and command handling
 * as HTTP mode, receiving over one outbound WebSocket instead of `POST /slack/events`.
 */
export const slackSocketTransport = (
  opts: SlackSocketTransportOptions,
): Transport & { readonly receiver: SlackSocketReceiver } => {
  const receiver = new SlackSocketReceiver({
    ...opts,
    logger: opts.logger,
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { ...slackAppTransport(receiver, opts), receiver };
};
