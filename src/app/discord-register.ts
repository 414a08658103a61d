import { discordCommands, type DiscordCommandDef } from '../bot/render/discord-commands.js';
import { discordCommandProblems } from '../bot/render/discord-command-limits.js';
import { K3scError } from '../core/errors.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { discordRest, registerDiscordCommands } from '../adapters/chat/discord/discord-rest.js';

/**
 * `k3sc discord register [--guild ID]`: PUTs `/k3sc` and its subcommands (from the command
 * table) for the application, in one guild (instant) or globally. Returns the line to print.
 * Definitions Discord would refuse (more than 25 subcommands, …) fail here, before any request.
 */
export const registerDiscord = async (
  config: K3scConfig,
  guild?: string,
  commands: readonly DiscordCommandDef[] = discordCommands(),
): Promise<string> => {
  const d = config.chat.discord;
  if (d === undefined)
    throw new K3scError(
      'config_invalid',
      'there is no chat.discord section in the config (see docs/discord.md)',
    );
  if (d.applicationId === undefined)
    throw new K3scError(
      'config_invalid',
      'chat.discord.application_id is not set (developer portal → General Information)',
    );
  if (d.token === undefined)
    throw new K3scError(
      'config_invalid',
      `${d.tokenEnv} is not set in the environment: registration needs the bot token`,
    );
  const problems = discordCommandProblems(commands);
  if (problems.length > 0)
    throw new K3scError(
      'conflict',
      `the command table does not fit Discord's limits, so nothing was registered:\n  ${problems.join('\n  ')}\n(group commands or drop some from chat before registering)`,
    );
  const guildId = guild ?? d.guildId;
  const rest = discordRest(d.apiUrl, d.token);
  const done = await registerDiscordCommands({
    rest,
    applicationId: d.applicationId,
    ...(guildId === undefined ? {} : { guildId }),
    commands,
  });
  const subs = commands[0]?.options.length ?? 0;
  return guildId === undefined
    ? `registered ${done.length} command (/k3sc, ${subs} subcommands) globally for application ${d.applicationId}; Discord may take up to an hour to show it everywhere\n`
    : `registered ${done.length} command (/k3sc, ${subs} subcommands) in guild ${guildId} for application ${d.applicationId}\n`;
};
