import { Command, CommanderError } from 'commander';
import { positionalSyntax, type CommandSpec } from './command-spec.js';
import { COMMANDS } from './command-table.js';

export type CommandHandler = (spec: CommandSpec, args: Record<string, unknown>) => Promise<void>;

/** Adds one table row to a commander program: the same grammar on the CLI and in the console. */
export const addTableCommand = (program: Command, spec: CommandSpec, handler: CommandHandler): Command => {
  const cmd = program.command(spec.name).description(`${spec.summary} [${spec.role}]`);
  for (const p of spec.positionals ?? []) cmd.argument(positionalSyntax(p), p.description);
  for (const o of spec.options ?? []) cmd.option(o.flags, o.description);
  cmd.option('--json', 'print machine-readable JSON');
  if (spec.examples?.length)
    cmd.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  k3sc ${e}`).join('\n')}`);
  cmd.action(async (...received: unknown[]) => {
    const args: Record<string, unknown> = {};
    (spec.positionals ?? []).forEach((p, i) => {
      const v = received[i];
      if (v !== undefined) args[p.name] = Array.isArray(v) ? v.join(' ') : v;
    });
    Object.assign(args, cmd.opts());
    await handler(spec, args);
  });
  return cmd;
};

/**
 * The table as a program that never exits the process: commander copies exit and output
 * settings into each subcommand when it is added, so they are set first.
 */
export const buildTableProgram = (
  name: string,
  handler: CommandHandler,
  write?: (text: string) => void,
): Command => {
  const program = new Command(name).exitOverride();
  if (write) program.configureOutput({ writeOut: write, writeErr: write });
  for (const spec of COMMANDS) addTableCommand(program, spec, handler);
  return program;
};

/** Splits a console line like a shell would (quotes group words); no expansion. */
export const tokenize = (line: string): string[] => {
  const out: string[] = [];
  const re = /"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line))
    out.push(m[1]?.replace(/\\(.)/g, '$1') ?? m[2] ?? m[3] ?? '');
  return out;
};

export { CommanderError };
