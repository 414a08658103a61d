import type { DurationRange } from './schema-fields.js';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/**
 * The allowed range of every duration key. Each one ends up in a timer or a due time the
 * engine waits for, so none may exceed Node's timer limit (2^31-1 ms, about 24.8 days).
 */
export const DURATION_LIMITS = {
  'scan.min_interval': { min: 5 * S, max: D },
  'scan.max_interval': { min: 5 * S, max: D },
  'scan.task_ttl': { min: M, max: 24 * D },
  'runtime.attempt_deadline': { min: S, max: 7 * D },
  'runtime.retry_backoff': { min: 0, max: 7 * D },
  'runtime.orphan_grace': { min: 0, max: D },
  'runtime.kubernetes.job_ttl': { min: 0, max: 24 * D },
  'leases.ttl': { min: M, max: 7 * D },
  'web.session_ttl': { min: M, max: 24 * D },
} as const satisfies Readonly<Record<string, DurationRange>>;

export type DurationKey = keyof typeof DURATION_LIMITS;
