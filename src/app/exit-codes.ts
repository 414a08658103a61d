import { randomBytes } from 'node:crypto';
import { EXIT_CODES, type ErrorCode } from '../core/errors.js';

export { EXIT_CODES };

export const EXIT_OK = 0;
/** Command-line syntax errors found by the parser (unknown command or option). */
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = EXIT_CODES.internal;

/** 128 + the signal number, as shells report it. */
export const EXIT_ON_SIGNAL: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && Object.prototype.hasOwnProperty.call(EXIT_CODES, code);

/** The exit code for an error code; a code this table does not know is treated as internal. */
export const exitCodeFor = (code: unknown): number => (isErrorCode(code) ? EXIT_CODES[code] : EXIT_INTERNAL);

/** A command reply's exit code: from its `{error: {code}}` data when it failed, else 0. */
export const exitCodeOfReply = (data: unknown): number => {
  if (data === null || typeof data !== 'object' || !('error' in data)) return EXIT_OK;
  const error: unknown = data.error;
  return exitCodeFor(error !== null && typeof error === 'object' && 'code' in error ? error.code : undefined);
};

/** A short id that ties the line a user sees to the log entry with the detail. */
export const newErrorRef = (): string => randomBytes(4).toString('hex');

export const internalErrorMessage = (ref: string, where = 'the k3sc log'): string =>
  `internal error (ref ${ref}); the details are in ${where}`;
