import type { LabelChange } from '../ports/issue-tracker.js';

export const READY = 'ready';
export const NEEDS_REVIEW = 'needs-review';
export const NEEDS_HUMAN = 'needs-human';
/** Belongs to people: k3sc never adds or removes it, and never dispatches what carries it. */
export const WAITING = 'waiting';

export type Stage = 'ready' | 'needs-review' | 'needs-human' | 'owned' | 'none';

/** Where an issue should be; `owned` carries the owner label (a slot or worker name). */
export type TargetStage =
  | { readonly stage: 'ready' }
  | { readonly stage: 'needs-review' }
  | { readonly stage: 'needs-human' }
  | { readonly stage: 'owned'; readonly owner: string };

const SLOT_SUFFIX = /^[a-z]$/;

/**
 * A slot name k3sc allocates and writes as an issue's owner label: `<family>-<letter>` for a
 * configured family (`claude-a` … `claude-z`, `codex-a` …). Any other `<family>-<anything>`
 * label (a person's `claude-code` topic label) is not k3sc's: it is never read as an owner and
 * never removed. Review workers with other suffixes own PRs through their lease records.
 */
export const isOwnerLabel = (label: string, families: readonly string[]): boolean => {
  const dash = label.indexOf('-');
  if (dash <= 0) return false;
  return families.includes(label.slice(0, dash)) && SLOT_SUFFIX.test(label.slice(dash + 1));
};

/** GitHub label names are case-insensitive: `Waiting` is `waiting`. */
const hasLabel = (labels: readonly string[], name: string): boolean =>
  labels.some((l) => l.toLowerCase() === name);

export const familyOf = (owner: string): string => owner.slice(0, Math.max(0, owner.indexOf('-')));

/** Every label k3sc may ever add or remove. `waiting` and all others are never touched. */
export const isWorkflowLabel = (label: string, families: readonly string[]): boolean =>
  label === READY || label === NEEDS_REVIEW || label === NEEDS_HUMAN || isOwnerLabel(label, families);

export interface LabelReading {
  readonly stage: Stage;
  readonly owners: readonly string[];
  readonly waiting: boolean;
}

/** Reads the workflow stage from labels; an owner label wins over any other workflow label. */
export const readLabels = (labels: readonly string[], families: readonly string[]): LabelReading => {
  const owners = labels.filter((l) => isOwnerLabel(l, families));
  const waiting = hasLabel(labels, WAITING);
  let stage: Stage = 'none';
  if (owners.length > 0) stage = 'owned';
  else if (labels.includes(NEEDS_HUMAN)) stage = 'needs-human';
  else if (labels.includes(NEEDS_REVIEW)) stage = 'needs-review';
  else if (labels.includes(READY)) stage = 'ready';
  return { stage, owners, waiting };
};

const targetLabel = (target: TargetStage): string => (target.stage === 'owned' ? target.owner : target.stage);

/**
 * The smallest change that puts an issue in `target`: adds the target label if missing and
 * removes every other workflow label. Non-workflow labels (and `waiting`) never appear.
 * Applying the result to labels already in `target` yields an empty change (idempotent).
 */
export const planLabelChange = (
  labels: readonly string[],
  target: TargetStage,
  families: readonly string[],
): LabelChange => {
  const want = targetLabel(target);
  const add = labels.includes(want) ? [] : [want];
  const remove = labels.filter((l) => l !== want && isWorkflowLabel(l, families));
  return { add, remove };
};

export const applyLabelChange = (labels: readonly string[], change: LabelChange): string[] => {
  const next = labels.filter((l) => !change.remove.includes(l));
  for (const l of change.add) if (!next.includes(l)) next.push(l);
  return next;
};

export const isEmptyChange = (c: LabelChange): boolean => c.add.length === 0 && c.remove.length === 0;
