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
