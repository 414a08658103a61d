import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLogger } from '../testing/memory-logger.js';
import {
  postInteraction,
  slashInteraction,
  startDiscordFake,
  type DiscordFake,
} from '../sandbox/discord-fake/index.js';
import { tempHome, type TempHome } from './__tests__/temp-home.js';
import { waitFor } from './__tests__/wait-for.js';
import { readControlFile, type ControlInfo } from './control-file.js';
import { serve } from './serve.js';

let fake: DiscordFake;
let home: TempHome;
let abort: AbortController;
let done: Promise<void>;
let info: ControlInfo;
let url: string;

beforeAll(async () => {
  fake = await startDiscordFake();
  home = await tempHome(
    `rbac: {admins: ['900000000000000009']}\nchat:\n  discord:\n    application_id: '${fake.applicationId}'\n    public_key: ${fake.keys.publicKeyHex}\n    api_url: ${fake.apiUrl}\n`,
  );
  // No GitHub credentials: sandbox mode, with the real Discord transport against the fake.
  const { config } = await home.load({});
  abort = new AbortController();
  done = serve({
    config,
    logger: new MemoryLogger(),
    write: () => undefined,
    console: false,
    signal: abort.signal,
  });
  done.catch(() => undefined);
  info = await waitFor('serve.json', () => readControlFile(home.dataDir));
  url = `${info.url}/discord/interactions`;
}, 60_000);

afterAll(async () => {
  abort.abort();
  await done.catch(() => undefined);
  await fake.close();
  await home.cleanup();
});

const hooks = (token: unknown) => fake.requests.filter((r) => r.path.includes(`/${String(token)}`));

describe('k3sc serve with chat.discord (sandbox)', () => {
  it('answers PING, and 401s a forged /k3sc top without running it', async () => {
    expect((await postInteraction(url, fake.keys, { type: 1, id: '1' })).json).toEqual({ type: 1 });
    const before = fake.requests.length;
    expect(
      (await postInteraction(url, fake.keys, slashInteraction({ sub: 'top' }), { forge: true })).status,
    ).toBe(401);
    expect(
      (await postInteraction(url, fake.keys, slashInteraction({ sub: 'top' }), { unsigned: true })).status,
    ).toBe(401);
    expect(fake.requests.length).toBe(before);
  });

  it('acknowledges a signed /k3sc top with a deferred reply, then edits in the dashboard', async () => {
    const body = slashInteraction({ sub: 'top' });
    const ack = await postInteraction(url, fake.keys, body);
    expect(ack).toEqual({ status: 200, json: { type: 5 } });
    await fake.waitFor(() => hooks(body['token']).length >= 1, 20_000);
    const [edit] = hooks(body['token']);
    expect(edit?.method).toBe('PATCH');
    expect(edit?.path).toMatch(/\/messages\/@original$/);
    const embed = (edit?.body as { embeds: { title: string; description: string }[] }).embeds[0];
    expect(embed?.title).toBe('k3sc top');
    expect(embed?.description).toContain('**slots:**');
  });

  it('refuses an admin command to an unlisted user privately, naming the role', async () => {
    const body = slashInteraction({ sub: 'pause' });
    await postInteraction(url, fake.keys, body);
    await fake.waitFor(() => hooks(body['token']).length >= 2, 20_000);
    const [del, follow] = hooks(body['token']);
    expect(del?.method).toBe('DELETE');
    expect(follow?.body).toMatchObject({ flags: 64 });
    expect(JSON.stringify(follow?.body)).toContain('pause needs the admin role; you are viewer');
  });

  it('answers bad arguments with a short private error and usage', async () => {
    const body = slashInteraction({ sub: 'kill', options: { issue: 'not-an-issue' } });
    await postInteraction(url, fake.keys, body);
    await fake.waitFor(() => hooks(body['token']).some((r) => r.method === 'POST'), 20_000);
    const follow = hooks(body['token']).find((r) => r.method === 'POST');
    expect(follow?.body).toMatchObject({ flags: 64 });
    expect(JSON.stringify(follow?.body)).toMatch(/error/);
  });

  it('takes roles from Discord role ids: an admin role may pause', async () => {
    const body = slashInteraction({ sub: 'pause', roles: ['900000000000000009'] });
    expect((await postInteraction(url, fake.keys, body)).json).toEqual({ type: 5 });
    await fake.waitFor(() => hooks(body['token']).length >= 1, 20_000);
    const [edit] = hooks(body['token']);
    expect(edit?.method).toBe('PATCH');
    expect(JSON.stringify(edit?.body)).not.toContain('"title":"error"');
  });
});
