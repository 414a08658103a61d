import { describe, expect, it } from 'vitest';
import { createFarmApi, type LocalSessionSource } from '../core/api/farm-api.js';
import { createHarness } from '../testing/engine-harness.js';
import { sessionsCommand } from './commands/sessions-command.js';
import { farmOf } from './farm.js';
import { renderText } from './render/text.js';

const line = JSON.stringify({
  type: 'assistant',
  sessionId: 'abc',
  timestamp: '2026-03-02T08:30:00Z',
  requestId: 'r1',
  message: { id: 'm1', model: 'claude-sonnet-4-5', usage: { input_tokens: 1_000_000, output_tokens: 0 } },
});

const run = async (source?: LocalSessionSource) => {
  const h = createHarness();
  const api = createFarmApi({
    deps: h.deps,
    engine: h.engine,
    serving: false,
    runtimeName: 'memory',
    ...(source ? { localSessions: source } : {}),
  });
  const ctx = {
    farm: farmOf(api),
    actor: { id: 'cli:me', display: 'me', role: 'viewer' as const },
    signal: AbortSignal.timeout(5000),
    log: h.logger,
  };
  return sessionsCommand.run(ctx, {});
};

describe('sessions command', () => {
  it('shows each running session with its cost, and the open block with its projection', async () => {
    const reply = await run({
      sessions: () => Promise.resolve([{ pid: 42, sessionId: 'abc', cwd: '/w', alive: true }]),
      transcripts: () => Promise.resolve([{ sessionId: 'abc', project: '-w', text: line }]),
    });
    const text = renderText(reply);
    expect(text).toContain('42');
    expect(text).toContain('$3.00');
    expect(text).toContain('5-hour block');
    expect(reply.data).toMatchObject({
      sessions: [{ pid: 42, usage: { costUsd: 3 } }],
      activeBlock: { costUsd: 3 },
    });
  });

  it('says plainly when this process cannot read local sessions', async () => {
    await expect(run()).rejects.toMatchObject({ code: 'unavailable' });
  });
});
