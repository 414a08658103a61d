import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunner, type BuiltRunner } from './__tests__/build-runner.js';
import { startWorld, TOKEN, type RunnerWorld } from './__tests__/runner-harness.js';

const run = promisify(execFile);
let built: BuiltRunner;
let w: RunnerWorld;
beforeAll(async () => {
  built = await buildRunner();
  w = await startWorld(built);
});
afterAll(async () => {
  await w.close();
  await built.cleanup();
});

const runner = async (env: Record<string, string>) => {
  try {
    const r = await run(process.execPath, [built.main, '--spec-env', 'K3SC_RUNNER_SPEC'], {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
};

describe('runner --spec-env (how a Kubernetes Job passes the spec)', () => {
  it('reads the spec from the named variable and runs the attempt', async () => {
    const spec = w.spec({ issue: 999 });
    const { out } = await runner({ K3SC_RUNNER_SPEC: JSON.stringify(spec), GITHUB_TOKEN: TOKEN });
    // The attempt ran (the spec was read): it reached GitHub and reported issue 999 missing.
    expect(out).toContain('[result] {"ok":false');
    expect(out).toContain('#999');
  });

  it('names the variable when it is empty or not a valid spec', async () => {
    const empty = await runner({});
    expect(empty.code).not.toBe(0);
    expect(empty.out).toContain('K3SC_RUNNER_SPEC is empty');
    const bad = await runner({ K3SC_RUNNER_SPEC: '{"attemptName":1}' });
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain('cannot read the runner spec from K3SC_RUNNER_SPEC');
  });
});
