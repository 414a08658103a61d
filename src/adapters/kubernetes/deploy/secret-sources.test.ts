import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/index.js';
import { FAKE_PEM } from '../../config/config-fixtures.js';
import { keyChanges } from './apply-secrets.js';
import { CODEX_AUTH_KEY, planSecrets, valueHash, type SecretSourcesInput } from './secret-sources.js';

const CONFIG = [
  'repos: [acme/widgets]',
  'allowed_authors: [alice]',
  'families: [claude, codex]',
  'chat:',
  '  slack: {enabled: true, socket_mode: true}',
  'agents:',
  '  claude: {env: {EXTRA_API_KEY: planted-extra-key-value, LOG_LEVEL: debug}}',
].join('\n');

const ENV = {
  GITHUB_TOKEN: 'ghp_plantedGithubTokenValue0123456789abc',
  K3SC_WEBHOOK_SECRET: 'planted-webhook-secret',
  SLACK_BOT_TOKEN: 'xoxb-planted-bot-token',
  SLACK_APP_TOKEN: 'xapp-planted-app-token',
  CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-planted-oauth',
  OPENAI_API_KEY: 'sk-planted-openai-key',
  AWS_SECRET_ACCESS_KEY: 'planted-aws-secret-not-used-without-bedrock',
};

const input = (env: Record<string, string>, files: Record<string, string> = {}, text = CONFIG) => {
  const { config } = parseConfigText(text, env, '/etc/k3sc.yaml', {
    homeDir: '/home/me',
    secretFiles: files,
  });
  const i: SecretSourcesInput = { config, env, homeDir: '/home/me', readFile: (p) => files[p] };
  return i;
};

const keysOf = (plan: ReturnType<typeof planSecrets>) =>
  Object.fromEntries(plan.secrets.map((s) => [s.name, s.entries.map((e) => e.key).sort()]));

describe('planSecrets (which Secrets, which keys, from where)', () => {
  it('names the Secrets as deployment.yaml (k3sc) and the Job builder (k3sc-agent-<family>) read them', () => {
    const auth = JSON.stringify({ tokens: { refresh_token: 'planted-codex-refresh' } });
    const plan = planSecrets(input(ENV, { '/home/me/.codex/auth.json': auth }));
    expect(keysOf(plan)).toEqual({
      k3sc: ['GITHUB_TOKEN', 'K3SC_WEBHOOK_SECRET', 'SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN'],
      'k3sc-agent-claude': ['CLAUDE_CODE_OAUTH_TOKEN', 'EXTRA_API_KEY', 'GITHUB_TOKEN'],
      'k3sc-agent-codex': [CODEX_AUTH_KEY, 'GITHUB_TOKEN', 'OPENAI_API_KEY'],
    });
    const codex = plan.secrets.find((s) => s.name === 'k3sc-agent-codex')!;
    expect(codex.entries.find((e) => e.key === CODEX_AUTH_KEY)).toMatchObject({
      value: auth,
      source: 'file:/home/me/.codex/auth.json',
    });
    const claude = plan.secrets.find((s) => s.name === 'k3sc-agent-claude')!;
    expect(claude.entries.find((e) => e.key === 'EXTRA_API_KEY')?.source).toBe(
      'config:agents.claude.env.EXTRA_API_KEY',
    );
    expect(plan.warnings).toEqual([]);
  });

  it('takes Bedrock keys only when CLAUDE_CODE_USE_BEDROCK is on, and CODEX_HOME over ~/.codex', () => {
    const env = {
      CLAUDE_CODE_USE_BEDROCK: '1',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIAPLANTEDKEYID0000',
      AWS_SECRET_ACCESS_KEY: 'planted-aws-secret',
      CODEX_HOME: '/opt/codex',
    };
    const plan = planSecrets(
      input(env, { '/opt/codex/auth.json': '{"a":1}', '/home/me/.codex/auth.json': 'x' }),
    );
    expect(keysOf(plan)['k3sc-agent-claude']).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_REGION',
      'AWS_SECRET_ACCESS_KEY',
      'CLAUDE_CODE_USE_BEDROCK',
      'EXTRA_API_KEY',
    ]);
    expect(plan.secrets.find((s) => s.name === 'k3sc-agent-codex')?.entries[0]?.source).toBe(
      'file:/opt/codex/auth.json',
    );
    expect(plan.warnings.join('\n')).toMatch(/no GitHub credentials/);
  });

  it('puts a GitHub App key in k3sc-github-app, never into agent Secrets, and warns about missing agent credentials', () => {
    const text = `${CONFIG}\ngithub:\n  app: {app_id: "12", installation_id: 34, private_key_file: /keys/app.pem}\n`;
    const plan = planSecrets(input({}, { '/keys/app.pem': FAKE_PEM }, text));
    expect(keysOf(plan)).toEqual({
      k3sc: [],
      'k3sc-github-app': ['private-key.pem'],
      'k3sc-agent-claude': ['EXTRA_API_KEY'],
      'k3sc-agent-codex': [],
    });
    expect(plan.warnings.join('\n')).toMatch(/family claude: no CLAUDE_CODE_OAUTH_TOKEN/);
    expect(plan.warnings.join('\n')).toMatch(/family codex: no OPENAI_API_KEY/);
    expect(plan.warnings.join('\n')).not.toContain('BEGIN');
  });
});

describe('keyChanges (compares hashes of stored and local values, reports no value)', () => {
  it('says added / changed / unchanged / kept per key', () => {
    const stored = new Map([
      ['A', 'same-value'],
      ['B', 'old-value'],
      ['K', 'set-by-hand'],
    ]);
    const report = keyChanges(stored, {
      name: 's',
      role: 'agent',
      entries: [
        { key: 'A', value: 'same-value', source: 'env:A' },
        { key: 'B', value: 'new-value', source: 'env:B' },
        { key: 'C', value: 'fresh-value', source: 'env:C' },
      ],
    });
    expect(report.map((r) => [r.key, r.change])).toEqual([
      ['A', 'unchanged'],
      ['B', 'changed'],
      ['C', 'added'],
      ['K', 'kept'],
    ]);
    expect(report.find((r) => r.key === 'B')?.hash).toBe(valueHash('new-value'));
    expect(JSON.stringify(report)).not.toMatch(/same-value|new-value|fresh-value|set-by-hand|old-value/);
  });
});
