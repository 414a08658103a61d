import { validate as validateCron } from 'node-cron';
import { z } from 'zod';
import { DURATION_HINT, formatDuration, parseDuration } from './duration.js';

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** Largest delay a Node timer takes (2^31-1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface DurationRange {
  /** Shortest allowed value in ms (0 allows `0s`). */
  readonly min: number;
  /** Longest allowed value in ms; never above MAX_TIMER_MS for anything that feeds a timer. */
  readonly max: number;
}

/** `1s to 7d`, for messages and docs. */
export const describeRange = (r: DurationRange): string =>
  `${formatDuration(r.min)} to ${formatDuration(r.max)}`;

/** A duration (`2m`, `1h30m`, plain seconds) as milliseconds, within `range`. */
export const duration = (range: DurationRange) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `${show(v)} ${DURATION_HINT}` });
      return z.NEVER;
    }
    if (ms === 0 && range.min > 0) {
      ctx.addIssue({ code: 'custom', message: `must be longer than 0 (allowed: ${describeRange(range)})` });
      return z.NEVER;
    }
    if (ms < range.min || ms > range.max) {
      ctx.addIssue({
        code: 'custom',
        message: `${show(v)} is too ${ms < range.min ? 'short' : 'long'} (allowed: ${describeRange(range)})`,
      });
      return z.NEVER;
    }
    return ms;
  });

const NAME_RE = /^[A-Za-z0-9_.-]+$/;
export const repoPart = z.string().regex(NAME_RE, {
  error: (iss) => `${show(iss.input)} is not a valid name (letters, digits, "_", "." and "-" only)`,
});

export const FAMILY_RE = /^[a-z][a-z0-9]*$/;
export const familyName = z.string().regex(FAMILY_RE, {
  error: (iss) =>
    `${show(iss.input)} is not a valid family name (lowercase letter, then lowercase letters or digits)`,
});

export const nonEmpty = z.string().trim().min(1, { error: 'must not be empty' });

/** Chat/user ids: strings; unquoted numbers (even 18-digit Discord snowflakes) are accepted and kept exact. */
export const id = z
  .union([z.string(), z.number().int().nonnegative(), z.bigint().nonnegative()])
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1, { error: 'must not be empty' }));

export const idList = z.array(id);
export const stringList = z.array(nonEmpty);

export const httpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\/[^/\s]+/.test(v) && URL.canParse(v), {
    error: (iss) => `${show(iss.input)} is not an http(s) URL like https://github.com`,
  })
  .transform((v) => v.replace(/\/+$/, ''));

/** A 5- or 6-field cron expression that node-cron accepts. */
export const cron = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const fields = v.split(/\s+/).length;
    if (fields !== 5 && fields !== 6) {
      ctx.addIssue({
        code: 'custom',
        message: `${show(v)} has ${fields} fields; a cron expression has 5 (minute hour day month weekday) or 6 (with seconds first)`,
      });
    } else if (!validateCron(v)) {
      ctx.addIssue({
        code: 'custom',
        message: `${show(v)} is not a valid cron expression (e.g. "0 9 * * 1-5")`,
      });
    }
  });

/** A literal secret: always rejected, with a hint naming where it should come from instead. */
export const forbiddenSecret = (hint: string) =>
  z
    .unknown()
    .optional()
    .superRefine((v, ctx) => {
      if (v !== undefined)
        ctx.addIssue({ code: 'custom', message: `secrets must not be written in the config file — ${hint}` });
    });

export const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: (iss) => `${show(iss.input)} is not an environment variable name`,
});

/** Agent env values: strings; numbers and booleans are accepted and stringified. */
export const envValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);
