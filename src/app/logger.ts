import { pino, type DestinationStream } from 'pino';
import type { Logger } from '../core/ports/logger.js';
import { makeRedactor } from '../core/secrets/index.js';

/** Paths pino blanks out wherever they appear, so secrets never reach the log. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'auth',
  '*.auth',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'privateKey',
  '*.privateKey',
  'secret',
  '*.secret',
  'webhookSecret',
  '*.webhookSecret',
  'password',
  '*.password',
];

/**
 * A pino logger (JSON lines) that satisfies core's Logger port. Besides the key paths above,
 * every finished line is scrubbed by value: the `secrets` this process knows (token, webhook
 * secret, app key, agents.*.env secrets) and every well-known token shape become `***`.
 */
export const createLogger = (
  opts: { level?: string; destination?: DestinationStream; secrets?: readonly string[] } = {},
): Logger => {
  const scrub = makeRedactor(opts.secrets ?? []);
  return pino(
    {
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '***' },
      base: { app: 'k3sc' },
      hooks: { streamWrite: scrub },
    },
    opts.destination ?? pino.destination(2),
  );
};
