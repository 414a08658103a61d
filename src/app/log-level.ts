import { K3scError } from '../core/errors.js';

/** pino's levels, quietest last. `--log-level` takes one of these. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `--log-level` text → a level, or a bad_input error listing the choices (pino would throw a stack). */
export const parseLogLevel = (text: string): LogLevel => {
  const level = text.trim().toLowerCase();
  const found = LOG_LEVELS.find((l) => l === level);
  if (found !== undefined) return found;
  const shown = text.length <= 40 ? JSON.stringify(text) : 'the value';
  throw new K3scError('bad_input', `--log-level must be one of ${LOG_LEVELS.join(', ')} (got ${shown})`);
};
