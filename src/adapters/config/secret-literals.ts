import { isSecretName, secretKindOf } from '../../core/secrets/index.js';

/** Env var names (agents.*.env keys) whose values are secrets: masked when printed. The one rule lives in src/core/secrets. */
export const looksSecretKey = isSecretName;

/** What kind of credential a value is (`a GitHub token`, …), by its shape; undefined for ordinary values. */
export const secretKind = secretKindOf;

/** True for agents.<family>.env.<NAME>: literal env values are allowed there (and masked on print). */
const isAgentEnvValue = (p: readonly PropertyKey[]): boolean =>
  p.length === 4 && p[0] === 'agents' && p[2] === 'env';

/** Every string in the raw document that looks like a credential, as `path: message` problems (never the value). */
export const findSecretLiterals = (raw: unknown): Array<{ path: PropertyKey[]; message: string }> => {
  const found: Array<{ path: PropertyKey[]; message: string }> = [];
  const walk = (node: unknown, p: PropertyKey[]): void => {
    if (typeof node === 'string') {
      const kind = secretKind(node);
      if (kind !== undefined && !isAgentEnvValue(p)) {
        found.push({
          path: p,
          message: `looks like ${kind}; secrets must not be written in the config file — use an environment variable or a file (see docs/configuration.md)`,
        });
      }
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...p, i]));
    } else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) walk(v, [...p, k]);
    }
  };
  walk(raw, []);
  return found;
};
