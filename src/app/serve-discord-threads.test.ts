import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunner, type BuiltRunner } from '../runner/__tests__/build-runner.js';
import {
  postInteraction,
  startDiscordFake,
  type DiscordFake,
  type DiscordFakeMessage,
} from '../sandbox/discord-fake/index.js';
import { MemoryLogger } from '../testing/memory-logger.js';
import { tempHome, type TempHome } from './__tests__/temp-home.js';
import { waitFor } from './__tests__/wait-for.js';
import { readControlFile, type ControlInfo } from './control-file.js';
import { serve } from './serve.js';

const CHANNEL = '700000000000000007';
const ALERTS = '700000000000000008';
const OPS = '400000000000000004';

let runner: BuiltRunner;
let fake: DiscordFake;
let home: TempHome;
const abort = new AbortController();
let done: Promise<void>;
let info: ControlInfo;

beforeAll(async () => {
  runner = await buildRunner();
  fake = await startDiscordFake();
  home = await tempHome(
    [
      `rbac: {operators: ['${OPS}']}`,
      'chat:',
      `  workers: {'${OPS}': claude-b}`,
      '  discord:',
      `    application_id: '${fake.applicationId}'`,
      `    public_key: ${fake.keys.publicKeyHex}`,
      `    api_url: ${fake.apiUrl}`,
      `    default_channel: '${CHANNEL}'`,
      `alerts: {routes: [{channel: '${ALERTS}', events: [needs_human, review_handoff]}]}`,
      '',
    ].join('\n'),
  );
  const { config } = await home.load({ DISCORD_TOKEN: fake.botToken });
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

const titleOf = (m: { embeds: unknown }): string =>
  ((m.embeds as { title?: string }[] | undefined)?.[0]?.title ?? '').replace(/ \(page .*\)$/, '');
const roots = (): DiscordFakeMessage[] => fake.messages.filter((m) => m.channel_id === CHANNEL);

describe('serve in sandbox mode with Discord: the per-attempt thread (real @discordjs/rest, Discord fake)', () => {
  it('posts one root edited through its states, a thread with hand-off and log snippets, and alerts', async () => {
    await waitFor(
      'the root at needs-human',
      () =>
        titleOf(roots()[0] ?? { embeds: [] }).endsWith('· needs-human') &&
        fake.messages.some((m) => m.channel_id === ALERTS && titleOf(m) === 'alert: needs human'),
      120_000,
    );
    expect(roots()).toHaveLength(1);
    const root = roots()[0]!;
    const states = root.states.map((s) => titleOf(s).split(' · ')[1]);
    expect(states.slice(0, 2)).toEqual(['claimed', 'running']);
    expect(states).toContain('needs-review');
    expect(states).toContain('review');
    expect(states.at(-1)).toBe('needs-human');
    expect(fake.threads).toEqual([expect.objectContaining({ id: root.id, parent_id: CHANNEL })]);
    const thread = fake.messages.filter((m) => m.channel_id === root.id).map(titleOf);
    expect(thread).toContain('review wanted: sandbox/hello-k3sc#1');
    expect(thread.some((t) => t.startsWith('log sandbox-hello-k3sc-1-1'))).toBe(true);
    const alerts = fake.messages.filter((m) => m.channel_id === ALERTS).map(titleOf);
    expect(alerts.filter((t) => t === 'alert: needs human')).toHaveLength(1);
    const handoff = fake.messages.find(
      (m) => m.channel_id === root.id && titleOf(m).startsWith('review wanted'),
    )!;
    expect(JSON.stringify(handoff.components)).toContain('k3sc:take-review sandbox/hello-k3sc#1');
    expect(fake.refused()).toBe(0);
  }, 150_000);

  it('a Take review click runs take for the clicker’s configured worker and reserves the PR', async () => {
    const token = 'itok-take-click';
    const click = {
      id: '800000000000000001',
      application_id: fake.applicationId,
      type: 3,
      token,
      version: 1,
      channel_id: CHANNEL,
      guild_id: '300000000000000003',
      member: { user: { id: OPS, username: 'ops' }, roles: [] },
      data: { component_type: 2, custom_id: 'k3sc:take-review sandbox/hello-k3sc#1' },
    };
    const ack = await postInteraction(`${info.url}/discord/interactions`, fake.keys, click);
    // A click is a deferred update of the clicked card; the answer follows as a follow-up message.
    expect(ack).toEqual({ status: 200, json: { type: 6 } });
    const answered = (r: { path: string; method: string; body: unknown }): boolean =>
      r.path.includes(token) && /claude-b now holds sandbox\/hello-k3sc#\d+/.test(JSON.stringify(r.body));
    await fake.waitFor((reqs) => reqs.some(answered), 20_000);
    expect(fake.requests.filter(answered)).toHaveLength(1);
  }, 60_000);
});
