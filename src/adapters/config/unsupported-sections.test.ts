import { describe, expect, it } from 'vitest';
import { parseConfigText } from './parse-config-text.js';

const BASE = 'repos: [o/r]\nallowed_authors: [a]\n';
const warningsOf = (text: string): string[] =>
  parseConfigText(`${BASE}${text}`, {}, '/etc/k3sc.yaml', { homeDir: '/home/me' }).warnings;

describe('sections nothing reads yet are parsed, checked and flagged as not supported', () => {
  it.each([
    [
      'chat: {console: {enabled: false}}',
      "chat.console is not supported yet; it is ignored (serve's console chat is on unless --no-console)",
    ],
  ])('%s', (text, warning) => {
    // chat.discord has a consumer (POST /discord/interactions): never flagged.
    // (A chat section without its tokens in the environment also says so: not this test's concern.)
    expect(warningsOf(text).filter((w) => w.includes('not supported'))).toEqual([warning]);
  });

  it('still validates them (an error in an unsupported section is an error)', () => {
    expect(() => warningsOf("schedules: {digest: 'not cron'}")).toThrow(/schedules\.digest/);
  });

  it('does not flag alerts: serve routes them to their channels', () => {
    expect(warningsOf('alerts: {routes: [{channel: C1, events: [all], repos: [o/r]}]}')).toEqual([]);
  });

  it('does not flag chat.discord: serve answers its interactions', () => {
    const warnings = warningsOf(`chat: {discord: {application_id: "1", public_key: ${'a'.repeat(64)}}}`);
    expect(warnings.filter((w) => w.includes('not supported'))).toEqual([]);
  });

  it('does not flag rbac, local runtime settings or an empty file', () => {
    expect(warningsOf('rbac: {admins: [U1]}\nruntime: {kind: local, max_attempts: 2}\n')).toEqual([]);
    expect(warningsOf('')).toEqual([]);
    expect(
      parseConfigText(
        `${BASE}chat: {slack: {socket_mode: false}}`,
        { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' },
        '/etc/k3sc.yaml',
        { homeDir: '/home/me' },
      ).warnings,
    ).toEqual([]);
  });

  it('the kubernetes runtime is supported; a family image is only noted when the runtime is local', () => {
    expect(
      warningsOf('runtime: {kind: kubernetes, kubernetes: {job_ttl: 1h}}\nagents: {claude: {image: img}}'),
    ).toEqual([]);
    expect(warningsOf('agents: {claude: {image: img}}')).toEqual([
      'agents.claude.image is ignored: images are for runtime.kind kubernetes',
    ]);
  });
});
