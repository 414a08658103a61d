import { describe, expect, it } from 'vitest';
import { configSecretValues } from './mask-config.js';
import { draftConfig, parseConfigText } from './parse-config-text.js';

const parse = (text: string, env: Record<string, string> = {}, secretFiles: Record<string, string> = {}) =>
  parseConfigText(text, env, '/etc/k3sc/k3sc.yaml', { homeDir: '/home/me', secretFiles });

describe('web.github_oauth and web.trust_proxy', () => {
  it('reads the client secret from K3SC_GITHUB_OAUTH_SECRET, and knows it is a secret', () => {
    const { config } = parse('web: { github_oauth: { client_id: Iv1.abc, teams: [acme/ops] } }', {
      K3SC_GITHUB_OAUTH_SECRET: 'oauth-secret-from-env',
    });
    expect(config.web?.githubOauth).toEqual({
      clientId: 'Iv1.abc',
      clientSecret: 'oauth-secret-from-env',
      clientSecretEnv: 'K3SC_GITHUB_OAUTH_SECRET',
      teams: ['acme/ops'],
    });
    expect(configSecretValues(config)).toContain('oauth-secret-from-env');
  });

  it('reads client_secret_file (relative to the config) when the variable is not set; the variable wins', () => {
    const text = 'web: { github_oauth: { client_id: Iv1.abc, client_secret_file: oauth-secret } }';
    const files = { '/etc/k3sc/oauth-secret': 'oauth-secret-from-file\n' };
    expect(draftConfig(text, {}, '/etc/k3sc/k3sc.yaml').secretFiles).toEqual(['/etc/k3sc/oauth-secret']);
    expect(parse(text, {}, files).config.web?.githubOauth?.clientSecret).toBe('oauth-secret-from-file');
    expect(
      draftConfig(text, { K3SC_GITHUB_OAUTH_SECRET: 'env-wins' }, '/etc/k3sc/k3sc.yaml').secretFiles,
    ).toEqual([]);
    expect(parse(text, { K3SC_GITHUB_OAUTH_SECRET: 'env-wins' }).config.web?.githubOauth?.clientSecret).toBe(
      'env-wins',
    );
  });

  it('a secret file that cannot be read is a config error naming the file, never its content', () => {
    expect(() =>
      parse('web: { github_oauth: { client_id: x, client_secret_file: /nowhere/secret } }'),
    ).toThrow(/web\.github_oauth\.client_secret_file: cannot read \/nowhere\/secret/);
  });

  it('teams must be org/team slugs', () => {
    expect(() => parse('web: { github_oauth: { client_id: x, teams: [just-a-team] } }')).toThrow(
      /must be org\/team-slug/,
    );
  });

  it('trust_proxy is false by default, or true, or a list of addresses', () => {
    expect(parse('web: {}').config.web?.trustProxy).toBe(false);
    expect(parse('web: { trust_proxy: true }').config.web?.trustProxy).toBe(true);
    expect(parse('web: { trust_proxy: [10.0.0.0/8, 127.0.0.1] }').config.web?.trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(() => parse('web: { trust_proxy: yes-please }')).toThrow(/trust_proxy/);
    expect(() => parse('web: { trust_proxy: [10.0.0.0/33] }')).toThrow(/must be an IP address, a CIDR/);
    expect(() => parse('web: { trust_proxy: [proxy.example.com] }')).toThrow(/must be an IP address, a CIDR/);
    expect(parse('web: { trust_proxy: [loopback, "::1"] }').config.web?.trustProxy).toEqual([
      'loopback',
      '::1',
    ]);
  });
});
