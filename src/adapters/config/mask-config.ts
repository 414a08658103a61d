import {
  isSecretEntry,
  looksLikeSecretValue,
  makeRedactor,
  secretValuesOf,
} from '../../core/secrets/index.js';
import type { AgentConfig, GithubAuth, K3scConfig, ResolvedSecret } from './types.js';

const MASK = '***';
const NOT_SET = '(not set)';

const shown = (value: string | undefined): string => (value === undefined ? NOT_SET : MASK);

const maskAuth = (auth: GithubAuth): unknown => {
  if (auth.kind === 'token') return { kind: 'token', token: MASK, source: auth.source };
  if (auth.kind === 'app') {
    return {
      kind: 'app',
      appId: auth.appId,
      installationId: auth.installationId,
      privateKey: MASK,
      privateKeySource: auth.privateKeySource,
    };
  }
  return { kind: 'none', token: NOT_SET };
};

const maskSecret = (s: ResolvedSecret | undefined): unknown =>
  s === undefined ? NOT_SET : { value: MASK, source: s.source };

const maskAgent = (agent: AgentConfig): unknown => ({
  ...agent,
  env: Object.fromEntries(Object.entries(agent.env).map(([k, v]) => [k, isSecretEntry(k, v) ? MASK : v])),
});

/**
 * Every secret value this config holds: the GitHub token or App key, the webhook secret, chat
 * tokens, and the secret `agents.<family>.env` values (by name or by value). Whatever k3sc
 * writes to GitHub, logs or prints is redacted with these (plus well-known token shapes).
 */
export const configSecretValues = (c: K3scConfig): string[] => {
  const auth = c.github.auth;
  const values = [
    auth.kind === 'token' ? auth.token : undefined,
    auth.kind === 'app' ? auth.privateKey : undefined,
    c.github.webhookSecret?.value,
    c.chat.slack?.botToken,
    c.chat.slack?.appToken,
    c.chat.slack?.signingSecret,
    c.chat.discord?.token,
    c.web?.githubOauth?.clientSecret,
    ...Object.values(c.agents).flatMap((a) => secretValuesOf(a.env)),
  ];
  return [...new Set(values.filter((v): v is string => v !== undefined && v.length >= 4))];
};

/** A redactor for text that may quote this config (the `config check` report, error messages). */
export const configRedactor = (c: K3scConfig): ((text: string) => string) =>
  makeRedactor(configSecretValues(c));

/** Last line of defence: any string that still contains a known secret or a token shape is masked wholesale. */
const scrub = (node: unknown, secrets: readonly string[]): unknown => {
  if (typeof node === 'string')
    return secrets.some((s) => node.includes(s)) || looksLikeSecretValue(node) ? MASK : node;
  if (Array.isArray(node)) return node.map((n) => scrub(n, secrets));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, scrub(v, secrets)]));
  }
  return node;
};

/** A plain copy safe to print or log: every secret is `***` (or `(not set)`); sources and file paths stay. */
export const maskConfig = (config: K3scConfig): unknown => {
  const { slack, discord } = config.chat;
  const masked = {
    ...config,
    github: {
      ...config.github,
      auth: maskAuth(config.github.auth),
      webhookSecret: maskSecret(config.github.webhookSecret),
    },
    chat: {
      ...config.chat,
      ...(slack === undefined
        ? {}
        : {
            slack: {
              ...slack,
              botToken: shown(slack.botToken),
              appToken: shown(slack.appToken),
              signingSecret: shown(slack.signingSecret),
            },
          }),
      ...(discord === undefined ? {} : { discord: { ...discord, token: shown(discord.token) } }),
    },
    agents: Object.fromEntries(Object.entries(config.agents).map(([name, a]) => [name, maskAgent(a)])),
  };
  return scrub(masked, configSecretValues(config));
};
