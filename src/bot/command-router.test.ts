import { describe, expect, it } from 'vitest';
import type { PlatformIdentity, RbacPolicy } from '../core/api/farm-api.js';
import { harnessFarm, harnessRouter, NO_RBAC } from './__tests__/harness-farm.js';
import type { Outbound, Responder } from './transport.js';

const RBAC: RbacPolicy = {
  admins: ['UADMIN'],
  operators: ['SOPS'],
  viewers: ['UVIEW'],
  unknown: 'viewer',
};

const slack = (userId: string, groupIds: string[] = []): PlatformIdentity => ({
  platform: 'slack',
  userId,
  display: userId.toLowerCase(),
  groupIds,
  channelId: 'C1',
});

/** A responder that records what the router did, in order. */
const recorder = (onAck: () => void = () => undefined) => {
  const events: string[] = [];
  const outs: Outbound[] = [];
  const responder: Responder = {
    acknowledge: () => {
      events.push('ack');
      onAck();
    },
    stream: (line) => void events.push(`line:${line}`),
    respond: (out) => {
      events.push(`respond:${out.kind}`);
      outs.push(out);
    },
  };
  return { events, outs, responder };
};

const errorOf = (out: Outbound | undefined): { code: string; message: string } => {
  if (out?.kind !== 'reply') throw new Error(`expected a reply, got ${JSON.stringify(out)}`);
  return (out.reply.data as { error: { code: string; message: string } }).error;
};

const setup = (policy: RbacPolicy = RBAC) => {
  const s = harnessFarm();
  const { router, audit } = harnessRouter(s, policy);
  const send = async (text: string, who: PlatformIdentity, r = recorder(), fromButton = false) => {
    await router.handle(
      { text, who, where: 'slack:C1', signal: AbortSignal.timeout(10_000), fromButton },
      r.responder,
    );
    return r;
  };
  /** A destructive command from chat: the card, then its Confirm button clicked by the same user. */
  const sendConfirmed = async (text: string, who: PlatformIdentity, r = recorder()) => {
    const card = await send(text, who);
    const out = card.outs[0];
    const token =
      out?.kind === 'reply'
        ? (out.reply.data as { confirmation?: { token: string } }).confirmation?.token
        : undefined;
    if (token === undefined) throw new Error(`expected a confirmation card, got ${JSON.stringify(out)}`);
    return send(`confirm ${token}`, who, r, true);
  };
  return { ...s, audit, send, sendConfirmed };
};

describe('command router: authorization through rbac', () => {
  it('refuses kill to a user rbac names as a viewer, changes nothing, and audits who/where/what/result', async () => {
    const { h, send, audit } = setup();
    const ref = h.seedReady();
    const r = await send(`/k3sc kill o/r#${ref.number}`, slack('UVIEW'));
    expect(errorOf(r.outs[0])).toEqual({
      code: 'forbidden',
      message: 'kill needs the operator role; you are viewer',
    });
    expect(h.tracker.labels(ref)).toEqual(['ready']);
    expect(h.calls.filter((c) => c.method !== 'listWorkItems')).toEqual([]);
    expect(audit.entries).toEqual([
      {
        at: h.clock.now().toISOString(),
        cid: 'cmd-1',
        actor: 'slack:UVIEW',
        where: 'slack:C1',
        command: 'kill',
        args: { issue: `o/r#${ref.number}` },
        result: 'forbidden',
      },
    ]);
  });

  it('lets a member of an operator group kill, as themselves', async () => {
    const { h, sendConfirmed, audit } = setup();
    const ref = h.seedReady();
    const r = await sendConfirmed(`kill o/r#${ref.number}`, slack('UNEW', ['SOPS']));
    expect(r.outs[0]?.kind === 'reply' && r.outs[0].reply.exitCode).toBeFalsy();
    expect(r.outs[0]).toMatchObject({ replace: true });
    expect(h.tracker.labels(ref)).toEqual(['needs-human']);
    expect(h.tracker.comments(ref).at(-1)).toContain('killed by unew');
    expect(audit.entries.map((e) => [e.actor, e.command, e.result])).toEqual([
      ['slack:UNEW', 'kill', 'confirmation_requested'],
      ['slack:UNEW', 'kill', 'ok'],
    ]);
  });

  it('lets an unknown user read (default viewer) but not change anything', async () => {
    const { send } = setup();
    const read = await send('usage', slack('USTRANGER'));
    expect(read.outs[0]?.kind === 'reply' && read.outs[0].reply.exitCode).toBeFalsy();
    const write = await send('pause', slack('USTRANGER'));
    expect(errorOf(write.outs[0]).message).toBe('pause needs the admin role; you are viewer');
  });

  it('refuses every command to an unknown user when the policy refuses strangers, naming the id to add', async () => {
    const { h, send, audit } = setup({ ...RBAC, unknown: 'none' });
    const r = await send('top', slack('USTRANGER'));
    expect(errorOf(r.outs[0])).toEqual({
      code: 'forbidden',
      message:
        'ustranger may not use k3sc: ask an admin to add your id USTRANGER to rbac.viewers, rbac.operators or rbac.admins',
    });
    expect(h.calls).toEqual([]);
    expect(audit.entries.map((e) => [e.actor, e.command, e.result])).toEqual([
      ['slack:USTRANGER', 'top', 'forbidden'],
    ]);
  });

  it('treats the local console user as admin even with an empty rbac', async () => {
    const { h, send } = setup(NO_RBAC);
    await send('scale 3', { platform: 'console', userId: 'ada', display: 'ada', local: true });
    expect((await h.state()).maxSlots).toBe(3);
  });
});

