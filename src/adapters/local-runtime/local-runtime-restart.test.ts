import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunSpec } from '../../core/ports/agent-runtime.js';
import type { RunnerSpec } from '../../core/protocol/runner-spec.js';
import { transpileTree, type TranspiledTree } from '../../runner/__tests__/build-runner.js';
import { tempDir, type TempDirs } from '../../runner/__tests__/git-fixture.js';
import { isRunAlive } from './process-alive.js';
import { runSpec } from './__tests__/run-spec.js';
import { createLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from './local-runtime.js';
import { SUPERVISOR_DIED } from './stop-run.js';

// Real processes: a child process plays k3sc (restart-parent.ts), the supervisor is the
// transpiled supervisor-main.ts, and the "runner" is a small node script.

/**
 * Ticks (so it writes after its k3sc died), finishes with a success once a `go` file appears
 * in its run directory, and on SIGTERM reports a stop the way the real runner does.
 */
const RUNNER = `const fs = require('fs'); const path = require('path');
const go = path.join(process.cwd(), 'go');
console.log('waiting');
process.on('SIGTERM', () => { console.log('[result] {"ok":false,"reason":"stopped before the agent finished"}'); process.exit(1); });
setInterval(() => {
  if (fs.existsSync(go)) { console.log('[result] {"ok":true,"summary":"done after the restart"}'); process.exit(0); }
  console.log('tick');
}, 30);`;

const PARENT = 'adapters/local-runtime/__tests__/restart-parent.ts';
const SUPERVISOR = 'adapters/local-runtime/supervisor-main.ts';

let tree: TranspiledTree;
let dirs: TempDirs;
let runnerFile: string;
let exits: string[];
const runtimes: LocalRuntime[] = [];
const parents: ReturnType<typeof spawn>[] = [];

const dataDir = (): string => join(dirs.root, 'data');
const runDir = (name: string): string => join(dataDir(), 'runs', name);
const pidIn = async (name: string, file: 'pid' | 'runner.pid'): Promise<number> =>
  Number(await readFile(join(runDir(name), file), 'utf8'));

const buildSpec = (run: RunSpec, workspace: string): RunnerSpec => ({
  ...run,
  workspace,
  github: { apiUrl: 'http://127.0.0.1:9' },
  agent: { command: ['agent'] },
  safety: { ghAllowed: [], blockedCommitWords: [] },
});

/** A runtime instance in this process that has never seen the runs: a restarted k3sc. */
const coldRuntime = (over: Partial<LocalRuntimeOptions> = {}): LocalRuntime => {
  const rt = createLocalRuntime({
    dataDir: dataDir(),
    runner: { command: [process.execPath, runnerFile] },
    supervisor: { command: [process.execPath, tree.js(SUPERVISOR)] },
    buildSpec,
    env: {},
    onExit: (name) => exits.push(name),
    killGraceMs: 10_000,
    pollMs: 20,
    ...over,
  });
  runtimes.push(rt);
  return rt;
};

/** Starts a k3sc-like process that starts `runs`; resolves once they have started. */
const startParent = async (
  runs: { attemptName: string; slot: string }[],
  onSigterm?: 'stop' | 'keep',
): Promise<{ child: ReturnType<typeof spawn>; exited: Promise<number | null>; stdout: () => string }> => {
  const cfg = {
    dataDir: dataDir(),
    command: [process.execPath, runnerFile],
    supervisor: [process.execPath, tree.js(SUPERVISOR)],
    runs,
    killGraceMs: 10_000,
    ...(onSigterm === undefined ? {} : { onSigterm }),
  };
  // Its own process group, so a Ctrl-C-like SIGINT to that group does not reach vitest.
  const child = spawn(process.execPath, [tree.js(PARENT), JSON.stringify(cfg)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  parents.push(child);
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('started\n')) resolve();
    });
    void exited.then(() => reject(new Error(`the k3sc stand-in exited early: ${out}`)));
  });
  return { child, exited, stdout: () => out };
};

/** Polls (every 20 ms) until `done` holds; the test timeout bounds it. */
const until = async <T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    await sleep(20);
  }
};

const lineCount = async (rt: LocalRuntime, name: string): Promise<number> =>
  (await rt.readLog(name)).split('\n').length;

