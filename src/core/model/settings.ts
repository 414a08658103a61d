import type { RepoRef } from './refs.js';

/** Per-family agent settings the engine needs (the runtime gets the rest from config). */
export interface FamilySettings {
  readonly name: string;
  readonly enabled: boolean;
}

/** The engine's view of configuration, already validated and normalised. All durations in ms. */
export interface EngineSettings {
  readonly repos: readonly RepoRef[];
  readonly allowedAuthors: readonly string[];
  readonly families: readonly FamilySettings[];
  readonly maxSlots: number;
  readonly scan: {
    readonly minIntervalMs: number;
    readonly maxIntervalMs: number;
    readonly taskTtlMs: number;
  };
  /** Branch linking a PR to its issue; `{N}` is the issue number. */
  readonly branchPattern: string;
  /** Implementation attempts before an issue is parked in needs-human. */
  readonly maxAttempts: number;
  /** Usage-limit hits in a row after which an issue is parked instead of bouncing between families. */
  readonly maxQuotaBounces: number;
  /** Delay before retry k (index 0 = after the 1st failure). */
  readonly retryBackoffMs: readonly number[];
  /** How long an owner label may stand with no live attempt before the sweep recovers it. */
  readonly orphanGraceMs: number;
  readonly leaseTtlMs: number;
  readonly attemptDeadlineSeconds: number;
  /** k3sc's own GitHub login: a `ready` it applied itself (retry, requeue, recovery) is trusted. */
  readonly botLogin?: string;
}

export const DEFAULT_ENGINE_SETTINGS: Omit<EngineSettings, 'repos' | 'allowedAuthors'> = {
  families: [
    { name: 'claude', enabled: true },
    { name: 'codex', enabled: true },
  ],
  maxSlots: 5,
  scan: { minIntervalMs: 2 * 60_000, maxIntervalMs: 60 * 60_000, taskTtlMs: 24 * 3_600_000 },
  branchPattern: 'issue-{N}',
  maxAttempts: 3,
  maxQuotaBounces: 6,
  retryBackoffMs: [60_000, 5 * 60_000],
  orphanGraceMs: 10 * 60_000,
  leaseTtlMs: 12 * 3_600_000,
  attemptDeadlineSeconds: 3600,
};
