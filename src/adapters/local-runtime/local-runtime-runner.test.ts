import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunSpec } from '../../core/ports/agent-runtime.js';
import { findResult } from '../../core/protocol/report-lines.js';
import type { RunnerSpec } from '../../core/protocol/runner-spec.js';
import { buildRunner, type BuiltRunner } from '../../runner/__tests__/build-runner.js';
import { REPO, TOKEN, startWorld, type RunnerWorld } from '../../runner/__tests__/runner-harness.js';
import { createLocalRuntime, type LocalRuntime } from './local-runtime.js';
import { processesRunning } from '../../testing/processes.js';

// The real runner (transpiled) as a child of the local runtime, against the GitHub fake and real git.
let built: BuiltRunner;
let w: RunnerWorld;
let rt: LocalRuntime;
let agent: RunnerSpec['agent'];

beforeAll(async () => {
  built = await buildRunner();
});
afterAll(() => built.cleanup());
beforeEach(async () => {
  w = await startWorld(built);
  agent = { command: [process.execPath, built.stubAgent, '{prompt}'] };
  rt = createLocalRuntime({
    dataDir: join(w.dirs.root, 'data'),
    runner: { command: [process.execPath, built.main] },
    buildSpec: (run: RunSpec, workspace: string): RunnerSpec => ({
      ...run,
      workspace,
      github: { apiUrl: w.fake.url },
      agent,
      safety: { ghAllowed: ['pr view'], blockedCommitWords: [] },
    }),
    env: { GITHUB_TOKEN: TOKEN },
    inheritEnv: ['GIT_CONFIG_NOSYSTEM'],
    killGraceMs: 500,
    pollMs: 20,
  });
});
afterEach(async () => {
  await rt.close();
  await w.close();
});

const run = (attemptName: string): RunSpec => ({
  attemptName,
  repo: REPO,
  issue: w.issue,
  kind: 'implement',
  family: 'claude',
  slot: 'claude-a',
  branch: `issue-${w.issue}`,
  deadlineSeconds: 600,
});

const runToEnd = async (name: string): Promise<string[]> => {
  await rt.start(run(name));
  const lines: string[] = [];
  for await (const l of rt.followLog(name, AbortSignal.timeout(25_000))) lines.push(l);
  return lines;
};

describe('local runtime with the real runner', () => {
  it('runs an implement attempt end to end', async () => {
    const lines = await runToEnd('acme-widgets-1-1');
    expect(await rt.status('acme-widgets-1-1')).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(lines).toContain('[k3sc] cloning acme/widgets…');
    expect(lines.some((l) => l.startsWith('[usage] {'))).toBe(true);
    expect(findResult(lines)).toMatchObject({ ok: true, prNumber: w.fake.getPulls(REPO)[0]?.number });
    expect(lines.at(-1)?.startsWith('[result] ')).toBe(true);
    const dir = join(w.dirs.root, 'data', 'runs', 'acme-widgets-1-1');
    expect(await readFile(join(dir, 'output.log'), 'utf8')).not.toContain(TOKEN);
    expect(await readFile(join(dir, 'spec.json'), 'utf8')).not.toContain(TOKEN);
    expect(
      await readFile(
        join(w.dirs.root, 'data', 'workspaces', 'claude-a', 'acme__widgets', 'README.md'),
        'utf8',
      ),
    ).toBe('# widgets\n');
  });

  it('records a failed agent with the runner reason and exit code 1', async () => {
    agent = { ...agent, env: { K3SC_STUB_FAIL: '1' } };
    const lines = await runToEnd('fails');
    expect(findResult(lines)).toEqual({ ok: false, reason: 'agent exited with code 1' });
    expect(await rt.status('fails')).toMatchObject({
      state: 'failed',
      exitCode: 1,
      reason: 'agent exited with code 1',
    });
  });

  it('never writes the token to output.log, even when the agent prints it', async () => {
    agent = { command: ['sh', '-c', 'echo "my token: $GITHUB_TOKEN"; echo "$GH_TOKEN" >&2'] };
    const lines = await runToEnd('leaky');
    expect(lines).toContain('my token: ***');
    const log = await readFile(join(w.dirs.root, 'data', 'runs', 'leaky', 'output.log'), 'utf8');
    expect(log).not.toContain(TOKEN);
    expect(log).toContain('[result] {"ok":false,"reason":"agent made no changes"}');
  });

  it('stop ends the runner and its agent and records "stopped"', async () => {
    agent = { ...agent, env: { K3SC_STUB_SLEEP_MS: '60000' } };
    await rt.start(run('slow'));
    for await (const l of rt.followLog('slow', AbortSignal.timeout(25_000)))
      if (l.startsWith('[agent] init')) break;
    expect(await processesRunning(built.stubAgent)).toBe(1);
    await rt.stop('slow');
    expect(await processesRunning(built.stubAgent)).toBe(0);
    expect(await rt.status('slow')).toMatchObject({ state: 'failed', reason: 'stopped' });
    const log = await rt.readLog('slow', { tailLines: 1 });
    expect(log).toBe('[result] {"ok":false,"reason":"stopped before the agent finished"}');
  });
});
