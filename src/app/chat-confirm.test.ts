import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RbacPolicy } from '../core/api/farm-api.js';
import { startChatRig, type ChatRig } from './__tests__/chat-rig.js';

const POLICY: RbacPolicy = {
  admins: ['UADMIN', 'R_ADMIN'],
  operators: ['UOPS', 'R_OPS'],
  viewers: [],
  unknown: 'viewer',
};

let rig: ChatRig;
beforeEach(async () => {
  rig = await startChatRig(POLICY);
});
afterEach(async () => {
  await rig.close();
});

type Block = { type: string; elements?: { value?: string }[]; text?: { text: string } };
const blocksOf = (body: Record<string, unknown>): Block[] => (body['blocks'] as Block[] | undefined) ?? [];
const slackButtons = (body: Record<string, unknown>): string[] =>
  blocksOf(body).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []).map((e) => e.value ?? '') : []));
const slackText = (body: Record<string, unknown>): string =>
  blocksOf(body)
    .map((b) => b.text?.text ?? '')
    .join('\n');

type Row = { components: { custom_id: string }[] };
type DMessage = { embeds?: { description: string }[]; components?: Row[]; flags?: number };

describe('confirmation flow end to end (real SDKs against the fakes)', () => {
  it('Slack: card in the channel, a viewer is refused privately, an operator confirms, the card is replaced without buttons', async () => {
    const ref = rig.farm.h.seedReady();
    const card = await rig.slack(`kill o/r#${ref.number}`, 'UOPS');
    expect(card.status).toBe(200);
    // The card is posted in the channel as the bot (chat.postMessage), so it can be updated later.
    expect(card.responses).toEqual([]);
    const posted = rig.slackFake.messages.find((m) => m.channel === 'C0FAKE');
    const cardBody = { blocks: posted?.blocks };
    const [confirm, cancel] = slackButtons(cardBody);
    expect(confirm).toMatch(/^confirm [0-9a-f]{12}$/);
    expect(cancel).toMatch(/^cancel [0-9a-f]{12}$/);

    const refused = await rig.slackClick(confirm ?? '', 'UNOBODY');
    expect(refused.responses).toHaveLength(1);
    expect(refused.responses[0]?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(slackText(refused.responses[0]?.body ?? {})).toContain(
      'only someone with the operator role can confirm',
    );
    expect(rig.farm.h.tracker.labels(ref)).toEqual(['ready']);

    const done = await rig.slackClick(confirm ?? '', 'UADMIN');
    const body = done.responses[0]?.body ?? {};
    expect(body['replace_original']).toBe(true);
    expect(slackButtons(body)).toEqual([]);
    expect(slackText(body)).toContain(`uadmin confirmed \`kill o/r#${ref.number}\``);
    expect(rig.farm.h.tracker.labels(ref)).toEqual(['needs-human']);
  });

  it('Slack: an unconfirmed card expires after 5 minutes (farm clock) and a late click replaces it', async () => {
    await rig.slack('pause', 'UADMIN');
    const [confirm] = slackButtons({ blocks: rig.slackFake.messages[0]?.blocks });
    rig.farm.h.clock.advance(5 * 60_000 + 1);
    const late = await rig.slackClick(confirm ?? '', 'UADMIN');
    expect(late.responses[0]?.body['replace_original']).toBe(true);
    expect(slackText(late.responses[0]?.body ?? {})).toContain('expired');
    expect((await rig.farm.h.state()).paused).toBe(false);
  });

  it('Discord: card as the deferred reply, a click by a role without rights is refused privately, a role holder confirms with an update', async () => {
    const ref = rig.farm.h.seedReady();
    const card = await rig.discord('reset', { issue: `o/r#${ref.number}` }, { id: '42', roles: ['R_ADMIN'] });
    expect(card.ack).toEqual({ type: 5 });
    const edit = card.calls.find((c) => c.method === 'PATCH');
    const ids = ((edit?.body as DMessage).components ?? []).flatMap((r) =>
      r.components.map((c) => c.custom_id),
    );
    expect(ids).toHaveLength(2);
    const confirmId = ids[0] ?? '';
    expect(confirmId).toMatch(/^k3sc:confirm [0-9a-f]{12}$/);

    const refused = await rig.discordClick(confirmId, { id: '43', roles: ['R_NOBODY'] });
    expect(refused.ack).toEqual({ type: 6 });
    expect(refused.calls.map((c) => c.method)).toEqual(['POST']);
    expect((refused.calls[0]?.body as DMessage).flags).toBe(64);
    expect(JSON.stringify(refused.calls[0]?.body)).toContain(
      'only someone with the operator role can confirm',
    );

    const done = await rig.discordClick(confirmId, { id: '44', roles: ['R_OPS'] });
    expect(done.ack).toEqual({ type: 6 });
    const update = done.calls.find((c) => c.method === 'PATCH' && c.path.endsWith('/messages/@original'));
    expect((update?.body as DMessage).components).toEqual([]);
    expect((update?.body as DMessage).embeds?.[0]?.description).toContain('confirmed `reset');
    expect(rig.audit.entries.map((e) => [e.actor, e.command, e.result])).toEqual([
      ['discord:42', 'reset', 'confirmation_requested'],
      ['discord:43', 'reset', 'forbidden'],
      ['discord:44', 'reset', 'ok'],
    ]);
  });

  it('Discord: clicks by bots are ignored', async () => {
    const r = await rig.discordClick('k3sc:top', { id: '99', bot: true });
    expect(r.ack).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(r.calls).toEqual([]);
    expect(rig.audit.entries).toEqual([]);
  });
});
