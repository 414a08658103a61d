import { describe, expect, it } from 'vitest';
import {
  applyLabelChange,
  familyOf,
  isEmptyChange,
  isOwnerLabel,
  isWorkflowLabel,
  planLabelChange,
  readLabels,
} from './labels.js';

const FAMS = ['claude', 'codex'];

describe('readLabels', () => {
  it('lets an owner label win over every other workflow label', () => {
    expect(readLabels(['ready', 'needs-review', 'needs-human', 'claude-a'], FAMS)).toEqual({
      stage: 'owned',
      owners: ['claude-a'],
      waiting: false,
    });
  });

  it('ranks needs-human over needs-review over ready', () => {
    expect(readLabels(['ready', 'needs-review', 'needs-human'], FAMS).stage).toBe('needs-human');
    expect(readLabels(['ready', 'needs-review'], FAMS).stage).toBe('needs-review');
    expect(readLabels(['bug', 'ready'], FAMS).stage).toBe('ready');
    expect(readLabels(['bug'], FAMS).stage).toBe('none');
  });

  it('reports waiting alongside the stage and lists every owner', () => {
    expect(readLabels(['waiting', 'ready'], FAMS)).toEqual({ stage: 'ready', owners: [], waiting: true });
    expect(readLabels(['codex-b', 'claude-a'], FAMS).owners).toEqual(['codex-b', 'claude-a']);
  });

  it('does not treat labels of unconfigured families as owners', () => {
    expect(readLabels(['gemini-a', 'ready'], FAMS).stage).toBe('ready');
  });
});

describe('isOwnerLabel', () => {
  it('accepts the slot names k3sc allocates: <family>-<letter> for configured families', () => {
    for (const l of ['claude-a', 'codex-z', 'claude-b']) expect(isOwnerLabel(l, FAMS)).toBe(true);
  });

  it("never takes a person's <family>-<word> label for an owner (claude-code stays theirs)", () => {
    for (const l of ['claude-code', 'claude-review-1', 'claude-b2', 'codex-cli'])
      expect(isOwnerLabel(l, FAMS)).toBe(false);
    expect(readLabels(['claude-code', 'ready'], FAMS)).toMatchObject({ stage: 'ready', owners: [] });
    expect(planLabelChange(['claude-code', 'ready'], { stage: 'owned', owner: 'claude-a' }, FAMS)).toEqual({
      add: ['claude-a'],
      remove: ['ready'],
    });
  });

  it('reads waiting case-insensitively (GitHub label names are)', () => {
    expect(readLabels(['Waiting', 'ready'], FAMS).waiting).toBe(true);
    expect(readLabels(['WAITING'], FAMS).waiting).toBe(true);
  });

  it('rejects other families, bare names, empty or odd suffixes', () => {
    for (const l of [
      'gemini-a',
      'claude',
      'claude-',
      '-a',
      'claude-A',
      'claude-a b',
      'needs-review',
      'ready',
      'waiting',
    ])
      expect(isOwnerLabel(l, FAMS)).toBe(false);
    expect(isOwnerLabel('claude-a', [])).toBe(false);
    expect(isOwnerLabel('codex-a', ['claude'])).toBe(false);
  });

  it('familyOf returns the part before the first dash', () => {
    expect(familyOf('claude-review-1')).toBe('claude');
    expect(familyOf('nodash')).toBe('');
  });
});

describe('planLabelChange', () => {
  it('adds the target and removes every other workflow label', () => {
    const change = planLabelChange(
      ['ready', 'bug', 'needs-human'],
      { stage: 'owned', owner: 'claude-a' },
      FAMS,
    );
    expect(change).toEqual({ add: ['claude-a'], remove: ['ready', 'needs-human'] });
  });

  it('never touches waiting or unrelated labels', () => {
    const labels = ['waiting', 'bug', 'priority: high', 'gemini-a', 'claude-a', 'ready'];
    for (const target of [
      { stage: 'ready' },
      { stage: 'needs-review' },
      { stage: 'needs-human' },
      { stage: 'owned', owner: 'codex-b' },
    ] as const) {
      const change = planLabelChange(labels, target, FAMS);
      for (const l of [...change.add, ...change.remove]) expect(isWorkflowLabel(l, FAMS)).toBe(true);
      expect([...change.add, ...change.remove]).not.toContain('waiting');
      expect(change.remove).not.toContain('bug');
    }
  });

  it('is idempotent: once applied, planning again yields no change', () => {
    const labels = ['ready', 'claude-a', 'bug'];
    const target = { stage: 'needs-review' } as const;
    const after = applyLabelChange(labels, planLabelChange(labels, target, FAMS));
    expect(after).toEqual(['bug', 'needs-review']);
    expect(isEmptyChange(planLabelChange(after, target, FAMS))).toBe(true);
  });

  it('replaces one owner with another, removing both old owners', () => {
    const change = planLabelChange(['claude-a', 'codex-b'], { stage: 'owned', owner: 'codex-b' }, FAMS);
    expect(change).toEqual({ add: [], remove: ['claude-a'] });
  });
});

describe('applyLabelChange', () => {
  it('removes then adds without duplicating labels', () => {
    expect(applyLabelChange(['a', 'b'], { add: ['b', 'c'], remove: ['a', 'zz'] })).toEqual(['b', 'c']);
  });
});
