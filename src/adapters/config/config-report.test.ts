import { describe, expect, it } from 'vitest';
import { EARLIER_TOOL_EXAMPLE } from './config-fixtures.js';
import { formatConfigReport } from './config-report.js';
import { parseConfigText } from './parse-config-text.js';

describe('formatConfigReport', () => {
  it('summarises the file, lists warnings and leaks no secret', () => {
    const text = `${EARLIER_TOOL_EXAMPLE}runtime: {kind: kubernetes}\nchat: {slack: {}}\nbogus: 1\n`;
    const env = {
      GITHUB_TOKEN: 'tok-very-secret',
      SLACK_BOT_TOKEN: 'xoxb-also-secret',
      SLACK_APP_TOKEN: 'xapp-secret-too',
    };
    const { config, warnings } = parseConfigText(text, env, '/etc/k3sc.yaml', { homeDir: '/home/me' });
    const report = formatConfigReport({ config, warnings, source: { kind: 'file', path: '/etc/k3sc.yaml' } });
    expect(report).toContain('config:     /etc/k3sc.yaml');
    expect(report).toContain(
      'runtime:    kubernetes (agents as Jobs in namespace claude-agents), data in /home/me/.k3sc; deadline 1h, 3 attempts, back-off 1m, 5m',
    );
    expect(report).toContain('repos:      abix-/endless, abix-/k3sc');
    expect(report).toContain('families:   claude, codex; 5 slots in all');
    expect(report).toContain(
      "new/launch: issues are filed by k3sc's own GitHub login (its token's user); they dispatch only when that login is in allowed_authors",
    );
    expect(report).toContain('scan:       2m … 1h when idle, task ttl 1d');
    expect(report).toContain('auth: token from env:GITHUB_TOKEN');
    expect(report).toContain(
      "chat:       console (serve's stdin); slack over Socket Mode (outbound WebSocket)",
    );
    expect(report).toContain('alerts:     (none)');
    expect(report).toContain(['warnings (1):', '  - unknown key "bogus" at bogus — ignored'].join('\n'));
    expect(report.endsWith('OK, with warnings')).toBe(true);
    for (const secret of Object.values(env)) expect(report).not.toContain(secret);
  });
});
