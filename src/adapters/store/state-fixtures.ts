import type { Attempt } from '../../core/model/attempt.js';
import type { ReviewLease } from '../../core/model/lease.js';
import type { RepoRef } from '../../core/model/refs.js';

/** Test data for store tests: valid records with overridable fields. */
export const ACME: RepoRef = { owner: 'acme', name: 'widgets' };

export const makeAttempt = (overrides: Partial<Attempt> = {}): Attempt => {
  const repo = overrides.repo ?? ACME;
  const issue = overrides.issue ?? 12;
  const seq = overrides.seq ?? 1;
  const name = `${repo.owner}-${repo.name}-${issue}-${seq}`.toLowerCase();
  return {
    name,
    repo,
    issue,
    seq,
    kind: 'implement',
    family: 'claude',
    // A live attempt holds its slot: a distinct slot per attempt unless a test says otherwise.
    slot: `claude-${name}`,
    phase: 'pending',
    createdAt: '2025-03-01T10:00:00.000Z',
    requestedBy: 'engine',
    ...overrides,
  };
};

export const makeLease = (overrides: Partial<ReviewLease> = {}): ReviewLease => {
  const repo = overrides.repo ?? ACME;
  const pr = overrides.pr ?? 40;
  return {
    name: `${repo.owner}-${repo.name}-pr-${pr}`.toLowerCase(),
    repo,
    pr,
    // One lease per worker: a distinct worker per PR unless a test says otherwise.
    worker: `claude-pr${pr}`,
    holder: 'cli:alice',
    createdAt: '2025-03-01T10:00:00.000Z',
    expiresAt: '2025-03-01T22:00:00.000Z',
    ...overrides,
  };
};
