import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { K3scConfig } from '../../config/index.js';
import { isSecretEntry } from '../../../core/secrets/index.js';
import { DEFAULT_JOB_SETTINGS } from '../job-settings.js';

/**
 * Which Secrets `k3sc deploy` / `rotate-secrets` write, and from which local credential sources:
 * - `k3sc` (the Deployment's envFrom): GITHUB_TOKEN, K3SC_WEBHOOK_SECRET, the Slack/Discord
 *   tokens and the web OAuth client secret, under the variable names the config reads them from;
 * - `k3sc-github-app` (mounted at /etc/k3sc/github-app): `private-key.pem` of a GitHub App;
 * - `k3sc-agent-<family>` (the agent Job's envFrom, see job-builder.ts): GITHUB_TOKEN for the
 *   runner, the family's own credentials, and the secret entries of `agents.<family>.env`
 *   (the Job builder leaves those out of the Job: they belong here).
 * Values never leave this module except into the Secret bodies; reports carry key names,
 * sources (`env:NAME`, `file:PATH`) and a hash prefix.
 */
export const K3SC_SECRET = 'k3sc';
export const GITHUB_APP_SECRET = 'k3sc-github-app';
export const GITHUB_APP_KEY = 'private-key.pem';
/** Codex's auth.json as one variable; the agent image writes it to $CODEX_HOME/auth.json. */
export const CODEX_AUTH_KEY = 'CODEX_AUTH_JSON';

export interface SecretEntry {
  readonly key: string;
  readonly value: string;
  /** `env:NAME`, `file:PATH`, `config:agents.claude.env.NAME`: where it came from, never the value. */
  readonly source: string;
}

export interface PlannedSecret {
  readonly name: string;
  /** `server` (k3sc's own: a change restarts the Deployment) or `agent`. */
  readonly role: 'server' | 'agent';
  readonly family?: string;
  readonly entries: readonly SecretEntry[];
}

export interface SecretSourcesInput {
  readonly config: K3scConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  /** Reads a local file, undefined when it does not exist. */
  readonly readFile: (path: string) => string | undefined;
}

export interface SecretPlan {
  readonly secrets: readonly PlannedSecret[];
  readonly warnings: readonly string[];
}

/** The first 12 hex digits of the value's SHA-256: enough to see a change, useless to guess it. */
export const valueHash = (value: string): string =>
  createHash('sha256').update(value).digest('hex').slice(0, 12);

const fromEnv = (env: SecretSourcesInput['env'], names: readonly string[]): SecretEntry[] =>
  names.flatMap((n) => {
    const v = env[n]?.trim();
    return v ? [{ key: n, value: v, source: `env:${n}` }] : [];
  });

const CLAUDE_ENV = ['CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'];
const BEDROCK_ENV = [
  'CLAUDE_CODE_USE_BEDROCK',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
];

const familyCredentials = (family: string, i: SecretSourcesInput): SecretEntry[] => {
  if (family === 'claude') {
    const bedrock = i.env['CLAUDE_CODE_USE_BEDROCK']?.trim();
    return fromEnv(i.env, [...CLAUDE_ENV, ...(bedrock && bedrock !== '0' ? BEDROCK_ENV : [])]);
  }
  if (family === 'codex') {
    const file = join(i.env['CODEX_HOME']?.trim() || join(i.homeDir, '.codex'), 'auth.json');
    const auth = i.readFile(file)?.trim();
    return [
      ...fromEnv(i.env, ['OPENAI_API_KEY']),
      ...(auth ? [{ key: CODEX_AUTH_KEY, value: auth, source: `file:${file}` }] : []),
    ];
  }
  return [];
};

const configEnvSecrets = (family: string, config: K3scConfig): SecretEntry[] =>
  Object.entries(config.agents[family]?.env ?? {})
    .filter(([k, v]) => isSecretEntry(k, v))
    .map(([k, v]) => ({ key: k, value: v, source: `config:agents.${family}.env.${k}` }));

const githubToken = (config: K3scConfig): SecretEntry[] =>
  config.github.auth.kind === 'token'
    ? [{ key: 'GITHUB_TOKEN', value: config.github.auth.token, source: config.github.auth.source }]
    : [];

const serverEntries = (config: K3scConfig): SecretEntry[] => {
  const e: SecretEntry[] = [...githubToken(config)];
  const add = (key: string, value: string | undefined, source: string): void => {
    if (value !== undefined && value !== '') e.push({ key, value, source });
  };
  const wh = config.github.webhookSecret;
  add('K3SC_WEBHOOK_SECRET', wh?.value, wh?.source ?? '');
  const slack = config.chat.slack;
  if (slack !== undefined) {
    add(slack.botTokenEnv, slack.botToken, `env:${slack.botTokenEnv}`);
    add(slack.appTokenEnv, slack.appToken, `env:${slack.appTokenEnv}`);
    add(slack.signingSecretEnv, slack.signingSecret, `env:${slack.signingSecretEnv}`);
  }
  const discord = config.chat.discord;
  if (discord !== undefined) add(discord.tokenEnv, discord.token, `env:${discord.tokenEnv}`);
  const oauth = config.web?.githubOauth;
  if (oauth !== undefined) add(oauth.clientSecretEnv, oauth.clientSecret, `env:${oauth.clientSecretEnv}`);
  return e;
};

/** Later entries of the same key lose: the first source named wins (as the config does). */
const dedupe = (entries: readonly SecretEntry[]): SecretEntry[] => {
  const seen = new Set<string>();
  return entries.filter((x) => !seen.has(x.key) && (seen.add(x.key), true));
};

/** Every Secret k3sc and its agents read, filled from the local credential sources. */
export const planSecrets = (i: SecretSourcesInput): SecretPlan => {
  const warnings: string[] = [];
  const { config } = i;
  const secrets: PlannedSecret[] = [
    { name: K3SC_SECRET, role: 'server', entries: dedupe(serverEntries(config)) },
  ];
  if (config.github.auth.kind === 'app')
    secrets.push({
      name: GITHUB_APP_SECRET,
      role: 'server',
      entries: [
        {
          key: GITHUB_APP_KEY,
          value: config.github.auth.privateKey,
          source: config.github.auth.privateKeySource,
        },
      ],
    });
  if (config.github.auth.kind === 'none')
    warnings.push(
      'no GitHub credentials (GITHUB_TOKEN, github.token_file or github.app): k3sc runs the sandbox',
    );
  if (config.github.auth.kind === 'app')
    warnings.push(
      'github.app: agents get no GITHUB_TOKEN from the App key (it stays with k3sc); give agents a token with GITHUB_TOKEN in agents.<family>.env or switch to a token',
    );
  for (const f of config.families) {
    const own = familyCredentials(f.name, i);
    if (f.enabled && own.length === 0 && f.name in { claude: 1, codex: 1 })
      warnings.push(
        f.name === 'claude'
          ? 'family claude: no CLAUDE_CODE_OAUTH_TOKEN, ANTHROPIC_API_KEY or Bedrock keys (CLAUDE_CODE_USE_BEDROCK + AWS_*) in the environment'
          : 'family codex: no OPENAI_API_KEY and no $CODEX_HOME/auth.json (~/.codex/auth.json)',
      );
    secrets.push({
      name: DEFAULT_JOB_SETTINGS.secretOf(f.name),
      role: 'agent',
      family: f.name,
      entries: dedupe([...githubToken(config), ...own, ...configEnvSecrets(f.name, config)]),
    });
  }
  return { secrets, warnings };
};