describe('command router: acknowledge, then respond', () => {
  it('acknowledges before the command touches anything, then responds once', async () => {
    const { h, sendConfirmed } = setup();
    const ref = h.seedReady();
    let callsAtAck = -1;
    const r = await sendConfirmed(
      `reset o/r#${ref.number} --to needs-review`,
      slack('UADMIN'),
      recorder(() => (callsAtAck = h.calls.length)),
    );
    expect(callsAtAck).toBe(0);
    expect(h.calls.length).toBeGreaterThan(0);
    expect(r.events).toEqual(['ack', 'respond:reply']);
  });

  it('answers help and usage errors as text, and ignores a blank line entirely', async () => {
    const { send, audit } = setup();
    const help = await send('help', slack('UVIEW'));
    expect(help.events).toEqual(['ack', 'respond:text']);
    expect(help.outs[0]?.kind === 'text' && help.outs[0].text).toMatch(/^commands:\n {2}top/);
    const bad = await send('kill', slack('UADMIN'));
    expect(bad.outs).toEqual([{ kind: 'text', text: "error: missing required argument 'issue'" }]);
    const unknown = await send('frob', slack('UADMIN'));
    expect(unknown.outs[0]?.kind === 'text' && unknown.outs[0].text).toContain(
      'type "help" for the list of commands',
    );
    expect((await send('   ', slack('UADMIN'))).events).toEqual([]);
    expect(audit.entries).toEqual([]);
  });

  it('passes --json through and streams log lines before the final reply', async () => {
    const { h, send } = setup();
    const ref = h.seedReady();
    await h.engine.pass();
    const [attempt] = await h.attempts();
    if (!attempt) throw new Error('no attempt');
    h.runtime.write(attempt.name, 'one\ntwo\n');
    h.runtime.finish(attempt.name, { exitCode: 0 });
    const r = await send(`logs o/r#${ref.number} -f --json`, slack('UVIEW'));
    expect(r.events).toEqual(['ack', 'line:one', 'line:two', 'respond:reply']);
    expect(r.outs[0]).toMatchObject({
      kind: 'reply',
      json: true,
      reply: { data: { attempt: attempt.name } },
    });
  });
});

describe('command router: correlation ids', () => {
  it('logs a command (and the use cases it calls) under one correlation id, the one in its audit entry', async () => {
    const { h, sendConfirmed, audit } = setup();
    const ref = h.seedReady();
    await sendConfirmed(`reset o/r#${ref.number}`, slack('UADMIN'));
    await sendConfirmed(`reset o/r#${ref.number}`, slack('UADMIN'));
    const ran = audit.entries.filter((e) => e.result === 'ok');
    expect(ran.map((e) => e.cid)).toEqual(['cmd-2', 'cmd-4']);
    const resets = h.logger.entries.filter((e) => e.msg === 'issue reset');
    expect(resets.map((e) => [e.obj['cid'], e.obj['command'], e.obj['actor']])).toEqual([
      ['cmd-2', 'reset', 'slack:UADMIN'],
      ['cmd-4', 'reset', 'slack:UADMIN'],
    ]);
  });
});
