import { isSecretEntry } from '../../core/secrets/index.js';
import type { RunnerSpec } from '../../core/protocol/runner-spec.js';

/**
 * Moves secret variables (by name or by value, the one rule in src/core/secrets) out of the
 * spec's `agent.env` so spec.json holds no secret; they reach the runner through its
 * environment instead, which it passes to the agent.
 */
export const splitSpecSecrets = (spec: RunnerSpec): { spec: RunnerSpec; secrets: Record<string, string> } => {
  const entries = Object.entries(spec.agent.env ?? {});
  const secrets = Object.fromEntries(entries.filter(([k, v]) => isSecretEntry(k, v)));
  if (Object.keys(secrets).length === 0) return { spec, secrets };
  const kept = Object.fromEntries(entries.filter(([k, v]) => !isSecretEntry(k, v)));
  return { spec: { ...spec, agent: { ...spec.agent, env: kept } }, secrets };
};
