import { createHash } from 'node:crypto';
import type { RepoRef } from '../../../core/model/refs.js';

/**
 * Deterministic Kubernetes names and label values for k3sc's records. A name that is already a
 * valid object name is used as it is (attempt and lease names are built DNS-safe), anything
 * else is slugged and suffixed with a hash of the original, so two records never share an
 * object and the same record always maps to the same one (the create is the lock).
 */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const LABEL_VALUE = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;
const MAX_NAME = 253;
const MAX_LABEL = 63;

const hash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 10);

const slug = (s: string, allowed: RegExp): string =>
  s
    .toLowerCase()
    .replace(allowed, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');

const fitted = (s: string, valid: RegExp, max: number, invalidChars: RegExp): string => {
  if (s.length <= max && valid.test(s)) return s;
  const base = slug(s, invalidChars)
    .slice(0, max - 11)
    .replace(/[^a-z0-9]+$/, '');
  return base === '' ? `x-${hash(s)}` : `${base}-${hash(s)}`;
};

/** The object name for a record name (≤ 253 characters, DNS subdomain). */
export const objectName = (name: string): string => fitted(name, DNS_SUBDOMAIN, MAX_NAME, /[^a-z0-9.-]+/g);

/** A label value (≤ 63 characters); lossy values get a hash, so labels only narrow a list. */
export const labelValue = (value: string): string => fitted(value, LABEL_VALUE, MAX_LABEL, /[^a-z0-9._-]+/g);

/** GitHub names compare without case: the label is of the lower-cased `owner/name`. */
export const repoLabel = (repo: RepoRef): string =>
  labelValue(`${repo.owner.toLowerCase()}.${repo.name.toLowerCase()}`);

/** Label keys on every object k3sc writes (the Job runner uses the same keys on Jobs and Pods). */
export const LABELS = {
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  repo: 'k3sc.dev/repo',
  issue: 'k3sc.dev/issue',
  attempt: 'k3sc.dev/attempt',
  family: 'k3sc.dev/family',
  slot: 'k3sc.dev/slot',
  phase: 'k3sc.dev/phase',
  live: 'k3sc.dev/live',
  recordKind: 'k3sc.dev/record-kind',
  worker: 'k3sc.dev/worker',
} as const;

export const baseLabels = (): Record<string, string> => ({
  [LABELS.partOf]: 'k3sc',
  [LABELS.managedBy]: 'k3sc',
});
