import type { RunSpec } from '../../../core/ports/agent-runtime.js';
import type { RunnerSpec } from '../../../core/protocol/runner-spec.js';

export const sampleRun = (over: Partial<RunSpec> = {}): RunSpec => ({
  attemptName: 'acme-widgets-12-1',
  repo: { owner: 'acme', name: 'widgets' },
  issue: 12,
  kind: 'implement',
  family: 'claude',
  slot: 'slot-0',
  branch: 'issue-12',
  deadlineSeconds: 3600,
  ...over,
});

/** What src/app/runner-spec-builder.ts makes, for an agent with `env`. */
export const specBuilderWith =
  (env: Record<string, string>) =>
  (run: RunSpec, workspace: string): RunnerSpec => ({
    attemptName: run.attemptName,
    repo: { ...run.repo },
    issue: run.issue,
    kind: run.kind,
    family: run.family,
    slot: run.slot,
    branch: run.branch,
    workspace,
    github: { apiUrl: 'https://api.github.com' },
    agent: { command: ['claude', '-p', '{prompt}'], env },
    safety: { ghAllowed: ['pr create'], blockedCommitWords: ['WIP'] },
    deadlineSeconds: run.deadlineSeconds,
  });

export const sampleSpecBuilder = specBuilderWith({ CLAUDE_MODE: 'fast' });
