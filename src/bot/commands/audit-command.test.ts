import { describe, expect, it } from 'vitest';
import { localIdentity } from '../../core/api/farm-api.js';
import { harnessFarm, harnessRouter } from '../__tests__/harness-farm.js';
import type { Outbound } from '../transport.js';
import { durationMs } from './audit-command.js';

const say = async (router: ReturnType<typeof harnessRouter>['router'], text: string, local = true) => {
  const out: Outbound[] = [];
  await router.handle(
    {
      text,
      who: local ? localIdentity('console', 'root') : { platform: 'slack', userId: 'U9', display: 'v' },
      where: 'console',
      signal: new AbortController().signal,
    },
    { acknowledge: () => undefined, stream: () => undefined, respond: (o) => void out.push(o) },
  );
  return out[0];
};

describe('audit command', () => {
  it('reads durations', () => {
    expect(durationMs('30m')).toBe(1_800_000);
    expect(durationMs('7d')).toBe(604_800_000);
    expect(durationMs('7 days')).toBeUndefined();
  });

  it('refuses a bad --since with a clear message, and viewers', async () => {
    const setup = harnessFarm();
    const { router } = harnessRouter(setup);
    const bad = await say(router, 'audit --since yesterday');
    expect(bad?.kind === 'reply' && bad.reply.data).toMatchObject({
      error: { code: 'bad_input', message: expect.stringContaining('--since takes a duration') as string },
    });
    const viewer = await say(router, 'audit', false);
    expect(viewer?.kind === 'reply' && viewer.reply.data).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('lists only entries since the given time', async () => {
    const setup = harnessFarm({ start: '2026-12-01T10:00:00.000Z' });
    const api = setup.farm.api;
    const entry = (at: string) => ({
      at,
      cid: at.slice(11, 13),
      actor: 'a',
      where: 'w',
      command: 'top',
      args: {},
      result: 'ok',
    });
    await api.recordAudit(entry('2026-12-01T07:00:00.000Z'));
    await api.recordAudit(entry('2026-12-01T09:30:00.000Z'));
    const { router } = harnessRouter(setup);
    const out = await say(router, 'audit --since 2h');
    const data = out?.kind === 'reply' ? (out.reply.data as { entries: { at: string }[] }) : undefined;
    expect(data?.entries.map((e) => e.at)).toEqual(['2026-12-01T09:30:00.000Z']);
    const iso = await say(router, 'audit --since 2026-12-01T06:00Z');
    expect(iso?.kind === 'reply' && (iso.reply.data as { entries: unknown[] }).entries).toHaveLength(2);
  });
});
