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

const repoKeyString = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, {
  error: (iss) => `${JSON.stringify(iss.input)} is not "owner/name"`,
});
/** Where k3sc posts per-attempt threads: a channel per repository, else the default one. */
const threadChannels = {
  default_channel: id.optional(),
  channels_by_repo: z.record(repoKeyString, id).optional(),
};
/** A review worker name: `<family>-<id>`, e.g. claude-b. */
const workerName = z.string().regex(/^[a-z0-9]+-[a-z0-9-]+$/, {
  error: 'must look like <family>-<id>, e.g. claude-b',
});

export const chatSchema = z.strictObject({
  /** Chat user id (Slack `U…`, Discord snowflake) → the review worker a Take button takes for. */
  workers: z.record(z.string().min(1), workerName).optional(),
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
      ...threadChannels,
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
      ...threadChannels,
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
        /** Which platform the channel is on; default: Discord for a numeric id, else Slack. */
        platform: z.enum(['slack', 'discord']).optional(),
        /** Only these repositories (`owner/name`); default every one. */
        repos: z.array(repoKeyString).optional(),
        /** Only these agent families; default every one. */
        families: z.array(z.string().min(1)).optional(),
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
      z.string().regex(/^[A-Za-z0-9]+$/, {
        error: 'a channel id is letters and digits, like C0123ABCD or 1234567890',
      }),
      z.strictObject(roleLists),
    )
    .optional(),
});
