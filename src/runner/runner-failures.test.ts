import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildRunner, type BuiltRunner } from './__tests__/build-runner.js';
import { REPO, startWorld, type RunnerWorld } from './__tests__/runner-harness.js';

let built: BuiltRunner;
let w: RunnerWorld;
beforeAll(async () => {
  built = await buildRunner();
});
afterAll(() => built.cleanup());
beforeEach(async () => {
  w = await startWorld(built);
});
afterEach(() => w.close());

const stub = (env: Record<string, string>) => ({
  command: [process.execPath, built.stubAgent, '{prompt}'],
  env,
});

describe('runner: failures', () => {
  it('reports an agent failure with ok:false as the last line and pushes nothing', async () => {
    const { result, lines } = await w.run(w.spec({ agent: stub({ K3SC_STUB_FAIL: '1' }) }));
    expect(result).toEqual({ ok: false, reason: 'agent exited with code 1' });
    expect(lines).toContain('stub agent: failing on purpose (K3SC_STUB_FAIL=1)');
    expect(lines.at(-1)).toBe('[result] {"ok":false,"reason":"agent exited with code 1"}');
    expect(w.fake.getPulls(REPO)).toHaveLength(0);
  });

  it('turns a usage-limit message into quotaResetAt', async () => {
    const before = Date.now();
    const { result } = await w.run(w.spec({ agent: stub({ K3SC_STUB_QUOTA: '1' }) }));
    expect(result.ok).toBe(false);
    const reset = Date.parse(result.quotaResetAt ?? '');
    expect(reset - before).toBeGreaterThan(2 * 3600_000 - 5000);
    expect(reset - before).toBeLessThan(2 * 3600_000 + 5000);
    expect(result.reason).toContain('usage limit reached');
  });

  it('stops the agent at the deadline', async () => {
    // The clock jumps after the first reading so that ~300 ms are left for the agent.
    const t0 = Date.now();
    let calls = 0;
    const now = (): Date => new Date(calls++ === 0 ? t0 : Date.now() + 53_700);
    const spec = w.spec({ deadlineSeconds: 60, agent: stub({ K3SC_STUB_SLEEP_MS: '30000' }) });
    const { result } = await w.run(spec, { now });
    expect(result).toEqual({ ok: false, reason: 'agent deadline exceeded (60s)' });
    expect(Date.now() - t0).toBeLessThan(25_000);
  });

  it('stops the agent when aborted', async () => {
    const controller = new AbortController();
    const spec = w.spec({ agent: stub({ K3SC_STUB_SLEEP_MS: '30000' }) });
    const pending = w.run(spec, {
      signal: controller.signal,
      write: (l) => {
        if (l.startsWith('[agent] init')) controller.abort();
      },
    });
    expect((await pending).result).toEqual({ ok: false, reason: 'stopped before the agent finished' });
  });

  it('reports a missing agent command and a GitHub error as results', async () => {
    const missing = await w.run(w.spec({ agent: { command: ['/nonexistent/agent-cli', '{prompt}'] } }));
    expect(missing.result.ok).toBe(false);
    expect(missing.result.reason).toContain('could not start the agent command "/nonexistent/agent-cli"');
    const noIssue = await w.run(w.spec({ issue: 999 }));
    expect(noIssue.result).toMatchObject({
      ok: false,
      reason: expect.stringContaining('GitHub: reading issue #999 failed (HTTP 404') as string,
    });
    expect(noIssue.lines.at(-1)?.startsWith('[result] {"ok":false')).toBe(true);
  });
});
