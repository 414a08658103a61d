import { describe, expect, it } from 'vitest';
import type { Attempt } from '../../core/api/farm-api.js';
import { digestReply } from './digest-reply.js';

const attempt = (over: Partial<Attempt>): Attempt => ({
  name: 'a',
  repo: { owner: 'acme', name: 'web' },
  issue: 1,
  seq: 1,
  kind: 'implement',
  family: 'claude',
  slot: 'claude-a',
  phase: 'succeeded',
  createdAt: '2026-03-01T00:00:00Z',
  requestedBy: 'engine',
  ...over,
});

describe('digestReply', () => {
  it('counts what finished, waits and failed in the last day, and what it cost', () => {
    const reply = digestReply({
      now: new Date('2026-03-02T09:00:00Z'),
      attempts: [
        attempt({
          issue: 1,
          finishedAt: '2026-03-02T08:00:00Z',
          usage: { costUsd: 1.25 } as NonNullable<Attempt['usage']>,
          result: { ok: true, prUrl: 'https://x/pr/5' },
        }),
        attempt({
          issue: 2,
          phase: 'failed',
          finishedAt: '2026-03-01T10:00:00Z',
          reason: 'tests failed',
          usage: { costUsd: 0.5 } as NonNullable<Attempt['usage']>,
        }),
        attempt({
          issue: 3,
          finishedAt: '2026-02-27T10:00:00Z',
          usage: { costUsd: 9 } as NonNullable<Attempt['usage']>,
        }), // too old
        attempt({ issue: 4, phase: 'running' }), // not finished
      ],
      waiting: [{ issue: 'acme/web#7', title: 'needs a decision', url: 'https://x/7' }],
    });
    expect(reply.title).toBe('k3sc digest');
    expect(reply.blocks[0]).toEqual({
      type: 'fields',
      fields: [
        ['finished', '1'],
        ['waiting for humans', '1'],
        ['failed', '1'],
        ['cost', '$1.75'],
      ],
    });
    expect(reply.data).toMatchObject({ finished: ['acme/web#1'], failed: ['acme/web#2'], costUsd: 1.75 });
    expect(JSON.stringify(reply.blocks)).toContain('https://x/pr/5');
    expect(JSON.stringify(reply.blocks)).toContain('tests failed');
    expect(JSON.stringify(reply.blocks)).toContain('needs a decision');
  });
});
