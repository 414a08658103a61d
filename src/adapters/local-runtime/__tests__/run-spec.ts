import type { RunSpec } from '../../../core/ports/agent-runtime.js';

/** A RunSpec for acme/widgets#12 on claude-a, as core would build it. */
export const runSpec = (attemptName: string, over: Partial<RunSpec> = {}): RunSpec => ({
  attemptName,
  repo: { owner: 'acme', name: 'widgets' },
  issue: 12,
  kind: 'implement',
  family: 'claude',
  slot: 'claude-a',
  branch: 'issue-12',
  deadlineSeconds: 600,
  ...over,
});
