import { z } from 'zod';
import { envName, forbiddenSecret, httpUrl, id, idList } from './schema-fields.js';

/** Events an alert route can subscribe to; `all` means every one of them. */
export const ALERT_EVENTS = [
  'needs_human',
  'attempt_failed',
  'parked',
  'quota_exhausted',
  'quota_restored',
  'orphan_recovered',
  'lease_expired',
  'review_handoff',
] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

export const chatSchema = z.strictObject({
  console: z.strictObject({ enabled: z.boolean().optional() }).optional(),
  slack: z
    .strictObject({
      enabled: z.boolean().optional(),
      socket_mode: z.boolean().optional(),
      api_url: httpUrl.optional(),
      bot_token_env: envName.optional(),
      app_token_env: envName.optional(),
      signing_secret_env: envName.optional(),
      bot_token: forbiddenSecret(
        'set SLACK_BOT_TOKEN in the environment (or name another variable in chat.slack.bot_token_env)',
      ),
      app_token: forbiddenSecret(
        'set SLACK_APP_TOKEN in the environment (or name another variable in chat.slack.app_token_env)',
      ),
      signing_secret: forbiddenSecret(
        'set SLACK_SIGNING_SECRET in the environment (or chat.slack.signing_secret_env)',
      ),
      channels: idList.optional(),
    })
    .optional(),
  discord: z
    .strictObject({
      enabled: z.boolean().optional(),
      token_env: envName.optional(),
      token: forbiddenSecret(
        'set DISCORD_TOKEN in the environment (or name another variable in chat.discord.token_env)',
      ),
      application_id: id.optional(),
      public_key: z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/, {
          error: 'must be the 64 hex characters shown in the Discord developer portal',
        })
        .optional(),
      guild_id: id.optional(),
      channels: idList.optional(),
      api_url: httpUrl.optional(),
      gateway: z.boolean().optional(),
    })
    .optional(),
});

export const alertsSchema = z.strictObject({
  routes: z
    .array(
      z.strictObject({
        channel: id,
        events: z
          .array(
            z.enum([...ALERT_EVENTS, 'all'], {
              error: (iss) =>
                `${JSON.stringify(iss.input)} is not an alert event; use one of: all, ${ALERT_EVENTS.join(', ')}`,
            }),
          )
          .min(1, { error: 'must list at least one event (or "all")' }),
      }),
    )
    .optional(),
});

const roleLists = {
  admins: idList.optional(),
  operators: idList.optional(),
  viewers: idList.optional(),
};

export const rbacSchema = z.strictObject({
  ...roleLists,
  /** Extra grants that hold only in one channel (Slack or Discord channel id). */
  channels: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z0-9]+$/, {
          error: 'a channel id is letters and digits, like C0123ABCD or 1234567890',
        }),
      z.strictObject(roleLists),
    )
    .optional(),
});
