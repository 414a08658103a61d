import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_READ_POLICY } from '../core/api/farm-api.js';
import { startChatRig, type ChatRig } from './__tests__/chat-rig.js';

let rig: ChatRig;
beforeAll(async () => {
  rig = await startChatRig(OPEN_READ_POLICY);
  for (let i = 0; i < 25; i++) rig.farm.h.seedReady();
  await rig.farm.h.engine.pass({ dryRun: true });
});
afterAll(async () => {
  await rig.close();
});

const valuesIn = (body: unknown): string[] =>
  [...JSON.stringify(body).matchAll(/"value":"([^"]+)"/g)].map((m) => m[1] ?? '');

describe('/k3sc top paging through the real transports', () => {
  it('Slack: next/previous buttons carry the page; a click replaces the dashboard in place', async () => {
    const first = await rig.slack('top', 'U1');
    const body = first.responses[0]?.body;
    expect(valuesIn(body)).toContain('top --page 2');
    expect(JSON.stringify(body)).toContain('Queue (1–10 of 25)');
    const next = await rig.slackClick('top --page 2', 'U1');
    expect(next.responses).toHaveLength(1);
    expect(next.responses[0]?.body['replace_original']).toBe(true);
    expect(JSON.stringify(next.responses[0]?.body)).toContain('Queue (11–20 of 25)');
    expect(valuesIn(next.responses[0]?.body)).toEqual(
      expect.arrayContaining(['top --page 1', 'top --page 3']),
    );
  });

  it('Discord: a page button is a deferred update and an edit of the dashboard message', async () => {
    const r = await rig.discordClick('k3sc:top --page 3', { id: '7' });
    expect(r.ack).toEqual({ type: 6 });
    const edit = r.calls.find((c) => c.method === 'PATCH' && c.path.endsWith('/messages/@original'));
    expect(JSON.stringify(edit?.body)).toContain('Queue (21–25 of 25)');
    expect(JSON.stringify(edit?.body)).toContain('k3sc:top --page 2');
    expect(r.calls.filter((c) => c.method === 'POST')).toEqual([]);
  });
});
