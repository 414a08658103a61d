import { K3scError } from '../core/errors.js';
import type { RunSpec } from '../core/ports/agent-runtime.js';
import type { RunnerSpec } from '../core/protocol/runner-spec.js';
import type { K3scConfig } from '../adapters/config/index.js';

export type AgentSettings = K3scConfig['agents'][string];

export interface RunnerSpecInputs {
  readonly config: Pick<K3scConfig, 'safety'>;
  /** GitHub's REST base the runner talks to. */
  readonly apiUrl: string;
  /** The agent CLI of a family (the stub in the sandbox); undefined when none is configured. */
  readonly agentOf: (family: string) => AgentSettings | undefined;
}

/**
 * The one way to turn what core asks for (a RunSpec) into what the runner needs, for any
 * runtime: the local runtime passes a slot's workspace directory, a Job builder its volume path.
 */
export const makeRunnerSpecBuilder =
  (inputs: RunnerSpecInputs) =>
  (run: RunSpec, workspace: string): RunnerSpec => {
    const agent = inputs.agentOf(run.family);
    if (!agent)
      throw new K3scError(
        'config_invalid',
        `no agent command configured for family ${run.family} (agents.${run.family}.command)`,
      );
    const model = run.model ?? agent.model;
    const limits = {
      ...(run.maxTurns === undefined ? {} : { maxTurns: run.maxTurns }),
      ...(run.budgetUsd === undefined ? {} : { budgetUsd: run.budgetUsd }),
    };
    return {
      attemptName: run.attemptName,
      repo: { owner: run.repo.owner, name: run.repo.name },
      issue: run.issue,
      kind: run.kind,
      family: run.family,
      slot: run.slot,
      branch: run.branch,
      workspace,
      github: { apiUrl: inputs.apiUrl },
      agent: {
        command: [...agent.command],
        ...(model ? { model } : {}),
        env: { ...agent.env },
      },
      safety: {
        ghAllowed: [...inputs.config.safety.ghAllowed],
        blockedCommitWords: [...inputs.config.safety.blockedCommitWords],
      },
      deadlineSeconds: run.deadlineSeconds,
      ...(Object.keys(limits).length ? { limits } : {}),
    };
  };
