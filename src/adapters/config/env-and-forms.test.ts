import { describe, expect, it } from 'vitest';
import { ConfigInvalidError } from './config-error.js';
import { EARLIER_TOOL_EXAMPLE, FAKE_GITHUB_TOKEN, FAKE_PEM } from './config-fixtures.js';
import { parseConfigText } from './parse-config-text.js';

const parse = (text: string, env: Record<string, string> = {}, secretFiles: Record<string, string> = {}) =>
  parseConfigText(text, env, '/etc/k3sc/k3sc.yaml', { homeDir: '/home/me', secretFiles });

describe('MAX_SLOTS', () => {
  it('overrides max_slots from the file', () => {
    expect(parse(EARLIER_TOOL_EXAMPLE, { MAX_SLOTS: '7' }).config.maxSlots).toBe(7);
  });

  it.each(['0', '27', 'seven', '2.5', '-1'])('rejects %j, even when the file is fine', (value) => {
    expect(() => parse(EARLIER_TOOL_EXAMPLE, { MAX_SLOTS: value })).toThrow(
      `MAX_SLOTS (environment): ${JSON.stringify(value)} is not a whole number between 1 and 26`,
    );
  });

  it('is reported together with the file’s own problems', () => {
    try {
      parse('max_slots: 0', { MAX_SLOTS: 'x' });
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigInvalidError).problems).toEqual([
        'max_slots: must be between 1 and 26',
        'MAX_SLOTS (environment): "x" is not a whole number between 1 and 26',
      ]);
    }
  });
});

describe('families', () => {
  it('accepts the earlier tool’s list form', () => {
    expect(parse('families: [codex]').config.families).toEqual([{ name: 'codex', enabled: true }]);
  });

  it('accepts the map form, with booleans and empty entries', () => {
    const { config } = parse(
      'families:\n  claude: {enabled: true}\n  codex: {enabled: false}\n  gemini: false\n',
    );
    expect(config.families).toEqual([
      { name: 'claude', enabled: true },
      { name: 'codex', enabled: false },
      { name: 'gemini', enabled: false },
    ]);
    expect(Object.keys(config.agents)).toEqual(['claude', 'codex']);
  });

  it('accepts a list of {name, enabled}', () => {
    expect(parse('families: [{name: claude, enabled: false}]').config.families).toEqual([
      { name: 'claude', enabled: false },
    ]);
  });

  it('warns when every family is disabled and when agents name an unknown family', () => {
    const { warnings } = parse('families: {claude: false}\nagents: {codex: {model: o3}}');
    expect(warnings).toContain('every family is disabled — nothing will dispatch');
    expect(warnings).toContain('agents.codex is set but "codex" is not in families — ignored');
  });
});

