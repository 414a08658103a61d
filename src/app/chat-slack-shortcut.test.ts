import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inbound } from '../bot/transport.js';
import { OPEN_READ_POLICY } from '../core/api/farm-api.js';
import { tokenize } from '../bot/program.js';
import { NEW_ISSUE_SHORTCUT } from '../adapters/chat/slack/slack-interactions.js';
import { startChatRig, type ChatRig } from './__tests__/chat-rig.js';

const seen: Inbound[] = [];
let rig: ChatRig;
beforeAll(async () => {
  rig = await startChatRig(OPEN_READ_POLICY, {
    shortcutRepo: (channel) => (channel === 'C0FAKE' ? 'acme/widgets' : undefined),
    routerFor: (r) => ({
      handle: (i, responder) => {
        seen.push(i);
        return r.handle(i, responder);
      },
    }),
  });
});
afterAll(async () => {
  await rig.close();
});

describe('Slack message shortcut: file a message as work', () => {
  it('runs `new <repo> <message text>` through the router, as the user who ran it', async () => {
    const text = 'The "export" button\ncrashes on Safari \\ sometimes';
    const r = await rig.slackShortcut(NEW_ISSUE_SHORTCUT, text, 'U77');
    expect(r.status).toBe(200);
    const inbound = seen.at(-1);
    expect(inbound?.who).toMatchObject({ platform: 'slack', userId: 'U77', channelId: 'C0FAKE' });
    expect(inbound?.where).toBe('slack:C0FAKE');
    // The message text arrives as one argument, exactly.
    expect(tokenize(inbound?.text ?? '')).toEqual(['new', 'acme/widgets', text]);
    // One answer through the shortcut's response_url (today the usage error for the unknown `new`).
    expect(r.responses).toHaveLength(1);
  });

  it('asks privately for the repository when the channel has none, running nothing', async () => {
    const before = seen.length;
    const r = await rig.slackShortcut(NEW_ISSUE_SHORTCUT, 'anything', 'U77', 'C0OTHER');
    expect(seen.length).toBe(before);
    expect(r.responses[0]?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(r.responses[0]?.body)).toContain('/k3sc new owner/repo <title>');
  });
});
