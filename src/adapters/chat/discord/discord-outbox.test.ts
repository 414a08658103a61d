import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDiscordFake, type DiscordFake } from '../../../sandbox/discord-fake/index.js';
import { textReply } from '../../../bot/reply.js';
import { discordOutbox, type DiscordOutbox } from './discord-outbox.js';

let fake: DiscordFake;
let outbox: DiscordOutbox;
beforeEach(async () => {
  fake = await startDiscordFake();
  outbox = discordOutbox({ botToken: fake.botToken, apiUrl: fake.apiUrl });
});
afterEach(async () => {
  outbox.close();
  await fake.close();
});

describe('the Discord outbox (real @discordjs/rest against the fake at its real limits)', () => {
  it('posts a root message, opens its thread once, replies there, edits, attaches a file', async () => {
    const root = await outbox.post({ channel: '900' }, textReply('k3sc', 'claimed'));
    const r1 = await outbox.post({ channel: '900', thread: root.id }, textReply('log', 'line 1'));
    await outbox.post({ channel: '900', thread: root.id }, textReply('log', 'line 2'));
    await outbox.edit(root, textReply('k3sc', 'running'));
    await outbox.upload({ channel: '900', thread: root.id }, { name: 'log.txt', content: 'a\nb\n' });
    expect(fake.threads).toEqual([expect.objectContaining({ id: root.id, parent_id: '900' })]);
    expect(r1.channel).toBe(root.id);
    const [first, ...inThread] = fake.messages;
    expect(first!.channel_id).toBe('900');
    expect(JSON.stringify(first!.states.at(-1))).toContain('running');
    expect(first!.edits).toBe(1);
    expect(inThread.map((m) => m.channel_id)).toEqual([root.id, root.id, root.id]);
    expect(inThread[2]!.attachments).toEqual([{ filename: 'log.txt', content: 'a\nb\n' }]);
    expect(fake.refused()).toBe(0);
  });

  it('an edit of a thread reply goes to the thread channel', async () => {
    const root = await outbox.post({ channel: '901' }, textReply('k3sc', 'x'));
    const reply = await outbox.post({ channel: '901', thread: root.id }, textReply('log', 'one'));
    await outbox.edit(reply, textReply('log', 'two'));
    expect(JSON.stringify(fake.messages[1]!.embeds)).toContain('two');
  });

  it('waits out a 429 retry-after (the REST client retries) and nothing is lost', async () => {
    fake.rateLimitNext(1, 1);
    const posted = await outbox.post({ channel: '902' }, textReply('k3sc', 'hello'));
    expect(posted.id).not.toBe('');
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('the fake refuses the sixth message in a channel within 5 s (the real limit); the REST client waits', async () => {
    const raw = discordOutbox({
      botToken: fake.botToken,
      apiUrl: fake.apiUrl,
      limits: { editsPerWindow: 100, windowMs: 60_000, channelIntervalMs: 0 },
    });
    await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => raw.post({ channel: '904' }, textReply('k3sc', `m${n}`))),
    );
    raw.close();
    expect(fake.refused()).toBeGreaterThanOrEqual(1);
    expect(fake.messages.filter((m) => m.channel_id === '904')).toHaveLength(6);
  }, 20_000);

  it('refuses a bot without the token', async () => {
    const stranger = discordOutbox({ botToken: 'wrong', apiUrl: fake.apiUrl });
    await expect(stranger.post({ channel: '903' }, textReply('k3sc', 'x'))).rejects.toThrow(
      /401|Unauthorized/,
    );
    stranger.close();
  });
});
