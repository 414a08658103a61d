import { describe, expect, it } from 'vitest';
import { isK3scError } from '../../core/errors.js';
import { EARLIER_TOOL_EXAMPLE, FAKE_GITHUB_TOKEN } from './config-fixtures.js';
import { ConfigInvalidError } from './config-error.js';
import { parseConfigText } from './parse-config-text.js';

const HOME = '/home/me';
const parse = (text: string, env: Record<string, string> = {}) =>
  parseConfigText(text, env, '/etc/k3sc/k3sc.yaml', { homeDir: HOME });

const problemsOf = (text: string, env: Record<string, string> = {}): readonly string[] => {
  try {
    parse(text, env);
  } catch (err) {
    if (err instanceof ConfigInvalidError) return err.problems;
    throw err;
  }
  throw new Error('expected the config to be rejected');
};

describe('parseConfigText: the earlier tool’s file', () => {
  it('loads the seed example unchanged with the right values', () => {
    const { config, warnings } = parse(EARLIER_TOOL_EXAMPLE);
    expect(config.namespace).toBe('claude-agents');
    expect(config.maxSlots).toBe(5);
    expect(config.launchDir).toBe('C:\\code');
    expect(config.repos).toEqual([
      { owner: 'abix-', name: 'endless' },
      { owner: 'abix-', name: 'k3sc' },
    ]);
    expect(config.allowedAuthors).toEqual(['abix-']);
    expect(config.scan).toEqual({ minIntervalMs: 120_000, maxIntervalMs: 3_600_000, taskTtlMs: 86_400_000 });
    expect(config.families).toEqual([
      { name: 'claude', enabled: true },
      { name: 'codex', enabled: true },
    ]);
    expect(config.github).toEqual({
      apiUrl: 'https://api.github.com',
      webUrl: 'https://github.com',
      auth: { kind: 'none' },
    });
    expect(config.dataDir).toBe('/home/me/.k3sc');
    expect(warnings).toEqual([]);
  });

  it('fills defaults for an empty document and warns that nothing will dispatch', () => {
    const { config, warnings } = parse('');
    expect(config.runtime.kind).toBe('local');
    expect(config.safety.branchPattern).toBe('issue-{N}');
    expect(config.safety.blockedCommitWords).toContain('resolves');
    expect(config.safety.ghAllowed).toContain('pr create');
    expect(config.agents['claude']?.command).toEqual([
      'claude',
      '-p',
      '{prompt}',
      '--output-format',
      'stream-json',
      '--verbose',
    ]);
    expect(config.agents['codex']?.command).toEqual(['codex', 'exec', '{prompt}']);
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.chat.console.enabled).toBe(true);
    expect(warnings.some((w) => w.includes('nothing will dispatch'))).toBe(true);
  });
});

describe('parseConfigText: errors', () => {
  it('reports malformed YAML with line and column', () => {
    const problems = problemsOf('namespace: x\nrepos: [a,\nscan: {\n');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^YAML line \d+, column \d+: /);
  });

  it('reports duplicate keys as YAML errors', () => {
    expect(problemsOf('namespace: a\nnamespace: b\n')[0]).toMatch(
      /line 2, column 1: Map keys must be unique/,
    );
  });

  it('reports every problem at once, each with its path', () => {
    const text = `max_slots: 30
repos:
  - {owner: abix-, name: endless}
  - {owner: abix-}
scan:
  min_interval: 2x
`;
    const problems = problemsOf(text);
    expect(problems).toEqual(
      expect.arrayContaining([
        'max_slots: must be between 1 and 26 (one letter a–z per slot)',
        'repos[1].name: required',
        'scan.min_interval: "2x" is not a duration like 90s, 2m, 1h',
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it('throws a config_invalid K3scError naming the file', () => {
    try {
      parse('max_slots: zero');
      expect.unreachable();
    } catch (err) {
      expect(isK3scError(err, 'config_invalid')).toBe(true);
      expect((err as Error).message).toContain('/etc/k3sc/k3sc.yaml has 1 problem');
      expect((err as Error).message).toContain('max_slots: expected a number, got the string "zero"');
    }
  });

  it('checks min_interval ≤ max_interval and the branch pattern', () => {
    const problems = problemsOf(
      'scan: {min_interval: 2h, max_interval: 1h}\nsafety: {branch_pattern: "work/issue"}',
    );
    expect(problems).toContain(
      'scan.min_interval: min_interval (2h) must not be longer than max_interval (1h)',
    );
    expect(problems.some((p) => p.startsWith('safety.branch_pattern: "work/issue" must contain {N}'))).toBe(
      true,
    );
  });

  it('rejects duplicate repos, bad names, bad families and bad cron', () => {
    const problems = problemsOf(`repos: [abix-/k3sc, {owner: abix-, name: K3SC}, {owner: "a b", name: x}]
families: [claude, Claude]
schedules: {digest: "0 9 * *", lease_expiry: "61 * * * *"}
alerts: {routes: [{channel: C1, events: [needs_human, bogus]}]}
`);
    expect(problems).toContain('repos[1]: abix-/K3SC is listed twice (also at repos[0])');
    expect(problems.some((p) => p.startsWith('repos[2].owner: "a b" is not a valid name'))).toBe(true);
    expect(problems.some((p) => p.startsWith('families[1]: "Claude" is not a valid family name'))).toBe(true);
    expect(problems.some((p) => p.startsWith('schedules.digest: "0 9 * *" has 4 fields'))).toBe(true);
    expect(
      problems.some((p) => p.startsWith('schedules.lease_expiry: "61 * * * *" is not a valid cron')),
    ).toBe(true);
    expect(
      problems.some((p) => p.startsWith('alerts.routes[0].events[1]: "bogus" is not an alert event')),
    ).toBe(true);
  });

  it('requires a command for an enabled family without a built-in one', () => {
    expect(problemsOf('families: [claude, gemini]')).toEqual([
      'agents.gemini.command: required: family "gemini" has no built-in command (only claude and codex do)',
    ]);
  });
});

describe('parseConfigText: secrets in the file', () => {
  it('rejects github.token with a hint to use the environment or a file, without echoing it', () => {
    const problems = problemsOf(`github:\n  token: ${FAKE_GITHUB_TOKEN}\n`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^github\.token: secrets must not be written in the config file — set GITHUB_TOKEN/,
    );
    expect(problems[0]).toContain('token_file');
    expect(problems.join('\n')).not.toContain(FAKE_GITHUB_TOKEN);
  });

  it('rejects a token pasted under any other key, naming the path but not the value', () => {
    const problems = problemsOf(`chat:\n  slack:\n    channels: ["${FAKE_GITHUB_TOKEN}"]\n`);
    expect(problems).toEqual([
      expect.stringMatching(/^chat\.slack\.channels\[0\]: looks like a GitHub token/),
    ]);
    expect(problems.join('\n')).not.toContain(FAKE_GITHUB_TOKEN);
  });

  it('allows literal env values for agents (they are masked on print)', () => {
    const { config } = parse(
      `agents:\n  claude:\n    env: {ANTHROPIC_API_KEY: sk-ant-abcdefghijklmnopqrstu, DEBUG: 1}\n`,
    );
    expect(config.agents['claude']?.env).toEqual({
      ANTHROPIC_API_KEY: 'sk-ant-abcdefghijklmnopqrstu',
      DEBUG: '1',
    });
  });
});
