import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  applyLabelChange,
  isEmptyChange,
  isWorkflowLabel,
  planLabelChange,
  readLabels,
  WAITING,
  type TargetStage,
} from './labels.js';

const FAMS = ['claude', 'codex'];

const ownerLabel = fc
  .tuple(fc.constantFrom('claude', 'codex'), fc.constantFrom('a', 'b', 'z'))
  .map(([f, s]) => `${f}-${s}`);
// People's labels that merely look like owners: never read as owners, never touched.
const otherLabel = fc.constantFrom(
  'bug',
  'waiting',
  'Waiting',
  'claude-code',
  'codex-review-1',
  'gemini-a',
  'priority: high',
  'Ready',
  'needs',
  'claude',
  'docs',
);
const anyLabel = fc.oneof(
  fc.constantFrom('ready', 'needs-review', 'needs-human'),
  ownerLabel,
  otherLabel,
  fc.string({ maxLength: 8 }),
);
const labelSet = fc.uniqueArray(anyLabel, { maxLength: 8 });
const target: fc.Arbitrary<TargetStage> = fc.oneof(
  fc.constantFrom<TargetStage>({ stage: 'ready' }, { stage: 'needs-review' }, { stage: 'needs-human' }),
  ownerLabel.map((owner): TargetStage => ({ stage: 'owned', owner })),
);

const apply = (labels: readonly string[], t: TargetStage): string[] =>
  applyLabelChange(labels, planLabelChange(labels, t, FAMS));
const sorted = (xs: readonly string[]): string[] => [...xs].sort();

describe('label machine properties', () => {
  it('leaves at most one owner label, and exactly the target stage', () => {
    fc.assert(
      fc.property(labelSet, target, (labels, t) => {
        const r = readLabels(apply(labels, t), FAMS);
        if (r.owners.length > 1) return false;
        return t.stage === 'owned'
          ? r.stage === 'owned' && r.owners[0] === t.owner
          : r.stage === t.stage && r.owners.length === 0;
      }),
    );
  });

  it('never adds or removes non-workflow labels or waiting', () => {
    fc.assert(
      fc.property(labelSet, target, (labels, t) => {
        const keep = (xs: readonly string[]): string[] => sorted(xs.filter((l) => !isWorkflowLabel(l, FAMS)));
        const after = apply(labels, t);
        return (
          JSON.stringify(keep(after)) === JSON.stringify(keep(labels)) &&
          after.includes(WAITING) === labels.includes(WAITING)
        );
      }),
    );
  });

  it('is idempotent: applying twice equals applying once', () => {
    fc.assert(
      fc.property(labelSet, target, (labels, t) => {
        const once = apply(labels, t);
        return (
          isEmptyChange(planLabelChange(once, t, FAMS)) &&
          JSON.stringify(apply(once, t)) === JSON.stringify(once)
        );
      }),
    );
  });

  it('only ever names workflow labels in a change', () => {
    fc.assert(
      fc.property(labelSet, target, (labels, t) => {
        const c = planLabelChange(labels, t, FAMS);
        return [...c.add, ...c.remove].every((l) => isWorkflowLabel(l, FAMS));
      }),
    );
  });
});
