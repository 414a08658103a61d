import { describe, expect, it } from 'vitest';
import { createHarness, type EngineHarness } from '../../testing/engine-harness.js';
import { failLog, okLog, resultLine } from '../../testing/engine-log-lines.js';

const MIN = 60_000;

/** Passes until the newest attempt is running; returns its name. */
const startedName = async (h: EngineHarness): Promise<string | undefined> => {
  const report = await h.engine.pass();
  return report.started[0]?.name;
};

describe('engine: implementation failures', () => {
  it('retries after 1 then 5 minutes, then parks the issue in needs-human with reason and last lines', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    expect(await startedName(h)).toBe('o-r-1-1');
    h.runtime.finish('o-r-1-1', { exitCode: 1, log: failLog('tests failed') });
    await h.engine.pass();
    expect(h.tracker.labels(ref)).toEqual(['ready']);
    expect((await h.attempts(ref))[0]).toMatchObject({
      phase: 'failed',
      reason: 'tests failed',
      retryAfter: h.clock.iso(MIN),
    });

    h.advance(MIN - 1);
    const early = await h.engine.pass();
    expect(early.started).toEqual([]);
    expect(early.entries[0]?.decision).toMatchObject({ dispatch: false, reason: 'backoff' });
    h.advance(1);
    expect(await startedName(h)).toBe('o-r-1-2');

    h.runtime.finish('o-r-1-2', { exitCode: 1, log: failLog('tests failed again') });
    await h.engine.pass();
    h.advance(5 * MIN - 1);
    expect(await startedName(h)).toBeUndefined();
    h.advance(1);
    expect(await startedName(h)).toBe('o-r-1-3');

    h.runtime.finish('o-r-1-3', {
      exitCode: 1,
      log: failLog('still red', ['npm test', 'FAIL widget.test.ts']),
    });
    await h.engine.pass();
    expect(h.tracker.labels(ref)).toEqual(['needs-human']);
    const parked = h.tracker.comments(ref).at(-1) ?? '';
    expect(parked).toContain('parked this issue after 3 failed attempts');
    expect(parked).toContain('still red');
    expect(parked).toContain('FAIL widget.test.ts');
    expect(h.alerts('parked')).toHaveLength(1);
    h.advance(60 * MIN);
    expect(await startedName(h)).toBeUndefined();
    expect(h.runtime.starts).toBe(3);
  });

  it('takes the exit code as the reason when the agent printed no result', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    h.runtime.finish('o-r-1-1', { exitCode: 137, log: 'Killed\n' });
    await h.engine.pass();
    expect((await h.attempts(ref))[0]).toMatchObject({
      phase: 'failed',
      reason: 'exit code 137',
      lastLines: ['Killed'],
    });
  });

  it('fails a running attempt whose run vanished, and retries it later', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    h.runtime.forget('o-r-1-1');
    await h.engine.pass();
    expect((await h.attempts(ref))[0]).toMatchObject({
      phase: 'failed',
      reason: expect.stringMatching(/disappeared/),
    });
    expect(h.tracker.labels(ref)).toEqual(['ready']);
  });

  it('parks a failed review in needs-human with the reason, without retrying', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    h.runtime.finish('o-r-1-1', { exitCode: 0, log: okLog() });
    await h.engine.pass();
    await h.engine.pass();
    h.runtime.finish('o-r-1-2', { exitCode: 1, log: failLog('review tool crashed') });
    await h.engine.pass();
    expect(h.tracker.labels(ref)).toEqual(['needs-human']);
    expect(h.tracker.comments(ref).at(-1)).toMatch(/review by codex-a failed .*review tool crashed/);
    h.advance(60 * MIN);
    await h.engine.pass();
    expect(h.runtime.starts).toBe(2);
  });
});

describe('engine: usage limits and bad output', () => {
  it('marks the family out of quota until the reset, requeues without counting a failure', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    const until = h.clock.iso(90 * MIN);
    h.runtime.finish('o-r-1-1', {
      exitCode: 1,
      log: resultLine({ ok: false, reason: 'out of usage', quotaResetAt: until }),
    });
    await h.engine.pass();
    expect(h.tracker.labels(ref)).toEqual(['ready']);
    expect((await h.state()).quotaUntil).toEqual({ claude: until });
    expect(h.alerts('quota-exhausted')).toEqual([`claude is out of quota until ${until}`]);
    const next = await h.engine.pass();
    expect(next.started.map((a) => a.slot)).toEqual(['codex-a']);
    expect(h.tracker.comments(ref).filter((c) => c.includes('parked'))).toEqual([]);
  });

  it('finishes an attempt whose output the store could not keep as written', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    const log =
      '[usage] {"messageId":"m","inputTokens":12.5}\n[result] {"ok":false,"reason":"x","quotaResetAt":"soon"}\n';
    h.runtime.finish('o-r-1-1', { exitCode: 1, log });
    await h.engine.pass();
    const [a] = await h.attempts(ref);
    expect(a?.phase).toBe('failed');
    expect(h.logger.messages('error')).toEqual([]);
  });
});
