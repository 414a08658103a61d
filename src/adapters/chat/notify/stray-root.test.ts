import { afterEach, describe, expect, it } from 'vitest';
import { attemptName } from '../../../core/domain/attempt-name.js';
import type { EngineEvent } from '../../../core/engine/events.js';
import { silentLogger } from '../../../core/ports/logger.js';
import { makeAttempt } from '../../../testing/engine-fixtures.js';
import type { ChatOutbox } from '../../../bot/transport.js';
import { startSlackFake, type SlackFake } from '../../../sandbox/slack-fake/index.js';
import { startDiscordFake, type DiscordFake } from '../../../sandbox/discord-fake/index.js';
import { MemoryStateStore } from '../../store/memory-state-store.js';
import { slackOutbox } from '../slack/slack-outbox.js';
import { discordOutbox } from '../discord/discord-outbox.js';
import { AttemptThreads } from './attempt-threads.js';

const repo = { owner: 'acme', name: 'web' };
const ref = { repo, number: 12 };
const name = attemptName(repo, 12, 1);
const now = (): Date => new Date('2026-01-01T10:00:00Z');
const claimed: EngineEvent = {
  type: 'transition',
  ref,
  from: 'ready',
  to: 'claude-a',
  attempt: name,
  by: 'engine',
};
const started: EngineEvent = { type: 'attempt-started', ref, attempt: name, slot: 'claude-a' };

/** The outbox of a serve that crashes around a root's post (however posted): after it went out, or before. */
const crashing = (real: ChatOutbox, when: 'after' | 'before'): ChatOutbox => {
  const crash = async <T>(post: () => Promise<T>): Promise<never> => {
    if (when === 'after') await post();
    throw new Error(`connection reset ${when} the post`);
  };
  return {
    ...real,
    post: (target, reply) =>
      target.thread ? real.post(target, reply) : crash(() => real.post(target, reply)),
    postMarked: (target, reply, marker) => crash(() => real.postMarked!(target, reply, marker)),
  };
};

const threadsOver = (store: MemoryStateStore, outbox: ChatOutbox, channel: string) =>
  new AttemptThreads({
    platforms: [{ outbox, channelFor: () => channel }],
    store,
    logger: silentLogger,
    now,
  });

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

type Platform = {
  outbox: () => ChatOutbox & { close(): void };
  roots: () => { edits: number; text: string }[];
};
const slack = async (): Promise<Platform> => {
  const fake: SlackFake = await startSlackFake({ signingSecret: 's' });
  closers.push(() => fake.close());
  return {
    outbox: () => slackOutbox({ botToken: 'xoxb-t', apiUrl: fake.apiUrl }),
    roots: () =>
      fake.messages
        .filter((m) => m.channel === 'C-WEB' && m.thread_ts === undefined)
        .map((m) => ({ edits: m.edits, text: m.text })),
  };
};
const discord = async (): Promise<Platform> => {
  const fake: DiscordFake = await startDiscordFake();
  closers.push(() => fake.close());
  return {
    outbox: () => discordOutbox({ botToken: fake.botToken, apiUrl: fake.apiUrl }),
    roots: () =>
      fake.messages
        .filter((m) => m.channel_id === 'C-WEB')
        .map((m) => ({ edits: m.edits, text: JSON.stringify(m.embeds) })),
  };
};

describe.each([
  ['Slack (message metadata, conversations.history)', slack],
  ['Discord (nonce and footer, GET channel messages)', discord],
])('no stray root after a crash between post and record: %s', (_what, platform) => {
  it('a restarted serve finds the root the crashed one posted, and edits it', async () => {
    const p = await platform();
    const store = new MemoryStateStore();
    await store.createAttempt(makeAttempt(12, 1, { repo, name, phase: 'running' }));
    const first = p.outbox();
    const crashed = threadsOver(store, crashing(first, 'after'), 'C-WEB');
    crashed.emit(claimed);
    await crashed.settled();
    first.close();
    expect(p.roots()).toHaveLength(1);
    expect(await store.getRecord('chat-message', `${first.platform}.${name}`)).toBeUndefined();

    const again = p.outbox(); // a new serve: nothing cached, only the store
    closers.push(() => again.close());
    const restarted = threadsOver(store, again, 'C-WEB');
    restarted.emit(started);
    await restarted.settled();
    expect(p.roots()).toHaveLength(1);
    expect(p.roots()[0]?.edits).toBe(1);
    expect(p.roots()[0]?.text).toContain('running');
    expect(await store.getRecord('chat-message', `${again.platform}.${name}`)).toBeDefined();
    expect(await store.getRecord('chat-message', `intent.${again.platform}.${name}`)).toBeUndefined();
  });

  it('when the crash came before the post reached the platform, the restarted serve posts it once', async () => {
    const p = await platform();
    const store = new MemoryStateStore();
    await store.createAttempt(makeAttempt(12, 1, { repo, name, phase: 'running' }));
    const first = p.outbox();
    const crashed = threadsOver(store, crashing(first, 'before'), 'C-WEB');
    crashed.emit(claimed);
    await crashed.settled();
    first.close();
    expect(p.roots()).toHaveLength(0);
    const again = p.outbox();
    closers.push(() => again.close());
    const restarted = threadsOver(store, again, 'C-WEB');
    restarted.emit(started);
    await restarted.settled();
    expect(p.roots()).toHaveLength(1);
    expect(p.roots()[0]?.text).toContain('running');
  });
});
