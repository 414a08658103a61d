import { pino, type DestinationStream } from 'pino';
import type { Logger } from '../core/ports/logger.js';

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

/** A pino logger (JSON lines) that satisfies core's Logger port. */
export const createLogger = (
  opts: { level?: string; destination?: DestinationStream; secrets?: readonly string[] } = {},
): Logger => {
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 6);
  const scrub = (s: string): string => secrets.reduce((acc, v) => acc.split(v).join('***'), s);
  const base = pino(
    {
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '***' },
      base: { app: 'k3sc' },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>,
          );
        },
      },
      formatters: {
        log: (obj) =>
          secrets.length ? (JSON.parse(scrub(JSON.stringify(obj))) as Record<string, unknown>) : obj,
      },
    },
    opts.destination ?? pino.destination(2),
  );
  return base;
};
