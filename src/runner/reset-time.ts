import { nextWallClockTime, wallClockOn } from './wall-clock.js';

const ZONE = '\\(([A-Za-z_]+(?:\\/[A-Za-z0-9_+-]+)*)\\)';
const EPOCH_FORM = /usage limit reached\|(\d{9,13})/i;
const JSON_RESETS_AT = /"resets_at"\s*:\s*(\d{9,13})/;
const JSON_RESETS_IN = /"resets_in_seconds"\s*:\s*(\d{1,9})/;
const ISO_AFTER =
  /\b(?:resets?|try again)\s+(?:at\s+|on\s+)?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)/i;
const RELATIVE_AFTER =
  /\b(?:try again|resets?) in\s+((?:\d+\s*(?:days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b[\s,and]*)+)/i;
// "resets Apr 23 at 4pm (America/Recife)", "resets Jan 21, 5am (Etc/GMT-9)", "Try again at Jun 2nd, 2025 3:15 PM."
const DATE_AFTER = new RegExp(
  `\\b(?:resets?|try again)\\s+(?:at\\s+|on\\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?(?:\\s+(\\d{4}))?,?\\s+(?:at\\s+)?(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm)?(?:\\s*${ZONE})?`,
  'i',
);
// "resets 3pm", "resets at 9:15am (Europe/Berlin)", "Try again at 3:15 PM."
const CLOCK_AFTER = new RegExp(
  `\\b(?:resets?|try again)\\s+(?:at\\s+)?(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm)?\\b(?:\\s*${ZONE})?`,
  'i',
);

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

const relativeMs = (phrase: string): number => {
  let total = 0;
  for (const m of phrase.matchAll(/(\d+)\s*([dhms])/gi)) {
    total += Number(m[1]) * (UNIT_MS[(m[2] ?? 's').toLowerCase()] ?? 0);
  }
  return total;
};

/** 24-hour clock from "3", "15", "pm"; undefined when out of range. */
const hourOf = (h: string, meridiem: string | undefined): number | undefined => {
  let hour = Number(h);
  const m = meridiem?.toLowerCase();
  if (m === 'pm' && hour < 12) hour += 12;
  if (m === 'am' && hour === 12) hour = 0;
  return hour < 24 ? hour : undefined;
};

const fromEpoch = (digits: string): Date => {
  const n = Number(digits);
  return new Date(digits.length > 10 ? n : n * 1000);
};

const fromDate = (m: RegExpExecArray, now: Date): Date | undefined => {
  const month = MONTHS.indexOf((m[1] ?? '').toLowerCase());
  const day = Number(m[2]);
  const hour = hourOf(m[4] ?? '', m[6]);
  const minute = Number(m[5] ?? '0');
  if (month < 0 || day < 1 || day > 31 || hour === undefined || minute > 59) return undefined;
  if (m[3] !== undefined) return wallClockOn(Number(m[3]), month, day, hour, minute, m[7]);
  const thisYear = wallClockOn(now.getUTCFullYear(), month, day, hour, minute, m[7]);
  return thisYear.getTime() > now.getTime()
    ? thisYear
    : wallClockOn(now.getUTCFullYear() + 1, month, day, hour, minute, m[7]);
};

const fromClock = (m: RegExpExecArray, now: Date): Date | undefined => {
  const hour = hourOf(m[1] ?? '', m[3]);
  const minute = Number(m[2] ?? '0');
  return hour === undefined || minute > 59 ? undefined : nextWallClockTime(now, hour, minute, m[4]);
};

/**
 * When a usage-limit message says the limit resets: an epoch (`…|1748782800`, `"resets_at":…`),
 * an ISO time, "in 2 hours", a date ("Apr 23 at 4pm (America/Recife)") or a wall-clock time
 * ("3pm (Europe/Berlin)"; without a zone, this machine's). Undefined when it says none we can read.
 */
export const readResetTime = (text: string, now: Date): Date | undefined => {
  const epoch = EPOCH_FORM.exec(text)?.[1] ?? JSON_RESETS_AT.exec(text)?.[1];
  if (epoch !== undefined) return fromEpoch(epoch);
  const resetsIn = JSON_RESETS_IN.exec(text)?.[1];
  if (resetsIn !== undefined) return new Date(now.getTime() + Number(resetsIn) * 1000);
  const iso = ISO_AFTER.exec(text)?.[1];
  if (iso !== undefined && !Number.isNaN(Date.parse(iso))) return new Date(iso);
  const rel = RELATIVE_AFTER.exec(text)?.[1];
  if (rel !== undefined && relativeMs(rel) > 0) return new Date(now.getTime() + relativeMs(rel));
  const date = DATE_AFTER.exec(text);
  if (date !== null) return fromDate(date, now);
  const clock = CLOCK_AFTER.exec(text);
  return clock === null ? undefined : fromClock(clock, now);
};
