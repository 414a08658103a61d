import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunner, type BuiltRunner } from '../runner/__tests__/build-runner.js';
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
    const result = await runDemo({ config, logger: new MemoryLogger(), write: (s) => void lines.push(s), timeoutMs: 60_000, runnerDir: dirname(runner.main) });
    expectFullFlow(result);
    expect(result.comments).toBeGreaterThan(0);
    expect(lines.join('')).toContain('sandbox: sandbox/hello-k3sc#1 is ready');
    expect(lines.join('')).toContain('sandbox/hello-k3sc#1: attempt sandbox-hello-k3sc-1-2 succeeded');
  }, 90_000);
});
