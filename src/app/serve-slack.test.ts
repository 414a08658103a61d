import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunner, type BuiltRunner } from '../runner/__tests__/build-runner.js';
import { startSlackFake, type SlackFake } from '../sandbox/slack-fake/index.js';
import { MemoryLogger } from '../testing/memory-logger.js';
import { tempHome, type TempHome } from './__tests__/temp-home.js';
import { waitFor } from './__tests__/wait-for.js';
import { readControlFile, type ControlInfo } from './control-file.js';
import { serve } from './serve.js';

const SECRET = 'slack-signing-secret-serve-test';

let runner: BuiltRunner;
let home: TempHome;
let fake: SlackFake;
let info: ControlInfo;
const abort = new AbortController();
let done: Promise<void>;

beforeAll(async () => {
  runner = await buildRunner();
  fake = await startSlackFake({ signingSecret: SECRET });
  home = await tempHome(`chat: {slack: {socket_mode: false, api_url: ${JSON.stringify(fake.apiUrl)}}}\n`);
  const { config } = await home.load({ SLACK_BOT_TOKEN: 'xoxb-serve-test', SLACK_SIGNING_SECRET: SECRET });
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

const post = (body: string, headers: Record<string, string>): Promise<Response> =>
  fetch(`${info.url}/slack/events`, { method: 'POST', body, headers });

/** Posts a signed slash command once serve's Slack transport has started (503 until then). */
const command = async (
  text: string,
  extra: Parameters<SlackFake['slashCommand']>[1] = {},
): Promise<Response> =>
  waitFor(`slack ${text}`, async () => {
    const c = fake.slashCommand(text, extra);
    const res = await post(c.body, c.headers);
    return res.status === 503 ? undefined : res;
  });

describe('serve with Slack over HTTP (real Bolt, sandbox mode, Slack fake)', () => {
  it('acks a signed /k3sc top at once and posts the dashboard to the response_url', async () => {
    const before = fake.responses().length;
    const res = await command('top', { user_id: 'U_VIEWER' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await fake.waitFor(() => fake.responses().length > before);
    const answer = fake.responses()[before]!.body;
    expect(answer['response_type']).toBe('in_channel');
    const blocks = JSON.stringify(answer['blocks']);
    expect(blocks).toContain('k3sc top');
    expect(blocks).toContain('*slots:*');
    // Bolt checked its token against the fake's auth.test.
    expect(fake.records.some((r) => r.method === 'auth.test')).toBe(true);
  });

  it('answers 401 to forged and stale requests and runs nothing', async () => {
    const answered = fake.responses().length;
    await command('help');
    await fake.waitFor(() => fake.responses().length > answered);
    const before = fake.records.length;
    const c = fake.slashCommand('top');
    expect((await post(c.body, { ...c.headers, 'x-slack-signature': `v0=${'a'.repeat(64)}` })).status).toBe(
      401,
    );
    expect((await post(c.body, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(401);
    const stale = fake.slashCommand('top', { timestampSeconds: Math.floor(Date.now() / 1000) - 600 });
    expect((await post(stale.body, stale.headers)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.records.length).toBe(before);
  });

  it('answers an unknown command and a forbidden one only to the caller', async () => {
    const before = fake.responses().length;
    await command('frobnicate');
    await fake.waitFor(() => fake.responses().length > before);
    const unknown = fake.responses()[before]!.body;
    expect(unknown['response_type']).toBe('ephemeral');
    expect(JSON.stringify(unknown['blocks'])).toContain('help');
    await command('pause', { user_id: 'U_VIEWER' });
    await fake.waitFor(() => fake.responses().length > before + 1);
    const refused = fake.responses()[before + 1]!.body;
    expect(refused['response_type']).toBe('ephemeral');
    expect(JSON.stringify(refused['blocks'])).toMatch(/operator|admin|role/);
  });

  it('runs a replayed delivery once', async () => {
    const before = fake.responses().length;
    const c = fake.slashCommand('status', { trigger_id: 'replay-1' });
    await waitFor('status', async () => (await post(c.body, c.headers)).status === 200);
    expect(
      (await post(c.body, { ...c.headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }))
        .status,
    ).toBe(200);
    await fake.waitFor(() => fake.responses().length > before);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.responses().length).toBe(before + 1);
  });
});
