import type { Interface } from 'node:readline';
import { CommanderError } from 'commander';
import type { Logger } from '../core/ports/logger.js';
import type { Actor } from '../core/usecases/actor.js';
import { helpText } from './command-table.js';
import type { Farm } from './farm.js';
import { buildTableProgram, tokenize } from './program.js';
import { renderText } from './render/text.js';
import type { AuditLog } from './run-command.js';
import { runCommand } from './run-command.js';

/**
 * The console chat transport: the same commands typed on stdin (a leading `/k3sc` is
 * optional). Output goes to `write`; a bad line prints an error and the prompt returns.
 */
export const startConsoleChat = (opts: {
  farm: Farm;
  rl: Interface;
  write: (text: string) => void;
  actor: Actor;
  logger: Logger;
  audit?: AuditLog;
  signal: AbortSignal;
}): Promise<void> => {
  const { rl, write } = opts;
  const handleLine = async (line: string): Promise<void> => {
    const tokens = tokenize(line.replace(/^\s*\/?k3sc\b/, ''));
    if (tokens.length === 0) return;
    if (tokens[0] === 'help' || tokens[0] === '?') {
      write(`commands:\n${helpText()}\n`);
      return;
    }
    const program = buildTableProgram(
      'k3sc',
      async (spec, args) => {
        const reply = await runCommand(
          spec,
          args,
          { farm: opts.farm, actor: opts.actor, signal: opts.signal, stream: (l) => write(`${l}\n`) },
          { logger: opts.logger, where: 'console', ...(opts.audit ? { audit: opts.audit } : {}) },
        );
        write(
          `${args.json ? JSON.stringify(reply.data, null, 2) : renderText(reply, { showActions: true })}\n`,
        );
      },
      write,
    );
    try {
      await program.parseAsync(tokens, { from: 'user' });
    } catch (err) {
      if (!(err instanceof CommanderError))
        write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      else if (err.code === 'commander.unknownCommand') write(`type "help" for the list of commands\n`);
    }
  };
  return new Promise((resolve) => {
    let chain = Promise.resolve();
    rl.on('line', (line) => {
      chain = chain
        .then(() => handleLine(line))
        .catch((err: unknown) => write(`error: ${err instanceof Error ? err.message : String(err)}\n`))
        .then(() => rl.prompt());
    });
    rl.on('close', () => void chain.then(resolve));
    opts.signal.addEventListener('abort', () => rl.close(), { once: true });
    rl.prompt();
  });
};
