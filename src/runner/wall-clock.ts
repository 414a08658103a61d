/** Offset (ms) of `timeZone` from UTC at `at`; undefined for an unknown zone. */
const zoneOffsetMs = (at: Date, timeZone: string): number | undefined => {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(at);
    const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? '0');
    const asUtc = Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute'),
      get('second'),
    );
    return asUtc - Math.floor(at.getTime() / 1000) * 1000;
  } catch {
    return undefined;
  }
};

/**
 * The first instant after `now` at which the wall clock in `timeZone` (default: this
 * process's zone) shows hour:minute.
 */
export const nextWallClockTime = (now: Date, hour: number, minute: number, timeZone?: string): Date => {
  const offset = timeZone === undefined ? undefined : zoneOffsetMs(now, timeZone);
  if (offset === undefined) {
    const local = new Date(now.getTime());
    local.setHours(hour, minute, 0, 0);
    if (local.getTime() <= now.getTime()) local.setDate(local.getDate() + 1);
    return local;
  }
  const zoned = new Date(now.getTime() + offset);
  let candidate =
    Date.UTC(zoned.getUTCFullYear(), zoned.getUTCMonth(), zoned.getUTCDate(), hour, minute) - offset;
  if (candidate <= now.getTime()) candidate += 86_400_000;
  return new Date(candidate);
};

/**
 * The instant at which the wall clock in `timeZone` (default, or when unknown: this process's
 * zone) shows the given date and time; `month` is 0-based.
 */
export const wallClockOn = (
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone?: string,
): Date => {
  const asUtc = Date.UTC(year, month, day, hour, minute);
  const first = timeZone === undefined ? undefined : zoneOffsetMs(new Date(asUtc), timeZone);
  if (first === undefined) return new Date(year, month, day, hour, minute);
  // The offset at the result itself, which differs from the first guess across a DST change.
  const offset = zoneOffsetMs(new Date(asUtc - first), timeZone ?? 'UTC') ?? first;
  return new Date(asUtc - offset);
};
