import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localSessionsReport } from '../../core/usecases/local-sessions.js';
import { FakeClock } from '../../testing/engine-clock.js';
import { claudeSessionFiles } from './claude-session-files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k3sc-claude-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const msg = (session: string, id: string, at: string, out: number) =>
  JSON.stringify({
    type: 'assistant',
    sessionId: session,
    timestamp: at,
    requestId: `r-${id}`,
    message: {
      id,
      model: 'claude-sonnet-4-5',
      usage: {
        input_tokens: 100,
        output_tokens: out,
        cache_read_input_tokens: 1000,
        cache_creation_input_tokens: 0,
      },
    },
  });

const fixture = async () => {
  await mkdir(join(dir, 'sessions'));
  await writeFile(
    join(dir, 'sessions', '111.json'),
    JSON.stringify({ pid: 111, sessionId: 'aaa', cwd: '/src/app', startedAt: 1796112000000 }),
  );
  await writeFile(
    join(dir, 'sessions', '222.json'),
    JSON.stringify({ pid: 222, sessionId: 'bbb', cwd: '/src/old' }),
  );
  await writeFile(join(dir, 'sessions', 'notes.txt'), 'ignored');
  const project = join(dir, 'projects', '-src-app');
  await mkdir(project, { recursive: true });
  const lines = [
    msg('aaa', 'm1', '2026-12-01T20:05:00Z', 10),
    msg('aaa', 'm1', '2026-12-01T20:05:01Z', 400), // the same message again, final counts
    '{"type":"user","message":{"role":"user","content":"hi"}}',
    msg('aaa', 'm2', '2026-12-01T20:35:00Z', 600),
  ];
  await writeFile(join(project, 'aaa.jsonl'), `${lines.join('\n')}\n`);
  // An old transcript of a session that no longer runs: outside the look-back, not read.
  const old = join(project, 'ccc.jsonl');
  await writeFile(old, `${msg('ccc', 'x1', '2026-11-20T10:00:00Z', 9999)}\n`);
  await utimes(old, new Date('2026-11-20T10:00:00Z'), new Date('2026-11-20T10:00:00Z'));
};

describe('sessions from a Claude Code directory', () => {
  it('lists running sessions with deduplicated tokens and cost, and the open 5-hour block', async () => {
    await fixture();
    const source = claudeSessionFiles({ claudeDir: dir, isAlive: (pid) => pid === 111 });
    const clock = new FakeClock('2026-12-01T21:00:00Z');
    const r = await localSessionsReport({ source, clock });
    expect(r.sessions).toHaveLength(1);
    expect(r.sessions[0]).toMatchObject({
      pid: 111,
      sessionId: 'aaa',
      cwd: '/src/app',
      startedAt: new Date(1796112000000).toISOString(),
      usage: { messages: 2, inputTokens: 200, outputTokens: 1000, cacheReadTokens: 2000 },
    });
    const cost = (200 * 3 + 1000 * 15 + 2000 * 0.3) / 1e6;
    expect(r.sessions[0]?.usage?.costUsd).toBeCloseTo(cost, 10);
    expect(r.activeBlock).toMatchObject({ start: '2026-12-01T20:00:00.000Z', messages: 2, active: true });
    expect(r.activeBlock?.projection.remainingMinutes).toBe(240);
  });

  it('is empty, not an error, where Claude Code never ran', async () => {
    const r = await localSessionsReport({
      source: claudeSessionFiles({ claudeDir: join(dir, 'nothing') }),
      clock: new FakeClock('2026-12-01T21:00:00Z'),
    });
    expect(r).toEqual({ at: '2026-12-01T21:00:00.000Z', sessions: [], activeBlock: null });
  });
});
