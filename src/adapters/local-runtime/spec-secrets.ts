import type { RunnerSpec } from '../../runner/runner-spec.js';

const SECRET_KEY = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE|CREDENTIAL|AUTH|COOKIE/i;

/**
 * Moves secret-looking variables out of the spec's `agent.env` so spec.json holds no secret;
 * they reach the runner through its environment instead, which it passes to the agent.
 */
export const splitSpecSecrets = (spec: RunnerSpec): { spec: RunnerSpec; secrets: Record<string, string> } => {
  const env = spec.agent.env ?? {};
  const secrets = Object.fromEntries(Object.entries(env).filter(([k]) => SECRET_KEY.test(k)));
  if (Object.keys(secrets).length === 0) return { spec, secrets };
  const kept = Object.fromEntries(Object.entries(env).filter(([k]) => !SECRET_KEY.test(k)));
  return { spec: { ...spec, agent: { ...spec.agent, env: kept } }, secrets };
};
