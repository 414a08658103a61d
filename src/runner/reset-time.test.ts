import { describe, expect, it } from 'vitest';
import { readResetTime } from './reset-time.js';
import { nextWallClockTime, wallClockOn } from './wall-clock.js';

const now = new Date('2025-06-01T10:00:00Z');
const read = (text: string): string | undefined => readResetTime(text, now)?.toISOString();

describe('readResetTime', () => {
  it('reads epochs (seconds or ms) and Codex’s JSON fields', () => {
    expect(read('Claude AI usage limit reached|1748782800')).toBe('2025-06-01T13:00:00.000Z');
    expect(read('Claude AI usage limit reached|1748782800000')).toBe('2025-06-01T13:00:00.000Z');
    expect(read('{"resets_at":1748782800}')).toBe('2025-06-01T13:00:00.000Z');
    expect(read('{"resets_in_seconds":600}')).toBe('2025-06-01T10:10:00.000Z');
  });

  it('reads ISO and relative reset times', () => {
    expect(read('resets at 2025-06-01T15:30:00Z')).toBe('2025-06-01T15:30:00.000Z');
    expect(read('Try again in 2 hours 30 minutes.')).toBe('2025-06-01T12:30:00.000Z');
  });

  it('reads a wall-clock time in a named zone', () => {
    expect(read('resets 3pm (UTC)')).toBe('2025-06-01T15:00:00.000Z');
    expect(read('resets at 9:15am (Europe/Berlin)')).toBe('2025-06-02T07:15:00.000Z');
    expect(read('resets 12am (Etc/GMT-9)')).toBe('2025-06-01T15:00:00.000Z');
  });

  it('reads a date, rolling over to next year when it has passed', () => {
    expect(read('resets Jun 3 at 4pm (UTC)')).toBe('2025-06-03T16:00:00.000Z');
    expect(read('resets May 3, 4pm (UTC)')).toBe('2026-05-03T16:00:00.000Z');
    expect(read('try again at Jun 2nd, 2025 3:15 PM.')).toBe(wallClockOn(2025, 5, 2, 15, 15).toISOString());
  });

  it('reads nothing from text without a time', () => {
    expect(read('Try again later.')).toBeUndefined();
    expect(read("You've hit your limit")).toBeUndefined();
    expect(read('resets 25pm')).toBeUndefined();
  });
});

describe('wall clock', () => {
  it('rolls over to the next day when the time has passed', () => {
    expect(nextWallClockTime(now, 9, 0, 'UTC').toISOString()).toBe('2025-06-02T09:00:00.000Z');
    expect(nextWallClockTime(now, 11, 0, 'UTC').toISOString()).toBe('2025-06-01T11:00:00.000Z');
  });

  it('falls back to the local zone for an unknown zone', () => {
    const t = nextWallClockTime(now, 11, 0, 'Not/AZone');
    expect(t.getHours()).toBe(11);
    expect(t.getTime()).toBeGreaterThan(now.getTime());
    expect(wallClockOn(2025, 0, 5, 8, 30, 'Not/AZone').getTime()).toBe(new Date(2025, 0, 5, 8, 30).getTime());
  });

  it('places a date in its zone on either side of a DST change', () => {
    expect(wallClockOn(2025, 2, 29, 12, 0, 'Europe/Berlin').toISOString()).toBe('2025-03-29T11:00:00.000Z');
    expect(wallClockOn(2025, 2, 31, 12, 0, 'Europe/Berlin').toISOString()).toBe('2025-03-31T10:00:00.000Z');
  });
});
