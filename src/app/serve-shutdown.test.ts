import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalRuntime } from '../adapters/local-runtime/index.js';
import { buildRunner, type BuiltRunner } from '../runner/__tests__/build-runner.js';
import { MemoryLogger } from '../testing/memory-logger.js';
import { BIN } from './__tests__/run-cli.js';
import { cleanEnv, tempHome, type TempHome } from './__tests__/temp-home.js';
import { waitFor } from './__tests__/wait-for.js';
import { serve } from './serve.js';
import { killAllIn, processesIn, processesRunning } from '../testing/processes.js';

// The sandbox's stub agent replaced by one that never finishes: SIGTERM lands mid-run.
const SLEEPY_AGENT = `console.log('agent at work'); setInterval(() => {}, 1000);\n`;
const ATTEMPT = 'sandbox-hello-k3sc-1-1';

let runner: BuiltRunner;
let home: TempHome;

beforeAll(async () => {
  runner = await buildRunner();
  await writeFile(runner.stubAgent, SLEEPY_AGENT, 'utf8');
  home = await tempHome();
});
afterAll(async () => {
  await killAllIn(home.dataDir);
  await runner.cleanup();
  await home.cleanup();
});

describe('k3sc serve shutting down with a live local agent', () => {
  it('stops the run as interrupted ("stopped (k3sc shut down)"), agent included, and returns', async () => {
    const { config } = await home.load();
    const output: string[] = [];
    const abort = new AbortController();
    const done = serve({
      config,
      logger: new MemoryLogger(),
      write: (s) => void output.push(s),
      console: false,
      signal: abort.signal,
      runnerDir: dirname(runner.main),
    });
    done.catch(() => undefined);
    await waitFor(
      'the attempt to start',
      () => output.join('').includes(`attempt ${ATTEMPT} started`),
      60_000,
    );
    await waitFor('the agent to run', async () => (await processesRunning(runner.stubAgent)) > 0, 60_000);

    abort.abort(); // what SIGTERM does in main
    await done;
    const dataDir = join(home.dataDir, 'sandbox');
    const exit = JSON.parse(await readFile(join(dataDir, 'runs', ATTEMPT, 'exit.json'), 'utf8'));
    expect(exit).toMatchObject({ exitCode: 1, reason: 'stopped (k3sc shut down)', interrupted: true });
    expect(await processesRunning(runner.stubAgent)).toBe(0);
    // What the next serve reads: a failure that is not the fault.
    const cold = createLocalRuntime({
      dataDir,
      runner: { command: [] },
      env: {},
      buildSpec: () => ({}) as never,
    });
    expect(await cold.status(ATTEMPT)).toMatchObject({
      state: 'failed',
      reason: 'stopped (k3sc shut down)',
      interrupted: true,
    });
    await cold.close();
  }, 90_000);
});

describe('k3sc serve as a process, SIGTERM with a live local agent', () => {
  let sleepy: TempHome;
  beforeAll(async () => {
    // The sandbox's stub agent gets the family's env: it waits a minute after its first line.
    sleepy = await tempHome(
      'agents:\n  claude: { env: { K3SC_STUB_SLEEP_MS: "60000" } }\n  codex: { env: { K3SC_STUB_SLEEP_MS: "60000" } }\n',
    );
  });
  afterAll(() => sleepy.cleanup());

  it('exits 0 after stopping the run as interrupted, leaving no process behind', async () => {
    const child = spawn(process.execPath, [BIN, '--config', sleepy.configPath, 'serve', '--no-console'], {
      env: cleanEnv({ HOME: sleepy.dir }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const runDir = join(sleepy.dataDir, 'sandbox', 'runs', ATTEMPT);
    try {
      await waitFor(
        'the agent to be at work',
        async () =>
          (await readFile(join(runDir, 'output.log'), 'utf8').catch(() => '')).includes('[agent] init'),
        60_000,
      );
      expect((await processesIn(sleepy.dataDir)).length).toBeGreaterThan(0);
      child.kill('SIGTERM');
      expect(await exited, stderr).toBe(0);
      const exit = JSON.parse(await readFile(join(runDir, 'exit.json'), 'utf8'));
      expect(exit).toMatchObject({ exitCode: 1, reason: 'stopped (k3sc shut down)', interrupted: true });
      expect(await processesIn(sleepy.dataDir)).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await killAllIn(sleepy.dataDir);
    }
  }, 90_000);
});
