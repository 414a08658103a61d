import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommandRouter } from '../bot/command-router.js';
import { durableAudit } from '../bot/durable-audit.js';
import { farmOf } from '../bot/farm.js';
import type { Outbound } from '../bot/transport.js';
import { createFarmApi, localIdentity, OPEN_READ_POLICY } from '../core/api/farm-api.js';
import { openLowdbStateStore } from '../adapters/store/lowdb-state-store.js';
import { createHarness } from '../testing/engine-harness.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k3sc-audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** One "process": a lowdb store on the file, the facade over it, the router with the durable audit. */
const open = async () => {
  const h = createHarness({ start: '2026-12-01T10:00:00.000Z' });
  const store = await openLowdbStateStore({ path: join(dir, 'state.json'), clock: h.clock });
  const api = createFarmApi({
    deps: { ...h.deps, store },
    engine: h.engine,
    serving: true,
    runtimeName: 'memory',
  });
  const audit = durableAudit(api, h.logger);
  const router = createCommandRouter({
    farm: farmOf(api),
    logger: h.logger,
    audit,
    policy: OPEN_READ_POLICY,
  });
  const say = async (text: string, who = { platform: 'slack', userId: 'U1', display: 'ann' }) => {
    const out: Outbound[] = [];
    await router.handle(
      { text, who, where: 'slack:C1', signal: new AbortController().signal },
      { acknowledge: () => undefined, stream: () => undefined, respond: (o) => void out.push(o) },
    );
    return out;
  };
  return { h, store, api, audit, say };
};

describe('durable audit (lowdb file)', () => {
  it('keeps every command, refused ones too, across a store reopen, and `audit` prints them', async () => {
    const first = await open();
    await first.say('usage');
    await first.say('pause'); // a viewer: refused, and recorded as such
    await first.audit.flush();
    await first.store.close();

    const second = await open();
    const out = await second.say('audit --since 1h --json', localIdentity('console', 'root'));
    const reply = out[0];
    expect(reply?.kind).toBe('reply');
    const data = (reply as Extract<Outbound, { kind: 'reply' }>).reply.data as {
      entries: { actor: string; command: string; result: string; where: string; cid: string }[];
    };
    expect(data.entries.map((e) => [e.actor, e.command, e.result, e.where])).toEqual([
      ['slack:U1', 'usage', 'ok', 'slack:C1'],
      ['slack:U1', 'pause', 'forbidden', 'slack:C1'],
    ]);
    expect(new Set(data.entries.map((e) => e.cid)).size).toBe(2);
    await second.audit.flush();
    await second.store.close();
  });

  it('prunes entries older than the retention when a new one is written', async () => {
    const p = await open();
    await p.say('usage');
    await p.audit.flush();
    p.h.clock.advance(91 * 86_400_000);
    await p.say('usage');
    await p.audit.flush();
    const all = await p.api.auditLog({}, { signal: new AbortController().signal });
    expect(all).toHaveLength(1);
    expect(all[0]?.at).toBe(p.h.clock.now().toISOString());
    await p.store.close();
  });
});
