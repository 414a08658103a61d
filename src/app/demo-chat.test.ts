import { readFile } from 'node:fs/promises';
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

describe('k3sc demo --chat', () => {
  it.each(['slack', 'discord'] as const)(
    '%s: the flow through the real transport against the fake, with an HTML transcript in the data dir',
    async (platform) => {
      const { config } = await home.load();
      const result = await runDemo({
        config,
        logger: new MemoryLogger(),
        write: () => undefined,
        timeoutMs: 60_000,
        runnerDir: dirname(runner.main),
        chat: platform,
      });
      expectFullFlow(result);
      expect(result.transcript).toBe(`${home.dataDir}/demo-chat-${platform}.html`);
      const html = await readFile(result.transcript!, 'utf8');
      expect(html).toContain('sandbox/hello-k3sc#1 · claimed'); // the root's first state
      expect(html).toContain('sandbox/hello-k3sc#1 · review'); // … and its last (after Take)
      expect(html).toContain('review wanted: sandbox/hello-k3sc#1');
      expect(html).toContain('<span class="btn">Take review</span>');
      expect(html).toContain('alert: needs human');
      expect(html).toMatch(/claude-b now holds sandbox\/hello-k3sc#\d+/);
      expect(html).toContain('k3sc top');
    },
    90_000,
  );
});
