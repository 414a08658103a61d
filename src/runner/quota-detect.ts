import { nextWallClockTime } from './wall-clock.js';

/** Used when a usage-limit message gives no reset time we can read. */
export const DEFAULT_QUOTA_BACKOFF_MS = 60 * 60_000;

const EPOCH_FORM = /usage limit reached\|(\d{9,13})/i;
const LIMIT_HIT =
  /out of (?:extra )?usage|usage limit (?:reached|exceeded)|hit your (?:usage )?limit|(?:5-hour|weekly|session) limit reached/i;
const RATE_LIMIT_WITH_RESET = /rate[ -]limit.*\b(?:resets?|try again)\b/i;
const ISO_AFTER =
  /\b(?:resets?|try again)\s+(?:at\s+|on\s+)?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)/i;
const CLOCK_AFTER =
  /\b(?:resets?|try again)\s+(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b(?:\s*\(([A-Za-z_]+(?:\/[A-Za-z_+-]+)*)\))?/i;
const RELATIVE_AFTER =
  /\b(?:try again|resets?) in\s+((?:\d+\s*(?:days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b[\s,and]*)+)/i;

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

const relativeMs = (phrase: string): number => {
  let total = 0;
  for (const m of phrase.matchAll(/(\d+)\s*([dhms])/gi)) {
    total += Number(m[1]) * (UNIT_MS[(m[2] ?? 's').toLowerCase()] ?? 0);
  }
  return total;
};

const readResetTime = (text: string, now: Date): Date | undefined => {
  const epoch = EPOCH_FORM.exec(text)?.[1];
  if (epoch !== undefined) {
    const n = Number(epoch);
    return new Date(epoch.length > 10 ? n : n * 1000);
  }
  const iso = ISO_AFTER.exec(text)?.[1];
  if (iso !== undefined && !Number.isNaN(Date.parse(iso))) return new Date(iso);
  const rel = RELATIVE_AFTER.exec(text)?.[1];
  if (rel !== undefined && relativeMs(rel) > 0) return new Date(now.getTime() + relativeMs(rel));
  const clock = CLOCK_AFTER.exec(text);
  if (clock?.[1] !== undefined) {
    let hour = Number(clock[1]);
    const minute = Number(clock[2] ?? '0');
    const meridiem = clock[3]?.toLowerCase();
    if (meridiem === 'pm' && hour < 12) hour += 12;
    if (meridiem === 'am' && hour === 12) hour = 0;
    if (hour < 24 && minute < 60) return nextWallClockTime(now, hour, minute, clock[4]);
  }
  return undefined;
};

/**
 * Recognises an agent CLI's usage-limit message ("Claude AI usage limit reached|<epoch>",
 * "out of usage", "rate limit … resets at 3pm", "try again in 2 hours") and returns the ISO
 * time the family may run again; undefined when the text is not a usage-limit message.
 */
export const detectQuotaReset = (text: string, now: Date): string | undefined => {
  if (!EPOCH_FORM.test(text) && !LIMIT_HIT.test(text) && !RATE_LIMIT_WITH_RESET.test(text)) return undefined;
  const reset = readResetTime(text, now);
  const valid = reset !== undefined && !Number.isNaN(reset.getTime()) && reset.getTime() > now.getTime();
  return (valid ? reset : new Date(now.getTime() + DEFAULT_QUOTA_BACKOFF_MS)).toISOString();
};
