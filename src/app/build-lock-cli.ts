import { constants } from 'node:os';
import { parseDuration } from '../adapters/config/duration.js';
import {
  BUILD_LOCK_TIMEOUT_EXIT,
  defaultBuildLockPath,
  runWithBuildLock,
} from '../adapters/build-lock/build-lock.js';
import { K3scError } from '../core/errors.js';

export interface BuildLockArgs {
  readonly lock?: string;
  readonly timeout?: string;
  readonly command: readonly string[];
}

export interface BuildLockIo {
  readonly env: NodeJS.ProcessEnv;
  readonly err: (s: string) => void;
}

export const BUILD_LOCK_USAGE = 'usage: k3sc build-lock [--lock PATH] [--timeout DURATION] -- <command...>';

/** `k3sc build-lock`: the command's exit code (128 + N when a signal N ended it); 75 on timeout. */
export const buildLockCli = async (a: BuildLockArgs, io: BuildLockIo): Promise<number> => {
  const [command, ...args] = a.command;
  if (command === undefined || command === '')
    throw new K3scError('bad_input', `build-lock: no command given; ${BUILD_LOCK_USAGE}`);
  let timeoutSeconds: number | undefined;
  if (a.timeout !== undefined) {
    const ms = parseDuration(a.timeout);
    if (ms === undefined)
      throw new K3scError(
        'bad_input',
        `build-lock: --timeout must be a duration like 90s, 10m or 1h (got "${a.timeout}")`,
      );
    timeoutSeconds = ms / 1000;
  }
  const outcome = await runWithBuildLock({
    lockPath: a.lock ?? defaultBuildLockPath(io.env),
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
    command,
    args,
    env: io.env,
    progress: (line) => io.err(`${line}\n`),
  });
  if (outcome.kind === 'timed-out') return BUILD_LOCK_TIMEOUT_EXIT;
  if (outcome.kind === 'signalled') return 128 + (constants.signals[outcome.signal] ?? 0);
  return outcome.code;
};

/** The argv of the image's `k3sc-build-lock` (no commander: a tiny, fast start in agent pods). */
export const parseBuildLockArgv = (argv: readonly string[]): BuildLockArgs => {
  let lock: string | undefined;
  let timeout: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined)
        throw new K3scError('bad_input', `build-lock: ${arg} needs a value; ${BUILD_LOCK_USAGE}`);
      return v;
    };
    if (arg === '--')
      return { ...(lock ? { lock } : {}), ...(timeout ? { timeout } : {}), command: argv.slice(i + 1) };
    if (arg === '--lock') lock = value();
    else if (arg.startsWith('--lock=')) lock = arg.slice('--lock='.length);
    else if (arg === '--timeout') timeout = value();
    else if (arg.startsWith('--timeout=')) timeout = arg.slice('--timeout='.length);
    else if (arg.startsWith('-'))
      throw new K3scError('bad_input', `build-lock: unknown option ${arg}; ${BUILD_LOCK_USAGE}`);
    else return { ...(lock ? { lock } : {}), ...(timeout ? { timeout } : {}), command: argv.slice(i) };
  }
  return { ...(lock ? { lock } : {}), ...(timeout ? { timeout } : {}), command: [] };
};
