import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTA_BACKOFF_MS, detectQuotaReset } from './quota-detect.js';
import { nextWallClockTime } from './wall-clock.js';

const now = new Date('2025-06-01T10:00:00Z');

describe('detectQuotaReset', () => {
  it('reads the epoch form', () => {
    expect(detectQuotaReset('Claude AI usage limit reached|1748782800', now)).toBe(
      '2025-06-01T13:00:00.000Z',
    );
  });

  it('reads ISO and relative reset times', () => {
    expect(detectQuotaReset('Rate limit exceeded, resets at 2025-06-01T15:30:00Z', now)).toBe(
      '2025-06-01T15:30:00.000Z',
    );
    expect(detectQuotaReset("You've hit your usage limit. Try again in 2 hours 30 minutes.", now)).toBe(
      '2025-06-01T12:30:00.000Z',
    );
  });

  it('reads a wall-clock time in a named zone', () => {
    expect(detectQuotaReset('5-hour limit reached ∙ resets 3pm (UTC)', now)).toBe('2025-06-01T15:00:00.000Z');
    expect(detectQuotaReset('usage limit reached, resets at 9:15am (Europe/Berlin)', now)).toBe(
      '2025-06-02T07:15:00.000Z',
    );
  });

  it('falls back to an hour when the reset time is unreadable or past', () => {
    const fallback = new Date(now.getTime() + DEFAULT_QUOTA_BACKOFF_MS).toISOString();
    expect(detectQuotaReset('You are out of usage.', now)).toBe(fallback);
    expect(detectQuotaReset('Claude AI usage limit reached|1000000000', now)).toBe(fallback);
  });

  it('ignores ordinary text', () => {
    expect(detectQuotaReset('Added a rate limiter to the API client', now)).toBeUndefined();
    expect(detectQuotaReset('GitHub rate limit is 5000 requests per hour', now)).toBeUndefined();
    expect(detectQuotaReset('all tests passed', now)).toBeUndefined();
  });
});

describe('nextWallClockTime', () => {
  it('rolls over to the next day when the time has passed', () => {
    expect(nextWallClockTime(now, 9, 0, 'UTC').toISOString()).toBe('2025-06-02T09:00:00.000Z');
    expect(nextWallClockTime(now, 11, 0, 'UTC').toISOString()).toBe('2025-06-01T11:00:00.000Z');
  });
  it('falls back to the local zone for an unknown zone', () => {
    const t = nextWallClockTime(now, 11, 0, 'Not/AZone');
    expect(t.getHours()).toBe(11);
    expect(t.getTime()).toBeGreaterThan(now.getTime());
  });
});
