/** Values that are unmistakably credentials; they must never be written into the config file. */
const SECRET_VALUE_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/, 'a GitHub token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{8,}/, 'a Slack token'],
  [/\bxapp-[A-Za-z0-9-]{8,}/, 'a Slack app token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\bsk-ant-[A-Za-z0-9_-]{16,}/, 'an Anthropic API key'],
];

/** Env var names (agents.*.env keys) whose values are secrets: masked when printed. */
export const looksSecretKey = (key: string): boolean =>
  /(TOKEN|SECRET|PASSWORD|PASSWD|PASS$|CREDENTIAL|PRIVATE|API_?KEY|AUTH|(^|_)KEY$)/i.test(key);

export const secretKind = (value: string): string | undefined =>
  SECRET_VALUE_PATTERNS.find(([re]) => re.test(value))?.[1];

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
