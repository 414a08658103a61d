import { join } from 'node:path';
import { CommanderError } from 'commander';
import { pino } from 'pino';
import { K3scError } from '../core/errors.js';
import {
  EXIT_ON_SIGNAL,
  EXIT_INTERNAL,
  EXIT_OK,
  EXIT_USAGE,
  exitCodeFor,
  internalErrorMessage,
  newErrorRef,
} from './exit-codes.js';
import { createLogger } from './logger.js';

export interface ErrorContext {
  /** Where the detail of an unexpected error goes: `<data_dir>/k3sc.log`. */
  readonly dataDir: string;
  readonly secrets: readonly string[];
  /** The signal that stopped the command, if one did. */
  readonly interruptedBy: 'SIGINT' | 'SIGTERM' | undefined;
  readonly err: (text: string) => void;
}

const isAbort = (e: unknown): boolean => e instanceof Error && e.name === 'AbortError';

/** Appends the detail to the log file; falls back to stderr when the file cannot be written. */
const logInternal = (ctx: ErrorContext, ref: string, thrown: unknown): string => {
  const file = join(ctx.dataDir, 'k3sc.log');
  // Serialised here: the logger's secret scrubbing round-trips through JSON, which empties an Error.
  const e = thrown instanceof Error ? pino.stdSerializers.err(thrown) : { message: String(thrown) };
  try {
    const destination = pino.destination({ dest: file, mkdir: true, sync: true });
    createLogger({ level: 'error', secrets: ctx.secrets, destination }).error(
      { ref, error: e },
      'internal error',
    );
    destination.flushSync();
    return file;
  } catch {
    createLogger({ level: 'error', secrets: ctx.secrets }).error({ ref, error: e }, 'internal error');
    return 'the log on stderr';
  }
};

/**
 * Turns whatever a command threw into a message and an exit code (from the one table in
 * exit-codes.ts). A K3scError's message is shown as it is; anything else is a bug: the user
 * sees `internal error (ref …)` and the log keeps the stack under that ref.
 */
export const reportError = (e: unknown, ctx: ErrorContext): number => {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (e instanceof K3scError) {
    ctx.err(`error: ${e.message}\n`);
    return exitCodeFor(e.code);
  }
  if (ctx.interruptedBy !== undefined && isAbort(e)) {
    ctx.err(`k3sc: stopped by ${ctx.interruptedBy}\n`);
    return EXIT_ON_SIGNAL[ctx.interruptedBy];
  }
  const ref = newErrorRef();
  const where = logInternal(ctx, ref, e);
  ctx.err(`error: ${internalErrorMessage(ref, where)}\n`);
  return EXIT_INTERNAL;
};
