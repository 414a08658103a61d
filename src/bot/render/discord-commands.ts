import type { CommandSpec } from '../command-spec.js';
import { COMMANDS } from '../command-table.js';

/** Discord application command option types used here. */
const SUB_COMMAND = 1;
const STRING = 3;
const BOOLEAN = 5;

export interface DiscordOptionDef {
  readonly type: number;
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  readonly options?: readonly DiscordOptionDef[];
}

export interface DiscordCommandDef {
  readonly name: string;
  readonly description: string;
  readonly type: 1;
  readonly options: readonly DiscordOptionDef[];
}

/** Discord: descriptions 1–100 characters. */
const desc = (s: string): string => (s.length <= 100 ? s : `${s.slice(0, 99)}…`);

/** `-f, --follow` → `{ name: 'follow', takesValue: false }`; `--to <state>` → takes a value. */
const flagOf = (flags: string): { name: string; takesValue: boolean } => {
  const long = /--([a-z0-9-]+)(\s+[<[])?/.exec(flags);
  if (!long?.[1]) throw new Error(`command table flag without a long name: ${flags}`);
  return { name: long[1], takesValue: long[2] !== undefined };
};

const subcommand = (c: CommandSpec): DiscordOptionDef => {
  const positionals = (c.positionals ?? []).map((p) => ({
    type: STRING,
    name: p.name,
    description: desc(p.description),
    required: p.required === true,
  }));
  const flags = (c.options ?? []).map((o) => {
    const f = flagOf(o.flags);
    return {
      type: f.takesValue ? STRING : BOOLEAN,
      name: f.name,
      description: desc(o.description),
      required: false,
    };
  });
  // Discord wants required options first; the order of the text we build comes from the table.
  const options = [...positionals, ...flags].sort((a, b) => Number(b.required) - Number(a.required));
  return { type: SUB_COMMAND, name: c.name, description: desc(`${c.summary} (${c.role})`), options };
};

/** `/k3sc <command> …`: one subcommand per row of the command table, plus `help`. */
export const discordCommands = (commands: readonly CommandSpec[] = COMMANDS): DiscordCommandDef[] => [
  {
    name: 'k3sc',
    type: 1,
    description: 'Steer the k3sc agent farm',
    options: [
      ...commands.filter((c) => c.cliOnly !== true).map(subcommand),
      { type: SUB_COMMAND, name: 'help', description: 'List the commands', options: [] },
    ],
  },
];

export interface InteractionOption {
  readonly name: string;
  readonly type: number;
  readonly value?: unknown;
  readonly options?: readonly InteractionOption[];
}

const quote = (v: string): string => (/^[^\s"'\\]+$/.test(v) ? v : `"${v.replace(/(["\\])/g, '\\$1')}"`);

/**
 * The command line a `/k3sc <sub> …` interaction stands for, e.g. `kill acme/w#3 --requeue`:
 * positionals in the table's order, then the flags. A subcommand the table does not know is
 * passed on by name (the router answers it with usage).
 */
export const discordCommandText = (
  data: { readonly options?: readonly InteractionOption[] } | undefined,
  commands: readonly CommandSpec[] = COMMANDS,
): string => {
  const sub = data?.options?.[0];
  if (!sub || sub.type !== SUB_COMMAND) return 'help';
  const given = new Map((sub.options ?? []).map((o) => [o.name, o.value]));
  const spec = commands.find((c) => c.name === sub.name);
  if (!spec) return quote(sub.name);
  const words = [spec.name];
  for (const p of spec.positionals ?? []) {
    const v = given.get(p.name);
    if (typeof v === 'string' && v !== '') words.push(quote(v));
  }
  for (const o of spec.options ?? []) {
    const f = flagOf(o.flags);
    const v = given.get(f.name);
    if (v === true) words.push(`--${f.name}`);
    else if (typeof v === 'string' && f.takesValue) words.push(`--${f.name}`, quote(v));
  }
  return words.join(' ');
};

/** True when the interaction names a subcommand the table (or `help`) has. */
export const isDiscordSubcommand = (
  data: { readonly options?: readonly InteractionOption[] } | undefined,
  commands: readonly CommandSpec[] = COMMANDS,
): boolean => {
  const sub = data?.options?.[0];
  return sub?.type === SUB_COMMAND && (sub.name === 'help' || commands.some((c) => c.name === sub.name));
};
