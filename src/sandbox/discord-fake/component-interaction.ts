import { randomUUID } from 'node:crypto';

/** The JSON body of a button click (MESSAGE_COMPONENT, type 3) on a k3sc message, as Discord posts it. */
export const buttonInteraction = (opts: {
  customId: string;
  userId?: string;
  roles?: readonly string[];
  channelId?: string;
  bot?: boolean;
  id?: string;
  token?: string;
  applicationId?: string;
  messageId?: string;
}): Record<string, unknown> => ({
  id: opts.id ?? String((BigInt(Date.now()) << 22n) + BigInt(Math.floor(Math.random() * 4e6))),
  application_id: opts.applicationId ?? '100000000000000001',
  type: 3,
  token: opts.token ?? `itok-${randomUUID()}`,
  version: 1,
  channel_id: opts.channelId ?? '200000000000000002',
  guild_id: '300000000000000003',
  member: {
    user: { id: opts.userId ?? '400000000000000004', username: 'alice', ...(opts.bot ? { bot: true } : {}) },
    roles: opts.roles ?? [],
  },
  message: { id: opts.messageId ?? '600000000000000006', channel_id: opts.channelId ?? '200000000000000002' },
  data: { custom_id: opts.customId, component_type: 2 },
});
