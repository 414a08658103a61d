import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunner, type BuiltRunner } from '../runner/__tests__/build-runner.js';
import { startSlackFake, type SlackFake, type SlackFakeMessage } from '../sandbox/slack-fake/index.js';
import { MemoryLogger } from '../testing/memory-logger.js';
import { tempHome, type TempHome } from './__tests__/temp-home.js';
import { waitFor } from './__tests__/wait-for.js';
import { readControlFile, type ControlInfo } from './control-file.js';
import { serve } from './serve.js';

const SECRET = 'slack-signing-secret-threads-test';
const CONFIG = `
chat:
  slack: {socket_mode: false, api_url: API, default_channel: C0SANDBOX}
  workers: {U0OPS: claude-b}
alerts:
  routes:
    - {channel: C0ALERTS, events: [needs_human, review_handoff]}
rbac: {operators: [U0OPS]}
`;

let runner: BuiltRunner;
let home: TempHome;
let fake: SlackFake;
let info: ControlInfo;
const abort = new AbortController();
let done: Promise<void>;

beforeAll(async () => {
  runner = await buildRunner();
  fake = await startSlackFake({ signingSecret: SECRET });
  home = await tempHome(CONFIG.replace('API', JSON.stringify(fake.apiUrl)));
  const { config } = await home.load({ SLACK_BOT_TOKEN: 'xoxb-threads-test', SLACK_SIGNING_SECRET: SECRET });
  done = serve({
    config,
    logger: new MemoryLogger(),
    write: () => undefined,
    console: false,
    signal: abort.signal,
    runnerDir: dirname(runner.main),
  });
  done.catch(() => undefined);
  info = await waitFor('serve.json', () => readControlFile(home.dataDir));
}, 60_000);

afterAll(async () => {
  abort.abort();
  await done.catch(() => undefined);
  await fake.close();
  await runner.cleanup();
  await home.cleanup();
});

const title = (m: { text: string }): string => m.text;
const roots = (): SlackFakeMessage[] =>
  fake.messages.filter((m) => m.channel === 'C0SANDBOX' && !m.thread_ts);

describe('serve in sandbox mode with Slack: the per-attempt thread (real WebClient, Slack fake at real limits)', () => {
  it('posts one root edited through its states, a thread with hand-off and log snippets, and alerts', async () => {
    await waitFor(
      'the root at needs-human',
      () =>
        roots()[0]?.text.endsWith('· needs-human') &&
        fake.messages.some((m) => m.channel === 'C0ALERTS' && m.text === 'alert: needs human'),
      120_000,
    );
    expect(roots()).toHaveLength(1);
    const root = roots()[0]!;
    const states = root.states.map((s) => (s as { text: string }).text.split(' · ')[1]);
    expect(states[0]).toBe('claimed');
    expect(states).toContain('running');
    expect(states).toContain('needs-review');
    expect(states).toContain('review');
    expect(states.at(-1)).toBe('needs-human');
    const thread = fake.messages.filter((m) => m.thread_ts === root.ts).map(title);
    expect(thread).toContain('review wanted: sandbox/hello-k3sc#1');
    expect(thread.some((t) => t.startsWith('log sandbox-hello-k3sc-1-1'))).toBe(true);
    const alerts = fake.messages.filter((m) => m.channel === 'C0ALERTS').map(title);
    expect(alerts.filter((t) => t === 'alert: needs human')).toHaveLength(1);
    expect(alerts.filter((t) => t.startsWith('review wanted'))).toHaveLength(1);
    const handoff = fake.messages.find((m) => m.thread_ts === root.ts && m.text.startsWith('review wanted'))!;
    expect(JSON.stringify(handoff.blocks)).toContain('take-review sandbox/hello-k3sc#1');
    expect(fake.refused()).toBe(0);
  }, 150_000);

  it('a Take review click runs take for the clicker’s configured worker and reserves the PR', async () => {
    const before = fake.responses().length;
    const payload = {
      type: 'block_actions',
      team: { id: 'T0FAKE' },
      user: { id: 'U0OPS', username: 'ops' },
      channel: { id: 'C0SANDBOX' },
      trigger_id: 'take-click-1',
      response_url: fake.responseUrl(),
      actions: [
        { type: 'button', action_id: 'k3sc:take', value: 'take-review sandbox/hello-k3sc#1', action_ts: '1' },
      ],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const res = await fetch(`${info.url}/slack/events`, {
      method: 'POST',
      body,
      headers: { ...fake.sign(body), 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    await fake.waitFor(() => fake.responses().length > before, 20_000);
    const answer = JSON.stringify(fake.responses()[before]!.body);
    expect(answer).toMatch(/claude-b now holds sandbox\/hello-k3sc#\d+/);
    await waitFor(
      'the card shows the reviewer',
      () => JSON.stringify(roots()[0]?.blocks).includes('claude-b'),
      20_000,
    );
  }, 60_000);
});
