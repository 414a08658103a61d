import { afterEach, describe, expect, it } from 'vitest';
import { ConfirmationGate } from '../bot/confirm.js';
import type { RbacPolicy } from '../core/api/farm-api.js';
import { startChatRig, type ChatRig } from './__tests__/chat-rig.js';

const POLICY: RbacPolicy = { admins: ['UADMIN', 'R_ADMIN'], operators: [], viewers: [], unknown: 'viewer' };
const MIN = 60_000;

/** Expiry timers the test fires by hand (after moving the farm's clock). */
const handTimers = () => {
  const due = new Set<() => void>();
  return {
    setTimer: (fn: () => void) => {
      due.add(fn);
      return () => void due.delete(fn);
    },
    fire: () => {
      const now = [...due];
      due.clear();
      for (const fn of now) fn();
    },
    get size() {
      return due.size;
    },
  };
};

let rig: ChatRig;
let timers: ReturnType<typeof handTimers>;
let gate: ConfirmationGate;
const start = async (): Promise<void> => {
  timers = handTimers();
  rig = await startChatRig(POLICY, {
    confirmations: (farm) => {
      gate = new ConfirmationGate({ now: () => farm.farm.api.now(), setTimer: timers.setTimer });
      return gate;
    },
  });
};
afterEach(async () => {
  await rig.close();
});

type Block = { type: string; elements?: { value?: string }[]; text?: { text: string } };
const blocks = (m: { blocks: unknown } | undefined): Block[] => (m?.blocks as Block[] | undefined) ?? [];
const buttons = (m: { blocks: unknown } | undefined): string[] =>
  blocks(m).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []).map((e) => e.value ?? '') : []));
const text = (m: { blocks: unknown } | undefined): string =>
  blocks(m)
    .map((b) => b.text?.text ?? '')
    .join('\n');
type Row = { components: { custom_id: string }[] };
type DMessage = { embeds?: { description: string }[]; components?: Row[] };

describe('an unconfirmed card expires after 5 minutes and loses its buttons', () => {
  it('Slack: the card is posted as the bot and updated (chat.update) to "expired" without buttons', async () => {
    await start();
    await rig.slack('pause', 'UADMIN');
    const card = rig.slackFake.messages.find((m) => m.channel === 'C0FAKE');
    const [confirm] = buttons(card);
    expect(confirm).toMatch(/^confirm [0-9a-f]{12}$/);
    expect(timers.size).toBe(1);

    rig.farm.h.clock.advance(4 * MIN);
    timers.fire(); // woken early: the card is still pending and waits again
    await rig.settle();
    expect(card?.edits).toBe(0);
    expect(timers.size).toBe(1);

    rig.farm.h.clock.advance(MIN + 1);
    timers.fire();
    await rig.slackFake.waitFor((r) => r.some((x) => x.method === 'chat.update'));
    await rig.settle();
    expect(card?.edits).toBe(1);
    expect(buttons(card)).toEqual([]);
    expect(text(card)).toContain('expired: `pause` was not confirmed within 5 minutes; nothing ran');
    expect(rig.audit.entries.map((e) => [e.command, e.result])).toEqual([
      ['pause', 'confirmation_requested'],
      ['pause', 'expired'],
    ]);

    // A click that raced the update is refused privately and runs nothing.
    const late = await rig.slackClick(confirm ?? '', 'UADMIN');
    expect(late.responses[0]?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(late.responses[0]?.body)).toContain('not pending any more: it expired');
    expect((await rig.farm.h.state()).paused).toBe(false);
  });

  it('Slack: a confirmed card stops its expiry timer (nothing is edited later)', async () => {
    await start();
    await rig.slack('pause', 'UADMIN');
    const card = rig.slackFake.messages.find((m) => m.channel === 'C0FAKE');
    const done = await rig.slackClick(buttons(card)[0] ?? '', 'UADMIN');
    expect(done.responses[0]?.body['replace_original']).toBe(true);
    expect(timers.size).toBe(0);
    expect((await rig.farm.h.state()).paused).toBe(true);
  });

  it('Discord: the deferred reply that holds the card is edited to "expired" with no components', async () => {
    await start();
    const shown = await rig.discord('pause', {}, { id: '42', roles: ['R_ADMIN'] });
    const edit = shown.calls.find((c) => c.method === 'PATCH');
    expect(((edit?.body as DMessage).components ?? []).length).toBeGreaterThan(0);
    const before = rig.discordFake.requests.length;
    rig.farm.h.clock.advance(5 * MIN + 1);
    timers.fire();
    await rig.discordFake.waitFor((r) => r.length > before);
    const [expiry] = rig.discordFake.requests.slice(before);
    expect(expiry?.method).toBe('PATCH');
    expect(expiry?.path).toMatch(/\/webhooks\/\d+\/[^/]+\/messages\/\d+$/);
    expect(expiry?.status).toBe(200);
    expect((expiry?.body as DMessage).components).toEqual([]);
    expect((expiry?.body as DMessage).embeds?.[0]?.description).toContain('expired: `pause`');
  });
});

describe('after a restart (cards live in memory)', () => {
  it('a click on a card the new serve does not know replaces it without buttons, and runs nothing', async () => {
    await start();
    await rig.slack('pause', 'UADMIN');
    const [confirm] = buttons(rig.slackFake.messages[0]);
    await rig.close();
    await start(); // a new serve: a new gate, nothing pending
    const slack = await rig.slackClick(confirm ?? '', 'UADMIN');
    expect(slack.responses[0]?.body['replace_original']).toBe(true);
    expect(buttons({ blocks: slack.responses[0]?.body['blocks'] })).toEqual([]);
    expect(JSON.stringify(slack.responses[0]?.body)).toContain('not pending any more');
    const discord = await rig.discordClick(`k3sc:${confirm ?? ''}`, { id: '42', roles: ['R_ADMIN'] });
    const update = discord.calls.find((c) => c.method === 'PATCH' && c.path.endsWith('/messages/@original'));
    expect((update?.body as DMessage).components).toEqual([]);
    expect((await rig.farm.h.state()).paused).toBe(false);
    expect(rig.audit.entries.map((e) => e.result)).toEqual(['not_found', 'not_found']);
  });
});
