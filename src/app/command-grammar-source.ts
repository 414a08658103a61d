import { positionalSyntax, type CommandSpec } from '../bot/command-spec.js';

/** What commander needs to parse one table command: its name, `<required>`/`[optional]` arguments and option flags. */
export interface CommandGrammar {
  readonly name: string;
  readonly args: readonly string[];
  readonly options: readonly string[];
  /** A CLI-only command (`cliOnly` in the table): the lean path never forwards it. */
  readonly local?: true;
}

/** The grammar of a command table row (positionals in order; options as their commander flags). */
export const grammarOf = (
  spec: Pick<CommandSpec, 'name' | 'positionals' | 'options' | 'cliOnly'>,
): CommandGrammar => ({
  name: spec.name,
  args: (spec.positionals ?? []).map(positionalSyntax),
  options: (spec.options ?? []).map((o) => o.flags),
  ...(spec.cliOnly === true ? { local: true as const } : {}),
});

/** The text of src/app/command-grammar.ts for `specs` (before prettier). */
export const grammarSource = (
  specs: readonly Pick<CommandSpec, 'name' | 'positionals' | 'options' | 'cliOnly'>[],
): string =>
  [
    '// Generated from src/bot/command-table.ts; command-grammar.test.ts checks it (K3SC_UPDATE_GRAMMAR=1 rewrites it).',
    "import type { CommandGrammar } from './command-grammar-source.js';",
    '',
    '/** The command table without its handlers and zod schemas: all the lean CLI path needs to parse argv. */',
    `export const COMMAND_GRAMMAR: readonly CommandGrammar[] = ${JSON.stringify(specs.map(grammarOf), null, 2)};`,
    '',
  ].join('\n');
