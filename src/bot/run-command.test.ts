import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { K3scError } from '../core/errors.js';
import { defineCommand } from './command-spec.js';
import { findCommand } from './command-table.js';
import type { CommandSpec } from './command-spec.js';
import { actor, harnessFarm, MemoryAudit, sequentialIds } from './__tests__/harness-farm.js';
import { runCommand } from './run-command.js';
import type { Actor } from '../core/api/farm-api.js';

const cmd = (name: string): CommandSpec => {
  const c = findCommand(name);
  if (!c) throw new Error(`no command ${name}`);
  return c;
};

const setup = () => {
  const { h, farm } = harnessFarm();
  const audit = new MemoryAudit();
  const newId = sequentialIds('c');
  const run = (spec: CommandSpec, args: Record<string, unknown>, who: Actor = actor('admin')) =>
    runCommand(
      spec,
      args,
      { farm, actor: who, signal: AbortSignal.timeout(10_000) },
      { logger: h.logger, audit, where: 'test', newId },
    );
  return { h, farm, audit, run };
};

const errorOf = (data: unknown): { code: string; message: string } =>
  (data as { error: { code: string; message: string } }).error;

describe('runCommand: arguments', () => {
  it('maps a schema failure to bad_input naming the argument and what to write', async () => {
    const { run } = setup();
    const reply = await run(cmd('take'), {});
    expect(reply.exitCode).toBe(2);
    expect(errorOf(reply.data)).toEqual({
      code: 'bad_input',
      message: 'take: worker: --worker is required, like --worker claude-b',
    });
    const reset = errorOf((await run(cmd('reset'), { issue: 'o/r#1', to: 'nowhere' })).data);
    expect(reset.code).toBe('bad_input');
    expect(reset.message).toMatch(/^reset: to: --to must be one of ready, needs-review, needs-human, none/);
  });

  it('rejects a malformed issue reference and a negative slot count before running anything', async () => {
    const { run, h } = setup();
    expect(errorOf((await run(cmd('kill'), { issue: 'not-a-ref' })).data).message).toBe(
      'kill: issue: not an issue reference — write owner/repo#N (e.g. acme/widgets#12)',
    );
    expect(errorOf((await run(cmd('scale'), { slots: '-3' })).data).message).toMatch(
      /^scale: slots: slots must be 0 or more/,
    );
    expect(h.calls).toEqual([]);
    expect((await h.state()).maxSlots).toBeUndefined();
  });

  it('accepts every documented issue reference form', async () => {
    const { run, h } = setup();
    const n = h.seedReady().number;
    for (const ref of [`o/r#${n}`, `r#${n}`, `${n}`, `#${n}`]) {
      const reply = await run(cmd('reset'), { issue: ref, to: 'needs-review' });
      expect(reply.data, ref).toMatchObject({ to: 'needs-review' });
    }
    expect(h.tracker.labels({ repo: h.repo, number: n })).toEqual(['needs-review']);
  });
});

describe('runCommand: roles', () => {
  it('refuses kill to a viewer and changes nothing', async () => {
    const { run, h } = setup();
    const ref = h.seedReady();
    const reply = await run(cmd('kill'), { issue: `o/r#${ref.number}` }, actor('viewer', 'vic'));
    expect(errorOf(reply.data)).toEqual({
      code: 'forbidden',
      message: 'kill needs the operator role; you are viewer',
    });
    expect(reply.exitCode).toBe(1); // forbidden: well-formed, not allowed (the one exit-code table)
    expect(h.tracker.labels(ref)).toEqual(['ready']);
  });

  it('refuses scale to an operator; an admin may scale', async () => {
    const { run, h } = setup();
    const denied = await run(cmd('scale'), { slots: '3' }, actor('operator'));
    expect(errorOf(denied.data).code).toBe('forbidden');
    expect((await h.state()).maxSlots).toBeUndefined();
    const ok = await run(cmd('scale'), { slots: '3' }, actor('admin'));
    expect(ok.exitCode).toBeUndefined();
    expect(ok.data).toEqual({ maxSlots: 3, configured: 5 });
    expect((await h.state()).maxSlots).toBe(3);
  });

  it('checks the role before the arguments: a viewer learns nothing about what kill would accept', async () => {
    const { run, audit } = setup();
    const reply = await run(cmd('kill'), { issue: 'not-a-ref' }, actor('viewer'));
    expect(errorOf(reply.data).code).toBe('forbidden');
    expect(audit.entries.map((e) => e.result)).toEqual(['forbidden']);
  });

  it('lets a viewer read (usage) and an operator act (kill)', async () => {
    const { run, h } = setup();
    const ref = h.seedReady();
    expect((await run(cmd('usage'), {}, actor('viewer'))).exitCode).toBeUndefined();
    const kill = await run(cmd('kill'), { issue: `o/r#${ref.number}` }, actor('operator'));
    expect(kill.blocks[0]).toEqual({
      type: 'text',
      text: `o/r#${ref.number}: nothing was running; now needs-human`,
    });
    expect(h.tracker.labels(ref)).toEqual(['needs-human']);
  });
});

