import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunner, type BuiltRunner } from '../runner/__tests__/build-runner.js';
import { K3scError } from '../core/errors.js';
import { MemoryLogger } from '../testing/memory-logger.js';
import { tempHome, type TempHome } from './__tests__/temp-home.js';
import { expectFullFlow } from './__tests__/expect-full-flow.js';
import { runDemo } from './demo.js';

let runner: BuiltRunner;
let home: TempHome;

beforeAll(async () => {
  runner = await buildRunner();
  home = await tempHome();
});
afterAll(async () => {
  await runner.cleanup();
  await home.cleanup();
});

describe('k3sc demo', () => {
  it('runs the whole sandbox flow in-process and reports the final state', async () => {
    const { config } = await home.load();
    const lines: string[] = [];
    const result = await runDemo({
      config,
      logger: new MemoryLogger(),
      write: (s) => void lines.push(s),
      timeoutMs: 60_000,
      runnerDir: dirname(runner.main),
    });
    expectFullFlow(result);
    expect(result.comments).toBeGreaterThan(0);
    expect(lines.join('')).toContain('sandbox: sandbox/hello-k3sc#1 is ready');
    expect(lines.join('')).toContain('sandbox/hello-k3sc#1: attempt sandbox-hello-k3sc-1-2 succeeded');
  }, 90_000);

  it('stops early on its signal, rejecting, and leaves no agent process behind', async () => {
    const { config } = await home.load();
    const logger = new MemoryLogger();
    const abort = new AbortController();
    const write = (line: string): void => {
      if (line.includes('started on claude-a')) abort.abort();
    };
    const err: unknown = await runDemo({
      config,
      logger,
      write,
      timeoutMs: 60_000,
      runnerDir: dirname(runner.main),
      signal: abort.signal,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(K3scError);
    expect((err as K3scError).message).toMatch(
      /^demo stopped before the issue reached needs-human \(transitions: ready → claude-a\)/,
    );
    const pid = logger.entries.find((e) => e.msg === 'run started')?.obj['pid'];
    expect(pid).toEqual(expect.any(Number));
    // Stopped (and waited for) before runDemo settled, not left to die on its own later.
    expect(() => process.kill(pid as number, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  }, 60_000);
});
