import { DiscordAPIError, REST } from '@discordjs/rest';
import { K3scError } from '../../../core/errors.js';
import type { DiscordMessage } from '../../../bot/render/discord-message.js';

/** Discord's REST base; `chat.discord.api_url` points elsewhere (a fake, a proxy). */
export const DISCORD_API_URL = 'https://discord.com/api';

/** A REST client without background sweep timers (serve and the CLI stop cleanly). It honours 429 retry-after. */
export const discordRest = (apiUrl: string, token?: string): REST => {
  const rest = new REST({ api: apiUrl, version: '10', hashSweepInterval: 0, handlerSweepInterval: 0 });
  if (token !== undefined) rest.setToken(token);
  return rest;
};

type Path = `/${string}`;

/** The interaction's webhook: edit or delete the deferred original, post follow-ups (no bot token needed). */
export const interactionWebhook = (rest: REST, applicationId: string, token: string) => {
  const base: Path = `/webhooks/${applicationId}/${token}`;
  return {
    editOriginal: (m: DiscordMessage) => rest.patch(`${base}/messages/@original`, { body: m, auth: false }),
    deleteOriginal: () => rest.delete(`${base}/messages/@original`, { auth: false }),
    followUp: (m: DiscordMessage) => rest.post(base, { body: m, auth: false }),
    /** A follow-up (or the original) by its id. */
    editMessage: (id: string, m: DiscordMessage) =>
      rest.patch(`${base}/messages/${id}`, { body: m, auth: false }),
  };
};

/** PUTs the command definitions, globally or for one guild (instant there, handy while testing). */
export const registerDiscordCommands = async (opts: {
  rest: REST;
  applicationId: string;
  guildId?: string;
  commands: readonly unknown[];
}): Promise<unknown[]> => {
  const path: Path =
    opts.guildId === undefined
      ? `/applications/${opts.applicationId}/commands`
      : `/applications/${opts.applicationId}/guilds/${opts.guildId}/commands`;
  try {
    return (await opts.rest.put(path, { body: opts.commands })) as unknown[];
  } catch (err) {
    if (err instanceof DiscordAPIError && (err.status === 401 || err.status === 403))
      throw new K3scError(
        'config_invalid',
        `Discord refused the bot token for application ${opts.applicationId} (${err.status} ${err.message}); check DISCORD_TOKEN (or chat.discord.token_env) and chat.discord.application_id`,
        { cause: err },
      );
    throw new K3scError(
      'unavailable',
      `registering the Discord commands failed: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
};
