import { CONFIG_DEFAULTS } from './defaults.js';
import type { RawConfig } from './schema.js';
import { type Env, envSecret } from './secret-files.js';
import type { ChatConfig, DiscordConfig, SlackConfig } from './types.js';

type RawChat = NonNullable<RawConfig['chat']>;

const withSecret = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, string>);

/** `default_channel` and `channels_by_repo` (repo keys lower-cased, so lookups ignore case). */
const threadChannels = (raw: {
  default_channel?: string | undefined;
  channels_by_repo?: Record<string, string> | undefined;
}): { defaultChannel?: string; channelsByRepo: Record<string, string> } => ({
  ...(raw.default_channel === undefined ? {} : { defaultChannel: raw.default_channel }),
  channelsByRepo: Object.fromEntries(
    Object.entries(raw.channels_by_repo ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  ),
});

const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

const buildSlack = (raw: NonNullable<RawChat['slack']>, env: Env, warnings: string[]): SlackConfig => {
  const names = {
    botTokenEnv: raw.bot_token_env ?? CONFIG_DEFAULTS.slack.botTokenEnv,
    appTokenEnv: raw.app_token_env ?? CONFIG_DEFAULTS.slack.appTokenEnv,
    signingSecretEnv: raw.signing_secret_env ?? CONFIG_DEFAULTS.slack.signingSecretEnv,
  };
  const slack: SlackConfig = {
    enabled: raw.enabled ?? true,
    socketMode: raw.socket_mode ?? true,
    apiUrl: withSlash(raw.api_url ?? CONFIG_DEFAULTS.slack.apiUrl),
    ...names,
    channels: raw.channels ?? [],
    ...threadChannels(raw),
    ...withSecret('botToken', envSecret(env, names.botTokenEnv)),
    ...withSecret('appToken', envSecret(env, names.appTokenEnv)),
    ...withSecret('signingSecret', envSecret(env, names.signingSecretEnv)),
  };
  if (slack.enabled) {
    const needed = [names.botTokenEnv, slack.socketMode ? names.appTokenEnv : names.signingSecretEnv];
    const missing = needed.filter((n) => envSecret(env, n) === undefined);
    if (missing.length > 0)
      warnings.push(`chat.slack: ${missing.join(' and ')} not set in the environment — Slack will not start`);
  }
  return slack;
};

/** The public key is not a secret: the file's, else DISCORD_PUBLIC_KEY's (when it is 64 hex). */
const discordPublicKey = (
  fromFile: string | undefined,
  fromEnv: string | undefined,
  warnings: string[],
): string | undefined => {
  if (fromFile !== undefined) return fromFile;
  const key = fromEnv?.trim();
  if (key === undefined) return undefined;
  if (/^[0-9a-fA-F]{64}$/.test(key)) return key;
  warnings.push(`chat.discord: ${CONFIG_DEFAULTS.discord.publicKeyEnv} is not 64 hex characters — ignored`);
  return undefined;
};

const buildDiscord = (raw: NonNullable<RawChat['discord']>, env: Env, warnings: string[]): DiscordConfig => {
  const tokenEnv = raw.token_env ?? CONFIG_DEFAULTS.discord.tokenEnv;
  const keyEnv = CONFIG_DEFAULTS.discord.publicKeyEnv;
  const publicKey = discordPublicKey(raw.public_key, envSecret(env, keyEnv), warnings);
  const discord: DiscordConfig = {
    enabled: raw.enabled ?? true,
    tokenEnv,
    channels: raw.channels ?? [],
    apiUrl: raw.api_url ?? CONFIG_DEFAULTS.discord.apiUrl,
    gateway: raw.gateway ?? false,
    ...threadChannels(raw),
    ...withSecret('token', envSecret(env, tokenEnv)),
    ...(raw.application_id === undefined ? {} : { applicationId: raw.application_id }),
    ...(publicKey === undefined ? {} : { publicKey: publicKey.toLowerCase() }),
    ...(raw.guild_id === undefined ? {} : { guildId: raw.guild_id }),
  };
  if (
    discord.enabled &&
    (discord.applicationId === undefined || (discord.publicKey === undefined && !discord.gateway))
  )
    warnings.push(
      `chat.discord: ${discord.applicationId === undefined ? 'application_id' : `public_key (or ${keyEnv})`} is not set — Discord interactions will not start`,
    );
  if (discord.enabled && discord.token === undefined)
    warnings.push(
      discord.gateway
        ? `chat.discord: ${tokenEnv} not set in the environment — the gateway will not start and \`k3sc discord register\` cannot register the commands`
        : `chat.discord: ${tokenEnv} not set in the environment — \`k3sc discord register\` cannot register the commands`,
    );
  return discord;
};

/** Chat transports; the console is on by default only when neither Slack nor Discord is enabled. */
export const buildChatConfig = (raw: RawChat | undefined, env: Env, warnings: string[]): ChatConfig => {
  const slack = raw?.slack === undefined ? undefined : buildSlack(raw.slack, env, warnings);
  const discord = raw?.discord === undefined ? undefined : buildDiscord(raw.discord, env, warnings);
  const consoleDefault = slack?.enabled !== true && discord?.enabled !== true;
  return {
    console: { enabled: raw?.console?.enabled ?? consoleDefault },
    workers: { ...(raw?.workers ?? {}) },
    ...(slack === undefined ? {} : { slack }),
    ...(discord === undefined ? {} : { discord }),
  };
};