describe('GitHub credentials and URLs', () => {
  it('takes the token from GITHUB_TOKEN, then GH_TOKEN', () => {
    expect(parse('', { GH_TOKEN: 'b-token' }).config.github.auth).toEqual({
      kind: 'token',
      token: 'b-token',
      source: 'env:GH_TOKEN',
    });
    expect(parse('', { GITHUB_TOKEN: 'a-token', GH_TOKEN: 'b-token' }).config.github.auth).toEqual({
      kind: 'token',
      token: 'a-token',
      source: 'env:GITHUB_TOKEN',
    });
  });

  it('reads token_file relative to the config file, and the env wins over it with a warning', () => {
    const files = { '/etc/k3sc/gh-token': `${FAKE_GITHUB_TOKEN}\n` };
    const fromFile = parse('github: {token_file: gh-token}', {}, files).config.github.auth;
    expect(fromFile).toEqual({ kind: 'token', token: FAKE_GITHUB_TOKEN, source: 'file:/etc/k3sc/gh-token' });
    const both = parse('github: {token_file: gh-token}', { GITHUB_TOKEN: 'env-token' }, files);
    expect(both.config.github.auth).toMatchObject({ token: 'env-token', source: 'env:GITHUB_TOKEN' });
    expect(both.warnings).toContain('GITHUB_TOKEN is set and overrides github.token_file');
  });

  it('expands ~ in secret file paths', () => {
    const auth = parse('github: {token_file: ~/.gh-token}', {}, { '/home/me/.gh-token': 'tok-123' }).config
      .github.auth;
    expect(auth).toMatchObject({ token: 'tok-123', source: 'file:/home/me/.gh-token' });
  });

  it('resolves a GitHub App from its key file', () => {
    const text = 'github:\n  app: {app_id: 123, installation_id: 456, private_key_file: /keys/app.pem}\n';
    expect(parse(text, {}, { '/keys/app.pem': FAKE_PEM }).config.github.auth).toEqual({
      kind: 'app',
      appId: '123',
      installationId: 456,
      privateKey: FAKE_PEM.trim(),
      privateKeySource: 'file:/keys/app.pem',
    });
  });

  it('names a secret file that cannot be read', () => {
    expect(() => parse('github: {token_file: /nowhere/token}')).toThrow(
      /github\.token_file: cannot read \/nowhere\/token/,
    );
    expect(() => parse('github: {webhook_secret_file: /s}', {}, { '/s': '  \n' })).toThrow(
      'github.webhook_secret_file: /s is empty',
    );
  });

  it('takes the webhook secret from K3SC_WEBHOOK_SECRET before the file', () => {
    const { config } = parse('github: {webhook_secret_file: /s}', { K3SC_WEBHOOK_SECRET: 'whsec' });
    expect(config.github.webhookSecret).toEqual({ value: 'whsec', source: 'env:K3SC_WEBHOOK_SECRET' });
  });

  it('derives the API URL of a GitHub Enterprise host from github_url', () => {
    expect(parse('github_url: https://ghe.example.com/').config.github).toMatchObject({
      apiUrl: 'https://ghe.example.com/api/v3',
      webUrl: 'https://ghe.example.com',
    });
    expect(parse('github_url: https://github.com').config.github.apiUrl).toBe('https://api.github.com');
    const explicit = parse(
      'github_url: https://ghe.example.com\ngithub: {api_url: "https://api.ghe.example.com"}',
    );
    expect(explicit.config.github.apiUrl).toBe('https://api.ghe.example.com');
    expect(explicit.warnings.some((w) => w.includes('point at different hosts'))).toBe(true);
  });

  it('rejects a github_url that is not a URL', () => {
    expect(() => parse('github_url: ghe.example.com')).toThrow(
      'github_url: "ghe.example.com" is not an http(s) URL',
    );
  });
});

describe('unknown keys', () => {
  it('warns with the path and still loads', () => {
    const { config, warnings } = parse(
      'namespace: ns\nscan: {foo: 1, min_interval: 30s}\nfuture_section: {a: 1}\n',
    );
    expect(config.namespace).toBe('ns');
    expect(config.scan.minIntervalMs).toBe(30_000);
    expect(warnings).toContain('unknown key "foo" at scan.foo — ignored');
    expect(warnings).toContain('unknown key "future_section" at future_section — ignored');
  });
});

describe('rbac.channels', () => {
  it('loads per-channel grants and rejects a bad channel id or an unknown role list', () => {
    const { config } = parse(
      'rbac: {operators: [S1], channels: {C123: {operators: [U9]}, 456: {admins: [789]}}}\n',
    );
    expect(config.rbac.channels).toEqual({
      C123: { admins: [], operators: ['U9'], viewers: [] },
      '456': { admins: ['789'], operators: [], viewers: [] },
    });
    expect(() => parse('rbac: {channels: {"#general": {operators: [U9]}}}\n')).toThrow(
      /channel id is letters and digits/,
    );
    expect(parse('rbac: {channels: {C1: {owners: [U9]}}}\n').warnings).toContain(
      'unknown key "owners" at rbac.channels.C1.owners — ignored',
    );
  });
});

describe('ids and chat', () => {
  it('keeps long unquoted ids exact and resolves chat secrets from the named env vars', () => {
    const text = `rbac: {admins: [123456789012345678901], viewers: [U01]}
chat:
  discord: {application_id: 1234567890123456789, token_env: MY_DISCORD}
  slack: {socket_mode: false}
`;
    const { config, warnings } = parse(text, { MY_DISCORD: 'dtoken', SLACK_BOT_TOKEN: 'xb' });
    expect(config.rbac.admins).toEqual(['123456789012345678901']);
    expect(config.chat.discord).toMatchObject({
      applicationId: '1234567890123456789',
      token: 'dtoken',
      tokenEnv: 'MY_DISCORD',
    });
    expect(config.chat.slack).toMatchObject({ socketMode: false, botToken: 'xb' });
    expect(config.chat.console.enabled).toBe(false);
    expect(warnings).toContain(
      'chat.slack: SLACK_SIGNING_SECRET not set in the environment — Slack will not start',
    );
  });

  it('expands "all" in alert routes', () => {
    const { config } = parse(
      'alerts: {routes: [{channel: C1, events: [all]}, {channel: C2, events: [parked, parked]}]}',
    );
    expect(config.alerts.routes[0]?.events).toContain('lease_expired');
    expect(config.alerts.routes[1]?.events).toEqual(['parked']);
  });
});
