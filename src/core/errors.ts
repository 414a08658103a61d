/** Stable error codes. A K3scError's message is safe to show a user; `cause` stays in logs. */
export type ErrorCode =
  | 'bad_input'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'ambiguous'
  | 'config_invalid'
  | 'state_corrupt'
  | 'unavailable'
  | 'rate_limited'
  | 'internal';

/**
 * The one table from error codes to process exit codes. 2: the command cannot run as written
 * (fix the input or the config); 1: it was well-formed but could not be done; 70 (EX_SOFTWARE):
 * a bug, reported as `internal error (ref …)` with the detail in the log.
 */
export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  bad_input: 2,
  ambiguous: 2,
  config_invalid: 2,
  not_found: 1,
  conflict: 1,
  forbidden: 1,
  state_corrupt: 1,
  unavailable: 1,
  rate_limited: 1,
  internal: 70,
};

/** The exit code of an error code (the one table above); unknown codes count as internal. */
export const exitCodeOf = (code: string): number =>
  Object.prototype.hasOwnProperty.call(EXIT_CODES, code)
    ? EXIT_CODES[code as ErrorCode]
    : EXIT_CODES.internal;

export class K3scError extends Error {
  override readonly name = 'K3scError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isK3scError = (err: unknown, code?: ErrorCode): err is K3scError =>
  err instanceof K3scError && (code === undefined || err.code === code);

/** Thrown by stores when a record with that name already exists: the lock is held by someone else. */
export class ConflictError extends K3scError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class NotFoundError extends K3scError {
  constructor(message: string) {
    super('not_found', message);
  }
}
