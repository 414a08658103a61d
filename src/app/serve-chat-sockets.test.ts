import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLogger } from '../testing/memory-logger.js';
import { slashInteraction, startDiscordFake, type DiscordFake } from '../sandbox/discord-fake/index.js';
import { startSlackFake, type SlackFake } from '../sandbox/slack-fake/index.js';
import { tempHome, type TempHome } from './__tests__/temp-home.js';
import { waitFor } from './__tests__/wait-for.js';
import { readControlFile } from './control-file.js';
import { serve } from './serve.js';

let slack: SlackFake;
let discord: DiscordFake;
let home: TempHome;
let abort: AbortController;
let done: Promise<void>;

beforeAll(async () => {
  slack = await startSlackFake({ signingSecret: 'unused' });
  discord = await startDiscordFake();
  // Slack in Socket Mode (the default) and Discord over the gateway only (no public key).
  home = await tempHome(
    [
      'chat:',
      `  slack: {api_url: ${JSON.stringify(slack.apiUrl)}}`,
      `  discord: {application_id: '${discord.applicationId}', gateway: true, api_url: ${JSON.stringify(discord.apiUrl)}}`,
      '',
    ].join('\n'),
  );
  const { config, warnings } = await home.load({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_APP_TOKEN: 'xapp-1-test',
    DISCORD_TOKEN: discord.botToken,
  });
  expect(warnings.filter((w) => w.includes('not supported') || w.includes('will not start'))).toEqual([]);
  abort = new AbortController();
  done = serve({
    config,
    logger: new MemoryLogger(),
    write: () => undefined,
    console: false,
    signal: abort.signal,
  });
  done.catch(() => undefined);
  await waitFor('serve.json', () => readControlFile(home.dataDir));
}, 60_000);

afterAll(async () => {
  abort.abort();
  await done.catch(() => undefined);
  // serve closed both sockets on its way out.
  expect(slack.socketMode.openSockets()).toBe(0);
  expect(discord.gateway.openSockets()).toBe(0);
  await slack.close();
  await discord.close();
  await home.cleanup();
});

describe('k3sc serve with Slack Socket Mode and the Discord gateway (sandbox)', () => {
  it('answers /k3sc top arriving over the Slack socket with the dashboard', async () => {
    await slack.socketMode.waitFor(() => slack.socketMode.openSockets() === 1, 20_000);
    const id = slack.socketMode.slashCommand('top');
    await slack.socketMode.waitFor(() => slack.socketMode.acks.some((a) => a.envelopeId === id), 20_000);
    await slack.waitFor(() => slack.responses().length >= 1, 20_000);
    expect(JSON.stringify(slack.responses()[0]?.body)).toContain('slots');
  });

  it('answers /k3sc top arriving over the Discord gateway: callback 204, then the dashboard', async () => {
    await discord.gateway.waitFor(() => discord.gateway.identifies.length === 1, 20_000);
    const body = slashInteraction({ sub: 'top', token: 'gw-token-1' });
    discord.gateway.interaction(body);
    await discord.waitFor(
      (r) => r.some((x) => x.method === 'PATCH' && x.path.includes('gw-token-1')),
      20_000,
    );
    const callback = discord.requests.find((r) => r.path.endsWith('/gw-token-1/callback'));
    expect(callback).toMatchObject({ status: 204, body: { type: 5 } });
    const edit = discord.requests.find((r) => r.method === 'PATCH' && r.path.includes('gw-token-1'));
    expect((edit?.body as { embeds: { title: string }[] }).embeds[0]?.title).toBe('k3sc top');
  });
});
