import { describe, expect, it } from 'vitest';
import { attemptName } from '../../../core/domain/attempt-name.js';
import type { EngineEvent } from '../../../core/engine/events.js';
import { silentLogger } from '../../../core/ports/logger.js';
import { makeAttempt } from '../../../testing/engine-fixtures.js';
import { MemoryStateStore } from '../../store/memory-state-store.js';
import { AttemptThreads } from './attempt-threads.js';
import { recordingOutbox } from './recording-outbox.js';

const repo = { owner: 'acme', name: 'web' };
const ref = { repo, number: 12 };
const name = attemptName(repo, 12, 1);
const now = (): Date => new Date('2026-01-01T10:00:00Z');

const setup = (store = new MemoryStateStore(), outbox = recordingOutbox()) => {
  const handoffs: string[] = [];
  const threads = new AttemptThreads({
    platforms: [{ outbox, channelFor: (r) => (r.name === 'web' ? 'C-WEB' : undefined) }],
    store,
    logger: silentLogger,
    now,
    onHandoff: (r) => void handoffs.push(`${r.repo.name}#${r.number}`),
  });
  return { store, outbox, threads, handoffs };
};

const claimed: EngineEvent = {
  type: 'transition',
  ref,
  from: 'ready',
  to: 'claude-a',
  attempt: name,
  by: 'engine',
};
const started: EngineEvent = { type: 'attempt-started', ref, attempt: name, slot: 'claude-a' };
const toReview: EngineEvent = {
  type: 'transition',
  ref,
  from: 'claude-a',
  to: 'needs-review',
  attempt: name,
  by: 'engine',
};

describe('AttemptThreads', () => {
  it('posts one root in the repo channel and edits it through the states; the hand-off goes in its thread', async () => {
    const { store, outbox, threads, handoffs } = setup();
    await store.createAttempt(makeAttempt(12, 1, { repo, name, phase: 'running' }));
    threads.emit(claimed);
    threads.emit(started);
    threads.emit(toReview);
    await threads.settled();
    // The record learns its PR after the labels moved: the hand-off follows attempt-finished.
    await store.updateAttempt(
      makeAttempt(12, 1, {
        repo,
        name,
        phase: 'succeeded',
        prNumber: 77,
        result: { ok: true, summary: 'Fixed the login form', prUrl: 'https://github.com/acme/web/pull/77' },
      }),
    );
    threads.emit({ type: 'attempt-finished', ref, attempt: name, ok: true });
    await threads.settled();
    const posts = outbox.calls.filter((c) => c.op === 'post');
    expect(posts[0]).toMatchObject({ target: { channel: 'C-WEB' } });
    expect(posts.filter((c) => c.target.thread === undefined)).toHaveLength(1);
    const edits = outbox.calls.flatMap((c) => (c.op === 'edit' ? [c.reply.title] : []));
    expect(edits).toEqual([
      'acme/web#12 · running',
      'acme/web#12 · needs-review',
      'acme/web#12 · needs-review',
    ]);
    const inThread = posts.filter((c) => c.target.thread === 'm1').map((c) => c.reply.title);
    expect(inThread).toEqual(['result', 'review wanted: acme/web#12']);
    const handoff = posts.find((c) => c.reply.title.startsWith('review wanted'))!;
    expect(JSON.stringify(handoff.reply.blocks)).toContain('take-review acme/web#12');
    expect(JSON.stringify(handoff.reply.blocks)).toContain('Fixed the login form');
    expect(handoffs).toEqual(['web#12']);
  });

  it('survives a restart: the next state edits the same root, no second root', async () => {
    const first = setup();
    await first.store.createAttempt(makeAttempt(12, 1, { repo, name, phase: 'running' }));
    first.threads.emit(claimed);
    first.threads.emit(started);
    await first.threads.settled();
    const again = setup(first.store); // a new serve over the same store, a fresh outbox
    again.threads.emit(started);
    again.threads.emit({
      type: 'transition',
      ref,
      from: 'claude-a',
      to: 'needs-human',
      attempt: name,
      by: 'engine',
    });
    await again.threads.settled();
    expect(again.outbox.calls.filter((c) => c.op === 'post' && c.target.thread === undefined)).toEqual([]);
    const edit = again.outbox.calls.find((c) => c.op === 'edit');
    expect(edit).toMatchObject({ op: 'edit', message: { channel: 'C-WEB', id: 'm1' } });
    expect(edit?.reply.title).toBe('acme/web#12 · needs-human');
  });

  it('a person setting needs-human (no attempt in the event) edits the newest thread of the issue', async () => {
    const { store, outbox, threads } = setup();
    await store.createAttempt(makeAttempt(12, 1, { repo, name, phase: 'failed' }));
    threads.emit(claimed);
    await threads.settled();
    threads.emit({ type: 'transition', ref, from: 'ready', to: 'needs-human', by: 'github:alice' });
    await threads.settled();
    expect(outbox.calls.at(-2)).toMatchObject({ op: 'edit', message: { id: 'm1' } });
    expect(outbox.calls.at(-1)).toMatchObject({ op: 'post', target: { thread: 'm1' } });
  });

  it('posts nothing for a repository without a channel, and a failing outbox never throws', async () => {
    const { outbox, threads } = setup();
    const other = { repo: { owner: 'acme', name: 'api' }, number: 3 };
    threads.emit({
      type: 'attempt-started',
      ref: other,
      attempt: attemptName(other.repo, 3, 1),
      slot: 'claude-a',
    });
    await threads.settled();
    expect(outbox.calls).toEqual([]);
    outbox.post = () => Promise.reject(new Error('slack down'));
    expect(() => threads.emit(started)).not.toThrow();
    await threads.settled();
  });
});
