import type { z } from 'zod';
import type { Role } from './roles.js';
import type { CommandContext } from './farm.js';
import type { Reply } from './reply.js';

export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  /** Takes the rest of the words (`new acme/w Fix the flaky test`); only the last positional. Joined with spaces. */
  readonly variadic?: boolean;
}

/** `<name>`, `[name]`, `<name...>`: how usage lines and commander write a positional. */
export const positionalSyntax = (p: PositionalSpec): string => {
  const inner = `${p.name}${p.variadic ? '...' : ''}`;
  return p.required ? `<${inner}>` : `[${inner}]`;
};

export interface OptionSpec {
  /** Commander flag syntax: `--requeue`, `--to <state>`, `-f, --follow`. */
  readonly flags: string;
  readonly description: string;
}

/** One row of the command table: the single source for CLI, console, chat, help and docs. */
export interface CommandSpec<A = Record<string, unknown>> {
  readonly name: string;
  readonly summary: string;
  readonly role: Role;
  readonly positionals?: readonly PositionalSpec[];
  readonly options?: readonly OptionSpec[];
  readonly examples?: readonly string[];
  /**
   * Runs in the CLI process only (src/app wires its handler by name): never forwarded to a
   * running serve, not registered with Discord, and `run` answers chat and the console with a refusal.
   */
  readonly cliOnly?: boolean;
  /** Validates the parsed arguments (positional names and camelCased option keys). */
  readonly schema: z.ZodType<A>;
  readonly run: (ctx: CommandContext, args: A) => Promise<Reply>;
}

/** Erases the argument type so specs of different commands fit one table. */
export const defineCommand = <A>(spec: CommandSpec<A>): CommandSpec<Record<string, unknown>> =>
  spec as unknown as CommandSpec<Record<string, unknown>>;
