import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../core/engine/events.js';
import { silentLogger } from '../../../core/ports/logger.js';
import { MemoryStateStore } from '../../store/memory-state-store.js';
import { AlertRouter, type AlertRouteRule } from './alert-router.js';
import { recordingOutbox } from './recording-outbox.js';

const web = { owner: 'acme', name: 'web' };
const api = { owner: 'acme', name: 'api' };
const route = (over: Partial<AlertRouteRule>): AlertRouteRule => ({
  channel: 'C-ALL',
  platform: 'slack',
  events: ['needs_human', 'attempt_failed', 'parked', 'quota_exhausted', 'quota_restored', 'lease_expired'],
  repos: [],
  families: [],
  ...over,
});

const setup = (routes: AlertRouteRule[], store = new MemoryStateStore()) => {
  const slack = recordingOutbox('slack');
  const discord = recordingOutbox('discord');
  let t = Date.parse('2026-01-01T10:00:00Z');
  const router = new AlertRouter({
    routes,
    outboxes: [slack, discord],
    store,
    logger: silentLogger,
    now: () => new Date((t += 1000)),
  });
  const sent = (o = slack) =>
    o.calls.flatMap((c) => (c.op === 'post' ? [`${c.target.channel} ${c.reply.title}`] : []));
  return { router, slack, discord, store, sent };
};

const failed = (repo = web, attempt = 'acme-web-12-1', family = 'claude'): EngineEvent => ({
  type: 'alert',
  kind: 'attempt-failed',
  ref: { repo, number: 12 },
  attempt,
  family,
  message: `${attempt} failed: boom`,
});

describe('AlertRouter', () => {
  it('sends each event to the routes that list it, filtered by repo, family and platform', async () => {
    const { router, discord, sent } = setup([
      route({}),
      route({ channel: 'C-WEB', repos: ['acme/web'], events: ['attempt_failed'] }),
      route({ channel: 'C-CODEX', families: ['codex'], events: ['attempt_failed'] }),
      route({ channel: '123', platform: 'discord', events: ['parked'] }),
    ]);
    router.emit(failed());
    router.emit(failed(api, 'acme-api-12-1', 'codex'));
    router.emit({
      type: 'alert',
      kind: 'parked',
      ref: { repo: web, number: 12 },
      attempt: 'acme-web-12-3',
      message: 'parked',
    });
    await router.settled();
    expect(sent()).toEqual([
      'C-ALL alert: attempt failed',
      'C-WEB alert: attempt failed',
      'C-ALL alert: attempt failed',
      'C-CODEX alert: attempt failed',
      'C-ALL alert: parked',
    ]);
    expect(sent(discord)).toEqual(['123 alert: parked']);
  });

  it('exactly one alert per event: a replay, and a restart over the same store, send nothing more', async () => {
    const first = setup([route({})]);
    first.router.emit(failed());
    first.router.emit(failed());
    await first.router.settled();
    const again = setup([route({})], first.store);
    again.router.emit(failed());
    await again.router.settled();
    expect(first.sent()).toHaveLength(1);
    expect(again.sent()).toEqual([]);
  });

  it('a person labelling needs-human is alerted; the engine event by attempt is separate', async () => {
    const { router, sent } = setup([route({})]);
    router.emit({
      type: 'transition',
      ref: { repo: web, number: 5 },
      from: 'ready',
      to: 'needs-human',
      by: 'github',
    });
    router.emit({
      type: 'transition',
      ref: { repo: web, number: 5 },
      from: 'claude-a',
      to: 'needs-human',
      attempt: 'a',
      by: 'engine',
    });
    await router.settled();
    expect(sent()).toEqual(['C-ALL needs a human']);
  });

  it('a person-set needs-human seen again by a restarted process (same appearance) is alerted once; a new one again', async () => {
    const seen = (seenAt: string): EngineEvent => ({
      type: 'transition',
      ref: { repo: web, number: 7 },
      from: 'none',
      to: 'needs-human',
      by: 'github',
      seenAt,
    });
    const first = setup([route({})]);
    first.router.emit(seen('2026-01-01T09:00:00Z'));
    await first.router.settled();
    const again = setup([route({})], first.store); // a restart's cold look-back sees it again
    again.router.emit(seen('2026-01-01T09:00:00Z'));
    again.router.emit(seen('2026-01-01T11:00:00Z')); // removed and set again later
    await again.router.settled();
    expect(first.sent()).toEqual(['C-ALL needs a human']);
    expect(again.sent()).toEqual(['C-ALL needs a human']);
  });

  it('quota: one exhausted per attempt, one restored per exhaustion', async () => {
    const { router, sent } = setup([route({})]);
    const out = (attempt: string): EngineEvent => ({
      type: 'alert',
      kind: 'quota-exhausted',
      attempt,
      family: 'claude',
      message: `claude is out of quota (${attempt})`,
    });
    const back: EngineEvent = {
      type: 'alert',
      kind: 'quota-restored',
      family: 'claude',
      message: 'claude is back',
    };
    for (const e of [out('a1'), out('a1'), back, back, out('a2'), back]) router.emit(e);
    await router.settled();
    expect(sent()).toEqual([
      'C-ALL alert: quota exhausted',
      'C-ALL alert: quota restored',
      'C-ALL alert: quota exhausted',
      'C-ALL alert: quota restored',
    ]);
  });

  it('a failed send removes its mark, so the next emission tries again', async () => {
    const { router, slack, sent } = setup([route({})]);
    const post = slack.post;
    slack.post = () => Promise.reject(new Error('down'));
    router.emit(failed());
    await router.settled();
    slack.post = post;
    router.emit(failed());
    await router.settled();
    expect(sent()).toEqual(['C-ALL alert: attempt failed']);
  });
});