describe('runCommand: failures', () => {
  it('shows a K3scError as its code and message', async () => {
    const { run } = setup();
    const reply = await run(cmd('kill'), { issue: 'zz/top#1' });
    expect(errorOf(reply.data)).toEqual({
      code: 'not_found',
      message: 'repository zz/top is not configured (known: o/r)',
    });
    expect(reply.blocks).toEqual([
      { type: 'text', text: 'error: repository zz/top is not configured (known: o/r)' },
    ]);
  });

  it('turns an unexpected Error into internal, without a stack, and logs the cause', async () => {
    const { run, h } = setup();
    const boom = defineCommand({
      name: 'boom',
      summary: 'throws',
      role: 'viewer',
      schema: z.object({}),
      run: () => Promise.reject(new TypeError('cannot read x of undefined')),
    });
    const reply = await run(boom, {});
    expect(reply.exitCode).toBe(70);
    const err = errorOf(reply.data);
    expect(err.code).toBe('internal');
    expect(err.message).toMatch(
      /^boom failed: internal error \(ref [\w-]+\); the details are in the k3sc log$/,
    );
    expect(JSON.stringify(reply)).not.toMatch(/\n\s+at |run-command\.test|cannot read x/);
    const logged = h.logger.entries.find((e) => e.level === 'error')?.obj;
    expect(logged?.['err']).toBeInstanceOf(TypeError);
    expect(err.message).toContain(`(ref ${String(logged?.['ref'])})`);
  });

  it('keeps a K3scError thrown by a command as that code (not internal)', async () => {
    const { run } = setup();
    const busy = defineCommand({
      name: 'busy',
      summary: 'conflicts',
      role: 'viewer',
      schema: z.object({}),
      run: () => Promise.reject(new K3scError('conflict', 'slot claude-a is busy')),
    });
    expect(errorOf((await run(busy, {})).data)).toEqual({
      code: 'conflict',
      message: 'slot claude-a is busy',
    });
  });
});

describe('runCommand: audit', () => {
  it('records every call with who, where, what and the result', async () => {
    const { run, audit, h } = setup();
    await run(cmd('take'), {});
    await run(cmd('scale'), { slots: '2' }, actor('viewer', 'vic'));
    await run(cmd('scale'), { slots: '2' });
    await run(cmd('kill'), { issue: 'zz/top#1' });
    expect(audit.entries.map((e) => [e.actor, e.command, e.result])).toEqual([
      ['test:admin', 'take', 'bad_input'],
      ['test:vic', 'scale', 'forbidden'],
      ['test:admin', 'scale', 'ok'],
      ['test:admin', 'kill', 'not_found'],
    ]);
    expect(audit.entries.every((e) => e.where === 'test' && e.at === h.clock.now().toISOString())).toBe(true);
    expect(audit.entries[2]?.args).toEqual({ slots: '2' });
    expect(audit.entries.map((e) => e.cid)).toEqual(['c-1', 'c-2', 'c-3', 'c-4']);
  });

  it('gives each command a child logger bound to its correlation id, command and actor', async () => {
    const { run, h, audit } = setup();
    await run(cmd('kill'), { issue: 'zz/top#1' }, actor('operator', 'olga'));
    const line = h.logger.entries.find((e) => e.msg.startsWith('repository zz/top'));
    expect(line?.obj).toMatchObject({ cid: 'c-1', command: 'kill', actor: 'test:olga', where: 'test' });
    expect(audit.entries[0]?.cid).toBe('c-1');
  });

  it('makes a fresh random correlation id per command by default', async () => {
    const { h, farm } = harnessFarm();
    const audit = new MemoryAudit();
    const ctx = { farm, actor: actor('admin'), signal: AbortSignal.timeout(10_000) };
    for (let i = 0; i < 3; i++)
      await runCommand(cmd('scale'), {}, ctx, { logger: h.logger, audit, where: 'test' });
    const ids = audit.entries.map((e) => e.cid);
    expect(ids.every((id) => /^[0-9a-f]{8}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(3);
  });
});
