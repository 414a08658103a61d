import { describe, expect, it } from 'vitest';
import { createHarness } from '../../testing/engine-harness.js';
import { failLog, okLog } from '../../testing/engine-log-lines.js';

const HOUR = 3_600_000;

describe('engine: scan.task_ttl cleanup', () => {
  it('a pass removes ended attempts past the ttl (record and run), keeping what the engine reads', async () => {
    const h = createHarness({
      settings: { scan: { minIntervalMs: 60_000, maxIntervalMs: HOUR, taskTtlMs: 2 * HOUR } },
    });
    const ref = h.seedReady();
    await h.engine.pass();
    h.runtime.finish('o-r-1-1', { exitCode: 1, log: failLog('tests failed') });
    await h.engine.pass();
    h.advance(10 * 60_000);
    await h.engine.pass();
    h.runtime.finish('o-r-1-2', { exitCode: 0, log: okLog(7) });
    await h.engine.pass();
    const names = async (): Promise<string[]> => (await h.attempts(ref)).map((a) => a.name);
    expect(await names()).toEqual(['o-r-1-1', 'o-r-1-2']);

    h.advance(2 * HOUR - 60_000);
    await h.engine.pass();
    expect(await names()).toHaveLength(2);
    h.advance(2 * 60_000);
    await h.engine.pass();
    // The failure before the successful implementation goes; the implementation stays.
    const after = await names();
    expect(after[0]).toBe('o-r-1-2');
    expect(after).not.toContain('o-r-1-1');
    expect(h.runtime.run('o-r-1-1')).toBeUndefined();
    expect(h.runtime.run('o-r-1-2')).toBeDefined();
    // A dry run (a follower's read, `top`) never prunes.
    h.advance(HOUR);
    await h.engine.pass({ dryRun: true });
    expect(await names()).toEqual(after);
  });
});
