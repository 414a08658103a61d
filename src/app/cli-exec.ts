import type { CommandSpec } from '../bot/command-spec.js';
import { errorReply } from '../bot/reply.js';
import { renderText } from '../bot/render/text.js';
import { runCommand, zodMessage } from '../bot/run-command.js';
import type { Logger } from '../core/ports/logger.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { startOneShotSession } from '../adapters/github/index.js';
import { userInfo } from 'node:os';
import { buildFarm } from './build-farm.js';
import { readControlFile } from './control-file.js';
import { runRemoteCommand } from './remote-command.js';

/**
 * A table command from the CLI: inside the running `serve` when there is one (it owns the
 * state file), else in this process against the configured GitHub. Returns the exit code.
 */
export const execCliCommand = async (
  spec: CommandSpec,
  args: Record<string, unknown>,
  env: {
    config: K3scConfig;
    logger: Logger;
    out: (s: string) => void;
    err: (s: string) => void;
    signal: AbortSignal;
  },
): Promise<number> => {
  const json = args.json === true;
  /** Results go to stdout; a failed command's message goes to stderr (JSON stays on stdout). */
  const print = (text: string, data: unknown, exitCode: number): number => {
    (exitCode !== 0 && !json ? env.err : env.out)(`${json ? JSON.stringify(data, null, 2) : text}\n`);
    return exitCode;
  };
  // Bad arguments are reported before looking for a server or credentials.
  const parsed = spec.schema.safeParse(args);
  if (!parsed.success) {
    const reply = errorReply('bad_input', `${spec.name}: ${zodMessage(parsed.error)}`);
    return print(renderText(reply), reply.data, reply.exitCode ?? 2);
  }
  const server = await readControlFile(env.config.dataDir);
  if (server) {
    const reply = await runRemoteCommand(server, spec.name, args, (l) => env.out(`${l}\n`), env.signal);
    return print(reply.text, reply.data, reply.exitCode);
  }
  const built = await buildFarm({ config: env.config, logger: env.logger, serving: false });
  // A one-shot command reuses the previous one's GitHub caches and never waits long on a rate limit.
  const github = await startOneShotSession({
    dataDir: env.config.dataDir,
    tracker: built.tracker,
    trust: built.farm.engine.trust,
    settings: built.farm.deps.settings,
    logger: env.logger,
  });
  try {
    const user = userInfo().username;
    const actor = { id: `cli:${user}`, display: user, role: 'admin' as const };
    const reply = await runCommand(
      spec,
      args,
      { farm: built.farm, actor, signal: env.signal, stream: (l) => env.out(`${l}\n`) },
      { logger: env.logger, where: 'cli' },
    );
    return print(renderText(reply), reply.data, reply.exitCode ?? 0);
  } finally {
    await github.end();
    await built.close();
  }
};
