import { describe, expect, it } from 'vitest';
import { localIdentity, type PlatformIdentity, type RbacPolicy } from '../core/api/farm-api.js';
import { harnessFarm, harnessRouter } from './__tests__/harness-farm.js';
import type { Outbound } from './transport.js';

const POLICY: RbacPolicy = { admins: ['UADMIN'], operators: ['UOPS'], viewers: [], unknown: 'viewer' };
const user = (userId: string): PlatformIdentity => ({
  platform: 'slack',
  userId,
  display: userId.toLowerCase(),
});

const setup = () => {
  const s = harnessFarm();
  const { router, audit } = harnessRouter(s, POLICY);
  const send = async (text: string, who: PlatformIdentity, where = 'slack:C1', fromButton = false) => {
    const outs: Outbound[] = [];
    await router.handle(
      { text, who, where, signal: AbortSignal.timeout(10_000), fromButton },
      { acknowledge: () => undefined, stream: () => undefined, respond: (o) => void outs.push(o) },
    );
    return outs[0];
  };
  const click = (token: string, who: PlatformIdentity, verb = 'confirm', where = 'slack:C1') =>
    send(`${verb} ${token}`, who, where, true);
  return { ...s, audit, send, click };
};

const dataOf = (o: Outbound | undefined) =>
  o?.kind === 'reply' ? (o.reply.data as Record<string, unknown>) : {};
const tokenOf = (o: Outbound | undefined): string => {
  const c = dataOf(o)['confirmation'] as { token: string } | undefined;
  if (!c) throw new Error(`no card: ${JSON.stringify(o)}`);
  return c.token;
};
const textOf = (o: Outbound | undefined): string =>
  o?.kind === 'reply' ? o.reply.blocks.map((b) => (b.type === 'text' ? b.text : '')).join('\n') : '';
const buttonsOf = (o: Outbound | undefined) =>
  o?.kind === 'reply' ? o.reply.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : [])) : [];

describe('confirmation cards', () => {
  it('asks before a chat kill; only someone with the role can confirm; the resolved card has no buttons', async () => {
    const { h, send, click, audit } = setup();
    const ref = h.seedReady();
    const card = await send(`kill o/r#${ref.number}`, user('UOPS'));
    expect(buttonsOf(card).map((b) => b.label)).toEqual(['Confirm', 'Cancel']);
    expect(textOf(card)).toContain(`uops asks to run \`kill o/r#${ref.number}\``);
    expect(h.tracker.labels(ref)).toEqual(['ready']);
    const token = tokenOf(card);

    const refused = await click(token, user('UVIEWER'));
    expect(refused).toMatchObject({ replace: false });
    expect(dataOf(refused)['error']).toEqual({
      code: 'forbidden',
      message: `only someone with the operator role can confirm \`kill o/r#${ref.number}\`; you are viewer`,
    });
    expect(h.tracker.labels(ref)).toEqual(['ready']);

    const done = await click(token, user('UADMIN'));
    expect(done).toMatchObject({ kind: 'reply', replace: true });
    expect(buttonsOf(done)).toEqual([]);
    expect(textOf(done)).toContain(`uadmin confirmed \`kill o/r#${ref.number}\` (asked by uops)`);
    expect(h.tracker.labels(ref)).toEqual(['needs-human']);

    const again = await click(token, user('UADMIN'));
    expect(dataOf(again)['error']).toMatchObject({ code: 'not_found' });
    expect(audit.entries.map((e) => [e.actor, e.command, e.result])).toEqual([
      ['slack:UOPS', 'kill', 'confirmation_requested'],
      ['slack:UVIEWER', 'kill', 'forbidden'],
      ['slack:UADMIN', 'kill', 'ok'],
      ['slack:UADMIN', 'confirm', 'not_found'],
    ]);
  });

  it('cancel runs nothing and resolves the card', async () => {
    const { h, send, click } = setup();
    const card = await send('pause', user('UADMIN'));
    const out = await click(tokenOf(card), user('UADMIN'), 'cancel');
    expect(out).toMatchObject({ replace: true });
    expect(textOf(out)).toBe('cancelled by uadmin: `pause` did not run');
    expect((await h.state()).paused).toBe(false);
  });

  it('expires after 5 minutes on the farm clock: a late click runs nothing', async () => {
    const { h, send, click, audit } = setup();
    const card = await send('scale 7', user('UADMIN'));
    h.clock.advance(5 * 60_000); // exactly 5 minutes is still in time
    const token = tokenOf(card);
    h.clock.advance(1);
    const late = await click(token, user('UADMIN'));
    expect(late).toMatchObject({ replace: true });
    expect(textOf(late)).toContain('expired: `scale 7` was not confirmed within 5 minutes; nothing ran');
    expect(buttonsOf(late)).toEqual([]);
    expect((await h.state()).maxSlots).not.toBe(7);
    expect(audit.entries.at(-1)?.result).toBe('expired');
  });

  it('a card is resolved only where it was shown', async () => {
    const { h, send, click } = setup();
    const card = await send('scale 7', user('UADMIN'));
    const elsewhere = await click(tokenOf(card), user('UADMIN'), 'confirm', 'slack:C2');
    expect(dataOf(elsewhere)['error']).toMatchObject({ code: 'not_found' });
    expect(await click(tokenOf(card), user('UADMIN'))).toMatchObject({ replace: true });
    expect((await h.state()).maxSlots).toBe(7);
  });

  it('no card for the console, for scale without a number, for bad arguments or a missing role', async () => {
    const { h, send } = setup();
    await send('scale 4', localIdentity('console', 'root'), 'console');
    expect((await h.state()).maxSlots).toBe(4);
    expect(dataOf(await send('scale', user('UADMIN')))).toMatchObject({ maxSlots: 4 });
    expect(dataOf(await send('scale -1', user('UADMIN')))['error']).toMatchObject({ code: 'bad_input' });
    expect(dataOf(await send('pause', user('UOPS')))['error']).toMatchObject({
      code: 'forbidden',
      message: 'pause needs the admin role; you are operator',
    });
    expect(dataOf(await send('kill o/r#1 --json', user('UOPS')))['confirmation']).toBeDefined();
  });
});
