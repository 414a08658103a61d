import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackFake, type SlackFake } from '../../../sandbox/slack-fake/index.js';
import { textReply } from '../../../bot/reply.js';
import { slackOutbox, type SlackOutbox } from './slack-outbox.js';

let fake: SlackFake;
let outbox: SlackOutbox;
beforeEach(async () => {
  fake = await startSlackFake({ signingSecret: 's' });
  outbox = slackOutbox({ botToken: 'xoxb-test', apiUrl: fake.apiUrl });
});
afterEach(async () => {
  outbox.close();
  await fake.close();
});

describe('the Slack outbox (real WebClient against the fake at its real limits)', () => {
  it('posts a root message, replies in its thread, edits it, uploads a file into the thread', async () => {
    const root = await outbox.post({ channel: 'C1' }, textReply('k3sc', 'claimed'));
    const reply = await outbox.post({ channel: 'C1', thread: root.id }, textReply('log', 'line 1'));
    await outbox.edit(root, textReply('k3sc', 'running'));
    await outbox.upload(
      { channel: 'C1', thread: root.id },
      { name: 'log.txt', content: 'a\nb\n', title: 'the log' },
    );
    expect(fake.messages.map((m) => [m.channel, m.thread_ts, m.text])).toEqual([
      ['C1', undefined, 'k3sc'],
      ['C1', root.id, 'log'],
    ]);
    expect(reply.channel).toBe('C1');
    const states = fake.messages[0]!.states.map((s) => JSON.stringify(s.blocks));
    expect(states).toHaveLength(2);
    expect(states[1]).toContain('running');
    expect(fake.uploads).toEqual([
      expect.objectContaining({
        filename: 'log.txt',
        title: 'the log',
        content: 'a\nb\n',
        channel: 'C1',
        thread_ts: root.id,
        completed: true,
      }),
    ]);
    expect(fake.refused()).toBe(0);
  });

  it('coalesces a burst of edits of one message to the latest state, with no 429', async () => {
    const root = await outbox.post({ channel: 'C1' }, textReply('k3sc', 'v0'));
    await Promise.all(['v1', 'v2', 'v3', 'v4', 'v5'].map((v) => outbox.edit(root, textReply('k3sc', v))));
    const updates = fake.records.filter((r) => r.method === 'chat.update');
    expect(updates.length).toBeLessThan(5);
    expect(JSON.stringify(fake.messages[0]!.blocks)).toContain('v5');
    expect(fake.refused()).toBe(0);
  });

  it('waits out a 429 retry-after and sends again', async () => {
    fake.failNext(1, 429);
    const posted = await outbox.post({ channel: 'C2' }, textReply('k3sc', 'hello'));
    expect(posted.id).not.toBe('');
    expect(fake.records.filter((r) => r.method === 'chat.postMessage')).toHaveLength(2);
    expect(outbox.budget.stats.rateLimited).toBe(1);
  });

  it('the fake refuses a second post in a channel within a second (the real limit)', async () => {
    const raw = slackOutbox({
      botToken: 'xoxb-test',
      apiUrl: fake.apiUrl,
      limits: { editsPerWindow: 100, windowMs: 60_000, channelIntervalMs: 0 },
    });
    await Promise.all([1, 2].map((n) => raw.post({ channel: 'C3' }, textReply('k3sc', `m${n}`))));
    raw.close();
    expect(fake.refused()).toBe(1);
    expect(raw.budget.stats).toMatchObject({ posts: 2, rateLimited: 1 });
  });
});
