import { describe, expect, it } from 'vitest';
import { isSecretEntry, isSecretName, looksLikeSecretValue, secretKindOf } from './secret-rule.js';

describe('isSecretName', () => {
  it.each([
    'GITHUB_TOKEN',
    'GH_TOKEN',
    'SLACK_BOT_TOKEN',
    'K3SC_WEBHOOK_SECRET',
    'OPENAI_API_KEY',
    'ANTHROPIC_APIKEY',
    'SIGNING_KEY',
    'KEY',
    'AWS_SECRET_ACCESS_KEY',
    'DB_PASS',
    'PASS',
    'DB_PASSWORD',
    'SMTP_PASSWD',
    'DB_PWD',
    'GPG_PASSPHRASE',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'PRIVATE_KEY',
    'NPM_AUTH',
    'SESSION_COOKIE',
    'COSIGN_SIGNING_PASSWORD',
    'token',
    'bot_token',
    'signing_secret',
    'webhookSecret',
  ])('%s is a secret', (name) => expect(isSecretName(name)).toBe(true));

  it.each([
    'PATH',
    'HOME',
    'PWD',
    'OLDPWD',
    'GIT_ASKPASS',
    'GIT_AUTHOR_NAME',
    'MAX_TOKENS',
    'inputTokens',
    'MONKEY',
    'KEYBOARD_LAYOUT',
    'PASSENGER',
    'GITHUB_TOKEN_FILE',
    'private_key_file',
    'SSH_AUTH_SOCK',
    'K3SC_ATTEMPT',
    'NODE_OPTIONS',
    'model',
  ])('%s is not a secret', (name) => expect(isSecretName(name)).toBe(false));
});

describe('looksLikeSecretValue', () => {
  const tokens: Array<[string, string]> = [
    ['ghp_0123456789abcdefABCDEF0123456789abcd', 'a GitHub token'],
    ['gho_0123456789abcdefABCDEF0123456789abcd', 'a GitHub token'],
    ['ghu_0123456789abcdefABCDEF0123456789abcd', 'a GitHub token'],
    ['ghs_0123456789abcdefABCDEF0123456789abcd', 'a GitHub token'],
    ['ghr_0123456789abcdefABCDEF0123456789abcd', 'a GitHub token'],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'a GitHub token'],
    ['xoxb-1234567890-0987654321-AbCdEfGhIjKl', 'a Slack token'],
    ['xoxp-1234567890-0987654321-AbCdEfGhIjKl', 'a Slack token'],
    ['xapp-1-A0123456789-0123456789-abcdef', 'a Slack app token'],
    ['sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', 'an Anthropic API key'],
    ['sk-proj-AbCdEfGhIjKlMnOp1234567890QrStUvWx', 'an OpenAI API key'],
    ['sk-AbCdEfGhIjKlMnOp1234567890QrStUvWxYzABCDEFGH', 'an OpenAI API key'],
    ['AKIAIOSFODNN7EXAMPLE', 'an AWS access key'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34\n-----END RSA PRIVATE KEY-----', 'a private key'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----', 'a private key'],
    ['MTA0NTY3ODkwMTIzNDU2Nzg5MA.GhIjKl.AbCdEfGhIjKlMnOpQrStUvWxYz0123456', 'a Discord bot token'],
  ];
  it.each(tokens)('%s is %s', (value, kind) => {
    expect(looksLikeSecretValue(value)).toBe(true);
    expect(secretKindOf(`prefix ${value} suffix`)).toBe(kind);
  });

  it.each([
    'claude',
    '/usr/local/bin/codex',
    'claude-sonnet-4-5',
    'gpt-5-codex',
    'sk-learn',
    'task-runner-with-a-very-long-kebab-name',
    'sk-this-is-a-long-kebab-case-name-without-digits',
    'sk-2024-01-01-release-candidate',
    'xoxo-hugs-and-kisses-to-everyone',
    'a3f5c9e1b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2',
    'ghp_short',
    'AKIA-not-a-key',
    '-----BEGIN PUBLIC KEY-----',
    'https://api.github.com',
    'issue-12',
    'My.Dotted.Name',
  ])('%s is an ordinary value', (value) => expect(looksLikeSecretValue(value)).toBe(false));

  it('a token under a name that says nothing is still a secret entry', () => {
    expect(isSecretEntry('MY_SETTING', 'sk-proj-AbCdEfGhIjKlMnOp1234567890QrStUvWx')).toBe(true);
    expect(isSecretEntry('DB_PASS', 'hunter22')).toBe(true);
    expect(isSecretEntry('LOG_FORMAT', 'json')).toBe(false);
  });
});
