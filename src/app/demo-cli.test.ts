import { describe, expect, it } from 'vitest';
import type { DemoResult } from './demo.js';
import { expectFullFlow } from './__tests__/expect-full-flow.js';
import { runCli } from './__tests__/run-cli.js';
import { cleanEnv, tempHome } from './__tests__/temp-home.js';

describe('k3sc demo as a process', () => {
  it('`k3sc demo --json` exits 0 and prints only the result JSON on stdout (fresh HOME, no credentials)', async () => {
    const fresh = await tempHome();
    try {
      const r = await runCli(['demo', '--json'], cleanEnv({ HOME: fresh.dir }), 90_000);
      expect(r.code, r.stderr).toBe(0);
      expectFullFlow(JSON.parse(r.stdout) as DemoResult);
      expect(r.stderr).toContain('→ needs-human');
    } finally {
      await fresh.cleanup();
    }
  }, 100_000);
});
