import { positionalSyntax, type CommandSpec } from './command-spec.js';
import {
  claimCommand,
  dispatchCommand,
  killCommand,
  logsCommand,
  resetCommand,
} from './commands/issue-commands.js';
import {
  disableCommand,
  enableCommand,
  nextCommand,
  pauseCommand,
  releaseCommand,
  resumeCommand,
  scaleCommand,
  takeCommand,
} from './commands/control-commands.js';
import { statusCommand, topCommand, usageCommand } from './commands/view-commands.js';
import { configsCommand, launchCommand, newCommand } from './commands/config-commands.js';
import { sessionsCommand } from './commands/sessions-command.js';
import { auditCommand } from './commands/audit-command.js';
import { followCommand, takeReviewCommand, unfollowCommand } from './commands/chat-commands.js';
import { deployCommand, rotateSecretsCommand } from './commands/deploy-commands.js';

/** Every command any transport offers. Help, docs/commands.md and chat registration come from here. */
export const COMMANDS: readonly CommandSpec[] = [
  topCommand,
  statusCommand,
  dispatchCommand,
  logsCommand,
  killCommand,
  resetCommand,
  claimCommand,
  pauseCommand,
  resumeCommand,
  scaleCommand,
  takeCommand,
  releaseCommand,
  nextCommand,
  disableCommand,
  enableCommand,
  usageCommand,
  newCommand,
  configsCommand,
  launchCommand,
  sessionsCommand,
  auditCommand,
  followCommand,
  unfollowCommand,
  takeReviewCommand,
  deployCommand,
  rotateSecretsCommand,
];

export const findCommand = (name: string): CommandSpec | undefined => COMMANDS.find((c) => c.name === name);

/** One usage line per command, e.g. `kill <issue> [--requeue]`. */
export const usageLine = (c: CommandSpec): string => {
  const pos = (c.positionals ?? []).map(positionalSyntax);
  const opts = (c.options ?? []).map((o) => `[${o.flags.split(',').pop()?.trim() ?? o.flags}]`);
  return [c.name, ...pos, ...opts].join(' ');
};

export const helpText = (): string =>
  COMMANDS.map((c) => `  ${usageLine(c).padEnd(46)} ${c.summary} (${c.role})`).join('\n');
