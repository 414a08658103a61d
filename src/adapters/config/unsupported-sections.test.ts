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
    [
      'chat: {slack: {channels: [C1]}}\n',
      'chat.slack Socket Mode is not supported yet: Slack starts only over HTTP (set chat.slack.socket_mode: false and point the app at POST /slack/events)',
    ],
    [
      'chat: {discord: {application_id: "1"}, slack: {}}',
      'chat.slack Socket Mode is not supported yet: Slack starts only over HTTP (set chat.slack.socket_mode: false and point the app at POST /slack/events)',
    ],
    ["schedules: {digest: '0 9 * * 1-5'}", 'schedules is not supported yet; it is ignored'],
    [
      'runtime: {kind: kubernetes}',
      'runtime.kind kubernetes is not supported yet: serve and the CLI refuse to start with it (rather than run agents on this machine by surprise); use runtime.kind local',
    ],
    ['runtime: {kubernetes: {job_ttl: 1h}}', 'runtime.kubernetes is not supported yet; it is ignored'],
    [
      'agents: {claude: {image: img}}',
      'agents.claude.image is not supported yet; it is ignored (images are for the kubernetes runtime)',
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
});
