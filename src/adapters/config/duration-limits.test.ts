import { describe, expect, it } from 'vitest';
import { ConfigInvalidError } from './config-error.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import { formatDuration } from './duration.js';
import { WEB_SESSION_TTL_MS } from './web-config.js';
import { DURATION_LIMITS, type DurationKey } from './duration-limits.js';
import { parseConfigText } from './parse-config-text.js';
import { MAX_TIMER_MS } from './schema-fields.js';

const parse = (text: string) => parseConfigText(text, {}, '/etc/k3sc.yaml', { homeDir: '/home/me' });

const problemsOf = (text: string): readonly string[] => {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof ConfigInvalidError) return err.problems;
    throw err;
  }
  return [];
};

/** `runtime.kubernetes.job_ttl` + `30d` → nested YAML; retry_backoff is a list. */
const yamlFor = (key: DurationKey, value: string): string => {
  const parts = key.split('.');
  const leaf = key === 'runtime.retry_backoff' ? `[${value}]` : value;
  // scan.min_interval must not exceed max_interval: raise the other one out of the way.
  const extra =
    key === 'scan.min_interval'
      ? ', max_interval: 1d'
      : key === 'scan.max_interval'
        ? ', min_interval: 5s'
        : '';
  return parts
    .reduceRight(
      (inner, part, i) => (i === parts.length - 1 ? `{${part}: ${leaf}${extra}}` : `{${part}: ${inner}}`),
      '',
    )
    .slice(1, -1);
};

const keys = Object.keys(DURATION_LIMITS) as DurationKey[];

describe('duration limits (A12: durations past ~24.8 days overflowed Node timers)', () => {
  it('rejects the reported values with the key, the value and the range', () => {
    expect(problemsOf('runtime: {attempt_deadline: 30d}')).toEqual([
      'runtime.attempt_deadline: "30d" is too long (allowed: 1s to 7d)',
    ]);
    expect(problemsOf('scan: {min_interval: 30d, max_interval: 40d}')).toEqual([
      'scan.min_interval: "30d" is too long (allowed: 5s to 1d)',
      'scan.max_interval: "40d" is too long (allowed: 5s to 1d)',
    ]);
    expect(problemsOf('runtime: {retry_backoff: [1m, 25d]}')).toEqual([
      'runtime.retry_backoff[1]: "25d" is too long (allowed: 0s to 7d)',
    ]);
    expect(problemsOf('leases: {ttl: 99999999999}')).toEqual([
      'leases.ttl: 99999999999 is too long (allowed: 1m to 7d)',
    ]);
  });

  it('keeps every limit within what a Node timer can wait', () => {
    for (const key of keys) expect(DURATION_LIMITS[key].max, key).toBeLessThanOrEqual(MAX_TIMER_MS);
  });

  it.each(keys)('%s accepts its bounds and rejects one millisecond beyond them', (key) => {
    const { min, max } = DURATION_LIMITS[key];
    expect(problemsOf(yamlFor(key, formatDuration(max))), 'max').toEqual([]);
    expect(problemsOf(yamlFor(key, formatDuration(max + 1))).join('\n')).toContain('is too long');
    if (min > 0) {
      expect(problemsOf(yamlFor(key, formatDuration(min))), 'min').toEqual([]);
      const below = problemsOf(yamlFor(key, formatDuration(min - 1))).join('\n');
      expect(below).toMatch(min - 1 === 0 ? /must be longer than 0/ : /is too short/);
    } else {
      expect(problemsOf(yamlFor(key, '0s')), 'zero').toEqual([]);
    }
  });

  it('has every default inside its range', () => {
    const defaults: Record<DurationKey, readonly number[]> = {
      'scan.min_interval': [CONFIG_DEFAULTS.scan.minIntervalMs],
      'scan.max_interval': [CONFIG_DEFAULTS.scan.maxIntervalMs],
      'scan.task_ttl': [CONFIG_DEFAULTS.scan.taskTtlMs],
      'runtime.attempt_deadline': [CONFIG_DEFAULTS.attemptDeadlineMs],
      'runtime.retry_backoff': CONFIG_DEFAULTS.retryBackoffMs,
      'runtime.orphan_grace': [CONFIG_DEFAULTS.orphanGraceMs],
      'runtime.kubernetes.job_ttl': [CONFIG_DEFAULTS.jobTtlMs],
      'leases.ttl': [CONFIG_DEFAULTS.leaseTtlMs],
      'web.session_ttl': [WEB_SESSION_TTL_MS],
    };
    for (const key of keys)
      for (const ms of defaults[key]) {
        expect(ms, key).toBeGreaterThanOrEqual(DURATION_LIMITS[key].min);
        expect(ms, key).toBeLessThanOrEqual(DURATION_LIMITS[key].max);
      }
  });
});
