import type { DiscordCommandDef, DiscordOptionDef } from './discord-commands.js';

/**
 * Discord's limits on application command definitions (a PUT that breaks one is refused with
 * 400 Invalid Form Body): 25 options per command or subcommand, names 1–32 characters of
 * lowercase letters, digits, `-` and `_`, descriptions 1–100 characters, required options
 * first, and at most 8,000 characters of names and descriptions per top-level command.
 */
export const DISCORD_COMMAND_LIMITS = {
  options: 25,
  name: 32,
  description: 100,
  totalCharacters: 8_000,
} as const;

const NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;

const optionProblems = (where: string, options: readonly DiscordOptionDef[]): string[] => {
  const out: string[] = [];
  if (options.length > DISCORD_COMMAND_LIMITS.options)
    out.push(
      `${where} has ${options.length} options (subcommands or arguments); Discord allows ${DISCORD_COMMAND_LIMITS.options}`,
    );
  let optionalSeen = false;
  for (const o of options) {
    const at = `${where} ${o.name}`;
    if (!NAME.test(o.name)) out.push(`${at}: the name must be 1–32 lowercase letters, digits, - or _`);
    if (o.description.length < 1 || o.description.length > DISCORD_COMMAND_LIMITS.description)
      out.push(`${at}: the description must be 1–100 characters`);
    if (o.required === true && optionalSeen) out.push(`${at}: a required option comes after an optional one`);
    if (o.required !== true && o.type !== 1 && o.type !== 2) optionalSeen = true;
    if (o.options) out.push(...optionProblems(at, o.options));
  }
  return out;
};

const characters = (o: {
  name: string;
  description: string;
  options?: readonly DiscordOptionDef[];
}): number => o.name.length + o.description.length + (o.options ?? []).reduce((n, x) => n + characters(x), 0);

/** What Discord would refuse in these definitions, in words; empty when they fit. */
export const discordCommandProblems = (defs: readonly DiscordCommandDef[]): string[] =>
  defs.flatMap((d) => {
    const out = optionProblems(`/${d.name}`, d.options);
    if (!NAME.test(d.name)) out.push(`/${d.name}: the name must be 1–32 lowercase letters, digits, - or _`);
    const total = characters(d);
    if (total > DISCORD_COMMAND_LIMITS.totalCharacters)
      out.push(
        `/${d.name} has ${total} characters of names and descriptions; Discord allows ${DISCORD_COMMAND_LIMITS.totalCharacters}`,
      );
    return out;
  });
