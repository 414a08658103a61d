import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackFake, type SlackFake } from './index.js';

let fake: SlackFake;
beforeAll(async () => {
  fake = await startSlackFake({ signingSecret: 's', limits: 'off' });
});
afterAll(() => fake.close());

describe('slack fake with the real Web API client', () => {
  it('answers auth.test, posts and updates messages, decoding blocks', async () => {
    const client = new webApi.WebClient('xoxb-1', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    expect((await client.auth.test()).team_id).toBe('T0FAKE');
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }];
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'hi', blocks });
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]!.blocks).toEqual(blocks);
    await client.chat.update({ channel: 'C1', ts: posted.ts!, text: 'edited' });
    expect(fake.messages[0]).toMatchObject({ text: 'edited', edits: 1 });
    expect(fake.records.find((r) => r.method === 'chat.postMessage')?.authorization).toBe('Bearer xoxb-1');
    await expect(client.chat.update({ channel: 'C1', ts: '1.2', text: 'x' })).rejects.toThrow(
      /message_not_found/,
    );
  });

  it('fails the next calls on request (429 with retry-after)', async () => {
    const client = new webApi.WebClient('xoxb-1', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    fake.failNext(1, 429);
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toThrow();
    await expect(client.chat.postMessage({ channel: 'C1', text: 'y' })).resolves.toMatchObject({ ok: true });
  });
});
