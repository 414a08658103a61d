import { describe, expect, it } from 'vitest';
import { makeRunnerSpecBuilder } from './runner-spec-builder.js';

const build = makeRunnerSpecBuilder({
  config: { safety: { branchPattern: 'issue-{N}', ghAllowed: [], blockedCommitWords: [] } },
  apiUrl: 'http://127.0.0.1:1',
  agentOf: () => ({ command: ['claude', '--model', '{model}'], model: 'sonnet', env: {} }),
});
const run = {
  attemptName: 'o-r-1-1',
  repo: { owner: 'o', name: 'r' },
  issue: 1,
  kind: 'implement' as const,
  family: 'claude',
  slot: 'claude-a',
  branch: 'issue-1',
  deadlineSeconds: 600,
};

describe('runner spec builder', () => {
  it("uses the family's model and no limits for an ordinary run", () => {
    const spec = build(run, '/w');
    expect(spec.agent.model).toBe('sonnet');
    expect(spec).not.toHaveProperty('limits');
  });

  it("a launched config's model replaces the family's, and its limits reach the runner", () => {
    const spec = build({ ...run, model: 'opus', maxTurns: 12, budgetUsd: 3, deadlineSeconds: 2700 }, '/w');
    expect(spec.agent.model).toBe('opus');
    expect(spec.limits).toEqual({ maxTurns: 12, budgetUsd: 3 });
    expect(spec.deadlineSeconds).toBe(2700);
  });
});
