import type { RunSpec } from '../../core/ports/agent-runtime.js';

/** The one prefix of every label and annotation k3sc puts on Kubernetes objects. */
export const PREFIX = 'k3sc.dev';

export const LABEL = {
  managedBy: 'app.kubernetes.io/managed-by',
  component: 'app.kubernetes.io/component',
  attempt: `${PREFIX}/attempt`,
  repoOwner: `${PREFIX}/repo-owner`,
  repoName: `${PREFIX}/repo-name`,
  issue: `${PREFIX}/issue`,
  kind: `${PREFIX}/kind`,
  family: `${PREFIX}/family`,
  slot: `${PREFIX}/slot`,
} as const;

export const ANNOTATION = {
  attempt: `${PREFIX}/attempt`,
  repo: `${PREFIX}/repo`,
  issue: `${PREFIX}/issue`,
  family: `${PREFIX}/family`,
  slot: `${PREFIX}/slot`,
  branch: `${PREFIX}/branch`,
} as const;

/** FNV-1a, 8 hex digits: keeps two long values that share a truncated prefix apart. */
export const hash8 = (s: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
};

const LABEL_MAX = 63;

/**
 * A label value that stands for exactly one input: [A-Za-z0-9._-], starting and ending
 * alphanumeric, at most 63 characters. A value that had to be changed (characters replaced or
 * truncated) carries a hash of the original, so `acme/widgets.js` and `acme/widgets-js` never
 * share a label value. The exact value is always in an annotation as well.
 */
export const labelValue = (raw: string): string => {
  const cleaned = raw.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (cleaned === raw && raw.length <= LABEL_MAX) return raw;
  const head = cleaned.slice(0, LABEL_MAX - 9).replace(/[^A-Za-z0-9]+$/, '');
  return head === '' ? `h${hash8(raw)}` : `${head}-${hash8(raw)}`;
};

/** A DNS-1123 label (Job names must be one): lowercase, ≤ 63, a hash suffix when shortened. */
export const dnsLabel = (raw: string): string => {
  const cleaned = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (cleaned === raw && raw.length <= LABEL_MAX) return raw;
  const head = cleaned.slice(0, LABEL_MAX - 9).replace(/-+$/, '');
  return head === '' ? `h${hash8(raw)}` : `${head}-${hash8(raw)}`;
};

/** The Job of an attempt: the attempt name when it is a valid Job name, else a hashed short form. */
export const jobNameFor = (attemptName: string): string => dnsLabel(attemptName);

/** The selector that finds an attempt's Job and pods. */
export const attemptSelector = (attemptName: string): string => `${LABEL.attempt}=${labelValue(attemptName)}`;

export const MANAGED_BY = 'k3sc';

/** Every k3sc agent Job and its pods carry this; the watches select on it. */
export const AGENT_SELECTOR = `${LABEL.managedBy}=${MANAGED_BY},${LABEL.component}=agent`;

export const labelsFor = (spec: RunSpec): Record<string, string> => ({
  [LABEL.managedBy]: MANAGED_BY,
  [LABEL.component]: 'agent',
  [LABEL.attempt]: labelValue(spec.attemptName),
  [LABEL.repoOwner]: labelValue(spec.repo.owner),
  [LABEL.repoName]: labelValue(spec.repo.name),
  [LABEL.issue]: String(spec.issue),
  [LABEL.kind]: spec.kind,
  [LABEL.family]: labelValue(spec.family),
  [LABEL.slot]: labelValue(spec.slot),
});

export const annotationsFor = (spec: RunSpec): Record<string, string> => ({
  [ANNOTATION.attempt]: spec.attemptName,
  [ANNOTATION.repo]: `${spec.repo.owner}/${spec.repo.name}`,
  [ANNOTATION.issue]: String(spec.issue),
  [ANNOTATION.family]: spec.family,
  [ANNOTATION.slot]: spec.slot,
  [ANNOTATION.branch]: spec.branch,
});
