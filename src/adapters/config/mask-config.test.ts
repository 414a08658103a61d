import { describe, expect, it } from 'vitest';
import { FAKE_GITHUB_TOKEN, FAKE_PEM } from './config-fixtures.js';
import { configRedactor, configSecretValues, maskConfig } from './mask-config.js';
import { parseConfigText } from './parse-config-text.js';

const parse = (text: string, env: Record<string, string>, secretFiles: Record<string, string> = {}) =>
  parseConfigText(text, env, '/etc/k3sc/k3sc.yaml', { homeDir: '/home/me', secretFiles }).config;

const FULL = `github: {webhook_secret_file: /run/secrets/webhook, token_file: /run/secrets/gh}
chat:
  slack: {}
  discord: {application_id: "42"}
agents:
  claude:
    model: opus
    env: {ANTHROPIC_API_KEY: sk-ant-abcdefghijklmnopqrstuv, CLAUDE_CODE_OAUTH_TOKEN: oauth-secret-value, LOG_LEVEL: debug, NOTE: ghp_abcdefghijklmnopqrstuvwxyz0123}
`;
const ENV = {
  SLACK_BOT_TOKEN: 'xoxb-slack-bot-secret',
  SLACK_APP_TOKEN: 'xapp-slack-app-secret',
  DISCORD_TOKEN: 'discord-bot-secret',
};
const FILES = { '/run/secrets/gh': FAKE_GITHUB_TOKEN, '/run/secrets/webhook': 'webhook-secret-value' };
const SECRETS = [
  FAKE_GITHUB_TOKEN,
  'webhook-secret-value',
  ...Object.values(ENV),
  'sk-ant-abcdefghijklmnopqrstuv',
  'oauth-secret-value',
  'ghp_abcdefghijklmnopqrstuvwxyz0123',
];

describe('maskConfig', () => {
  it('never contains a secret, but keeps sources, paths and plain settings', () => {
    const config = parse(FULL, ENV, FILES);
    expect(config.github.auth).toMatchObject({ token: FAKE_GITHUB_TOKEN });
    const json = JSON.stringify(maskConfig(config));
    for (const secret of SECRETS) expect(json).not.toContain(secret);
    const masked = maskConfig(config) as {
      github: { auth: { token: string; source: string }; webhookSecret: { source: string } };
      chat: {
        slack: { botToken: string; signingSecret: string };
        discord: { token: string; applicationId: string };
      };
      agents: { claude: { model: string; env: Record<string, string> } };
    };
    expect(masked.github.auth).toEqual({ kind: 'token', token: '***', source: 'file:/run/secrets/gh' });
    expect(masked.github.webhookSecret.source).toBe('file:/run/secrets/webhook');
    expect(masked.chat.slack.botToken).toBe('***');
    expect(masked.chat.slack.signingSecret).toBe('(not set)');
    expect(masked.chat.discord).toMatchObject({ token: '***', applicationId: '42' });
    expect(masked.agents.claude.model).toBe('opus');
    expect(masked.agents.claude.env).toEqual({
      ANTHROPIC_API_KEY: '***',
      CLAUDE_CODE_OAUTH_TOKEN: '***',
      LOG_LEVEL: 'debug',
      NOTE: '***',
    });
  });

  it('masks a GitHub App key and an env token', () => {
    const app = parse(
      'github: {app: {app_id: 1, installation_id: 2, private_key_file: /k.pem}}',
      {},
      { '/k.pem': FAKE_PEM },
    );
    expect(JSON.stringify(maskConfig(app))).not.toContain('MIIBOgIBAAJBAKj34');
    const env = parse('', { GITHUB_TOKEN: 'plain-env-token-value' });
    const json = JSON.stringify(maskConfig(env));
    expect(json).not.toContain('plain-env-token-value');
    expect(json).toContain('env:GITHUB_TOKEN');
  });

  it('says "(not set)" when there is no credential', () => {
    const masked = maskConfig(parse('', {})) as { github: { auth: unknown; webhookSecret: unknown } };
    expect(masked.github.auth).toEqual({ kind: 'none', token: '(not set)' });
    expect(masked.github.webhookSecret).toBe('(not set)');
  });
});

describe('maskConfig and the one secrets rule', () => {
  const TEXT = `agents:
  codex:
    env: {OPENAI: sk-proj-AbCdEfGhIjKlMnOp1234567890QrStUvWx, AWS_ID: AKIAIOSFODNN7EXAMPLE, SIGNING_KEY: sign-value-1, DB_PASS: db-pass-value-2, LOG_LEVEL: debug}
`;

  it('masks a token written under a non-secret key, and SIGNING_KEY / DB_PASS by name', () => {
    const config = parse(TEXT, {});
    const json = JSON.stringify(maskConfig(config));
    for (const s of ['sk-proj-AbCdEfGhIjKlMnOp', 'AKIAIOSFODNN7EXAMPLE', 'sign-value-1', 'db-pass-value-2'])
      expect(json).not.toContain(s);
    expect((maskConfig(config) as { agents: { codex: { env: unknown } } }).agents.codex.env).toEqual({
      OPENAI: '***',
      AWS_ID: '***',
      SIGNING_KEY: '***',
      DB_PASS: '***',
      LOG_LEVEL: 'debug',
    });
  });

  it('configSecretValues lists every secret the config holds, agents.*.env included', () => {
    const config = parse(TEXT, {
      GITHUB_TOKEN: 'plain-env-token-value',
      K3SC_WEBHOOK_SECRET: 'hook-secret-9',
    });
    expect(configSecretValues(config).sort()).toEqual(
      [
        'plain-env-token-value',
        'hook-secret-9',
        'sk-proj-AbCdEfGhIjKlMnOp1234567890QrStUvWx',
        'AKIAIOSFODNN7EXAMPLE',
        'sign-value-1',
        'db-pass-value-2',
      ].sort(),
    );
    expect(configRedactor(config)('x db-pass-value-2 y hook-secret-9 z')).toBe('x *** y *** z');
  });
});
