import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../../core/ports/logger.js';
import {
  renderSlackMessages,
  renderSlackPreformatted,
  type SlackMessage,
} from '../../../bot/render/slack-blocks.js';
import type { Outbound } from '../../../bot/transport.js';

/** Bolt's log lines into k3sc's logger (its info is k3sc's debug). */
export const boltLogger = (log: Logger): BoltLogger => {
  let level = LogLevel.INFO;
  const text = (msg: unknown[]): string => `slack: ${msg.map(String).join(' ')}`;
  return {
    debug: (...msg: unknown[]) => log.debug({}, text(msg)),
    info: (...msg: unknown[]) => log.debug({}, text(msg)),
    warn: (...msg: unknown[]) => log.warn({}, text(msg)),
    error: (...msg: unknown[]) => log.error({}, text(msg)),
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
};

/** Error replies, usage text and help are for the caller only; a command's answer is for the channel. */
export const toMessages = (out: Outbound): { messages: SlackMessage[]; ephemeral: boolean } => {
  if (out.kind === 'text') return { messages: renderSlackPreformatted('k3sc', out.text), ephemeral: true };
  const ephemeral = (out.reply.exitCode ?? 0) !== 0;
  if (out.json)
    return {
      messages: renderSlackPreformatted(out.reply.title, JSON.stringify(out.reply.data, null, 2)),
      ephemeral,
    };
  return { messages: renderSlackMessages(out.reply), ephemeral };
};
