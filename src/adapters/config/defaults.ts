import { GITHUB_CLOSING_WORDS } from '../../core/domain/closing-words.js';
import { DEFAULT_ENGINE_SETTINGS } from '../../core/model/settings.js';

/** Defaults for everything the file may leave out; engine values come from DEFAULT_ENGINE_SETTINGS. */
export const CONFIG_DEFAULTS = {
  namespace: 'claude-agents',
  maxSlots: DEFAULT_ENGINE_SETTINGS.maxSlots,
  families: DEFAULT_ENGINE_SETTINGS.families,
  scan: DEFAULT_ENGINE_SETTINGS.scan,
  branchPattern: DEFAULT_ENGINE_SETTINGS.branchPattern,
  ghAllowed: ['pr view', 'pr create', 'pr comment', 'pr diff', 'pr checks', 'issue view', 'issue comment'],
  blockedCommitWords: GITHUB_CLOSING_WORDS,
  runtimeKind: 'local',
  attemptDeadlineMs: DEFAULT_ENGINE_SETTINGS.attemptDeadlineSeconds * 1_000,
  maxAttempts: DEFAULT_ENGINE_SETTINGS.maxAttempts,
  retryBackoffMs: DEFAULT_ENGINE_SETTINGS.retryBackoffMs,
  orphanGraceMs: DEFAULT_ENGINE_SETTINGS.orphanGraceMs,
  jobTtlMs: 24 * 3_600_000,
  githubApiUrl: 'https://api.github.com',
  githubWebUrl: 'https://github.com',
  leaseTtlMs: DEFAULT_ENGINE_SETTINGS.leaseTtlMs,
  httpHost: '127.0.0.1',
  httpPort: 8080,
  dataDirName: '.k3sc',
  slack: {
    botTokenEnv: 'SLACK_BOT_TOKEN',
    appTokenEnv: 'SLACK_APP_TOKEN',
    signingSecretEnv: 'SLACK_SIGNING_SECRET',
    apiUrl: 'https://slack.com/api/',
  },
  discord: {
    tokenEnv: 'DISCORD_TOKEN',
    publicKeyEnv: 'DISCORD_PUBLIC_KEY',
    apiUrl: 'https://discord.com/api',
  },
} as const;

/** Built-in agent commands; any other family must set agents.<family>.command. */
export const DEFAULT_AGENT_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  claude: ['claude', '-p', '{prompt}', '--output-format', 'stream-json', '--verbose'],
  codex: ['codex', 'exec', '{prompt}'],
};
