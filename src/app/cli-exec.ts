import type { CommandSpec } from '../bot/command-spec.js';
import { errorReply } from '../bot/reply.js';
import { renderText } from '../bot/render/text.js';
import { durableAudit } from '../bot/durable-audit.js';
import { runCommand, zodMessage } from '../bot/run-command.js';
import type { Logger } from '../core/ports/logger.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { startOneShotSession } from '../adapters/github/index.js';
import { userInfo } from 'node:os';
import { buildFarm } from './build-farm.js';
import { readControlFile } from './control-file.js';
import { oversizedArgument } from './argument-limits.js';
import { exitCodeOfReply } from './exit-codes.js';
import { runRemoteCommand } from './remote-command.js';

const badArguments = (spec: CommandSpec, args: Record<string, unknown>): string | undefined => {
  const parsed = spec.schema.safeParse(args);
  return parsed.success ? undefined : `${spec.name}: ${zodMessage(parsed.error)}`;
};

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
  const problem = oversizedArgument(spec.name, args) ?? badArguments(spec, args);
  if (problem !== undefined) {
    const reply = errorReply('bad_input', problem);
    return print(renderText(reply), reply.data, exitCodeOfReply(reply.data));
  }
  const server = await readControlFile(env.config.dataDir);
  if (server) {
    const reply = await runRemoteCommand(server, spec.name, args, (l) => env.out(`${l}\n`), env.signal);
    return print(reply.text, reply.data, exitCodeOfReply(reply.data));
  }
  const built = await buildFarm({ config: env.config, logger: env.logger, serving: false });
  // A one-shot command reuses the previous one's GitHub caches and never waits long on a rate limit.
  const github = await startOneShotSession({
    dataDir: env.config.dataDir,
    tracker: built.tracker,
    trust: built.engine.trust,
    settings: built.deps.settings,
    logger: env.logger,
  });
  const audit = durableAudit(built.farm.api, env.logger);
  try {
    const user = userInfo().username;
    const actor = { id: `cli:${user}`, display: user, role: 'admin' as const };
    const reply = await runCommand(
      spec,
      args,
      { farm: built.farm, actor, signal: env.signal, stream: (l) => env.out(`${l}\n`) },
      { logger: env.logger, where: 'cli', audit },
    );
    return print(renderText(reply), reply.data, exitCodeOfReply(reply.data));
  } finally {
    await audit.flush();
    await github.end();
    // Runs this command started (dispatch) go on; the next `serve` adopts them.
    await built.close({ runs: 'keep' });
  }
};