beforeAll(async () => {
  tree = await transpileTree([PARENT, SUPERVISOR]);
});
afterAll(() => tree.cleanup());
beforeEach(async () => {
  dirs = await tempDir('k3sc-rt-restart-');
  runnerFile = join(dirs.root, 'runner.cjs');
  await writeFile(runnerFile, RUNNER, 'utf8');
  exits = [];
});
afterEach(async () => {
  for (const p of parents.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
  // Runs a failed test left behind must not outlive it.
  const sweeper = coldRuntime();
  const names = await readdir(join(dataDir(), 'runs')).catch(() => []);
  await Promise.all(names.map((n) => sweeper.stop(n)));
  await dirs.cleanup();
});

describe('local runs outlive the k3sc that started them', () => {
  it.each([
    ['SIGKILL to k3sc', (pid: number) => process.kill(pid, 'SIGKILL')],
    ['SIGINT to its process group (Ctrl-C)', (pid: number) => process.kill(-pid, 'SIGINT')],
  ])(
    '%s: the run goes on, a cold instance adopts it, reads its real result and tells onExit',
    async (_how, kill) => {
      const parent = await startParent([{ attemptName: 'victim', slot: 'claude-a' }]);
      const fresh = coldRuntime();
      await until(
        () => lineCount(fresh, 'victim'),
        (n) => n >= 2,
      );
      kill(parent.child.pid ?? 0);
      await parent.exited;
      // Still writing after its k3sc is gone (with a pipe to k3sc, its next line killed it).
      const before = await lineCount(fresh, 'victim');
      const s = await until(
        async () => ({ lines: await lineCount(fresh, 'victim'), status: await fresh.status('victim') }),
        (v) => v.lines >= before + 5 || v.status.state !== 'running',
      );
      expect(s.status).toMatchObject({ attemptName: 'victim', state: 'running' });
      expect(isRunAlive(await pidIn('victim', 'runner.pid'), join(runDir('victim'), 'spec.json'))).toBe(true);

      await writeFile(join(runDir('victim'), 'go'), '', 'utf8');
      await until(
        () => Promise.resolve(exits),
        (e) => e.includes('victim'),
      );
      expect(exits).toEqual(['victim']);
      const status = await fresh.status('victim');
      expect(status).toMatchObject({ state: 'succeeded', exitCode: 0 });
      expect(status.reason).toBeUndefined();
      expect(status.interrupted).toBeUndefined();
      expect(await fresh.readLog('victim', { tailLines: 1 })).toBe(
        '[result] {"ok":true,"summary":"done after the restart"}',
      );
      // A later instance reads the same truth from the files.
      expect(await coldRuntime().status('victim')).toMatchObject({ state: 'succeeded', exitCode: 0 });
    },
    60_000,
  );

  it('a cold instance stops an adopted run and follows its log to the end', async () => {
    const parent = await startParent([{ attemptName: 'stuck', slot: 'claude-b' }]);
    parent.child.kill('SIGKILL');
    await parent.exited;
    const fresh = coldRuntime();
    expect((await fresh.status('stuck')).state).toBe('running');
    const following = (async () => {
      const lines: string[] = [];
      for await (const l of fresh.followLog('stuck', AbortSignal.timeout(30_000))) lines.push(l);
      return lines;
    })();
    await until(
      () => lineCount(fresh, 'stuck'),
      (n) => n >= 3,
    );
    const supervisor = await pidIn('stuck', 'pid');
    const runner = await pidIn('stuck', 'runner.pid');
    await fresh.stop('stuck');
    expect(await fresh.status('stuck')).toMatchObject({ state: 'failed', exitCode: 1, reason: 'stopped' });
    expect(isRunAlive(supervisor, join(runDir('stuck'), 'spec.json'))).toBe(false);
    expect(isRunAlive(runner, join(runDir('stuck'), 'spec.json'))).toBe(false);
    const lines = await following;
    expect(lines[0]).toBe('waiting');
    expect(lines.at(-1)).toBe('[result] {"ok":false,"reason":"stopped before the agent finished"}');
    await until(
      () => Promise.resolve(exits),
      (e) => e.includes('stuck'),
    );
  }, 60_000);
});

describe('closing the runtime', () => {
  it('SIGTERM to a k3sc that closes its runtime (serve): runs end as interrupted, and the process exits', async () => {
    const parent = await startParent([{ attemptName: 'long', slot: 'claude-a' }], 'stop');
    const fresh = coldRuntime();
    await until(
      () => lineCount(fresh, 'long'),
      (n) => n >= 2,
    );
    const runner = await pidIn('long', 'runner.pid');
    parent.child.kill('SIGTERM');
    // Nothing ties the process to its runs any more: it exits on its own once close() is done.
    expect(await parent.exited).toBe(0);
    expect(parent.stdout()).toContain('closed');
    expect(await fresh.status('long')).toMatchObject({
      state: 'failed',
      exitCode: 1,
      reason: 'stopped (k3sc shut down)',
      interrupted: true,
    });
    expect(isRunAlive(runner, join(runDir('long'), 'spec.json'))).toBe(false);
    // The runner itself was told (SIGTERM) and reported the stop.
    expect(await fresh.readLog('long', { tailLines: 1 })).toBe(
      '[result] {"ok":false,"reason":"stopped before the agent finished"}',
    );
  }, 60_000);

  it('a one-shot command closes with keep: its runs go on for the next k3sc', async () => {
    const parent = await startParent([{ attemptName: 'kept', slot: 'claude-a' }], 'keep');
    parent.child.kill('SIGTERM');
    expect(await parent.exited).toBe(0);
    const fresh = coldRuntime();
    expect((await fresh.status('kept')).state).toBe('running');
    await writeFile(join(runDir('kept'), 'go'), '', 'utf8');
    await until(
      () => Promise.resolve(exits),
      (e) => e.includes('kept'),
    );
    expect(await fresh.status('kept')).toMatchObject({ state: 'succeeded', exitCode: 0 });
  }, 60_000);

  it('close() in this process stops started and adopted runs as interrupted, SIGKILLing a stubborn one', async () => {
    const stubborn = join(dirs.root, 'stubborn.cjs');
    await writeFile(
      stubborn,
      `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('waiting'); setInterval(() => {}, 1000);`,
      'utf8',
    );
    const parent = await startParent([{ attemptName: 'adopted', slot: 'claude-b' }]);
    parent.child.kill('SIGKILL');
    await parent.exited;
    const rt = coldRuntime({ runner: { command: [process.execPath, stubborn] }, killGraceMs: 300 });
    await rt.start(runSpec('own'));
    expect((await rt.status('adopted')).state).toBe('running'); // adopts it
    await until(
      () => rt.readLog('own'),
      (l) => l.includes('waiting'),
    );
    await rt.close();
    for (const name of ['own', 'adopted']) {
      expect(await rt.status(name)).toMatchObject({
        state: 'failed',
        reason: 'stopped (k3sc shut down)',
        interrupted: true,
      });
    }
    const own = JSON.parse(await readFile(join(runDir('own'), 'exit.json'), 'utf8'));
    expect(own).toMatchObject({ signal: 'SIGKILL', interrupted: true });
    expect(await rt.readLog('own')).toContain('ignoring SIGTERM');
    // A closed instance reports nothing more and starts nothing new.
    expect(exits).toEqual([]);
    await expect(rt.start(runSpec('late', { slot: 'codex-a' }))).rejects.toThrow('shut down');
  }, 60_000);
});

describe('a supervisor killed with SIGKILL', () => {
  it('is reported as failed with a reason that says so, its runner is killed, and onExit fires', async () => {
    const rt = coldRuntime();
    await rt.start(runSpec('orphaned'));
    await until(
      () => rt.readLog('orphaned'),
      (l) => l.includes('waiting'),
    );
    const runner = await pidIn('orphaned', 'runner.pid');
    process.kill(await pidIn('orphaned', 'pid'), 'SIGKILL');
    await until(
      () => Promise.resolve(exits),
      (e) => e.includes('orphaned'),
    );
    expect(await rt.status('orphaned')).toMatchObject({ state: 'failed', reason: SUPERVISOR_DIED });
    expect((await rt.status('orphaned')).interrupted).toBeUndefined();
    expect(SUPERVISOR_DIED).toMatch(/unknown/);
    await until(
      () => Promise.resolve(isRunAlive(runner, join(runDir('orphaned'), 'spec.json'))),
      (alive) => !alive,
    );
  }, 60_000);
});
